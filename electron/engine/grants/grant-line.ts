/**
 * Reads one line of SHOW GRANTS output (MariaDB ≥ 10.2, MySQL 5.7/8) into what the export needs: which
 * object it grants on, to whom, and the statement rewritten so that it replays on a fresh server.
 */

interface Token {
  kind: 'word' | 'ident' | 'string' | 'punct'
  /** Unquoted value of identifiers and strings; the text of words and punctuation. */
  value: string
  start: number
  end: number
}

/** user@host as the server names it; MariaDB roles have no host (null). */
export interface AccountRef {
  user: string
  host: string | null
}

export type GrantObject =
  | { kind: 'global' }
  /** Database-level: `pattern` may hold the wildcards % and _ (\ escapes them). */
  | { kind: 'database'; pattern: string }
  | { kind: 'table' | 'routine'; database: string }
  | { kind: 'proxy' }

export type GrantLine =
  | {
      kind: 'privileges'
      revoke: boolean
      privileges: string
      object: GrantObject
      grantOption: boolean
      grantee: AccountRef
      sql: string
    }
  | { kind: 'roles'; roles: AccountRef[]; grantee: AccountRef; sql: string }
  | { kind: 'default-role'; grantee: AccountRef; sql: string }
  | { kind: 'unknown'; sql: string }

const STRING_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', b: '\b', Z: '\x1a' }

function readQuoted(line: string, start: number, quote: string): { value: string; end: number } | null {
  let value = ''
  for (let i = start + 1; i < line.length; i++) {
    const c = line.charAt(i)
    if (c === quote) {
      if (line.charAt(i + 1) !== quote) return { value, end: i + 1 }
      value += quote
      i++
    } else if (c === '\\' && quote !== '`' && i + 1 < line.length) {
      const next = line.charAt(++i)
      value += STRING_ESCAPES[next] ?? next
    } else {
      value += c
    }
  }
  return null
}

/** Splits a line into words, quoted identifiers/strings and single punctuation characters. */
export function tokenize(line: string): Token[] | null {
  const tokens: Token[] = []
  let i = 0
  while (i < line.length) {
    const c = line.charAt(i)
    if (/\s/.test(c)) {
      i++
    } else if (c === '`' || c === "'" || c === '"') {
      const quoted = readQuoted(line, i, c)
      if (!quoted) return null
      tokens.push({ kind: c === '`' ? 'ident' : 'string', value: quoted.value, start: i, end: quoted.end })
      i = quoted.end
    } else {
      const word = /^[A-Za-z0-9_$]+/.exec(line.slice(i))?.[0]
      const end = i + (word?.length ?? 1)
      tokens.push({ kind: word ? 'word' : 'punct', value: word ?? c, start: i, end })
      i = end
    }
  }
  return tokens
}

const isWord = (t: Token | undefined, ...words: string[]): boolean =>
  t?.kind === 'word' && words.includes(t.value.toUpperCase())
const isPunct = (t: Token | undefined, p: string): boolean => t?.kind === 'punct' && t.value === p
const isName = (t: Token | undefined): t is Token =>
  t !== undefined && (t.kind === 'ident' || t.kind === 'string' || t.kind === 'word')

/** Index of the first keyword `word` outside parentheses (column lists can hold anything), from `from`. */
function findKeyword(tokens: Token[], word: string, from: number): number {
  let depth = 0
  for (let i = from; i < tokens.length; i++) {
    const t = tokens[i]
    if (isPunct(t, '(')) depth++
    else if (isPunct(t, ')')) depth--
    else if (depth === 0 && isWord(t, word)) return i
  }
  return -1
}

/** Reads `name` or `name@host` at `at`; returns the account and the index after it. */
function readAccount(tokens: Token[], at: number): { account: AccountRef; next: number } | null {
  const user = tokens[at]
  if (!isName(user)) return null
  const host = tokens[at + 2]
  if (isPunct(tokens[at + 1], '@') && isName(host)) {
    return { account: { user: user.value, host: host.value }, next: at + 3 }
  }
  return { account: { user: user.value, host: null }, next: at + 1 }
}

function readObject(tokens: Token[], from: number, to: number): GrantObject | null {
  let i = from
  const routine = isWord(tokens[i], 'PROCEDURE', 'FUNCTION', 'PACKAGE')
  if (isWord(tokens[i], 'TABLE') || routine) i++
  if (isWord(tokens[i], 'BODY')) i++
  const rest = tokens.slice(i, to)
  const [first, second, third] = rest
  if (isPunct(first, '*')) return { kind: 'global' } // *.* (or * = the default database: never in SHOW GRANTS)
  if (!isName(first)) return null
  if (isPunct(second, '@')) return { kind: 'proxy' }
  if (rest.length === 3 && isPunct(second, '.') && isPunct(third, '*')) {
    return { kind: 'database', pattern: first.value }
  }
  if (rest.length === 3 && isPunct(second, '.') && isName(third)) {
    return { kind: routine ? 'routine' : 'table', database: first.value }
  }
  return null
}

