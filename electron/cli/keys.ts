import { EngineError } from '../engine/errors.ts'
import { decodeEnvSecret, DEFAULT_MARIADB_KEY_FILE } from '../engine/secrets/env-secret.ts'
import type { Keychain, KeyKind } from '../engine/secrets/keychain.ts'
import { isInteractive, promptHidden } from './terminal.ts'

export type Env = Record<string, string | undefined>

import { BACKUP_KEY_ENV, PROFILE_KEY_ENV } from './key-env.ts'

export { BACKUP_KEY_ENV, PROFILE_KEY_ENV }

export interface ResolvedKey {
  key: string
  /** Where it came from, for messages (never the key itself). */
  source: string
}

/** Where keys come from besides the command line: the environment, the OS keychain, the terminal. */
export interface KeySources {
  env: Env
  keychain: Keychain
  warn: (message: string) => void
}

/** Warns that a secret given as a flag is visible in the process list. */
function warnFlag(flag: string, warn: (m: string) => void): void {
  warn(
    `warning: ${flag} puts the key in the process list, where other local users can read it; ` +
      'prefer the environment variable, the keychain (sfdbtools key set) or the prompt',
  )
}

function fromFlagOrEnv(
  flag: string | undefined,
  flagName: string,
  envNames: readonly string[],
  src: KeySources,
): ResolvedKey | null {
  if (flag !== undefined) {
    warnFlag(flagName, src.warn)
    // As sfDBTools does: a key typed as a flag or at a prompt is trimmed; one from the environment is not.
    const key = flag.trim()
    if (!key) throw new EngineError('InvalidInput', `${flagName} is empty`)
    return { key, source: flagName }
  }
  for (const name of envNames) {
    const v = src.env[name]
    if (v !== undefined && v !== '') {
      // sfDBTools' `SFDBTOOLS:`-encoded values keep working (reference §1.8).
      const key = decodeEnvSecret(name, v, src.env.SFDB_MARIADB_KEY_FILE || DEFAULT_MARIADB_KEY_FILE)
      return { key, source: name }
    }
  }
  return null
}

/**
 * The keychain step: a per-profile entry first (backup keys), then the default one. An unreachable
 * keychain is not fatal here (a prompt or an error naming every way follows); its reason is returned.
 */
async function fromKeychain(
  kind: KeyKind,
  profile: string | undefined,
  src: KeySources,
): Promise<ResolvedKey | { unavailable: string } | null> {
  try {
    if (profile !== undefined && kind === 'backup-key') {
      const own = await src.keychain.get(kind, profile)
      if (own) return { key: own, source: `keychain (${kind} of profile '${profile}')` }
    }
    const key = await src.keychain.get(kind)
    return key ? { key, source: `keychain (${kind})` } : null
  } catch (e) {
    return { unavailable: e instanceof Error ? e.message : String(e) }
  }
}

interface Resolution {
  kind: KeyKind
  flag: string | undefined
  flagName: string
  envNames: readonly string[]
  profile?: string
  /** Ask on a terminal when nothing else gave a key. */
  prompt?: { question: string; confirm: boolean }
}

/** flag → env → keychain → prompt on a TTY; null when none gave a key (with the keychain's reason, if any). */
async function resolve(r: Resolution, src: KeySources): Promise<ResolvedKey | { missing: string }> {
  const direct = fromFlagOrEnv(r.flag, r.flagName, r.envNames, src)
  if (direct) return direct
  const stored = await fromKeychain(r.kind, r.profile, src)
  if (stored && 'key' in stored) return stored
  if (r.prompt && isInteractive()) {
    const key = (await promptHidden(r.prompt.question)).trim()
    if (!key) throw new EngineError('MissingKey', 'no key was entered')
    if (r.prompt.confirm && (await promptHidden('Repeat the key: ')).trim() !== key) {
      throw new EngineError('InvalidInput', 'the two keys differ')
    }
    return { key, source: 'prompt' }
  }
  const keychainNote =
    stored && 'unavailable' in stored ? ` (the keychain could not be used: ${stored.unavailable})` : ''
  return {
    missing:
      `give it with ${r.flagName}, or set ${r.envNames.join(' or ')}, or store it in the OS keychain with ` +
      `'sfdbtools key set ${r.kind}'${r.prompt ? ', or run in a terminal to be prompted' : ''}${keychainNote}`,
  }
}

/** Profile key: flag → env → keychain → prompt on a TTY → an error that names all four ways. */
export async function resolveProfileKey(
  flag: string | undefined,
  src: KeySources,
  opts: { confirm?: boolean; profile?: string; noPrompt?: boolean } = {},
): Promise<ResolvedKey> {
  const what = opts.profile ? `profile '${opts.profile}'` : 'the profile'
  const r = await resolve(
    {
      kind: 'profile-key',
      flag,
      flagName: '--profile-key',
      envNames: PROFILE_KEY_ENV,
      ...(opts.noPrompt ? {} : { prompt: { question: `Key for ${what}: `, confirm: opts.confirm ?? false } }),
    },
    src,
  )
  if ('missing' in r) throw new EngineError('MissingKey', `no profile key: ${r.missing}`)
  return r
}

/**
 * Backup key: flag → env → keychain (the profile's own, then the default). None means the backup is not
 * encrypted; `missing` then says every way to give one, and why the keychain could not be asked if so.
 */
export async function resolveBackupKey(
  flag: string | undefined,
  src: KeySources,
  profile?: string,
): Promise<ResolvedKey | { missing: string }> {
  const r = await resolve(
    {
      kind: 'backup-key',
      flag,
      flagName: '--encryption-key',
      envNames: BACKUP_KEY_ENV,
      ...(profile ? { profile } : {}),
    },
    src,
  )
  return r
}

/** Decryption key for verify/decrypt: flag → env → keychain → prompt on a TTY → an error naming them. */
export async function resolveReadKey(
  flag: string | undefined,
  src: KeySources,
  file: string,
): Promise<ResolvedKey> {
  const r = await resolve(
    {
      kind: 'backup-key',
      flag,
      flagName: '--encryption-key',
      envNames: BACKUP_KEY_ENV,
      prompt: { question: 'Backup key: ', confirm: false },
    },
    src,
  )
  if ('missing' in r)
    throw new EngineError('MissingKey', `${file} is encrypted and no backup key was given: ${r.missing}`)
  return r
}
