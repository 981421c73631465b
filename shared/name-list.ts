/**
 * Lists of database names as DBAs keep them: the `--db-file` format of the CLI and a list pasted into the
 * New-backup wizard; and the name filters of the wizard's database table (substring, wildcard, regex).
 */

const lower = (s: string): string => s.toLowerCase()

/** Drops duplicates (compared case-insensitively, as sfDBTools compares names), first seen kept. */
export function dedupe(names: string[]): string[] {
  const seen = new Set<string>()
  return names.filter((n) => {
    const k = lower(n)
    if (seen.has(k)) return false
    seen.add(k)
    return true
  })
}

/**
 * Reads a database list file: one name per line, `#` comments and blank lines ignored, CRLF tolerated,
 * duplicates (case-insensitive) dropped in first-seen order.
 */
export function parseDatabaseList(text: string): string[] {
  const names = text
    .split(/\r?\n/)
    .map((l) => l.replace(/(^|\s)#.*$/, '').trim())
    .filter((l) => l.length > 0)
  return dedupe(names)
}

/**
 * A pasted list: the `--db-file` format, where a line may also hold several names separated by commas,
 * semicolons, tabs or spaces (a spreadsheet's column, a line copied from a ticket, `SHOW DATABASES` output
 * with its table borders).
 */
export function parsePastedNames(text: string): string[] {
  return dedupe(
    parseDatabaseList(text)
      .flatMap((line) => line.split(/[\s,;|]+/))
      .map((name) => name.replace(/^[`'"]+|[`'"]+$/g, ''))
      .filter((name) => name.length > 0 && !/^[-+]+$/.test(name)),
  )
}

export const NAME_MATCH_KINDS = ['contains', 'wildcard', 'regex'] as const
export type NameMatchKind = (typeof NAME_MATCH_KINDS)[number]

export type NameMatcher = { ok: true; test(name: string): boolean } | { ok: false; error: string }

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/**
 * A filter of names, case-insensitive: `contains` a substring; `wildcard` the whole name against `*`
 * (any run of characters) and `?` (one character); `regex` a JavaScript regular expression found anywhere
 * in the name (anchor it with ^ and $). An empty query matches every name; an invalid regex is an error with
 * the engine's reason.
 */
export function nameMatcher(kind: NameMatchKind, query: string): NameMatcher {
  const q = query.trim()
  if (q === '') return { ok: true, test: () => true }
  if (kind === 'contains') {
    const needle = lower(q)
    return { ok: true, test: (name) => lower(name).includes(needle) }
  }
  let re: RegExp
  try {
    re =
      kind === 'wildcard'
        ? new RegExp(
            `^${q
              .split('')
              .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : escapeRegex(c)))
              .join('')}$`,
            'i',
          )
        : new RegExp(q, 'i')
  } catch (e) {
    return { ok: false, error: (e as Error).message.replace(/^Invalid regular expression: /, '') }
  }
  return { ok: true, test: (name) => re.test(name) }
}
