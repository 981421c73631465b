import { getHeapSpaceStatistics } from 'node:v8'
import type { BackupProgress, BackupResult, TargetResult } from '../../../shared/backup-types.ts'
import type { BackupPlan, LogLevel, PlanTarget } from '../../../shared/job-protocol.ts'
import { EngineError, toEngineError } from '../errors.ts'
import { rememberClientProgram } from '../dump/client-program.ts'
import { findDumpBinary, type DumpBinary } from '../dump/dump-binary.ts'
import { discardDumpStart, prepareDumpStart } from '../dump/dump-process.ts'
import { fifoReaderChunks } from '../dump/fifo-reader.ts'
import { pacedCollections } from '../gc-pacer.ts'
import { openConnection } from '../mysql/connection.ts'
import {
  baseTableSizes,
  databasesWithViews,
  getServerInfo,
  listTablesOf,
  type ServerInfo,
} from '../mysql/server-info.ts'
import { checkBackupPrivileges } from '../mysql/privileges.ts'
import { cleanupAfterBackup } from '../retention/retention.ts'
import { withTunnel } from '../ssh/tunnel.ts'
import { grantsScopeOf, writeCompanions } from './companions.ts'
import { readGrantsSnapshot, type GrantsSnapshot } from '../grants/export-grants.ts'
import { checkGtidCapture, gtidDumpArgs, type GtidReadiness } from './gtid.ts'
import { buildMetadata, metadataPathOf, writeMetadata } from './metadata.ts'
import { commitSet, partPathOf, removePart } from './output-file.ts'
import type { TableWeight } from './progress.ts'
import { openLockWatcher, type LockWatcher } from './lock-watch.ts'
import { rowlessTables } from './table-rules.ts'
import { forgetRunEncryption, runTarget, writesItself, type WrittenTarget } from './run-target.ts'
import { runBatch } from './batch-dump.ts'
import { batchingApplies, unitsOf } from './batch-units.ts'
import { failedTarget } from './target-results.ts'
import { mark } from '../timing.ts'

/**
 * Failures of the output itself: the next targets write to the same place and would fail the same way
 * (and fill the error log), so the run stops there and they are reported as skipped.
 */
const STOPS_THE_RUN = new Set(['DiskFull', 'PermissionDenied'])

export interface RunOptions {
  signal: AbortSignal
  onProgress?: (p: BackupProgress) => void
  onLog?: (level: LogLevel, message: string) => void
  onTarget?: (t: TargetResult) => void
}

interface Prepared {
  binary: DumpBinary
  server: ServerInfo
  weights: TableWeight[][]
  /** Dump arguments for GTID capture; empty when not asked for or not possible (with a warning). */
  gtidArgs: string[]
  warnings: string[]
  /** The run's lock watcher (one connection), closed when the targets are done. */
  lockWatcher: LockWatcher
  /** Databases with views (never batched); null when unknown (then nothing is batched). */
  viewDatabases: ReadonlySet<string> | null
}

/**
 * Finds the dump binary, opens the run's lock watcher, and takes the server and its table sizes from the
 * planner's inspection — or reads them itself (one short connection) when the plan has none, the watcher
 * could not connect, or GTID capture needs its own check of whether the dump can record its position.
 */
async function prepare(plan: BackupPlan): Promise<Prepared> {
  if (plan.dumpFound) rememberClientProgram(plan.dumpFound)
  prepareDumpStart(plan.targets.length, !writesItself(plan))
  // The planner's view of the server, moments old, unless GTID capture needs a check of its own: one
  // inspection per run. Dump sessions are then above the planner's connection id, so the first dump need
  // not wait for the watcher's connection.
  const known = plan.inspected && !plan.captureGtid ? plan.inspected : null
  const lockWatcher = openLockWatcher(plan.connection, known?.connectionId)
  const [binary, inspected] = await Promise.all([
    findDumpBinary(plan.dumpBinary),
    known ? fromPlanner(plan, known) : inspectServer(plan),
    known?.connectionId === undefined ? lockWatcher.ready() : null,
  ]).catch(async (e: unknown) => {
    await lockWatcher.close()
    throw e
  })
  const warnings: string[] = []
  let gtidArgs: string[] = []
  if (plan.captureGtid) {
    if (inspected.gtid.ok) gtidArgs = gtidDumpArgs(binary)
    else warnings.push(`GTID not captured: ${inspected.gtid.reason}; the backup goes on without it`)
  }
  return {
    binary,
    server: inspected.server,
    weights: inspected.weights,
    gtidArgs,
    warnings,
    lockWatcher,
    viewDatabases: inspected.viewDatabases,
  }
}

