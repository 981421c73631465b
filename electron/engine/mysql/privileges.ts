import type { Connection, Row } from './connection.ts'
import type { ServerFlavor } from './server-info.ts'
import { databasePatternMatches, parseGrantLine } from '../grants/grant-line.ts'

/** A backup option the account may not use: the privilege it needs and the GRANT that adds it. */
export interface OptionGap {
  option: 'captureGtid' | 'grantsExport'
  privilege: string
  fix: string
}

export interface PrivilegeCheck {
  /** CURRENT_USER() as 'user'@'host'. */
  account: string
  /**
   * Privileges a consistent backup needs that the account lacks: neither on *.* nor, for the per-database
   * ones, on every database of the backup (directly or through its active roles).
   */
  missing: string[]
  /** One GRANT that adds all of them (run by an administrator), or null when nothing is missing. */
  fix: string | null
  /** The options asked about whose privileges the account lacks (GTID capture, grants export). */
  options: OptionGap[]
}

/** What is checked besides the basics: the databases of the backup and the options chosen. */
export interface PrivilegeNeeds {
  /** The databases the backup reads; per-database privileges count when they cover each of them. */
  databases?: readonly string[]
  /** GTID capture: reading the binlog position (BINLOG MONITOR on MariaDB, REPLICATION CLIENT on MySQL). */
  captureGtid?: boolean
  /** The `.users.sql` export: reading the account tables (SELECT on `mysql`). */
  grantsExport?: boolean
}

/**
 * What a consistent logical backup of any database needs: reading rows and views, dumping triggers,
 * events and routines (SELECT covers mysql.proc on MariaDB), locking MyISAM tables, and RELOAD for the
 * FLUSH that --master-data/--source-data (GTID capture) issues. MySQL 8.0.21+'s PROCESS need for
 * tablespaces is avoided with --no-tablespaces, so it is not asked for.
 */
export const BACKUP_PRIVILEGES = ['SELECT', 'SHOW VIEW', 'TRIGGER', 'EVENT', 'LOCK TABLES', 'RELOAD'] as const

/** Those that exist only globally (on *.*). */
const GLOBAL_ONLY = new Set(['RELOAD'])

/** The account as MySQL quotes it: 'user'@'host'. */
export function quoteAccount(currentUser: string): string {
  const at = currentUser.lastIndexOf('@')
  const user = at < 0 ? currentUser : currentUser.slice(0, at)
  const host = at < 0 ? '%' : currentUser.slice(at + 1)
  const q = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`
  return `${q(user)}@${q(host)}`
}

/** Access denied: database (1044), table (1142), column (1143), specific privilege (1227). */
const isAccessDenied = (e: unknown): boolean =>
  [1044, 1142, 1143, 1227].includes(Number((e as { errno?: unknown } | null)?.errno))

const text = (v: unknown): string => (Buffer.isBuffer(v) ? v.toString('utf8') : String(v ?? ''))

/** What the session holds: privileges on *.* and, per database pattern, privileges on `pattern`.* . */
interface Held {
  global: Set<string>
  databases: { pattern: string; privileges: Set<string> }[]
}

/** "SELECT, LOCK TABLES, SHOW VIEW" / "ALL PRIVILEGES" → the names; column lists ("SELECT (a)") dropped. */
function privilegeNames(text: string): Set<string> {
  const names = text
    .replace(/\([^)]*\)/g, '')
    .split(',')
    .map((p) => p.trim().toUpperCase().replace(/\s+/g, ' '))
  return new Set(names.map((n) => (n === 'ALL' ? 'ALL PRIVILEGES' : n)))
}

/**
 * The session's own grants and those of its active roles (and theirs): MariaDB's SHOW GRANTS lists the
 * current role's grants too; MySQL 8 expands them with USING. information_schema's privilege tables show
 * the account's own grants only, which misses roles.
 */
async function readHeld(conn: Connection, flavor: ServerFlavor): Promise<Held> {
  let sql = 'SHOW GRANTS'
  if (flavor === 'mysql') {
    const roles = await conn
      .query<Row[]>('SELECT CURRENT_ROLE() AS r')
      .then(([[row]]) => String(row?.r ?? 'NONE'))
      .catch(() => 'NONE')
    if (roles !== 'NONE' && roles !== '') sql = `SHOW GRANTS FOR CURRENT_USER() USING ${roles}`
  }
  const [rows] = await conn.query<Row[]>(sql)
  const held: Held = { global: new Set(), databases: [] }
  for (const row of rows) {
    const line = parseGrantLine(text(Object.values(row)[0]))
    if (line.kind !== 'privileges' || line.revoke) continue
    const names = privilegeNames(line.privileges)
    if (line.object.kind === 'global') for (const n of names) held.global.add(n)
    else if (line.object.kind === 'database')
      held.databases.push({ pattern: line.object.pattern, privileges: names })
  }
  return held
}

const holdsGlobally = (held: Held, privilege: string): boolean =>
  held.global.has(privilege) || held.global.has('ALL PRIVILEGES')

/** Held on *.*, or on every one of `databases` (none given: only *.* counts). */
function holdsOn(held: Held, privilege: string, databases: readonly string[]): boolean {
  if (holdsGlobally(held, privilege)) return true
  if (GLOBAL_ONLY.has(privilege) || databases.length === 0) return false
  return databases.every((db) =>
    held.databases.some(
      (d) =>
        (d.privileges.has(privilege) || d.privileges.has('ALL PRIVILEGES')) &&
        databasePatternMatches(d.pattern, db),
    ),
  )
}

/**
 * Compares what the session holds (its own grants and its active roles', on *.* and on the backup's
 * databases) with BACKUP_PRIVILEGES, and with what the chosen options need. The fix grants on *.*: a backup
 * account should hold them there (RELOAD exists only globally, and database-level grants would have to be
 * kept in step with every new database).
 */
export async function checkBackupPrivileges(
  conn: Connection,
  flavor: ServerFlavor,
  needs: PrivilegeNeeds = {},
): Promise<PrivilegeCheck> {
  const [[who]] = await conn.query<Row[]>('SELECT CURRENT_USER() AS u')
  const account = quoteAccount(String(who?.u ?? ''))
  const held = await readHeld(conn, flavor)
  const databases = needs.databases ?? []
  const missing = BACKUP_PRIVILEGES.filter((p) => !holdsOn(held, p, databases))
  const options: OptionGap[] = []
  if (needs.captureGtid) {
    const privilege = flavor === 'mariadb' ? 'BINLOG MONITOR' : 'REPLICATION CLIENT'
    // The server decides (SUPER, REPLICATION CLIENT aliases): asked with the statement the dump runs.
    const readable = await conn
      .query(flavor === 'mysql' ? 'SHOW BINARY LOG STATUS' : 'SHOW MASTER STATUS')
      .then(
        () => true,
        (e: unknown) =>
          flavor === 'mysql'
            ? conn.query('SHOW MASTER STATUS').then(
                () => true,
                (e2: unknown) => !isAccessDenied(e2),
              )
            : !isAccessDenied(e),
      )
    if (!readable)
      options.push({ option: 'captureGtid', privilege, fix: `GRANT ${privilege} ON *.* TO ${account};` })
  }
  if (needs.grantsExport && !holdsOn(held, 'SELECT', ['mysql']))
    options.push({
      option: 'grantsExport',
      privilege: 'SELECT ON mysql.*',
      fix: `GRANT SELECT ON mysql.* TO ${account};`,
    })
  return {
    account,
    missing,
    fix: missing.length ? `GRANT ${missing.join(', ')} ON *.* TO ${account};` : null,
    options,
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
