import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import type { LogLevel } from '../../../../shared/job-protocol.ts'
import type {
  RestoreProgressView,
  RestoreTestReport,
  RestoreTestRequest,
} from '../../../../shared/restore-types.ts'
import { restoreTestReportSchema } from '../../../../shared/restore-types.ts'
import { EngineError, toEngineError } from '../../errors.ts'
import type { Connection, Row } from '../../mysql/connection.ts'
import type { HostKeyPolicy } from '../../ssh/tunnel.ts'
import { loadSql } from '../load/load-sql.ts'
import type { Inventory, LoadResult } from '../load/types.ts'
import { dataOnlyTestRefusal } from './data-only.ts'
import { databaseFromFileName, RESTORE_TEST_SUFFIX, throwawayDatabaseName } from './names.ts'
import { quoteName, serverView, withServer, type ServerView } from './inspect.ts'
import { loadCounters } from '../restore-progress.ts'

export interface RunRestoreTestOptions {
  signal: AbortSignal
  onProgress?: (p: RestoreProgressView) => void
  onLog?: (level: LogLevel, message: string) => void
  hostKeyPolicy?: HostKeyPolicy
  /**
   * Where `<backup>.restore-test.json` goes when the backup's folder cannot be written (the config dir);
   * else the request's `logDir`.
   */
  logDir?: string
  /** The time the throwaway database is named from (tests). */
  now?: Date
}

type Report = RestoreTestReport
type ObjectKind = Report['objects'][number]['kind']

/** A throwaway name that is not a database on the server (a second test in the same second gets `_2`…). */
async function freeName(conn: Connection, source: string | null, now: Date): Promise<string> {
  for (let n = 1; n < 100; n++) {
    const name = throwawayDatabaseName(source, now, n === 1 ? '' : `_${n}`)
    const [rows] = await conn.query<Row[]>(
      'SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?',
      [name],
    )
    if (rows.length === 0) return name
  }
  throw new EngineError('Internal', 'no free name for the restore test database')
}

/** What exists in the throwaway database, per kind. */
async function existingObjects(conn: Connection, db: string): Promise<Map<ObjectKind, Set<string>>> {
  const names = async (sql: string): Promise<Set<string>> => {
    const [rows] = await conn.query<Row[]>(sql, [db])
    return new Set(rows.map((r) => String(r.n)))
  }
  return new Map<ObjectKind, Set<string>>([
    [
      'table',
      await names(
        `SELECT TABLE_NAME AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED', 'SEQUENCE')`,
      ),
    ],
    ['view', await names(`SELECT TABLE_NAME AS n FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ?`)],
    [
      'procedure',
      await names(
        `SELECT ROUTINE_NAME AS n FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ? AND ROUTINE_TYPE = 'PROCEDURE'`,
      ),
    ],
    [
      'function',
      await names(
        `SELECT ROUTINE_NAME AS n FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ? AND ROUTINE_TYPE = 'FUNCTION'`,
      ),
    ],
    [
      'trigger',
      await names(`SELECT TRIGGER_NAME AS n FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?`),
    ],
    ['event', await names(`SELECT EVENT_NAME AS n FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ?`)],
  ])
}

/**
 * Compares the throwaway database with the dump's inventory: every table, view, procedure, function, trigger
 * and event the dump names exists, and each table holds the rows the dump inserts.
 */
async function check(conn: Connection, db: string, inventory: Inventory, report: Report): Promise<void> {
  const existing = await existingObjects(conn, db)
  const objects: [ObjectKind, { name: string }[]][] = [
    ['table', inventory.tables],
    ['view', inventory.views],
    ['procedure', inventory.procedures],
    ['function', inventory.functions],
    ['trigger', inventory.triggers],
    ['event', inventory.events],
  ]
  for (const [kind, list] of objects) {
    for (const name of new Set(list.map((o) => o.name))) {
      const found = existing.get(kind)?.has(name) ?? false
      report.objects.push({ kind, name, found })
      if (!found) report.failures.push(`${kind} ${name}: missing after the restore`)
    }
  }
  const expected = new Map<string, number>()
  for (const t of inventory.tables) expected.set(t.name, (expected.get(t.name) ?? 0) + t.rows)
  for (const [name, expectedRows] of expected) {
    let rows: number | null = null
    if (existing.get('table')?.has(name)) {
      const [r] = await conn.query<Row[]>(`SELECT COUNT(*) AS n FROM ${quoteName(db)}.${quoteName(name)}`)
      rows = Number(r[0]?.n ?? 0)
      if (rows !== expectedRows) {
        report.failures.push(
          `table ${name}: ${rows} row${rows === 1 ? '' : 's'}, the dump inserts ${expectedRows}`,
        )
      }
    }
    report.tables.push({ name, expectedRows, rows })
  }
}

/** Writes `<backup>.restore-test.json` beside the backup, else into `logDir`; the path written or null. */
async function writeReport(
  report: Report,
  logDir: string | undefined,
  onLog: RunRestoreTestOptions['onLog'],
) {
  const name = basename(report.file) + RESTORE_TEST_SUFFIX
  for (const dir of [dirname(report.file), logDir]) {
    if (!dir) continue
    try {
      await mkdir(dir, { recursive: true })
      await writeFile(join(dir, name), JSON.stringify(report, null, 2) + '\n', { mode: 0o644 })
      return join(dir, name)
    } catch (e) {
      onLog?.('warn', `the restore test report could not be written to ${dir}: ${(e as Error).message}`)
    }
  }
  return null
}