/** Each target's progress weights from the base tables of its databases. */
const weightsOf = (
  plan: BackupPlan,
  tables: Record<string, { table: string; bytes: number }[]>,
): TableWeight[][] =>
  plan.targets.map((target) =>
    target.databases.flatMap((database) => {
      // Tables whose rows the file does not hold weigh nothing (table rules).
      const rowless = rowlessTables(target.tables?.[database])
      return (tables[database] ?? [])
        .filter((t) => !rowless.has(t.table))
        .map((t) => ({ database, table: t.table, bytes: t.bytes }))
    }),
  )

/** The planner's inspection as the job's: the server and each target's tables. */
const fromPlanner = (plan: BackupPlan, known: NonNullable<BackupPlan['inspected']>): Inspected => ({
  server: known.server,
  weights: weightsOf(plan, known.tables),
  gtid: { ok: true },
  viewDatabases: known.viewDatabases ? new Set(known.viewDatabases) : null,
})

interface Inspected {
  server: ServerInfo
  weights: TableWeight[][]
  gtid: GtidReadiness
  viewDatabases: ReadonlySet<string> | null
}

async function inspectServer(plan: BackupPlan): Promise<Inspected> {
  const conn = await openConnection(plan.connection)
  try {
    const server = await getServerInfo(conn)
    // Every target's tables with one query.
    const tables = await listTablesOf(conn, [...new Set(plan.targets.flatMap((t) => t.databases))])
    const weights = weightsOf(plan, baseTableSizes(tables))
    const gtid: GtidReadiness = plan.captureGtid
      ? await checkGtidCapture(
          conn,
          server.flavor,
          (await checkBackupPrivileges(conn, server.flavor)).account,
        )
      : { ok: true }
    return { server, weights, gtid, viewDatabases: new Set(databasesWithViews(tables)) }
  } finally {
    await conn.end().catch(() => {})
  }
}

/**
 * Runs every target of a plan, one after another (or `parallel` at once). A failed target does not stop the
 * next ones — except a full disk or a refused output folder, which would fail them all the same way: then
 * the rest are skipped. A cancel stops the running one (its partial file removed) and skips the rest. Never throws for a backup-level
 * problem: the result says what happened to each target.
 */
export async function runBackup(plan: BackupPlan, options: RunOptions): Promise<BackupResult> {
  if (!plan.connection.ssh) return runDirect(plan, options)
  // Through the profile's SSH tunnel, opened for the whole job and closed at its end, also on failure and
  // cancel. The job cannot ask about an unknown host key: the CLI or the app confirmed it before.
  let tunnelError: unknown
  const result = await withTunnel(
    plan.connection,
    // Metadata names the real server, not the tunnel's local end.
    (direct) => runDirect({ ...plan, connection: direct }, options, undefined, plan.connection),
    { warn: (m) => options.onLog?.('warn', m) },
  ).catch((e: unknown) => {
    tunnelError = e
    return null
  })
  if (result) return result
  return runDirect(plan, options, toEngineError(tunnelError))
}

