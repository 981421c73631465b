import type { CompressionType } from '../../../shared/backup-types.ts'
import {
  extensionChain,
  NAME_PRESETS,
  NAME_TOKENS,
  parseNamePattern,
  renderFileName,
  type NamePattern,
} from '../../../shared/file-names.ts'
import { EngineError } from '../errors.ts'

export {
  extensionChain,
  NAME_PRESETS,
  NAME_TOKENS,
  nameSafe,
  renderFileName,
  ticketForName,
  timestampParts,
  type NamePattern,
  type NameValues,
} from '../../../shared/file-names.ts'

/** The patterns of a setting (see parseNamePattern), or an InvalidInput error that names the valid forms. */
export function namePattern(setting: string | undefined): NamePattern {
  const parsed = parseNamePattern(setting)
  if (parsed.ok) return parsed.pattern
  const bad = parsed.unknownTokens
  throw new EngineError(
    'InvalidInput',
    `invalid file name pattern '${(setting ?? '').trim()}': use the presets 'default' or 'sfdbtools', or plain ` +
      `text with the tokens ${NAME_TOKENS.map((t) => `{${t}}`).join(' ')}` +
      (bad.length ? ` (unknown: ${bad.map((t) => `{${t}}`).join(' ')})` : ' and no directory parts'),
  )
}

/** The user manual's default: `{db}_{YYYYMMDD}_{HHMMSS}_{ticket}.sql[.ext][.enc]`. */
export function defaultFileName(opts: {
  database: string
  date: Date
  ticket: string
  compression: CompressionType
  encrypted: boolean
}): string {
  return renderFileName(
    NAME_PRESETS.default.perDatabase,
    {
      db: opts.database,
      mode: 'single',
      host: '',
      date: opts.date,
      ticket: opts.ticket,
      n: 1,
      excludeData: false,
    },
    opts.compression,
    opts.encrypted,
  )
}

/**
 * `--filename X`: a plain name (no directory, no `..`). If it already contains `.sql` it is used verbatim,
 * otherwise the extension chain is appended (as sfDBTools does).
 */
export function customFileName(name: string, compression: CompressionType, encrypted: boolean): string {
  const trimmed = name.trim()
  if (!trimmed || /[/\\]/.test(trimmed) || trimmed.includes('..') || /\p{Cc}/u.test(trimmed)) {
    throw new EngineError(
      'InvalidInput',
      `invalid file name '${name}': use a plain file name without '/', '\\' or '..'`,
    )
  }
  return trimmed.includes('.sql') ? trimmed : trimmed + extensionChain(compression, encrypted)
}

/** What most file systems allow for one file name, in bytes. */
export const MAX_FILE_NAME_BYTES = 255
/** The longest name written next to a backup file: its grants file while it is being written. */
const LONGEST_COMPANION = '.users.sql.part'

/**
 * A backup file's name must leave room for its companions' suffixes within MAX_FILE_NAME_BYTES; refused in
 * planning instead of failing with ENAMETOOLONG once the dump runs.
 * @throws EngineError('InvalidInput') naming the limit and what to shorten.
 */
export function checkFileNameLength(fileName: string, fixed: boolean): void {
  const bytes = Buffer.byteLength(fileName)
  const room = MAX_FILE_NAME_BYTES - LONGEST_COMPANION.length
  if (bytes <= room) return
  throw new EngineError(
    'InvalidInput',
    `the file name '${fileName.slice(0, 40)}…' is ${bytes} bytes long; file systems allow ${MAX_FILE_NAME_BYTES} ` +
      `and its companion files (${LONGEST_COMPANION}) need ${LONGEST_COMPANION.length} of them, so at most ` +
      `${room}: shorten ${fixed ? 'the fixed file name' : 'the ticket or the file name pattern'}`,
  )
}

/**
 * A warning when a `--filename` given verbatim (it holds `.sql`) does not end with the extensions of what
 * the file will hold, e.g. `myapp_backup.sql` for zstd + encryption: this tool's verify, decrypt and restore
 * read the content, but a person or another tool reading the name is misled. Null when the name matches.
 */
export function fileNameMismatch(
  name: string,
  compression: CompressionType,
  encrypted: boolean,
): string | null {
  const chain = extensionChain(compression, encrypted)
  if (name.toLowerCase().endsWith(chain.toLowerCase())) return null
  const holds = [compression === 'none' ? 'plain SQL' : `${compression} compression`]
  if (encrypted) holds.push('encryption')
  return (
    `the file name '${name}' does not end with '${chain}', but the file will hold ${holds.join(' + ')}: ` +
    'verify, decrypt and restore read the content, other tools may go by the name'
  )
}