function progress(
  phase: RestoreProgressView['phase'],
  database: string,
  started: number,
  over: Partial<RestoreProgressView> = {},
): RestoreProgressView {
  return {
    itemIndex: 0,
    itemCount: 1,
    phase,
    database,
    table: null,
    tablesDone: 0,
    tablesTotal: null,
    sqlBytes: 0,
    totalSqlBytes: null,
    fraction: null,
    bytesPerSecond: 0,
    etaSeconds: null,
    elapsedMs: Date.now() - started,
    final: false,
    ...over,
  }
}

async function load(
  request: RestoreTestRequest,
  database: string,
  options: RunRestoreTestOptions,
  started: number,
): Promise<LoadResult> {
  return loadSql({
    file: request.file,
    key: request.key,
    connection: request.connection,
    target: { kind: 'one', database },
    parallel: request.parallel,
    force: false,
    inventory: true,
    signal: options.signal,
    onProgress: (p) => options.onProgress?.(progress('load', database, started, loadCounters(p))),
    ...(options.onLog ? { onLog: options.onLog } : {}),
    clientBinary: request.clientBinary,
    loader: request.loader ?? null,
    totalSqlBytes: request.totalSqlBytes,
    ...(options.hostKeyPolicy ? { hostKeyPolicy: options.hostKeyPolicy } : {}),
  })
}

/** Loads and checks; every outcome ends in the report (never throws). */
async function loadAndCheck(
  request: RestoreTestRequest,
  report: Report,
  options: RunRestoreTestOptions,
  started: number,
): Promise<void> {
  try {
    if (options.signal.aborted) throw new EngineError('Cancelled', 'the restore test was cancelled')
    const loaded = await load(request, report.database, options, started)
    report.sqlBytes = loaded.sqlBytes
    if (loaded.status === 'cancelled') throw new EngineError('Cancelled', 'the restore test was cancelled')
    if (loaded.status === 'failed')
      throw loaded.error ? EngineError.from(loaded.error) : new EngineError('SqlError', 'the restore failed')
    if (loaded.inventory === null) {
      report.failures.push('the loader did not count what the dump holds: nothing could be compared')
      return
    }
    options.onProgress?.(progress('check', report.database, started, { sqlBytes: loaded.sqlBytes }))
    const inventory = loaded.inventory
    await withServer(
      request.connection,
      (conn) => check(conn, report.database, inventory, report),
      options.hostKeyPolicy,
    )
  } catch (e) {
    const error = toEngineError(e)
    report.error = options.signal.aborted
      ? { code: 'Cancelled', message: 'the restore test was cancelled' }
      : error.toAppError()
    report.failures.push(report.error.message)
  }
}

/**
 * Restores one backup into a throwaway database `sfdb_restoretest_<db>_<ts>`, checks every object and each
 * table's row count against the dump, drops the database (also after a failure or cancel) and writes
 * `<backup>.restore-test.json`. Throws only when the server cannot be reached at all.
 */
export async function runRestoreTest(
  request: RestoreTestRequest,
  options: RunRestoreTestOptions,
): Promise<RestoreTestReport> {
  // A file with data-only tables cannot be loaded into an empty throwaway database: refused before anything.
  const refusal = await dataOnlyTestRefusal(request.file)
  if (refusal !== null) throw refusal
  const startedAt = new Date()
  const started = Date.now()
  const source = request.sourceDatabase ?? databaseFromFileName(basename(request.file))
  const { server, database } = await withServer(
    request.connection,
    async (conn): Promise<{ server: ServerView; database: string }> => ({
      server: await serverView(conn, request.connection),
      database: await freeName(conn, source, options.now ?? startedAt),
    }),
    options.hostKeyPolicy,
  )
  options.onLog?.('info', `restore test of ${request.file} into ${database} on ${server.host}:${server.port}`)
  const report: Report = {
    ok: false,
    file: request.file,
    ticket: request.ticket,
    profile: request.profileName,
    server: { host: server.host, port: server.port, version: server.version },
    database,
    startedAt: startedAt.toISOString(),
    finishedAt: '',
    durationMs: 0,
    sqlBytes: 0,
    tables: [],
    objects: [],
    failures: [],
    cleanedUp: false,
    error: null,
  }
  try {
    await loadAndCheck(request, report, options, started)
  } finally {
    options.onProgress?.(progress('cleanup', database, started, { sqlBytes: report.sqlBytes }))
    try {
      await withServer(
        request.connection,
        (conn) => conn.query(`DROP DATABASE IF EXISTS ${quoteName(database)}`),
        options.hostKeyPolicy,
      )
      report.cleanedUp = true
    } catch (e) {
      report.failures.push(`the test database ${database} could not be dropped: ${toEngineError(e).message}`)
    }
  }
  report.ok = report.failures.length === 0 && report.error === null && report.cleanedUp
  const finished = new Date()
  report.finishedAt = finished.toISOString()
  report.durationMs = finished.getTime() - startedAt.getTime()
  options.onProgress?.(
    progress('done', database, started, {
      sqlBytes: report.sqlBytes,
      final: true,
      fraction: report.ok ? 1 : null,
    }),
  )
  await writeReport(report, options.logDir ?? request.logDir, options.onLog)
  return report
}

/** The last restore test of a backup (`<backup>.restore-test.json`, beside it or in `logDir`), or null. */
export async function readLastRestoreTest(file: string, logDir?: string): Promise<RestoreTestReport | null> {
  const name = basename(file) + RESTORE_TEST_SUFFIX
  for (const dir of [dirname(file), logDir]) {
    if (!dir) continue
    try {
      const parsed = restoreTestReportSchema.safeParse(JSON.parse(await readFile(join(dir, name), 'utf8')))
      if (parsed.success) return parsed.data
    } catch {
      // missing or not JSON: try the next place
    }
  }
  return null
}