async function runDirect(
  plan: BackupPlan,
  options: RunOptions,
  unreachable?: EngineError,
  /** The connection the metadata names (the profile's, also when `plan.connection` is a tunnel's end). */
  reported: BackupPlan['connection'] = plan.connection,
): Promise<BackupResult> {
  const started = new Date()
  const log = options.onLog ?? (() => {})
  const targets: TargetResult[] = []
  const finish = (): BackupResult => {
    const finished = new Date()
    return {
      ok: targets.every((t) => t.status === 'success' || t.status === 'success_with_warnings'),
      mode: plan.mode,
      ticket: plan.ticket,
      startedAt: started.toISOString(),
      finishedAt: finished.toISOString(),
      durationMs: finished.getTime() - started.getTime(),
      targets,
    }
  }
  const record = (t: TargetResult): void => {
    targets.push(t)
    options.onTarget?.(t)
  }

  let prepared: Prepared
  try {
    if (unreachable) throw unreachable
    prepared = await prepare(plan)
  } catch (e) {
    await discardDumpStart()
    const error = toEngineError(e)
    log('error', error.message)
    for (const t of plan.targets) record(failedTarget(t.databases, error))
    return finish()
  }
  mark('job: server inspected, tables read, lock watcher open')
  log('info', `dump binary ${prepared.binary.path} (${prepared.binary.versionLine})`)
  log('info', `server ${prepared.server.hostname}: ${prepared.server.versionString}`)
  for (const w of prepared.warnings) log('warn', w)
  // Opened (with the inspection, in prepare) before any dump: the dumps' sessions are the ones after its own.
  const lockWatcher = prepared.lockWatcher

  /** The accounts and grants, read once for every `.users.sql` of the run (at the first file that needs them). */
  let grantsRead: Promise<GrantsSnapshot> | null = null
  const grants = (): Promise<GrantsSnapshot> =>
    (grantsRead ??= (async () => {
      const conn = await openConnection(plan.connection)
      try {
        const scopes = plan.targets.flatMap((t) => grantsScopeOf(t) ?? [])
        return await readGrantsSnapshot(conn, prepared.server.flavor, scopes)
      } finally {
        await conn.end().catch(() => {})
      }
    })())
  /** The output failure that stopped the run, if one did. */
  let stopped: EngineError | null = null
  /** A target not started: after a cancel, or after an output failure that stopped the run. */
  const notStarted = (target: PlanTarget): TargetResult | null => {
    if (options.signal.aborted)
      return failedTarget(
        target.databases,
        new EngineError('Cancelled', 'not started: the backup was cancelled'),
        'skipped',
      )
    if (!stopped) return null
    return failedTarget(
      target.databases,
      new EngineError(
        stopped.code,
        `not started: an earlier file failed with ${stopped.code}: ${stopped.message}`,
        {
          ...(stopped.advice ? { advice: stopped.advice } : {}),
        },
      ),
      'skipped',
    )
  }
  /** A target that failed (its `.part`s already removed); an output failure stops the run. */
  const failure = (target: PlanTarget, e: unknown, t0: number): TargetResult => {
    const error = toEngineError(e)
    const cancelled = error.code === 'Cancelled'
    if (!cancelled) log('error', `${target.databases.join(',')}: ${error.message}`)
    if (STOPS_THE_RUN.has(error.code) && !stopped) {
      stopped = error
      log('error', `${error.code}: the remaining files are not started (they would fail the same way)`)
    }
    return {
      ...failedTarget(target.databases, error, cancelled ? 'cancelled' : 'failed'),
      durationMs: Date.now() - t0,
    }
  }
  /** A written file's companions and metadata, then all of them under their final names. */
  const complete = async (index: number, written: WrittenTarget, t0: number): Promise<TargetResult> => {
    const target = plan.targets[index] as PlanTarget
    /** Final names whose `.part` this target wrote: committed or removed together. */
    const pending: string[] = [written.path]
    try {
      const warnings = [...prepared.warnings, ...written.warnings]
      const companions = await writeCompanions(
        plan,
        target,
        written,
        { ...prepared, grants },
        warnings,
        pending,
      )
      const meta = buildMetadata({
        backupType: plan.backupType,
        ticket: plan.ticket,
        databases: target.databases,
        file: written,
        warnings,
        startedAt: written.startedAt,
        finishedAt: written.finishedAt,
        compression: plan.compression,
        encrypted: plan.encryptionKey !== null,
        server: {
          host: reported.socket ? 'localhost' : reported.host,
          port: reported.port,
          hostname: prepared.server.hostname,
          flavor: prepared.server.flavor,
          version: prepared.server.versionString,
        },
        dump: {
          binary: prepared.binary.path,
          version: prepared.binary.versionLine,
          args: written.dumpArgs,
          excludeData: plan.excludeData,
          passes: written.dumpPasses ?? null,
        },
        tableRules: target.tables,
        excludedDatabases: plan.excludedDatabases,
        sourceDataBytes: target.estimatedBytes,
        gtid: written.gtid,
        grantsFile: companions.grants,
        gtidFile: companions.gtid,
      })
      mark(`target ${index + 1}: companions written`)
      await writeMetadata(written.path, meta, { part: true, mode: plan.metadataMode })
      pending.push(metadataPathOf(written.path))
      // The data file last: under its final name only with every companion in place.
      await commitSet([...pending.slice(1), written.path])
      mark(`target ${index + 1}: metadata written, files committed`)
      for (const w of written.warnings) log('warn', `${target.databases.join(',')}: ${w}`)
      return {
        databases: target.databases,
        status: meta.status,
        file: written.path,
        bytes: written.bytes,
        sqlBytes: written.sqlBytes,
        sha256: written.sha256,
        durationMs: Date.now() - t0,
        warnings,
        error: null,
        gtid: written.gtid && {
          executed: written.gtid.executed,
          purged: written.gtid.purged,
          binlogFile: written.gtid.binlog_file,
          binlogPosition: written.gtid.binlog_position,
        },
      }
    } catch (e) {
      // commitSet cleans up after itself; a failure before it leaves `.part`s (the data file's too).
      for (const final of pending) await removePart(partPathOf(final))
      return failure(target, e, t0)
    }
  }
  const runOne = async (index: number): Promise<TargetResult> => {
    const target = plan.targets[index] as PlanTarget
    const skipped = notStarted(target)
    if (skipped) return skipped
    const t0 = Date.now()
    let written: WrittenTarget
    try {
      written = await runTarget({
        plan,
        target,
        index,
        binary: prepared.binary,
        server: prepared.server,
        tables: prepared.weights[index] ?? [],
        gtidArgs: prepared.gtidArgs,
        signal: options.signal,
        onProgress: options.onProgress ?? (() => {}),
        lockWatcher,
      })
    } catch (e) {
      return failure(target, e, t0) // runTarget removed its `.part`
    }
    return complete(index, written, t0)
  }

  // A pool of `parallel` workers over the units (single targets and batches of small databases); results
  // are reported as they end and kept in plan order.
  const results: TargetResult[] = new Array(plan.targets.length)
  const report = (index: number, r: TargetResult): void => {
    results[index] = r
    options.onTarget?.(r)
  }
  const runUnit = async (unit: number[]): Promise<void> => {
    if (unit.length === 1 || notStarted(plan.targets[unit[0] as number] as PlanTarget)) {
      for (const index of unit) report(index, await runOne(index))
      return
    }
    const t0 = Date.now()
    let written: WrittenTarget[]
    try {
      written = await runBatch({
        plan,
        indices: unit,
        binary: prepared.binary,
        server: prepared.server,
        weights: prepared.weights,
        signal: options.signal,
        onProgress: options.onProgress ?? (() => {}),
        lockWatcher,
      })
    } catch (e) {
      const error = toEngineError(e)
      if (error.code === 'Cancelled') {
        for (const index of unit) report(index, failure(plan.targets[index] as PlanTarget, error, t0))
        return
      }
      if (STOPS_THE_RUN.has(error.code)) {
        // As one at a time: the first failed and stopped the run, the others were not written.
        const [first, ...rest] = unit.map((i) => plan.targets[i] as PlanTarget)
        report(unit[0] as number, failure(first as PlanTarget, error, t0))
        for (const [k, target] of rest.entries())
          report(unit[k + 1] as number, notStarted(target) ?? failure(target, error, t0))
        return
      }
      // The batch's databases one at a time: a database at fault is then named, the others are written.
      const names = unit.map((i) => plan.targets[i]?.databases[0]).join(', ')
      log('info', `one dump for ${names} failed (${error.message}); dumping them one at a time`)
      for (const index of unit) report(index, await runOne(index))
      return
    }
    for (const [k, index] of unit.entries())
      report(index, await complete(index, written[k] as WrittenTarget, t0))
  }
  const units = unitsOf(
    plan,
    prepared.viewDatabases ?? new Set(),
    batchingApplies(plan, prepared.binary) && prepared.viewDatabases !== null,
  )
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < units.length) await runUnit(units[next++] as number[])
  }
  try {
    await Promise.all(Array.from({ length: Math.min(plan.parallel, units.length) }, worker))
  } finally {
    forgetRunEncryption()
    await Promise.all([lockWatcher.close(), discardDumpStart()])
  }
  targets.push(...results)
  mark('job: every target done')
  const chunks = fifoReaderChunks()
  const young = getHeapSpaceStatistics().find((sp) => sp.space_name === 'new_space')?.space_size ?? 0
  mark(
    `job: dump output read in ${chunks.recycled} recycled and ${chunks.fresh} fresh chunks; ` +
      `${pacedCollections()} minor GCs of spent buffers; young generation ${(young / 2 ** 20).toFixed(1)} MiB`,
  )
  if (plan.cleanup && targets.every((t) => t.status === 'success' || t.status === 'success_with_warnings')) {
    // Retention of the same databases from the same server, only after a run that fully succeeded.
    await cleanupAfterBackup({
      // A dated sub-folder holds only today's files: the older ones are in its siblings.
      outputDir: plan.outputRoot ?? plan.outputDir,
      databases: plan.targets.flatMap((t) => t.databases),
      host: prepared.server.hostname,
      policy: plan.cleanup,
      log,
    })
    mark('job: retention applied')
  }
  return finish()
}
