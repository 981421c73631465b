/**
 * How backup files are named: the one implementation the engine writes with (electron/engine/backup/
 * naming.ts) and the New-backup form previews with. Pure and free of runtime imports, so the renderer can
 * use it without pulling in zod.
 */
import type { BackupMode, CompressionType } from './backup-types.ts'

/** The extension each compression adds after `.sql` (pgzip writes a standard gzip member). */
export const COMPRESSION_EXTENSIONS: Readonly<Record<CompressionType, string>> = {
  gzip: '.gz',
  pgzip: '.gz',
  zlib: '.zlib',
  zstd: '.zst',
  xz: '.xz',
  none: '',
}

const pad = (n: number): string => String(n).padStart(2, '0')

/** Local time, as sfDBTools names its files: YYYYMMDD and HHMMSS. */
export function timestampParts(d: Date): { date: string; time: string } {
  return {
    date: `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}`,
    time: `${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`,
  }
}

/** The ticket as it appears in a file name: letters and digits only. */
export const ticketForName = (ticket: string): string => ticket.replace(/[^\p{L}\p{N}]/gu, '')

/** A database name made safe for a file name on every OS (no separators, no reserved characters). */
export const nameSafe = (s: string): string => s.replace(/[/\\:*?"<>|\p{Cc}]/gu, '_')

/** `.sql` + compression extension + `.enc` when encrypted. */
export function extensionChain(compression: CompressionType, encrypted: boolean): string {
  return `.sql${COMPRESSION_EXTENSIONS[compression]}${encrypted ? '.enc' : ''}`
}

/** Tokens of a file name pattern. `{nodata}` is `_nodata` for structure-only backups, else empty. */
export const NAME_TOKENS = ['db', 'mode', 'host', 'date', 'time', 'ticket', 'n', 'nodata'] as const

export interface NamePattern {
  /** Files of one database (single, filter multi-file, primary, secondary). */
  perDatabase: string
  /** Combined files (all, filter single-file). `{db}` is `all_databases` / `combined` there. */
  combined: string
}

/**
 * `default` follows the user manual (`{db}_{YYYYMMDD}_{HHMMSS}_{ticket}`, `all_databases_…`/`combined_…`);
 * `sfdbtools` reproduces the real tool's names (reference §10): `{db}_{date}_{time}_{host}` and
 * `all_{host}_{date}_{time}_{n}db`.
 */
export const NAME_PRESETS: Readonly<Record<'default' | 'sfdbtools', NamePattern>> = {
  default: {
    perDatabase: '{db}{nodata}_{date}_{time}_{ticket}',
    combined: '{db}{nodata}_{date}_{time}_{ticket}',
  },
  sfdbtools: {
    perDatabase: '{db}{nodata}_{date}_{time}_{host}',
    combined: '{db}{nodata}_{host}_{date}_{time}_{n}db',
  },
}

/** Why a pattern setting cannot be used (unknown tokens, a directory part, empty), or its patterns. */
export type ParsedNamePattern =
  { ok: true; pattern: NamePattern } | { ok: false; unknownTokens: string[]; directory: boolean }

/**
 * A pattern setting: a preset name, or one pattern used for both kinds of file. A custom pattern without
 * `{nodata}` gets `_nodata` appended for structure-only backups, so such files are always recognisable.
 */
export function parseNamePattern(setting: string | undefined): ParsedNamePattern {
  const value = (setting ?? 'default').trim()
  if (value === 'default' || value === 'sfdbtools') return { ok: true, pattern: NAME_PRESETS[value] }
  const unknownTokens = [...value.matchAll(/\{([^}]*)\}/g)]
    .map((m) => m[1] ?? '')
    .filter((t) => !(NAME_TOKENS as readonly string[]).includes(t))
  const directory = /[/\\]/.test(value) || value.includes('..') || value === ''
  if (unknownTokens.length > 0 || directory) return { ok: false, unknownTokens, directory }
  const withNodata = value.includes('{nodata}') ? value : `${value}{nodata}`
  return { ok: true, pattern: { perDatabase: withNodata, combined: withNodata } }
}

/** Whether a mode writes one combined file (all, filter single-file) rather than one per database. */
export const writesCombinedFile = (mode: BackupMode, filterSingleFile: boolean): boolean =>
  mode === 'all' || (mode === 'filter' && filterSingleFile)

/** `{db}` of a combined file: `all_databases` (sfdbtools preset: `all`) for mode all, else `combined`. */
export const combinedFileDb = (mode: BackupMode, setting: string | undefined): string =>
  mode === 'all' ? ((setting ?? '').trim() === 'sfdbtools' ? 'all' : 'all_databases') : 'combined'

export interface NameValues {
  /** The database, or for combined files `combinedFileDb(…)`. */
  db: string
  mode: string
  host: string
  date: Date
  ticket: string
  /** Databases in the file. */
  n: number
  excludeData: boolean
}

/** Renders a pattern into a file name (with the extension chain); every token value is made name-safe. */
export function renderFileName(
  pattern: string,
  values: NameValues,
  compression: CompressionType,
  encrypted: boolean,
): string {
  const { date, time } = timestampParts(values.date)
  const map: Record<string, string> = {
    db: nameSafe(values.db),
    mode: nameSafe(values.mode),
    host: nameSafe(values.host || 'unknown'),
    date,
    time,
    ticket: ticketForName(values.ticket),
    n: String(values.n),
    nodata: values.excludeData ? '_nodata' : '',
  }
  const base = pattern
    .replace(/\{(\w+)\}/g, (_m, t: string) => map[t] ?? '')
    // An empty token (a ticket of punctuation only) must not leave doubled or dangling separators.
    .replace(/_{2,}/g, '_')
    .replace(/^_|_$/g, '')
  return base + extensionChain(compression, encrypted)
}
