/**
 * Sizes, rates and durations as people read them, the same in the CLI, the app's window and its
 * notifications. Sizes use binary (IEC) units with their binary names — 1 KiB = 1024 B, never "KB" —
 * like the sizes that information_schema and the dump report.
 *
 * Without a locale the numbers are plain ("1234.5", a point, no grouping: stable for logs and scripts); with
 * a BCP 47 locale (the window passes the UI language's) they use its decimal mark and grouping.
 */

export const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const

/** What a value that cannot be shown (negative, NaN, infinite) is shown as. */
export const NO_VALUE = '–'

function formatNumber(value: number, digits: number, locale: string | undefined): string {
  if (locale === undefined) return value.toFixed(digits)
  return new Intl.NumberFormat(locale, {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(value)
}

/** `value` rounded as `digits` decimals would show it. */
const rounded = (value: number, digits: number): number => Number(value.toFixed(digits))

/**
 * A byte count: 512 → "512 B", 1536 → "1.5 KiB", 12_900_000 → "12.3 MiB", 123_456_789 → "118 MiB".
 * One decimal below 100 of a unit, none from 100 on (and none for bytes); a value that would round up to
 * 1024 of a unit is shown in the next one ("1.0 MiB", not "1024 KiB").
 */
export function formatBytes(bytes: number, locale?: string): string {
  if (!Number.isFinite(bytes) || bytes < 0) return NO_VALUE
  const digitsOf = (value: number, unit: number): number => (unit === 0 || rounded(value, 1) >= 100 ? 0 : 1)
  let value = bytes
  let unit = 0
  while (unit < BYTE_UNITS.length - 1 && rounded(value, digitsOf(value, unit)) >= 1024) {
    value /= 1024
    unit += 1
  }
  return `${formatNumber(value, digitsOf(value, unit), locale)} ${BYTE_UNITS[unit]}`
}

/** Bytes per second → "12.3 MiB/s". */
export function formatRate(bytesPerSecond: number, locale?: string): string {
  const bytes = formatBytes(bytesPerSecond, locale)
  return bytes === NO_VALUE ? NO_VALUE : `${bytes}/s`
}

const pad2 = (n: number): string => String(n).padStart(2, '0')

/**
 * A measured duration, as precise as its size makes useful: 850 → "850 ms", 12_345 → "12.3 s",
 * 245_000 → "4 min 05 s", 3_723_000 → "1 h 02 min". Each form rounds to its own last digit, and a value
 * that rounds up to the next form is shown in it (59_999 → "1 min 00 s", not "60.0 s").
 */
export function formatDuration(ms: number, locale?: string): string {
  if (!Number.isFinite(ms) || ms < 0) return NO_VALUE
  if (Math.round(ms) < 1000) return `${formatNumber(Math.round(ms), 0, locale)} ms`
  const tenths = Math.round(ms / 100)
  if (tenths < 600) return `${formatNumber(tenths / 10, 1, locale)} s`
  const seconds = Math.round(ms / 1000)
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${pad2(seconds % 60)} s`
  const minutes = Math.round(ms / 60_000)
  return `${formatNumber(Math.floor(minutes / 60), 0, locale)} h ${pad2(minutes % 60)} min`
}

/**
 * A running clock (elapsed time, ETA), in whole seconds: 4_200 → "0:04", 65_000 → "1:05",
 * 3_723_000 → "1:02:03".
 */
export function formatClock(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return NO_VALUE
  const total = Math.round(ms / 1000)
  const hours = Math.floor(total / 3600)
  const minutes = Math.floor((total % 3600) / 60)
  const seconds = pad2(total % 60)
  return hours > 0 ? `${hours}:${pad2(minutes)}:${seconds}` : `${minutes}:${seconds}`
}
