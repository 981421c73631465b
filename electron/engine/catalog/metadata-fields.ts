// Tolerant readers for metadata JSON: a field of an unexpected type reads as absent, never as an error, so
// one odd field (or a writer version we have not seen) does not hide a backup from the catalog.

type JsonObject = Record<string, unknown>

export const asObject = (v: unknown): JsonObject | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as JsonObject) : undefined

/** The value at a dotted path (`backup.file`), or undefined. */
export const at = (root: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((v, key) => asObject(v)?.[key], root)

/** A non-blank string, else null. */
export const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null)

/** A non-negative whole number, also from a numeric string (a port written as "3306"); else null. */
export function count(v: unknown): number | null {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 ? v : null
  if (typeof v === 'string' && /^\d{1,15}$/.test(v.trim())) return Number(v.trim())
  return null
}

export const flag = (v: unknown): boolean | null => (typeof v === 'boolean' ? v : null)

/** Database names: an array of strings, or one comma-separated string (some hand-edited files). */
export function names(v: unknown): string[] {
  const list = typeof v === 'string' ? v.split(',') : Array.isArray(v) ? v : []
  return list
    .filter((x): x is string => typeof x === 'string')
    .map((x) => x.trim())
    .filter((x) => x !== '')
}

const LOCAL_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i

/**
 * sfDBTools' reader rule (reference §11): `YYYY-MM-DD HH:MM:SS` in local time, else RFC3339. Go writes
 * nanoseconds; Date keeps milliseconds, which is all a catalog needs.
 */
export function parseTime(v: unknown): Date | null {
  const s = text(v)?.trim()
  if (!s) return null
  const local = LOCAL_TIME.exec(s)
  if (local) {
    const [y, mo, d, h, mi, se] = local.slice(1).map(Number) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ]
    const date = new Date(y, mo - 1, d, h, mi, se)
    return Number.isNaN(date.getTime()) ? null : date
  }
  if (!RFC3339.test(s)) return null
  const date = new Date(s.replace(/(\.\d{3})\d+/, '$1'))
  return Number.isNaN(date.getTime()) ? null : date
}

const INDONESIAN = /^(\d+)\s*jam\s+(\d+)\s*menit\s+(\d+)\s*detik$/i
const GO_DURATION = /^(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+(?:\.\d+)?)s)?$/

/** `"1 jam 2 menit 3 detik"` (sfDBTools) or a Go duration (`1h2m3.5s`), in milliseconds; else null. */
export function parseDuration(v: unknown): number | null {
  const s = text(v)?.trim()
  if (!s) return null
  const indo = INDONESIAN.exec(s)
  if (indo) return ((Number(indo[1]) * 60 + Number(indo[2])) * 60 + Number(indo[3])) * 1000
  const go = GO_DURATION.exec(s)
  if (go && (go[1] ?? go[2] ?? go[3]) !== undefined) {
    const seconds = Number(go[1] ?? 0) * 3600 + Number(go[2] ?? 0) * 60 + Number(go[3] ?? 0)
    return Math.round(seconds * 1000)
  }
  return null
}
