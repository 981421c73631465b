import type { AsyncEntry } from '@napi-rs/keyring'
import { advice, EngineError } from '../errors.ts'
import { validateProfileName } from '../profiles/index.ts'

/** The service name of every entry this tool keeps in the OS keychain. */
export const KEYCHAIN_SERVICE = 'sfdbtools'

/** The keys a user manages as keys (`key set`, the Keys panel). */
export const KEY_KINDS = ['profile-key', 'backup-key'] as const
/**
 * Every kind of entry: the keys, the SMTP password of a notification channel (one per channel), and the
 * password of an SFTP destination (one per destination, account `sftp-password:<destination>`, kept by
 * `sfdbtools destination`).
 */
export const SECRET_KINDS = [...KEY_KINDS, 'smtp-password', 'sftp-password', 's3-secret-key'] as const
export type KeyKind = (typeof SECRET_KINDS)[number]
export type SecretKind = KeyKind

/** What the engine needs of a keychain; the OS one in production, the same one in tests (no mock). */
export interface Keychain {
  get(kind: SecretKind, profile?: string): Promise<string | null>
  set(kind: SecretKind, secret: string, profile?: string): Promise<void>
  delete(kind: SecretKind, profile?: string): Promise<boolean>
}

/** The account of an entry: the key kind, or `<kind>:<profile>` for a per-profile backup key. */
export function keychainAccount(kind: SecretKind, profile?: string): string {
  if (kind === 'sftp-password' || kind === 's3-secret-key') {
    if (profile === undefined || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(profile))
      throw new EngineError(
        'InvalidInput',
        `${kind === 'sftp-password' ? 'an SFTP password' : 'an S3 secret access key'} belongs to a destination name, got ${JSON.stringify(profile ?? '')}`,
      )
    return `${kind}:${profile}`
  }
  if (profile === undefined) return kind
  if (kind === 'profile-key') {
    throw new EngineError(
      'InvalidInput',
      'the profile key is one key for all profiles, not one per profile',
      {
        advice: advice('profileKeyIsGlobal'),
      },
    )
  }
  return `${kind}:${validateProfileName(profile)}`
}

/**
 * Turns the keyring library's failures into one error a DBA can act on: what is missing and how to go on.
 * On Linux the Secret Service is asked for explicitly, so a missing one is this error, never a silent
 * fallback to another store.
 */
export function keychainError(e: unknown): EngineError {
  const text = e instanceof Error ? e.message : String(e)
  const lower = text.toLowerCase()
  if (
    process.platform === 'linux' &&
    (lower.includes('dbus_session_bus_address') || lower.includes('autolaunch'))
  ) {
    return new EngineError(
      'KeychainUnavailable',
      'no OS keychain: there is no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)',
      { detail: text, cause: e, advice: advice('keychainNoSession') },
    )
  }
  if (lower.includes('locked')) {
    return new EngineError('KeychainUnavailable', 'the OS keychain is locked', {
      detail: text,
      cause: e,
      advice: advice('keychainLocked'),
    })
  }
  if (
    lower.includes('org.freedesktop.secrets') ||
    lower.includes('serviceunknown') ||
    lower.includes('no such')
  ) {
    return new EngineError('KeychainUnavailable', 'no Secret Service on the session bus', {
      detail: text,
      cause: e,
      advice: advice('keychainNoService'),
    })
  }
  return new EngineError('KeychainUnavailable', `the OS keychain failed: ${text.split('\n')[0]}`, {
    detail: text,
    cause: e,
    advice: advice('keychainFailed'),
  })
}

/** The OS keychain: Keychain on macOS, Credential Manager on Windows, the Secret Service on Linux. */
export function osKeychain(): Keychain {
  // Loaded on first use: commands that never touch the keychain do not load the native module.
  const call = async <T>(
    kind: SecretKind,
    profile: string | undefined,
    f: (e: AsyncEntry) => Promise<T>,
  ): Promise<T> => {
    const account = keychainAccount(kind, profile)
    try {
      const { AsyncEntry } = await import('@napi-rs/keyring')
      return await f(new AsyncEntry(KEYCHAIN_SERVICE, account, { linux: { store: 'secret-service' } }))
    } catch (e) {
      throw e instanceof EngineError ? e : keychainError(e)
    }
  }
  return {
    get: (kind, profile) => call(kind, profile, (e) => e.getPassword()),
    set: (kind, secret, profile) => call(kind, profile, (e) => e.setPassword(secret)),
    delete: (kind, profile) => call(kind, profile, (e) => e.deletePassword()),
  }
}
