/** Numbers, sizes, durations and dates as the UI shows them, in the user's language. */
import type { Language } from '../i18n/messages.ts'

const LOCALES: Record<Language, string> = { en: 'en-GB', id: 'id-ID' }

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const

/** The BCP 47 locale of a UI language. */
export const localeOf = (language: Language): string => LOCALES[language]

/** 1536 → "1.5 KiB" (binary units, as the dump sizes of information_schema are). */
export function formatBytes(bytes: number, language: Language): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '–'
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024
    unit += 1
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1
  const number = new Intl.NumberFormat(localeOf(language), {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(value)
  return `${number} ${UNITS[unit]}`
}

/** Bytes per second → "12.3 MiB/s". */
export const formatRate = (bytesPerSecond: number, language: Language): string =>
  `${formatBytes(bytesPerSecond, language)}/s`

/** A measured duration: like formatClock, but a short run keeps its tenths (4_200 → "4.2 s"). */
export function formatDuration(ms: number): string {
  if (Number.isFinite(ms) && ms >= 0 && ms < 10_000) return `${(ms / 1000).toFixed(1)} s`
  return formatClock(ms)
}

/** A running clock (elapsed, ETA): 3_723_000 ms → "1:02:03", 65_000 → "1:05", 4_200 → "0:04". */
export function formatClock(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '–'
  const total = Math.round(ms / 1000)
  const hours = Math.floor(total / 3600)
  const minutes = Math.floor((total % 3600) / 60)
  const seconds = String(total % 60).padStart(2, '0')
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`
}

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
