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

/** The user manual's default: `{db}_{YYYYMMDD}_{HHMMSS}_{ticket}.sql[.ext][.enc]`. */
export function defaultFileName(opts: {
  database: string
  date: Date
  ticket: string
  compression: CompressionType
  encrypted: boolean
}): string {
  const { date, time } = timestampParts(opts.date)
  const ticket = ticketForName(opts.ticket)
  const base = [nameSafe(opts.database), date, time, ...(ticket ? [ticket] : [])].join('_')
  return base + extensionChain(opts.compression, opts.encrypted)
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
