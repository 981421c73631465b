/**
 * What a restore looks at on the target server before it changes anything: the server itself, and each
 * target database (exists, size, tables). Also the databases a combined dump holds. Creates nothing.
 */
import { Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { ConnectionSettings } from '../../../../shared/job-protocol.ts'
import type { RestoreItem, RestorePlan, RestoreTargetView } from '../../../../shared/restore-types.ts'
import { SYSTEM_DATABASES } from '../../../../shared/restore-types.ts'
import { formatBytes } from '../../../../shared/format.ts'
import { advice, EngineError } from '../../errors.ts'
import { mapMysqlError, openConnection, type Connection, type Row } from '../../mysql/connection.ts'
import { getServerInfo, type ServerInfo } from '../../mysql/server-info.ts'
import { withTunnel, type HostKeyPolicy } from '../../ssh/tunnel.ts'
import type { BackupRef } from '../remote-source.ts'
import { openSqlSource } from '../sql-source.ts'
import type { BackupSource } from './describe-backup.ts'

export const quoteName = (name: string): string => '`' + name.replace(/`/g, '``') + '`'

/** Runs `fn` on one connection to the target server (through the profile's SSH tunnel and TLS). */
export async function withServer<T>(
  connection: ConnectionSettings,
  fn: (conn: Connection, direct: ConnectionSettings) => Promise<T>,
  policy: HostKeyPolicy = {},
): Promise<T> {
  return withTunnel(
    connection,
    async (direct) => {
      let conn: Connection
      try {
        conn = await openConnection(direct)
      } catch (e) {
        throw mapMysqlError(e, direct)
      }
      try {
        return await fn(conn, direct)
      } finally {
        await conn.end().catch(() => {})
      }
    },
    policy,
  )
}

export interface TargetState {
  database: string
  exists: boolean
  /** data + index length of its tables (information_schema). */
  sizeBytes: number
  /** Tables, views and sequences it holds. */
  tables: number
}

/** Whether each database exists, its size and how many tables it holds. */
export async function inspectTargets(conn: Connection, databases: string[]): Promise<TargetState[]> {
  const out: TargetState[] = []
  for (const database of databases) {
    const [schemata] = await conn.query<Row[]>(
      'SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?',
      [database],
    )
    const [tables] = await conn.query<Row[]>(
      `SELECT COUNT(*) AS n, COALESCE(SUM(DATA_LENGTH + INDEX_LENGTH), 0) AS bytes
         FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?`,
      [database],
    )
    out.push({
      database,
      exists: schemata.length > 0,
      tables: Number(tables[0]?.n ?? 0),
      sizeBytes: Number(tables[0]?.bytes ?? 0),
    })
  }
  return out
}

/** create / load / replace / refuse, as the dry-run and the run decide it. */
export function actionOf(t: TargetState, dropTarget: boolean): RestoreTargetView['action'] {
  if (!t.exists) return 'create'
  if (t.tables === 0) return 'load'
  return dropTarget ? 'replace' : 'refuse'
}

/** The refusal of a non-empty target without a drop: names the database, its size and table count. */
export function targetNotEmpty(t: TargetState): EngineError {
  return new EngineError(
    'TargetNotEmpty',
    `database ${t.database} exists with ${t.tables} table${t.tables === 1 ? '' : 's'} ` +
      `(${formatBytes(t.sizeBytes)}): it is not replaced unless dropping it is asked for`,
    { advice: advice('targetNotEmpty', { database: t.database, tables: t.tables, sizeBytes: t.sizeBytes }) },
  )
}

export interface ServerView {
  host: string
  port: number
  version: string | null
  hostname: string
  info: ServerInfo
}

export async function serverView(conn: Connection, connection: ConnectionSettings): Promise<ServerView> {
  const info = await getServerInfo(conn)
  return {
    host: connection.host,
    port: connection.port,
    version: info.versionString,
    hostname: info.hostname,
    info,
  }
}

const USE_LINE = /^USE `((?:[^`]|``)+)`;\s*$/

/**
 * The databases a combined dump's `USE` lines name, in order (the SQL is read end to end, streamed).
 * Needs the key of an encrypted file.
 */
export async function scanUseLines(
  file: string | BackupRef,
  key: string | null,
  signal?: AbortSignal,
): Promise<string[]> {
  const sql = await openSqlSource(file, key)
  const found: string[] = []
  let rest = ''
  const take = (line: string): void => {
    if (!line.startsWith('USE `')) return
    const m = USE_LINE.exec(line)
    const db = m?.[1]?.replace(/``/g, '`')
    if (db !== undefined && !found.includes(db)) found.push(db)
  }
  const sink = new Writable({
    write(chunk: Buffer, _e, cb) {
      const textChunk = rest + chunk.toString('latin1')
      const lines = textChunk.split('\n')
      rest = lines.pop() ?? ''
      if (rest.length > 4096) rest = rest.slice(0, 4096) // a long data line: only its start matters
      for (const l of lines) take(l)
      cb()
    },
    final(cb) {
      take(rest)
      cb()
    },
  })
  await pipeline([sql.file, ...sql.stages, sink], signal ? { signal } : {})
  // The names are bytes read as latin1: turn them back into UTF-8 text.
  return found.map((d) => Buffer.from(d, 'latin1').toString('utf8'))
}

export interface ItemTargets {
  /** The databases the item writes. */
  databases: string[]
  skipped: { database: string; reason: 'system' | 'excluded' }[]
}

/**
 * The databases an item writes: its target for a one-database item; for an `all` item the file's databases
 * (metadata, else its `USE` lines) minus the excluded and system ones.
 */
export async function itemTargets(
  item: RestoreItem,
  source: BackupSource,
  signal?: AbortSignal,
): Promise<ItemTargets> {
  if (item.target !== null) return { databases: [item.target], skipped: [] }
  const inFile =
    source.metaPath !== null && source.databases.length > 0
      ? source.databases
      : await scanUseLines(item, item.key, signal)
  const databases: string[] = []
  const skipped: ItemTargets['skipped'] = []
  for (const db of inFile) {
    if (item.excludeDatabases.includes(db)) skipped.push({ database: db, reason: 'excluded' })
    else if ((SYSTEM_DATABASES as readonly string[]).includes(db))
      skipped.push({ database: db, reason: 'system' })
    else databases.push(db)
  }
  return { databases, skipped }
}

const LOCAL = new Set(['localhost', '127.0.0.1', '::1'])
const sameHost = (a: string, b: string): boolean => {
  const x = a.trim().toLowerCase()
  const y = b.trim().toLowerCase()
  return x === y || (LOCAL.has(x) && LOCAL.has(y))
}

/**
 * Whether an item restores a backup into the server and database it came from: the metadata's host and
 * port (or its recorded @@hostname) are the target server's, and the target is the source database (an
 * `all` item restores into the files' own names).
 */
export function isSameServer(
  plan: Pick<RestorePlan, 'connection'>,
  item: RestoreItem,
  source: BackupSource,
  server: ServerView,
): boolean {
  const byAddress =
    source.host !== null &&
    sameHost(source.host, plan.connection.host) &&
    (source.port === null || source.port === plan.connection.port)
  const byName = !!source.hostname && source.hostname === server.hostname
  if (!byAddress && !byName) return false
  const from = item.sourceDatabase ?? source.sourceDatabase
  return item.target === null || (from !== null && item.target === from)
}
