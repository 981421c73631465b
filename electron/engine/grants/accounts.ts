import { EngineError } from '../errors.ts'
import type { Connection, Row } from '../mysql/connection.ts'
import { quoteAccount } from '../mysql/privileges.ts'
import type { ServerFlavor } from '../mysql/server-info.ts'
import type { AccountRef } from './grant-line.ts'

/** A row of mysql.user: a login account or a role. */
export interface Principal {
  user: string
  /** '' for MariaDB roles. */
  host: string
  /**
   * MariaDB: is_role = 'Y'. MySQL: locked and without a credential — what CREATE ROLE makes (MySQL keeps roles
   * as ordinary accounts; whether one is used as a role is known only from the role grants).
   */
  roleLike: boolean
}

/**
 * Accounts the server creates itself; restoring them onto another server would fight its own (root's
 * password, the mysql.sys/mariadb.sys definers, Debian's maintenance account). PUBLIC is MariaDB 10.11's
 * pseudo-role. The anonymous account (user '') is left out too.
 */
const SYSTEM_USERS = new Set([
  'root',
  'mysql.sys',
  'mysql.session',
  'mysql.infoschema',
  'mariadb.sys',
  'debian-sys-maint',
  'PUBLIC',
])

export const isSystemAccount = (p: { user: string }): boolean => p.user === '' || SYSTEM_USERS.has(p.user)

/** Identifier quoting: no backslash escapes inside backticks, so it holds whatever sql_mode the target has. */
export const quoteIdent = (name: string): string => '`' + name.replaceAll('`', '``') + '`'

/** The principal as SQL: `user`@`host`, or `role` for a MariaDB role. */
export const principalSql = (p: Principal, flavor: ServerFlavor): string =>
  flavor === 'mariadb' && p.roleLike && p.host === ''
    ? quoteIdent(p.user)
    : `${quoteIdent(p.user)}@${quoteIdent(p.host)}`

/** Control characters and the Unicode line separators as \xNN / \uNNNN: the text then stays on one line. */
export function escapeControls(s: string): string {
  let out = ''
  for (const c of s) {
    const n = c.charCodeAt(0)
    if (n < 0x20 || n === 0x7f) out += `\\x${n.toString(16).padStart(2, '0')}`
    else if (n === 0x2028 || n === 0x2029) out += `\\u${n.toString(16)}`
    else out += c
  }
  return out
}

/**
 * 'user'@'host' for people and comments. Control characters are escaped so that a crafted account name
 * cannot end a `-- comment` line and smuggle a statement into the file.
 */
export function displayPrincipal(p: { user: string; host: string }, role = false): string {
  const q = (s: string): string => `'${escapeControls(s.replace(/[\\']/g, '\\$&'))}'`
  return role && p.host === '' ? q(p.user) : `${q(p.user)}@${q(p.host)}`
}

export const principalKey = (user: string, host: string): string => `${user}\u0000${host}`

/** The key of an account named in a grant line; a role without a host is '' on MariaDB, '%' on MySQL. */
export const refKey = (ref: AccountRef, flavor: ServerFlavor): string =>
  principalKey(ref.user, ref.host ?? (flavor === 'mariadb' ? '' : '%'))

/** Privilege errors: table (1142), column (1143), database (1044) access denied, specific (1227). */
const ACCESS_DENIED = new Set([1142, 1143, 1044, 1227])

export const isAccessDenied = (e: unknown): boolean =>
  ACCESS_DENIED.has(Number((e as { errno?: unknown } | null)?.errno))

/**
 * Every row of mysql.user, in name order. Throws MissingPrivilege, naming the GRANT that fixes it, when the
 * connection may not read the account tables (SHOW GRANTS FOR another account needs the same: on MariaDB
 * 10.11 neither SELECT on mysql.user/mysql.global_priv alone nor CREATE USER is enough).
 */
export async function listPrincipals(conn: Connection, flavor: ServerFlavor): Promise<Principal[]> {
  const sql =
    flavor === 'mariadb'
      ? `SELECT User AS user, Host AS host, is_role = 'Y' AS role_like FROM mysql.user ORDER BY User, Host`
      : `SELECT User AS user, Host AS host,
                account_locked = 'Y' AND COALESCE(authentication_string, '') = '' AS role_like
           FROM mysql.user ORDER BY User, Host`
  try {
    const [rows] = await conn.query<Row[]>(sql)
    return rows.map((r) => ({ user: text(r.user), host: text(r.host), roleLike: Number(r.role_like) === 1 }))
  } catch (e) {
    if (!isAccessDenied(e)) throw e
    const [[who]] = await conn.query<Row[]>('SELECT CURRENT_USER() AS u')
    const account = quoteAccount(text(who?.u))
    const fix = `GRANT SELECT ON mysql.* TO ${account};`
    throw new EngineError(
      'MissingPrivilege',
      `${account} may not read the user accounts, so their grants cannot be exported: run ${fix}`,
      { detail: (e as Error).message, cause: e },
    )
  }
}

/** Column values can come back as Buffers (binary collations); account names are UTF-8. */
export const text = (v: unknown): string => (Buffer.isBuffer(v) ? v.toString('utf8') : String(v ?? ''))
