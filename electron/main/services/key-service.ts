/**
 * Where the app finds its keys. The profile key: the environment (as the CLI reads it), else the key
 * unlocked for this session, else the OS keychain. The backup key: the environment, else the profile's
 * own key in the keychain, else the default one. Secrets only ever come in (keys:set, keys:unlock) and are
 * never handed back to the renderer.
 */
import type { KeyStatus } from '../../../shared/ipc.ts'
import type { Advice } from '../../../shared/result.ts'
import { advice, EngineError } from '../../engine/errors.ts'
import { decodeEnvSecret, DEFAULT_MARIADB_KEY_FILE } from '../../engine/secrets/env-secret.ts'
import { validateProfileName } from '../../engine/profiles/index.ts'
import type { Keychain, KeyKind } from '../../engine/secrets/keychain.ts'

/** Env vars that may hold the profile key, in order (the same as the CLI's). */
export const PROFILE_KEY_ENV = ['SFDB_PROFILE_KEY', 'SFDB_SOURCE_PROFILE_KEY', 'SFDB_ENCRYPTION_KEY'] as const
/** Env vars that may hold the backup encryption key, in order (the same as the CLI's). */
export const BACKUP_KEY_ENV = ['SFDB_BACKUP_ENCRYPTION_KEY', 'SFDB_ENCRYPTION_KEY'] as const

export type Env = Readonly<Record<string, string | undefined>>

export interface KeySources {
  env(): Env
  keychain(): Keychain
}

export interface KeyService {
  /** The profile key: env → session → keychain; MissingKey naming every way to give one. */
  profileKey(): Promise<string>
  /** The key that encrypts a new backup of `profile`; MissingKey naming every way to give one. */
  requireBackupKey(profile: string): Promise<string>
  /** Every distinct backup key that may open a backup of `profile` (null: unknown profile), best first. */
  backupKeyCandidates(profile: string | null): Promise<string[]>
  /** Whether the keychain holds a backup key of this profile (false when the keychain is unreachable). */
  hasOwnBackupKey(profile: string): Promise<boolean>
  /** Moves a per-profile backup key to a renamed profile (best effort: an unreachable keychain is skipped). */
  renameOwnBackupKey(from: string, to: string): Promise<void>
  status(profiles: string[]): Promise<KeyStatus>
  /** Refuses a keychain entry that cannot exist (a profile key is one key for every profile). */
  checkEntry(kind: KeyKind, profile?: string): void
  store(kind: KeyKind, secret: string, profile?: string): Promise<void>
  remove(kind: KeyKind, profile?: string): Promise<boolean>
  /** Keeps the profile key in memory for this session. */
  unlock(secret: string): void
}

/** A key typed into the app: trimmed as sfDBTools trims typed keys, never empty. */
export function typedKey(secret: string, what: string): string {
  const key = secret.trim()
  if (key === '') throw new EngineError('InvalidInput', `the ${what} is empty`)
  return key
}

function fromEnv(env: Env, names: readonly string[]): string | null {
  for (const name of names) {
    const value = env[name]
    // sfDBTools' `SFDBTOOLS:`-encoded values keep working, as in the CLI.
    if (value !== undefined && value !== '')
      return decodeEnvSecret(name, value, env.SFDB_MARIADB_KEY_FILE || DEFAULT_MARIADB_KEY_FILE)
  }
  return null
}

const hasEnv = (env: Env, names: readonly string[]): boolean =>
  names.some((n) => env[n] !== undefined && env[n] !== '')

const reasonOf = (e: unknown): string => (e instanceof Error ? e.message : String(e))
const adviceOf = (e: unknown): Advice | undefined => (e instanceof EngineError ? e.advice : undefined)

/** A keychain entry, or why the keychain could not be asked. */
interface Stored {
  key: string | null
  unavailable?: string
  /** The engine's advice for the failure (what to do), when it has one. */
  advice?: Advice
}

export function createKeyService(sources: KeySources): KeyService {
  let sessionKey: string | null = null

  /** A keychain read that reports an unreachable keychain instead of throwing. */
  const read = async (kind: KeyKind, profile?: string): Promise<Stored> => {
    try {
      return { key: (await sources.keychain().get(kind, profile)) || null }
    } catch (e) {
      const found = adviceOf(e)
      return { key: null, unavailable: reasonOf(e), ...(found ? { advice: found } : {}) }
    }
  }

  const backupKeyCandidates = async (profile: string | null): Promise<string[]> => {
    const keys = [fromEnv(sources.env(), BACKUP_KEY_ENV)]
    if (profile !== null) keys.push((await read('backup-key', profile)).key)
    keys.push((await read('backup-key')).key)
    return [...new Set(keys.filter((k): k is string => k !== null))]
  }

  const hasOwnBackupKey = async (profile: string): Promise<boolean> =>
    (await read('backup-key', profile)).key !== null

  return {
    async profileKey() {
      const env = fromEnv(sources.env(), PROFILE_KEY_ENV)
      if (env !== null) return env
      if (sessionKey !== null) return sessionKey
      const stored = await read('profile-key')
      if (stored.key !== null) return stored.key
      const note = stored.unavailable ? ` (the keychain could not be used: ${stored.unavailable})` : ''
      throw new EngineError('MissingKey', `no profile key was found${note}`, {
        advice: advice('profileKeyRequired'),
      })
    },

    async requireBackupKey(profile) {
      const env = fromEnv(sources.env(), BACKUP_KEY_ENV)
      if (env !== null) return env
      const own = await read('backup-key', profile)
      if (own.key !== null) return own.key
      const shared = own.unavailable ? own : await read('backup-key')
      if (shared.key !== null) return shared.key
      const note = shared.unavailable ? ` (the keychain could not be used: ${shared.unavailable})` : ''
      throw new EngineError('MissingKey', `no backup key to encrypt with was found${note}`, {
        advice: advice('backupKeyToEncrypt', { profile }),
      })
    },
    backupKeyCandidates,
    hasOwnBackupKey,

    async renameOwnBackupKey(from, to) {
      const { key } = await read('backup-key', from)
      if (key === null) return
      await sources.keychain().set('backup-key', key, to)
      await sources.keychain().delete('backup-key', from)
    },

    async status(profiles) {
      const env = sources.env()
      const probe = await read('profile-key')
      const available = probe.unavailable === undefined
      const backup = available ? await read('backup-key') : probe
      const own: Record<string, boolean> = {}
      for (const name of profiles) own[name] = available && (await hasOwnBackupKey(name))
      return {
        keychain: { available, reason: probe.unavailable ?? null, advice: probe.advice ?? null },
        profileKey: {
          stored: probe.key !== null,
          session: sessionKey !== null,
          env: hasEnv(env, PROFILE_KEY_ENV),
        },
        backupKey: { stored: backup.key !== null, env: hasEnv(env, BACKUP_KEY_ENV) },
        profileBackupKeys: own,
      }
    },

    checkEntry(kind, profile) {
      if (kind === 'profile-key' && profile !== undefined)
        throw new EngineError('InvalidInput', 'the profile key is one key for all profiles: give no profile')
      if (profile !== undefined) validateProfileName(profile)
    },

    store: (kind, secret, profile) => sources.keychain().set(kind, typedKey(secret, kind), profile),
    remove: (kind, profile) => sources.keychain().delete(kind, profile),

    unlock(secret) {
      sessionKey = typedKey(secret, 'profile key')
    },
  }
}
