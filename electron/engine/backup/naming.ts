import type { CompressionType } from '../../../shared/backup-types.ts'
import { compressionExtension } from '../codecs/index.ts'
import { EngineError } from '../errors.ts'

const pad = (n: number, w = 2): string => String(n).padStart(w, '0')

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
  return `.sql${compressionExtension(compression)}${encrypted ? '.enc' : ''}`
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
export const NAME_PRESETS: Record<'default' | 'sfdbtools', NamePattern> = {
  default: {
    perDatabase: '{db}{nodata}_{date}_{time}_{ticket}',
    combined: '{db}{nodata}_{date}_{time}_{ticket}',
  },
  sfdbtools: {
    perDatabase: '{db}{nodata}_{date}_{time}_{host}',
    combined: '{db}{nodata}_{host}_{date}_{time}_{n}db',
  },
}

/**
 * A pattern setting: a preset name, or one pattern used for both kinds of file. A custom pattern without
 * `{nodata}` gets `_nodata` appended for structure-only backups, so such files are always recognisable.
 */
export function namePattern(setting: string | undefined): NamePattern {
  const value = (setting ?? 'default').trim()
  if (value === 'default' || value === 'sfdbtools') return NAME_PRESETS[value]
  const tokens = [...value.matchAll(/\{([^}]*)\}/g)].map((m) => m[1] ?? '')
  const bad = tokens.filter((t) => !(NAME_TOKENS as readonly string[]).includes(t))
  if (bad.length || /[/\\]/.test(value) || value.includes('..') || !value) {
    throw new EngineError(
      'InvalidInput',
      `invalid file name pattern '${value}': use the presets 'default' or 'sfdbtools', or plain text with ` +
        `the tokens ${NAME_TOKENS.map((t) => `{${t}}`).join(' ')}` +
        (bad.length ? ` (unknown: ${bad.map((t) => `{${t}}`).join(' ')})` : ' and no directory parts'),
    )
  }
  const withNodata = value.includes('{nodata}') ? value : `${value}{nodata}`
  return { perDatabase: withNodata, combined: withNodata }
}

export interface NameValues {
  /** The database, or for combined files `all_databases` / `combined` (sfdbtools preset: `all` / `combined`). */
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
      `invalid --filename '${name}': use a plain file name without '/', '\\' or '..'`,
    )
  }
  return trimmed.includes('.sql') ? trimmed : trimmed + extensionChain(compression, encrypted)
}
