import { configDir } from '../engine/profiles/index.ts'
import type { Env } from './keys.ts'

/** What every command gets: the environment, output channels and the configuration folder. */
export interface CliContext {
  env: Env
  out: (line: string) => void
  err: (line: string) => void
  configDir: string
}

export function defaultContext(): CliContext {
  return {
    env: process.env,
    out: (line) => process.stdout.write(line + '\n'),
    err: (line) => process.stderr.write(line + '\n'),
    configDir: configDir(process.env),
  }
}
