import { EngineError } from '../errors.ts'

/**
 * `backup.output.structure.pattern`: a dated sub-folder under the output folder, as sfDBTools makes it
 * (`{year}{month}{day}/` → `/backups/20250101/`). Local time, as the file names' {date} and {time}.
 */
export const SUB_FOLDER_TOKENS = [
  'year',
  'month',
  'day',
  'hour',
  'minute',
  'second',
  'date',
  'time',
  'timestamp',
] as const

export const SUB_FOLDER_EXPECTED =
  `a relative folder using {${SUB_FOLDER_TOKENS.join('} {')}} ` +
  `(no '..', '\\' or leading '/'), or empty for none`

/** Whether a pattern can be used: known tokens, relative, no `..`, no empty segment inside it. */
export function parseSubFolderPattern(pattern: string): { ok: true } | { ok: false; reason: string } {
  const p = pattern.trim()
  if (p === '') return { ok: true }
  const unknown = [...p.matchAll(/\{([^}]*)\}/g)]
    .map((m) => m[1] ?? '')
    .filter((t) => !(SUB_FOLDER_TOKENS as readonly string[]).includes(t))
  if (unknown.length > 0) return { ok: false, reason: `unknown ${unknown.map((t) => `{${t}}`).join(' ')}` }
  if (p.startsWith('/') || p.includes('\\') || /\p{Cc}/u.test(p))
    return { ok: false, reason: 'it must be a relative folder' }
  const segments = p.replace(/\/+$/, '').split('/')
  if (segments.some((s) => s === '' || s === '.' || s === '..'))
    return { ok: false, reason: "no '.', '..' or empty folder names" }
  return { ok: true }
}

const pad = (n: number): string => String(n).padStart(2, '0')

/**
 * The sub-folder for `date` (no trailing '/'); '' for an empty pattern.
 * @throws EngineError('InvalidInput') for a pattern parseSubFolderPattern refuses.
 */
export function renderSubFolder(pattern: string, date: Date): string {
  const parsed = parseSubFolderPattern(pattern)
  if (!parsed.ok)
    throw new EngineError(
      'InvalidInput',
      `invalid backup.output.structure.pattern '${pattern.trim()}': ${parsed.reason}; use ${SUB_FOLDER_EXPECTED}`,
    )
  const v = {
    year: String(date.getFullYear()),
    month: pad(date.getMonth() + 1),
    day: pad(date.getDate()),
    hour: pad(date.getHours()),
    minute: pad(date.getMinutes()),
    second: pad(date.getSeconds()),
  }
  const values: Record<(typeof SUB_FOLDER_TOKENS)[number], string> = {
    ...v,
    date: `${v.year}${v.month}${v.day}`,
    time: `${v.hour}${v.minute}${v.second}`,
    timestamp: `${v.year}${v.month}${v.day}_${v.hour}${v.minute}${v.second}`,
  }
  return pattern
    .trim()
    .replace(/\/+$/, '')
    .replace(/\{([a-z]+)\}/g, (_m, t: (typeof SUB_FOLDER_TOKENS)[number]) => values[t])
}
