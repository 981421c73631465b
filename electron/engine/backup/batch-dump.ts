import { once } from 'node:events'
import { createWriteStream } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import { PassThrough, type Readable, type Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { BackupProgress } from '../../../shared/backup-types.ts'
import type { BackupPlan, PlanTarget } from '../../../shared/job-protocol.ts'
import { EngineError, toEngineError } from '../errors.ts'
import { buildDumpArgs } from '../dump/dump-args.ts'
import type { DumpBinary } from '../dump/dump-binary.ts'
import { dumpExitError, prepareDumpStart, startDump, type DumpProcess } from '../dump/dump-process.ts'
import type { ServerInfo } from '../mysql/server-info.ts'
import { mark } from '../timing.ts'
import { DumpSplitter } from './dump-splitter.ts'
import { lockTimeoutError, type LockWatch, type LockWatcher } from './lock-watch.ts'
import { assertFreeName, HashTap, partPathOf, removePart, resolveOutputPath } from './output-file.ts'
import { ProgressTracker, type TableWeight } from './progress.ts'
import { abortError, createPart, diskFullError, outputStages, type WrittenTarget } from './run-target.ts'
import { SqlScanner } from './sql-scanner.ts'

/**
 * Batched dumps: a run of many small databases (sfDBTools' `primary` mode over hundreds of tenant databases)
 * dumps them `BATCH_MAX_DATABASES` at a time with one `mariadb-dump --databases …` and splits its output
 * into one file per database, each byte for byte what a dump of that database alone writes (except the time
 * in "Dump completed on"), see dump-splitter.ts. A dump process costs ≈ 50 ms to start, connect and read
 * the server's settings: more than the data of a small database.
 */

export interface BatchContext {
  plan: BackupPlan
  /** Indices of the batch's targets in the plan. */
  indices: number[]
  binary: DumpBinary
  server: ServerInfo
  /** Progress weights of every target of the plan. */
  weights: TableWeight[][]
  signal: AbortSignal
  onProgress: (p: BackupProgress) => void
  lockWatcher: LockWatcher
}

/** "3–7": the targets of a batch, numbered from 1 as in progress. */
const span = (indices: number[]): string => `${(indices[0] as number) + 1}–${(indices.at(-1) as number) + 1}`

/** One database's file while the batch runs: its SQL goes through the same stages as a single dump's. */
interface Sink {
  partPath: string
  input: PassThrough
  scanner: SqlScanner
  hash: HashTap
  /** The file written, synced and closed; rejects with the first failure of a stage or the writer. */
  done: Promise<void>
  writeError: unknown
}

async function openSink(plan: BackupPlan, finalPath: string, tracker: ProgressTracker): Promise<Sink> {
  const partPath = partPathOf(finalPath)
  const file = await createPart(partPath, plan)
  let stages: Transform[]
  try {
    stages = outputStages(plan)
  } catch (e) {
    await file.close().catch(() => {})
    await removePart(partPath)
    throw e
  }
  const input = new PassThrough({ highWaterMark: 1 << 20 })
  const scanner = new SqlScanner(
    (m) => tracker.onMarker(m),
    (n) => tracker.onSqlBytes(n),
  )
  const hash = new HashTap((n) => tracker.onOutBytes(n))
  const out = createWriteStream(partPath, { fd: file, flush: true, highWaterMark: 1 << 20 })
  const sink: Sink = { partPath, input, scanner, hash, done: Promise.resolve(), writeError: null }
  out.on('error', (e) => (sink.writeError ??= e))
  sink.done = pipeline([input, scanner, ...stages, hash, out])
  sink.done.catch(() => {}) // awaited later; a failure must not be an unhandled rejection meanwhile
  return sink
}

/**
 * Writes `bytes` to a sink: null when it has room for more, else a promise of room (rejected when the sink
 * failed). Never an unhandled rejection, also where nobody waits for the room (a footer, the end): a failed
 * sink is found by awaiting its `done`.
 */
function write(sink: Sink, bytes: Buffer): Promise<void> | null {
  if (sink.input.write(bytes)) return null
  const room = Promise.race([once(sink.input, 'drain').then(() => {}), sink.done])
  room.catch(() => {})
  return room
}

/**
 * Runs one batch: every file complete, synced and still under its `.part` name (the caller commits each
 * with its companions). Throws Cancelled after a cancel, the output's own DiskFull / PermissionDenied, or
 * any other failure (the dump's, the split's): then the caller dumps the batch's databases one at a time,
 * which names the database at fault. On any failure every `.part` of the batch is removed.
 */
export async function runBatch(ctx: BatchContext): Promise<WrittenTarget[]> {
  const { plan, indices, signal } = ctx
  if (signal.aborted) throw abortError()
  const targets = indices.map((i) => plan.targets[i] as PlanTarget)
  const databases = targets.map((t) => t.databases[0] as string)
  const finals = targets.map((t) => resolveOutputPath(plan.outputDir, t.fileName))
  await mkdir(dirname(finals[0] as string), { recursive: true, mode: 0o700 })
  for (const f of finals) await assertFreeName(f)
  const dumpArgs = buildDumpArgs({
    binary: ctx.binary,
    serverFlavor: ctx.server.flavor,
    databases,
    excludeData: plan.excludeData,
    extraArgs: [],
  })
  const startedAt = new Date()
  const trackers = indices.map(
    (index, k) =>
      new ProgressTracker({
        targetIndex: index,
        targetCount: plan.targets.length,
        database: databases[k] as string,
        tables: ctx.weights[index] ?? [],
        estimatedBytes: (targets[k] as PlanTarget).estimatedBytes,
        emit: ctx.onProgress,
      }),
  )
  const sinks: Sink[] = []
  let dump: DumpProcess | null = null
  let lockWatch: LockWatch | null = null
  const splitter = new DumpSplitter(databases)
  const onAbort = (): void => dump?.kill()
  signal.addEventListener('abort', onAbort, { once: true })
  try {
    for (const final of finals)
      sinks.push(await openSink(plan, final, trackers[sinks.length] as ProgressTracker))
    dump = await startDump(ctx.binary.path, plan.connection, dumpArgs, ctx.binary.flavor)
    mark(`targets ${span(indices)}: one dump started`)
    const last = indices.at(-1) as number
    if (last + 1 < plan.targets.length) prepareDumpStart(plan.targets.length - last - 1)
    lockWatch = ctx.lockWatcher.watch({
      databases,
      limitSeconds: plan.lockWaitTimeoutSeconds,
      onWait: (w) => trackers[Math.max(0, splitter.current)]?.onLockWait(w),
    })
    await split(dump.stdout, splitter, sinks, trackers)
    const exit = await dump.exited
    if (signal.aborted) throw abortError()
    if (lockWatch.timedOut) throw lockTimeoutError(lockWatch.timedOut, plan.lockWaitTimeoutSeconds)
    if (exit.outcome === 'fatal') throw dumpExitError(exit)
    const footer = splitter.end((k, bytes) => void write(sinks[k] as Sink, bytes))
    // Every file but the last ends with the dump's footer too (the last has it from the stream).
    for (const sink of sinks.slice(0, -1)) void write(sink, footer)
    for (const sink of sinks) sink.input.end()
    await Promise.all(sinks.map((s) => s.done))
    mark(`targets ${span(indices)}: files written and synced`)
    const incomplete = sinks.findIndex((s) => !s.scanner.completed)
    if (incomplete >= 0)
      throw new EngineError(
        'IncompleteDump',
        `${databases[incomplete]}: its file does not end with "-- Dump completed"`,
      )
    for (const t of trackers) t.finish(true)
    // The dump's warnings cannot be told apart by database: each file says whose dump they came from.
    const warnings =
      exit.outcome === 'warnings'
        ? [`the one dump of ${databases.join(', ')} warned: ${exit.stderrTail.trim()}`]
        : []
    const finishedAt = new Date()
    return sinks.map((s, k) => ({
      path: finals[k] as string,
      bytes: s.hash.bytes,
      sqlBytes: s.scanner.bytes,
      sha256: s.hash.digest(),
      dumpArgs,
      warnings,
      gtid: null,
      startedAt,
      finishedAt,
    }))
  } catch (e) {
    throw await undo(e, { dump, sinks, trackers, signal, plan })
  } finally {
    signal.removeEventListener('abort', onAbort)
    await lockWatch?.stop()
  }
}

/** The dump's output, split into the sinks; each database's progress runs while its section is read. */
async function split(
  stdout: Readable,
  splitter: DumpSplitter,
  sinks: Sink[],
  trackers: ProgressTracker[],
): Promise<void> {
  const waits: Promise<void>[] = []
  const emit = (k: number, bytes: Buffer): void => {
    const wait = write(sinks[k] as Sink, bytes)
    if (wait) waits.push(wait)
  }
  const onSection = (k: number): void => {
    emit(k, splitter.headerFor(k))
    // The database before it is all read: its progress ends (its file is committed when the batch ends).
    trackers[k - 1]?.finish(true)
    trackers[k]?.start()
  }
  for await (const chunk of stdout) {
    splitter.write(chunk as Buffer, emit, onSection)
    if (waits.length > 0) await Promise.all(waits.splice(0))
  }
}

/** Kills the dump, removes every `.part` and says what the caller does next (see runBatch). */
async function undo(
  e: unknown,
  o: {
    dump: DumpProcess | null
    sinks: Sink[]
    trackers: ProgressTracker[]
    signal: AbortSignal
    plan: BackupPlan
  },
): Promise<EngineError> {
  o.dump?.kill()
  await o.dump?.exited
  for (const sink of o.sinks) {
    sink.input.destroy()
    await sink.done.catch(() => {})
    await removePart(sink.partPath)
  }
  for (const t of o.trackers) t.finish(false)
  if (o.signal.aborted) return abortError()
  const writeError = o.sinks.find((s) => s.writeError)?.writeError
  if (writeError) {
    const written = toEngineError(writeError, 'writing a batched backup file')
    if (written.code === 'DiskFull')
      return diskFullError(
        o.plan.outputDir,
        o.sinks.reduce((s, x) => s + x.hash.bytes, 0),
        written,
      )
    return written
  }
  return toEngineError(e)
}
