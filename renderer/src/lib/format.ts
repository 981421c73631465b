/** Numbers, sizes, durations and dates as the UI shows them, in the user's language. */
import {
  formatBytes as sharedBytes,
  formatClock as sharedClock,
  formatDuration as sharedDuration,
  formatRate as sharedRate,
} from '../../../shared/format.ts'
import type { Language } from '../i18n/messages.ts'

const LOCALES: Record<Language, string> = { en: 'en-GB', id: 'id-ID' }

/** The BCP 47 locale of a UI language. */
export const localeOf = (language: Language): string => LOCALES[language]

/** 1536 → "1.5 KiB" / "1,5 KiB" (binary units, as the dump sizes of information_schema are). */
export const formatBytes = (bytes: number, language: Language): string =>
  sharedBytes(bytes, localeOf(language))

/** Bytes per second → "12.3 MiB/s". */
export const formatRate = (bytesPerSecond: number, language: Language): string =>
  sharedRate(bytesPerSecond, localeOf(language))

/**
 * A measured duration: "850 ms", "12.3 s" / "12,3 s", "4 min 05 s", "1 h 02 min" (the decimal mark of
 * `language`, as every number beside it).
 */
export const formatDuration = (ms: number, language: Language): string =>
  sharedDuration(ms, localeOf(language))

/** A running clock (elapsed, ETA): 3_723_000 ms → "1:02:03", 65_000 → "1:05", 4_200 → "0:04". */
export const formatClock = (ms: number): string => sharedClock(ms)

/** A whole number with the language's grouping: 1234567 → "1,234,567" / "1.234.567". */
export const formatCount = (n: number, language: Language): string =>
  new Intl.NumberFormat(localeOf(language)).format(n)

/** A fraction 0..1 → "42%" (one decimal under 10%, so a slow start still moves). */
export function formatPercent(fraction: number, language: Language): string {
  const digits = fraction < 0.1 && fraction > 0 ? 1 : 0
  return new Intl.NumberFormat(localeOf(language), {
    style: 'percent',
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(fraction)
}

/** An ISO timestamp → local date and time, e.g. "21 Nov 2026, 02:00". */
export function formatDateTime(iso: string | null, language: Language): string {
  if (iso === null) return '–'
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  return new Intl.DateTimeFormat(localeOf(language), { dateStyle: 'medium', timeStyle: 'short' }).format(date)
}

/** An ISO timestamp → a short local date, e.g. "21 Nov". */
export function formatShortDate(iso: string, language: Language): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  return new Intl.DateTimeFormat(localeOf(language), { day: 'numeric', month: 'short' }).format(date)
}

/** The last part of a path, for either separator. */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/)
  return parts[parts.length - 1] ?? path
}