/**
 * Rebuilds the statement up to the grantee and keeps only WITH GRANT/ADMIN OPTION from what follows:
 * MariaDB repeats the account's credential (`IDENTIFIED BY PASSWORD '*…'`, `IDENTIFIED VIA …`), TLS
 * requirements and resource limits on the USAGE line; MySQL 8 rejects all of these in GRANT, and the
 * CREATE USER statement already carries them.
 */
function rebuild(line: string, tokens: Token[], granteeEnd: number): { sql: string; option: string | null } {
  const head = line.slice(0, tokens[granteeEnd - 1]?.end ?? line.length).trim()
  const tail = tokens.slice(granteeEnd).map((t) => t.value.toUpperCase())
  const has = (word: string): boolean => tail.some((w, i) => w === word && tail[i + 1] === 'OPTION')
  const option = has('GRANT') ? 'GRANT' : has('ADMIN') ? 'ADMIN' : null
  return { sql: option ? `${head} WITH ${option} OPTION` : head, option }
}

/** Parses one SHOW GRANTS line (without a trailing `;`). Lines it does not understand stay verbatim. */
export function parseGrantLine(raw: string): GrantLine {
  const line = raw.trim().replace(/;$/, '')
  const unknown: GrantLine = { kind: 'unknown', sql: line }
  const tokens = tokenize(line)
  if (!tokens) return unknown
  if (isWord(tokens[0], 'SET') && isWord(tokens[1], 'DEFAULT') && isWord(tokens[2], 'ROLE')) {
    const forAt = findKeyword(tokens, 'FOR', 3)
    const grantee = forAt < 0 ? null : readAccount(tokens, forAt + 1)
    return grantee ? { kind: 'default-role', grantee: grantee.account, sql: line } : unknown
  }
  const revoke = isWord(tokens[0], 'REVOKE')
  if (!revoke && !isWord(tokens[0], 'GRANT')) return unknown
  const toAt = findKeyword(tokens, revoke ? 'FROM' : 'TO', 1)
  const grantee = toAt < 0 ? null : readAccount(tokens, toAt + 1)
  if (!grantee) return unknown
  const onAt = findKeyword(tokens, 'ON', 1)
  if (onAt < 0 || onAt > toAt) {
    const roles = readRoleList(tokens, 1, toAt)
    return roles && !revoke
      ? { kind: 'roles', roles, grantee: grantee.account, sql: rebuild(line, tokens, grantee.next).sql }
      : unknown
  }
  const object = readObject(tokens, onAt + 1, toAt)
  if (!object) return unknown
  const privilegesText = line.slice(tokens[1]?.start ?? 0, tokens[onAt]?.start ?? 0).trim()
  const rebuilt = rebuild(line, tokens, grantee.next)
  return {
    kind: 'privileges',
    revoke,
    privileges: privilegesText,
    object,
    grantOption: rebuilt.option === 'GRANT',
    grantee: grantee.account,
    sql: revoke ? line : rebuilt.sql,
  }
}

function readRoleList(tokens: Token[], from: number, to: number): AccountRef[] | null {
  const roles: AccountRef[] = []
  let i = from
  while (i < to) {
    const role = readAccount(tokens, i)
    if (!role || role.next > to) return null
    roles.push(role.account)
    i = role.next
    if (i < to && !isPunct(tokens[i++], ',')) return null
  }
  return roles.length ? roles : null
}

/**
 * Whether a database name matches the database part of a database-level grant, as the server matches it:
 * `%` any run, `_` any one character, `\` makes the next character literal. Case-sensitive, as with
 * lower_case_table_names=0 (the Linux default).
 */
export function databasePatternMatches(pattern: string, database: string): boolean {
  let re = ''
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charAt(i)
    if (c === '\\' && i + 1 < pattern.length) re += escapeRegExp(pattern.charAt(++i))
    else re += c === '%' ? '.*' : c === '_' ? '.' : escapeRegExp(c)
  }
  return new RegExp(`^${re}$`, 'su').test(database)
}

const escapeRegExp = (c: string): string => c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')

/** Whether a privilege line grants (or revokes) on one of `databases`: database, table or routine level. */
export function concernsDatabases(line: GrantLine, databases: readonly string[]): boolean {
  if (line.kind !== 'privileges') return false
  const { object } = line
  switch (object.kind) {
    case 'database':
      return databases.some((db) => databasePatternMatches(object.pattern, db))
    case 'table':
    case 'routine':
      return databases.includes(object.database)
    case 'global':
    case 'proxy':
      return false
  }
}

/** `GRANT USAGE ON *.* TO …` says only that the account exists, which CREATE USER already does. */
export const isBareUsage = (line: GrantLine): boolean =>
  line.kind === 'privileges' &&
  !line.revoke &&
  line.object.kind === 'global' &&
  line.privileges.toUpperCase() === 'USAGE' &&
  !line.grantOption
