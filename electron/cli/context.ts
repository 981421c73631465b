import { join } from 'node:path'
import { configDir, type SshPolicy } from '../engine/profiles/index.ts'
import type { HostKeyPolicy } from '../engine/ssh/tunnel.ts'
import { isInteractive, promptHidden } from './terminal.ts'
import { osKeychain, type Keychain } from '../engine/secrets/keychain.ts'
import type { Env, KeySources } from './keys.ts'
import type { PendingJob } from './job-runner.ts'
import { errno } from '../engine/errors.ts'

/** What every command gets: the environment, output channels and the configuration folder. */
export interface CliContext {
  env: Env
  out: (line: string) => void
  err: (line: string) => void
  configDir: string
  keychain: Keychain
  /**
   * The job the entry made ready while the command's code loaded (a backup or restore run): taken once by
   * the command instead of making its own (jobFor); null once taken, or when there is none.
   */
  takeJob?: () => PendingJob | null
}

/** The key sources of a command: its environment, the keychain, warnings on stderr. */
export const keySources = (ctx: CliContext): KeySources => ({
  env: ctx.env,
  keychain: ctx.keychain,
  warn: ctx.err,
})

/**
 * A reader that went away (`sfdbtools … | head -1`) ends the output quietly: no EPIPE stack trace, and
 * nothing more is written to that stream; the command itself finishes as it would.
 */
export function quietWhenClosed(stream: NodeJS.WriteStream): () => boolean {
  let closed = false
  stream.on('error', (e) => {
    if (closed || errno(e) === 'EPIPE') {
      closed = true
      return
    }
    throw e
  })
  return () => closed
}

export function defaultContext(): CliContext {
  const outClosed = quietWhenClosed(process.stdout)
  const errClosed = quietWhenClosed(process.stderr)
  return {
    env: process.env,
    out: (line) => void (outClosed() || process.stdout.write(line + '\n')),
    err: (line) => void (errClosed() || process.stderr.write(line + '\n')),
    configDir: configDir(process.env),
    keychain: osKeychain(),
  }
}

/** Where tunnel host keys are kept, and whether the user explicitly turned the check off. */
export const sshPolicy = (ctx: CliContext, insecureFlag = false): SshPolicy => ({
  knownHostsFile: join(ctx.configDir, 'known_hosts'),
  insecure: insecureFlag || ctx.env.SFDB_SSH_INSECURE_IGNORE_HOSTKEY === '1',
})

/** On a terminal an unknown SSH host key is shown and confirmed once; elsewhere it is refused. */
export const hostKeyPolicy = (ctx: CliContext): HostKeyPolicy => ({
  warn: ctx.err,
  ...(isInteractive()
    ? {
        confirm: async (host: string, print: string) =>
          /^y(es)?$/i.test(
            (await promptHidden(`Unknown SSH host key for ${host}: ${print}. Trust it? [y/N] `)).trim(),
          ),
      }
    : {}),
})
