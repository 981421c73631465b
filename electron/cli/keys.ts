import { EngineError } from '../engine/errors.ts'
import { isInteractive, promptHidden } from './terminal.ts'

export type Env = Record<string, string | undefined>

/** Env vars that may hold the profile key, in order (ours first, then the real tool's). */
export const PROFILE_KEY_ENV = ['SFDB_PROFILE_KEY', 'SFDB_SOURCE_PROFILE_KEY', 'SFDB_ENCRYPTION_KEY'] as const
/** Env vars that may hold the backup encryption key, in order. */
export const BACKUP_KEY_ENV = ['SFDB_BACKUP_ENCRYPTION_KEY', 'SFDB_ENCRYPTION_KEY'] as const

export interface ResolvedKey {
  key: string
  /** Where it came from, for messages (never the key itself). */
  source: string
}

/** Warns once that a secret given as a flag is visible in the process list. */
function warnFlag(flag: string, warn: (m: string) => void): void {
  warn(
    `warning: ${flag} puts the key in the process list, where other local users can read it; ` +
      'prefer the environment variable or the prompt',
  )
}

function fromFlagOrEnv(
  flag: string | undefined,
  flagName: string,
  envNames: readonly string[],
  env: Env,
  warn: (m: string) => void,
): ResolvedKey | null {
  if (flag !== undefined) {
    warnFlag(flagName, warn)
    // As sfDBTools does: a key typed as a flag or at a prompt is trimmed; one from the environment is not.
    const key = flag.trim()
    if (!key) throw new EngineError('InvalidInput', `${flagName} is empty`)
    return { key, source: flagName }
  }
  for (const name of envNames) {
    const v = env[name]
    if (v !== undefined && v !== '') return { key: v, source: name }
  }
  return null
}

/** Profile key: flag → env → prompt on a TTY → an error that names every way. */
export async function resolveProfileKey(
  flag: string | undefined,
  env: Env,
  warn: (m: string) => void,
  opts: { confirm?: boolean; profile?: string } = {},
): Promise<ResolvedKey> {
  const found = fromFlagOrEnv(flag, '--profile-key', PROFILE_KEY_ENV, env, warn)
  if (found) return found
  if (isInteractive()) {
    const what = opts.profile ? `profile '${opts.profile}'` : 'the profile'
    const key = (await promptHidden(`Key for ${what}: `)).trim()
    if (!key) throw new EngineError('MissingKey', 'no profile key was entered')
    if (opts.confirm && (await promptHidden('Repeat the key: ')).trim() !== key) {
      throw new EngineError('InvalidInput', 'the two keys differ')
    }
    return { key, source: 'prompt' }
  }
  throw new EngineError(
    'MissingKey',
    `no profile key: give it with --profile-key, or set ${PROFILE_KEY_ENV.join(' or ')}, or run in a terminal to be prompted`,
  )
}

/** Backup key: flag → env; none means the backup is written unencrypted (the caller says so). */
export function resolveBackupKey(
  flag: string | undefined,
  env: Env,
  warn: (m: string) => void,
): ResolvedKey | null {
  return fromFlagOrEnv(flag, '--encryption-key', BACKUP_KEY_ENV, env, warn)
}

/** Decryption key for verify/decrypt: flag → env → prompt on a TTY; null when none is available. */
export async function resolveReadKey(
  flag: string | undefined,
  env: Env,
  warn: (m: string) => void,
): Promise<ResolvedKey | null> {
  const found = fromFlagOrEnv(flag, '--encryption-key', BACKUP_KEY_ENV, env, warn)
  if (found) return found
  if (isInteractive()) {
    const key = (await promptHidden('Backup key: ')).trim()
    return key ? { key, source: 'prompt' } : null
  }
  return null
}
