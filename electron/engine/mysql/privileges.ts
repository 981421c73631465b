import type { Connection, Row } from './connection.ts'
import type { ServerFlavor } from './server-info.ts'

export interface PrivilegeCheck {
  /** CURRENT_USER() as 'user'@'host'. */
  account: string
  /** Privileges a consistent backup needs that the account lacks (globally and on every database). */
  missing: string[]
  /** One GRANT that adds all of them (run by an administrator), or null when nothing is missing. */
  fix: string | null
}

/**
 * What a consistent logical backup of any database needs: reading rows and views, dumping triggers,
 * events and routines (SELECT covers mysql.proc on MariaDB), locking MyISAM tables, and RELOAD for the
 * FLUSH that --master-data/--source-data (GTID capture) issues. MySQL 8.0.21+'s PROCESS need for
 * tablespaces is avoided with --no-tablespaces, so it is not asked for.
 */
export const BACKUP_PRIVILEGES = ['SELECT', 'SHOW VIEW', 'TRIGGER', 'EVENT', 'LOCK TABLES', 'RELOAD'] as const

/** The account as MySQL quotes it: 'user'@'host'. */
export function quoteAccount(currentUser: string): string {
  const at = currentUser.lastIndexOf('@')
  const user = at < 0 ? currentUser : currentUser.slice(0, at)
  const host = at < 0 ? '%' : currentUser.slice(at + 1)
  const q = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`
  return `${q(user)}@${q(host)}`
}

/**
 * Compares the account's global privileges with BACKUP_PRIVILEGES: a backup account should hold them on
 * *.* (RELOAD exists only globally, and database-level grants would have to be kept in step with every new
 * database).
 */
export async function checkBackupPrivileges(
  conn: Connection,
  _flavor: ServerFlavor,
): Promise<PrivilegeCheck> {
  const [[who]] = await conn.query<Row[]>('SELECT CURRENT_USER() AS u')
  const account = quoteAccount(String(who?.u ?? ''))
  const [globalRows] = await conn.query<Row[]>(
    'SELECT PRIVILEGE_TYPE AS p FROM information_schema.USER_PRIVILEGES WHERE GRANTEE = ?',
    [account],
  )
  const global = new Set(globalRows.map((r) => String(r.p).toUpperCase()))
  const missing = BACKUP_PRIVILEGES.filter((p) => !global.has(p))
  return {
    account,
    missing,
    fix: missing.length ? `GRANT ${missing.join(', ')} ON *.* TO ${account};` : null,
  }
}

export interface ReplicationState {
  logBin: boolean
  /** MariaDB: gtid_binlog_pos non-empty / MySQL: @@gtid_mode. */
  gtid: string
}

export async function getReplicationState(conn: Connection, flavor: ServerFlavor): Promise<ReplicationState> {
  const [[row]] = await conn.query<Row[]>(
    flavor === 'mariadb'
      ? "SELECT @@log_bin AS b, CONCAT('MariaDB GTID, binlog position ', IF(@@gtid_binlog_pos = '', '(none yet)', @@gtid_binlog_pos)) AS g"
      : 'SELECT @@log_bin AS b, @@gtid_mode AS g',
  )
  return { logBin: Number(row?.b) === 1, gtid: String(row?.g ?? 'unknown') }
}
