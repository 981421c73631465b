import { lstat, readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { ContainerFormat } from '../crypto/index.ts'
import { decryptAnyBuffer, encryptSingleShot } from '../crypto/index.ts'
import { advice, EngineError, errno, toEngineError } from '../errors.ts'
import { writeFileAtomic } from '../fs/atomic-write.ts'
import { parseLegacyJsonProfile } from './legacy-json-profile.ts'
import { formatProfileIni, parseProfileIni } from './profile-ini.ts'
import type { ProfileData } from './profile-ini.ts'
import { PROFILE_SUFFIX, profileDisplayName, profilePath } from './profile-names.ts'

/** A profile file found on disk; listing never decrypts. */
export interface ProfileEntry {
  name: string
  path: string
  modifiedAt: Date
  size: number
}

export interface LoadedProfile {
  name: string
  path: string
  data: ProfileData
  /** How the file was encrypted: `l0-legacy-headerless` and the 100k formats are older sfDBTools files. */
  format: ContainerFormat
}

/** A profile is a few hundred bytes; anything far larger is some other file given by mistake. */
const MAX_PROFILE_BYTES = 1024 * 1024

export { profileDir } from './profile-names.ts'

/** The profiles in `dir`, by name; a missing folder has none. Hidden and temp files are skipped. */
export async function listProfiles(dir: string): Promise<ProfileEntry[]> {
  let names: string[]
  try {
    names = await readdir(dir)
  } catch (e) {
    if (errno(e) === 'ENOENT') return []
    throw toEngineError(e, `listing profiles in ${dir}`)
  }
  const entries: ProfileEntry[] = []
  for (const file of names.filter((n) => n.endsWith(PROFILE_SUFFIX) && !n.startsWith('.')).sort()) {
    const path = join(dir, file)
    const info = await stat(path).catch(() => undefined) // vanished meanwhile, or a dangling link
    if (info?.isFile())
      entries.push({ name: profileDisplayName(file), path, modifiedAt: info.mtime, size: info.size })
  }
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}

/**
 * Reads and decrypts one profile file, whatever sfDBTools version wrote it (single-shot 600k/100k INI,
 * or the predecessor's L0b JSON). The key is used exactly as given. Never rewrites the file.
 */
export async function readProfile(path: string, key: string): Promise<LoadedProfile> {
  const name = profileDisplayName(path)
  const data = await readProfileBytes(path)
  let opened: Awaited<ReturnType<typeof decryptAnyBuffer>>
  try {
    opened = await decryptAnyBuffer(data, key)
  } catch (e) {
    if (e instanceof EngineError && e.code === 'WrongKey') {
      throw new EngineError(
        'WrongKey',
        `the key does not open profile '${name}' (${path}): wrong key or damaged file`,
      )
    }
    if (e instanceof EngineError) throw new EngineError(e.code, `profile '${name}' (${path}): ${e.message}`)
    throw e
  }
  const text = opened.plaintext.toString('utf8')
  try {
    const profile = text.trimStart().startsWith('{') ? parseLegacyJsonProfile(text) : parseProfileIni(text)
    return { name, path, data: profile, format: opened.format }
  } catch (e) {
    if (e instanceof EngineError) throw new EngineError(e.code, `profile '${name}' (${path}): ${e.message}`)
    throw e
  }
}

/**
 * Saves a profile as sfDBTools writes it today: INI from the fixed template, single-shot, 600,000
 * iterations; atomic, file mode 0600, folder created 0700. Without `overwrite` an existing profile is
 * refused (ProfileExists), checked before the slow key derivation and again, race-free, at the rename.
 */
export async function writeProfile(
  dir: string,
  name: string,
  data: ProfileData,
  key: string,
  options: { overwrite: boolean },
): Promise<{ name: string; path: string }> {
  const path = profilePath(dir, name)
  if (key === '') throw new EngineError('InvalidInput', 'the profile key is empty')
  if (key !== key.trim()) {
    // sfDBTools trims a profile key before using it, so it could never open a profile saved with this one.
    throw new EngineError('InvalidInput', 'the profile key starts or ends with whitespace; remove the spaces')
  }
  const plaintext = Buffer.from(formatProfileIni(data), 'utf8')
  const exists = (): EngineError =>
    new EngineError('ProfileExists', `profile '${profileDisplayName(path)}' already exists (${path})`)
  if (
    !options.overwrite &&
    (await lstat(path).then(
      () => true,
      () => false,
    ))
  )
    throw exists()
  const encrypted = await encryptSingleShot(plaintext, key)
  try {
    await writeFileAtomic(path, encrypted, { mode: 0o600, noOverwrite: !options.overwrite })
  } catch (e) {
    if (errno(e) === 'EEXIST') throw exists()
    throw toEngineError(e, `saving profile ${path}`)
  }
  return { name: profileDisplayName(path), path }
}

/**
 * Fails the way readProfile would for a missing, non-file or oversized profile — before anybody is asked
 * for its key (a typo in a profile name should not end in a key prompt).
 */
export async function assertProfileFile(path: string): Promise<void> {
  await readProfileBytes(path)
}

async function readProfileBytes(path: string): Promise<Buffer> {
  try {
    const info = await stat(path)
    if (!info.isFile()) throw new EngineError('InvalidProfile', `${path} is not a file`)
    if (info.size > MAX_PROFILE_BYTES) {
      throw new EngineError('InvalidProfile', `${path} is ${info.size} bytes: too large to be a profile`)
    }
    return await readFile(path)
  } catch (e) {
    if (errno(e) === 'ENOENT') {
      throw new EngineError('ProfileNotFound', `profile not found: ${path}`, {
        advice: advice('profileNotFound', { path }),
      })
    }
    throw toEngineError(e, `reading profile ${path}`)
  }
}
