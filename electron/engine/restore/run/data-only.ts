/**
 * Data-only tables and restores. A backup made with table rules may hold some tables' rows without their
 * CREATE TABLE (`table_rules.<db>.data_only` of its metadata: a second `--no-create-info` dump appended to
 * the file). Such a file restores only into a database where those tables exist, and only when that
 * database is kept: its rows are plain INSERTs, added to the rows already there. The plan, the run and the
 * restore test refuse everything else up front, with one named reason, before the server is touched.
 */
import type { RestoreItem } from '../../../../shared/restore-types.ts'
import { readBackupMetadata } from '../../catalog/read-metadata.ts'
import { dataOnlyByDatabase } from '../../catalog/table-rules.ts'
import { META_SUFFIX } from '../../backup/metadata.ts'
import { advice, EngineError } from '../../errors.ts'
import type { Connection, Row } from '../../mysql/connection.ts'
import type { BackupSource } from './describe-backup.ts'
import type { TargetState } from './inspect.ts'

/**
 * The data-only tables an item loads into `database`: for a one-database item the rules of the file's own
 * database (every database's together when the file names several and the source is unknown); for an
 * `all` item the section's own.
 */
export function dataOnlyTablesFor(
  item: Pick<RestoreItem, 'target' | 'sourceDatabase'>,
  source: Pick<BackupSource, 'tableRules' | 'sourceDatabase'>,
  database: string,
): string[] {
  const byDb = dataOnlyByDatabase(source.tableRules)
  if (byDb.size === 0) return []
  if (item.target === null) return byDb.get(database) ?? []
  const from = item.sourceDatabase ?? source.sourceDatabase
  if (from !== null && byDb.has(from)) return byDb.get(from) ?? []
  if (from !== null && source.tableRules && from in source.tableRules) return []
  return [...new Set([...byDb.values()].flat())]
}

/** The tables of `tables` that `database` does not have as a table (a view holds no rows to add to). */
export async function missingTables(conn: Connection, database: string, tables: string[]): Promise<string[]> {
  if (tables.length === 0) return []
  const [rows] = await conn.query<Row[]>(
    `SELECT TABLE_NAME AS n FROM information_schema.TABLES
      WHERE TABLE_SCHEMA = ? AND TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED')`,
    [database],
  )
  const have = new Set(rows.map((r) => String(r.n)))
  return tables.filter((t) => !have.has(t))
}

export type DataOnlyRefusal = 'missing' | 'absent' | 'replace' | 'test'

/** The one named refusal: which tables the target must have, and why this restore cannot give them. */
export function dataOnlyRefusal(database: string, tables: string[], why: DataOnlyRefusal): EngineError {
  const list = tables.join(', ')
  const one = tables.length === 1
  const rows = `the backup holds only the rows of ${one ? 'the table' : 'the tables'} ${list} (data only: no CREATE TABLE)`
  const reason = {
    missing: `${database} has no ${one ? 'table' : 'tables'} ${list}`,
    absent: `${database} does not exist, so it has no ${one ? 'table' : 'tables'} ${list}`,
    replace: `replacing ${database} would drop the ${one ? 'table' : 'tables'} ${list} that ${one ? 'its rows need' : 'their rows need'}`,
    test: `a restore test loads it into a new, empty database, which has no ${one ? 'table' : 'tables'} ${list}`,
  }[why]
  return new EngineError(
    'DataOnlyTablesMissing',
    `${rows}, and ${reason}: it restores only into a database that has ${one ? 'it' : 'them'} and is not replaced`,
    { advice: advice('dataOnlyTargetMissing', { database, tables: list }) },
  )
}

/**
 * Whether a target can take the item's data-only tables: null when it has none, else the refusal (the
 * target does not exist, lacks some of them, or would be replaced) or `ok` (it has every one: the rows are
 * added, the database is not dropped).
 */
export async function checkDataOnlyTarget(
  conn: Connection,
  state: TargetState,
  tables: string[],
  dropTarget: boolean,
): Promise<{ refusal: EngineError | null } | null> {
  if (tables.length === 0) return null
  if (!state.exists) return { refusal: dataOnlyRefusal(state.database, tables, 'absent') }
  const missing = await missingTables(conn, state.database, tables)
  if (missing.length > 0) return { refusal: dataOnlyRefusal(state.database, missing, 'missing') }
  if (dropTarget) return { refusal: dataOnlyRefusal(state.database, tables, 'replace') }
  return { refusal: null }
}

/** What the plan says of a target that takes data-only rows: they are added, the database is kept. */
export const dataOnlyWarning = (database: string, tables: string[]): string =>
  `${database}: the rows of ${tables.join(', ')} (data only in this backup) are added to the rows these tables hold now — plain INSERTs, so a row whose key exists already stops the restore (duplicate key); ${database} is not dropped, and the backup's other tables replace those of the same name (DROP TABLE IF EXISTS, CREATE TABLE)`

/**
 * A restore test's refusal of a file with data-only tables (its throwaway database has none of them), or
 * null. Reads the file's metadata only.
 */
export async function dataOnlyTestRefusal(file: string): Promise<EngineError | null> {
  const entry = await readBackupMetadata(file + META_SUFFIX).catch(() => null)
  const byDb = dataOnlyByDatabase(entry?.tableRules)
  const [first] = byDb.entries()
  if (first === undefined) return null
  const tables = [...new Set([...byDb.values()].flat())]
  return dataOnlyRefusal(first[0], tables, 'test')
}
