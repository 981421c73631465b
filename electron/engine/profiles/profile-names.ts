import { basename, isAbsolute, join, normalize } from 'node:path'
import { EngineError } from '../errors.ts'

/** Every profile file ends with this (reference §2). */
export const PROFILE_SUFFIX = '.cnf.enc'
/** Most file systems allow 255 bytes per name. */
const MAX_FILE_NAME_BYTES = 255

/**
 * Checks a profile name typed by a user before it becomes a file name: one plain name inside the profile
 * folder, never a path. Returns the name unchanged.
 */
export function validateProfileName(name: string): string {
  const refuse = (why: string): never => {
    throw new EngineError('InvalidInput', `invalid profile name ${JSON.stringify(name)}: ${why}`)
  }
  if (name.trim() === '') refuse('it is empty; give a name such as "prod-db"')
  if (name !== name.trim()) refuse('it starts or ends with whitespace; remove the spaces')
  if (/[/\\]/.test(name)) refuse('it contains "/" or "\\"; give a plain name, not a path')
  if (name.includes('..')) refuse('it contains ".."; give a plain name such as "prod-db"')
  if (name.startsWith('.')) refuse('it starts with "." (hidden files are not listed); remove the dot')
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
  if (/[\u0000-\u001f\u007f]/.test(name)) refuse('it contains control characters')
  if (Buffer.byteLength(withProfileSuffix(name)) > MAX_FILE_NAME_BYTES) {
    refuse(`it is too long (a file name holds at most ${MAX_FILE_NAME_BYTES} bytes)`)
  }
  return name
}

/** `<name>.cnf.enc`; a name ending in `.cnf` gets `.enc`, one already ending in `.cnf.enc` is kept. */
export function withProfileSuffix(name: string): string {
  if (name.endsWith(PROFILE_SUFFIX)) return name
  return name.endsWith('.cnf') ? `${name}.enc` : `${name}${PROFILE_SUFFIX}`
}

/** The file of profile `name` in `dir` (the name is validated). */
export function profilePath(dir: string, name: string): string {
  return join(dir, withProfileSuffix(validateProfileName(name)))
}

/** The name shown for a profile file: the base name without `.enc`, then without `.cnf`. */
export function profileDisplayName(path: string): string {
  const base = basename(path)
  const noEnc = base.endsWith('.enc') ? base.slice(0, -'.enc'.length) : base
  return noEnc.endsWith('.cnf') ? noEnc.slice(0, -'.cnf'.length) : noEnc
}

/**
 * Resolves a `--profile` value: an absolute path is taken as given, a relative value must be a bare
 * name and is looked up in `dir`. Like sfDBTools (`ResolveConfigPathInDir` at HEAD — the code, where the
 * behaviour notes say "as-is") both get the suffix rule, so `/etc/x/prod` means `/etc/x/prod.cnf.enc`.
 */
export function resolveProfileRef(dir: string, ref: string): string {
  if (ref.trim() === '')
    throw new EngineError('InvalidInput', 'no profile given: pass a profile name or path')
  if (isAbsolute(ref)) return withProfileSuffix(normalize(ref))
  if (/[/\\]/.test(ref)) {
    throw new EngineError(
      'InvalidInput',
      `profile ${JSON.stringify(ref)} is a relative path: give a profile name (looked up in ${dir}) or an absolute path`,
    )
  }
  return profilePath(dir, ref)
}

/** The profile folder inside a configuration folder (see configDir). */
export function profileDir(configDir: string): string {
  return join(configDir, 'database_profile')
}
