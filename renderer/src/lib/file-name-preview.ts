/**
 * A live example of the file names a pattern gives, while the user types it. It mirrors the engine's naming
 * (electron/engine/backup/naming.ts, which the renderer cannot import); the dry-run shows the real names.
 */
import type { BackupMode, CompressionType } from '../../../shared/backup-types.ts'

const TOKENS = ['db', 'mode', 'host', 'date', 'time', 'ticket', 'n', 'nodata'] as const

const PRESETS: Record<string, { perDatabase: string; combined: string }> = {
  default: {
    perDatabase: '{db}{nodata}_{date}_{time}_{ticket}',
    combined: '{db}{nodata}_{date}_{time}_{ticket}',
  },
  sfdbtools: {
    perDatabase: '{db}{nodata}_{date}_{time}_{host}',
    combined: '{db}{nodata}_{host}_{date}_{time}_{n}db',
  },
}

const EXTENSIONS: Record<CompressionType, string> = {
  gzip: '.gz',
  pgzip: '.gz',
  zlib: '.zlib',
  zstd: '.zst',
  xz: '.xz',
  none: '',
}

export interface NamePreviewInput {
  pattern: string
  mode: BackupMode
  /** filter: one combined file or one file per database. */
  combined: boolean
  database: string
  host: string
  ticket: string
  databaseCount: number
  excludeData: boolean
  compression: CompressionType
  encrypted: boolean
  date: Date
}

/** Why a pattern cannot be used: unknown tokens or a directory part; null when it is fine. */
export function patternProblem(pattern: string): { unknown: string[] } | { directory: true } | null {
  const value = pattern.trim()
  if (value === 'default' || value === 'sfdbtools') return null
  if (/[/\\]/.test(value) || value.includes('..')) return { directory: true }
  const unknown = [...value.matchAll(/\{([^}]*)\}/g)]
    .map((match) => match[1] ?? '')
    .filter((token) => !(TOKENS as readonly string[]).includes(token))
  return unknown.length > 0 ? { unknown } : null
}

const pad = (n: number): string => String(n).padStart(2, '0')
const safe = (s: string): string => s.replace(/[/\\:*?"<>|\p{Cc}]/gu, '_')

/** The file name the pattern gives for this input (null when the pattern is unusable). */
export function previewFileName(input: NamePreviewInput): string | null {
  const value = input.pattern.trim()
  if (value === '' || patternProblem(value) !== null) return null
  const preset = PRESETS[value]
  const combinedFile = input.mode === 'all' || (input.mode === 'filter' && input.combined)
  const custom = value.includes('{nodata}') ? value : `${value}{nodata}`
  const pattern = preset === undefined ? custom : combinedFile ? preset.combined : preset.perDatabase
  const combinedName = input.mode === 'all' ? (value === 'sfdbtools' ? 'all' : 'all_databases') : 'combined'
  const d = input.date
  const tokens: Record<string, string> = {
    db: safe(combinedFile ? combinedName : input.database || 'database'),
    mode: input.mode,
    host: safe(input.host || 'unknown'),
    date: `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}`,
    time: `${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`,
    ticket: input.ticket.replace(/[^\p{L}\p{N}]/gu, ''),
    n: String(combinedFile ? input.databaseCount : 1),
    nodata: input.excludeData ? '_nodata' : '',
  }
  const base = pattern
    .replace(/\{(\w+)\}/g, (_match, token: string) => tokens[token] ?? '')
    .replace(/_{2,}/g, '_')
    .replace(/^_|_$/g, '')
  return `${base}.sql${EXTENSIONS[input.compression]}${input.encrypted ? '.enc' : ''}`
}
