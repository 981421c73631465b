import type { Connection, Row } from './connection.ts'

export type ServerFlavor = 'mariadb' | 'mysql'

export interface ServerInfo {
  flavor: ServerFlavor
  /** e.g. "10.11.19" */
  version: string
  /** SELECT VERSION(), e.g. "10.11.19-MariaDB-0+deb12u1-log" */
  versionString: string
  hostname: string
  logBin: boolean
}

export interface DatabaseInfo {
  name: string
  /** data + index length from information_schema (an estimate: InnoDB statistics are approximate). */
  sizeBytes: number
  dataBytes: number
  tables: number
  /** Estimated rows (InnoDB's TABLE_ROWS is an estimate). */
  rows: number
}

export interface TableInfo {
  name: string
  type: 'BASE TABLE' | 'VIEW' | string
  dataBytes: number
  indexBytes: number
  rows: number
}

/** Parses VERSION() into flavor and the numeric version. */
export function parseServerVersion(versionString: string): { flavor: ServerFlavor; version: string } {
  const flavor: ServerFlavor = /mariadb/i.test(versionString) ? 'mariadb' : 'mysql'
  // MariaDB 10.x used to report "5.5.5-10.x.y-MariaDB" through some connectors; strip the prefix.
  const cleaned = versionString.replace(/^5\.5\.5-/, '')
  const version = /^(\d+\.\d+\.\d+)/.exec(cleaned)?.[1] ?? cleaned
  return { flavor, version }
}

export async function getServerInfo(conn: Connection): Promise<ServerInfo> {
  const [rows] = await conn.query<Row[]>('SELECT VERSION() AS v, @@hostname AS h, @@log_bin AS b')
  const row = rows[0]
  const versionString = String(row?.v ?? '')
  return {
    ...parseServerVersion(versionString),
    versionString,
    hostname: String(row?.h ?? ''),
    logBin: Number(row?.b) === 1,
  }
}

/**
 * Databases with their size, table count and estimated rows, in name order: all of them, or only `names`
 * (those that exist). information_schema.TABLES is slow to aggregate on
 * servers with many tables, so ask only for what you need: with `names` the view is queried on its own
 * TABLE_SCHEMA, which MariaDB and MySQL use to skip the other databases' tables (joined from SCHEMATA it
 * opened every table of the server, also for one database).
 */
export async function listDatabases(conn: Connection, names?: string[]): Promise<DatabaseInfo[]> {
  if (names !== undefined) {
    if (names.length === 0) return []
    const [rows] = await conn.query<Row[]>(
      `SELECT TABLE_SCHEMA AS name,
             COALESCE(SUM(DATA_LENGTH), 0) AS data_bytes,
             COALESCE(SUM(DATA_LENGTH + INDEX_LENGTH), 0) AS size_bytes,
             COUNT(CASE WHEN TABLE_TYPE = 'BASE TABLE' THEN 1 END) AS tables,
             COALESCE(SUM(TABLE_ROWS), 0) AS est_rows
        FROM information_schema.TABLES
       WHERE TABLE_SCHEMA IN (?)
       GROUP BY TABLE_SCHEMA`,
      [names],
    )
    const found = new Map(rows.map((r) => [String(r.name), databaseInfo(r)]))
    const [schemata] = await conn.query<Row[]>(
      'SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA WHERE SCHEMA_NAME IN (?) ORDER BY SCHEMA_NAME',
      [names],
    )
    // A database without tables has no row in TABLES; a name that is not a database is left out.
    return schemata.map((r) => {
      const name = String(r.name)
      return found.get(name) ?? { name, sizeBytes: 0, dataBytes: 0, tables: 0, rows: 0 }
    })
  }
  const [rows] = await conn.query<Row[]>(
    `SELECT s.SCHEMA_NAME AS name,
           COALESCE(SUM(t.DATA_LENGTH), 0) AS data_bytes,
           COALESCE(SUM(t.DATA_LENGTH + t.INDEX_LENGTH), 0) AS size_bytes,
           COUNT(CASE WHEN t.TABLE_TYPE = 'BASE TABLE' THEN 1 END) AS tables,
           COALESCE(SUM(t.TABLE_ROWS), 0) AS est_rows
      FROM information_schema.SCHEMATA s
      LEFT JOIN information_schema.TABLES t ON t.TABLE_SCHEMA = s.SCHEMA_NAME
     GROUP BY s.SCHEMA_NAME
     ORDER BY s.SCHEMA_NAME`,
  )
  return rows.map(databaseInfo)
}

const databaseInfo = (r: Row): DatabaseInfo => ({
  name: String(r.name),
  sizeBytes: Number(r.size_bytes),
  dataBytes: Number(r.data_bytes),
  tables: Number(r.tables),
  rows: Number(r.est_rows),
})

/** The names of all databases (cheap: no size aggregation). */
export async function listDatabaseNames(conn: Connection): Promise<string[]> {
  const [rows] = await conn.query<Row[]>(
    'SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA ORDER BY SCHEMA_NAME',
  )
  return rows.map((r) => String(r.name))
}

/** Tables and views of one database in the order mysqldump writes them (by name). */
export async function listTables(conn: Connection, database: string): Promise<TableInfo[]> {
  return (await listTablesOf(conn, [database])).get(database) ?? []
}

/** The base tables of each database with their data size (progress weights), views and the like left out. */
export function baseTableSizes(
  tables: Map<string, TableInfo[]>,
): Record<string, { table: string; bytes: number }[]> {
  return Object.fromEntries(
    [...tables].map(([db, list]) => [
      db,
      list.filter((t) => t.type === 'BASE TABLE').map((t) => ({ table: t.name, bytes: t.dataBytes })),
    ]),
  )
}

/** The databases among `tables` that have a view. */
export const databasesWithViews = (tables: Map<string, TableInfo[]>): string[] =>
  [...tables].filter(([, list]) => list.some((t) => t.type === 'VIEW')).map(([db]) => db)

/** The tables of several databases with one query (a run of hundreds of databases asked once per database). */
export async function listTablesOf(conn: Connection, databases: string[]): Promise<Map<string, TableInfo[]>> {
  const byDatabase = new Map<string, TableInfo[]>(databases.map((d) => [d, []]))
  if (databases.length === 0) return byDatabase
  const [rows] = await conn.query<Row[]>(
    `SELECT TABLE_SCHEMA AS db, TABLE_NAME AS name, TABLE_TYPE AS type, COALESCE(DATA_LENGTH, 0) AS data_bytes,
            COALESCE(INDEX_LENGTH, 0) AS index_bytes, COALESCE(TABLE_ROWS, 0) AS est_rows
       FROM information_schema.TABLES WHERE TABLE_SCHEMA IN (?) ORDER BY TABLE_SCHEMA, TABLE_NAME`,
    [databases],
  )
  for (const r of rows) {
    byDatabase.get(String(r.db))?.push({
      name: String(r.name),
      type: String(r.type),
      dataBytes: Number(r.data_bytes),
      indexBytes: Number(r.index_bytes),
      rows: Number(r.est_rows),
    })
  }
  return byDatabase
}
