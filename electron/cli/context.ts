import { configDir } from '../engine/profiles/index.ts'
import { osKeychain, type Keychain } from '../engine/secrets/keychain.ts'
import type { Env, KeySources } from './keys.ts'

/** What every command gets: the environment, output channels and the configuration folder. */
export interface CliContext {
  env: Env
  out: (line: string) => void
  err: (line: string) => void
  configDir: string
  /** The built job process entry (out/main/backup-job.js, next to the CLI entry). */
  jobEntry: string
  keychain: Keychain
}

/** The key sources of a command: its environment, the keychain, warnings on stderr. */
export const keySources = (ctx: CliContext): KeySources => ({
  env: ctx.env,
  keychain: ctx.keychain,
  warn: ctx.err,
})

export function defaultContext(jobEntry: string): CliContext {
  return {
    env: process.env,
    out: (line) => process.stdout.write(line + '\n'),
    err: (line) => process.stderr.write(line + '\n'),
    configDir: configDir(process.env),
    jobEntry,
    keychain: osKeychain(),
  }
}
