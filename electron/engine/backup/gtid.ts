import type { DumpBinary } from '../dump/dump-binary.ts'
import type { Connection, Row } from '../mysql/connection.ts'
import type { ServerFlavor } from '../mysql/server-info.ts'
import type { GtidInfo } from './metadata.ts'

export const GTID_SUFFIX = '.gtid'

const versionAtLeast = (version: string, want: number[]): boolean => {
  const have = version.split('.').map(Number)
  for (const [i, w] of want.entries()) {
    const h = have[i] ?? 0
    if (h !== w) return h > w
  }
  return true
}

/**
 * Dump arguments that make the dump write the coordinates of its own snapshot into its header, as comments
 * (`=2`): MariaDB's `--master-data=2 --gtid`; MySQL's `--source-data=2` (8.0.26+, `--master-data` before)
 * with `--set-gtid-purged=COMMENTED` for the GTID set.
 */
export function gtidDumpArgs(binary: Pick<DumpBinary, 'flavor' | 'version'>): string[] {
  if (binary.flavor === 'mariadb') return ['--master-data=2', '--gtid']
  const source = versionAtLeast(binary.version, [8, 0, 26]) ? '--source-data=2' : '--master-data=2'
  return versionAtLeast(binary.version, [8, 0, 17]) ? [source, '--set-gtid-purged=COMMENTED'] : [source]
}

export type GtidReadiness = { ok: true } | { ok: false; reason: string }

/**
 * Whether the dump can write its coordinates: binary logging must be on (else the dump fails) and the account
 * must be allowed to read the binlog position. Asked with the statement the dump itself will run.
 */
export async function checkGtidCapture(
  conn: Connection,
  flavor: ServerFlavor,
  account: string,
): Promise<GtidReadiness> {
  const [[bin]] = await conn.query<Row[]>('SELECT @@log_bin AS b')
  if (Number(bin?.b) !== 1)
    return {
      ok: false,
      reason: 'binary logging is off on the server (log_bin=OFF), so there is no position to record',
    }
  const statements =
    flavor === 'mysql' ? ['SHOW BINARY LOG STATUS', 'SHOW MASTER STATUS'] : ['SHOW MASTER STATUS']
  let lastError = ''
  for (const sql of statements) {
    try {
      await conn.query(sql)
      return { ok: true }
    } catch (e) {
      lastError = (e as Error).message
      if (!/denied|privilege/i.test(lastError)) continue
      const privilege = flavor === 'mariadb' ? 'BINLOG MONITOR' : 'REPLICATION CLIENT'
      return {
        ok: false,
        reason: `the account may not read the binlog position (${lastError}); fix: GRANT ${privilege} ON *.* TO ${account};`,
      }
    }
  }
  return { ok: false, reason: `the binlog position cannot be read: ${lastError}` }
}

/**
 * Reads the replication coordinates the dump wrote into its header (the first part of the SQL stream):
 * `CHANGE MASTER TO MASTER_LOG_FILE=…, MASTER_LOG_POS=…` / `CHANGE REPLICATION SOURCE TO SOURCE_LOG_FILE=…`,
 * MariaDB's `SET GLOBAL gtid_slave_pos='…'` and MySQL's `SET @@GLOBAL.GTID_PURGED=… '…'` (which may span
 * lines). Null when the header holds none.
 */
export function parseGtidHeader(head: string): GtidInfo | null {
  const pos =
    /CHANGE (?:MASTER|REPLICATION SOURCE) TO (?:MASTER|SOURCE)_LOG_FILE='([^']+)',\s*(?:MASTER|SOURCE)_LOG_POS=(\d+)/.exec(
      head,
    )
  const mariadbGtid = /SET GLOBAL gtid_slave_pos='([^']*)'/.exec(head)
  const mysqlGtid = /SET @@GLOBAL\.GTID_PURGED=(?:\/\*!80000 '\+'\*\/ )?'([^']*)'/.exec(head)
  const gtid = (mariadbGtid?.[1] ?? mysqlGtid?.[1])?.replace(/\s+/g, '') ?? null
  if (!pos && gtid === null) return null
  return {
    executed: gtid === '' ? null : gtid,
    purged: null,
    binlog_file: pos?.[1] ?? null,
    binlog_position: pos?.[2] !== undefined ? Number(pos[2]) : null,
  }
}

/** Whether the text holds the GTID statement itself (MariaDB's `gtid_slave_pos`, MySQL's `GTID_PURGED`). */
export const gtidStatementFound = (text: string): boolean =>
  /SET GLOBAL gtid_slave_pos='|SET @@GLOBAL\.GTID_PURGED=/.test(text)

const pad = (n: number): string => String(n).padStart(2, '0')
const localTime = (d: Date): string =>
  `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`

/**
 * The `.gtid` file of the user manual: the coordinates in the `KEY = value` form sfDBTools' historical GTID
 * file used, so a DBA can read it and a script can parse it.
 */
export function gtidFileText(info: GtidInfo, backupFileName: string, at: Date): string {
  const v = (x: string | number | null): string => (x === null || x === '' ? '(not available)' : String(x))
  return [
    '# GTID Information',
    `# Backup: ${backupFileName}`,
    `# Generated at: ${localTime(at)}`,
    "# Coordinates of the dump's own consistent snapshot (written by the dump into its header).",
    '',
    `MASTER_LOG_FILE = ${v(info.binlog_file)}`,
    `MASTER_LOG_POS = ${v(info.binlog_position)}`,
    `gtid_binlog = ${v(info.executed)}`,
    `gtid_purged = ${v(info.purged)}`,
    '',
  ].join('\n')
}
