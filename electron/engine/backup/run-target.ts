import { createWriteStream } from 'node:fs'
import { mkdir, open, statfs, type FileHandle } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { BackupProgress } from '../../../shared/backup-types.ts'
import { formatBytes } from '../../../shared/format.ts'
import type { BackupPlan, PlanTarget } from '../../../shared/job-protocol.ts'
import { createCompressor } from '../codecs/index.ts'
import { createEncryptorSet, type EncryptorSet } from '../crypto/index.ts'
import { EngineError, toEngineError } from '../errors.ts'
import { startDumpSequence } from '../dump/dump-sequence.ts'
import { buildDumpPasses } from '../dump/table-passes.ts'
import type { DumpBinary } from '../dump/dump-binary.ts'
import {
  dumpExitError,
  prepareDumpStart,
  startDump,
  startDumpToFile,
  type DumpExit,
  type DumpProcess,
  type FileDumpProcess,
} from '../dump/dump-process.ts'
import { tailFile } from './file-tail.ts'
import { EarlyWriteback } from '../fs/early-writeback.ts'
import type { ServerInfo } from '../mysql/server-info.ts'
import { assertFreeName, HashTap, partPathOf, removePart, resolveOutputPath } from './output-file.ts'
import { gtidStatementFound, parseGtidHeader } from './gtid.ts'
import { lockTimeoutError, type LockWatch, type LockWatcher } from './lock-watch.ts'
import type { GtidInfo } from './metadata.ts'
import { ProgressTracker, type TableWeight } from './progress.ts'
import { SqlScanner } from './sql-scanner.ts'
import { mark } from '../timing.ts'

export interface TargetContext {
  plan: BackupPlan
  target: PlanTarget
  index: number
  binary: DumpBinary
  server: ServerInfo
  tables: TableWeight[]
  /** Dump arguments for GTID capture, empty when not captured. */
  gtidArgs: string[]
  signal: AbortSignal
  onProgress: (p: BackupProgress) => void
  /** The run's lock watcher (one connection for every target). */
  lockWatcher: LockWatcher
}

export interface WrittenTarget {
  /** The final name; the data is still in `<path>.part`, committed with its companions by the caller. */
  path: string
  bytes: number
  sqlBytes: number
  sha256: string
  /** The dump's arguments without credentials, for the metadata (the main dump's, with table rules). */
  dumpArgs: string[]
  /** Every dump of the file, in order, when table rules made it more than one (table-passes.ts). */
  dumpPasses?: string[][] | null
  warnings: string[]
  /** Replication coordinates of the dump's snapshot, when GTID capture was asked for and the dump wrote them. */
  gtid: GtidInfo | null
  startedAt: Date
  finishedAt: Date
}

/** GTID capture asked the dump for the GTID itself, not only the binlog position. */
const expectsGtidStatement = (gtidArgs: string[]): boolean =>
  gtidArgs.some((a) => a === '--gtid' || a === '--set-gtid-purged=COMMENTED')

/**
 * Creates `<final>.part` for writing: 'wx+' never reuses or replaces a file (read back too, when the dump
 * writes it itself); 0600, or backup.output.file_permissions exactly (the umask must not widen or narrow it):
 * a backup holds all the data of the database.
 */
export async function createPart(partPath: string, plan: BackupPlan): Promise<FileHandle> {
  let file: FileHandle
  try {
    file = await open(partPath, 'wx+', 0o600)
  } catch (e) {
    throw toEngineError(e, `cannot create ${partPath}`)
  }
  try {
    await file.chmod(plan.fileMode ?? 0o600)
  } catch (e) {
    await file.close().catch(() => {})
    await removePart(partPath)
    throw toEngineError(e, `cannot create ${partPath}`)
  }
  return file
}

/** DiskFull naming the output folder, what it has free now and how far this backup got. */
export async function diskFullError(dir: string, bytes: number, cause: EngineError): Promise<EngineError> {
  const s = await statfs(dir).catch(() => null)
  const free = s ? `${formatBytes(s.bavail * s.bsize)} free` : 'free space unknown'
  return new EngineError(
    'DiskFull',
    `the disk of ${dir} is full (${free}): the backup stopped after ${formatBytes(bytes)} written and its partial file was removed; free space or choose another output folder`,
    { cause },
  )
}

/** A dump that wrote its own file and found the disk full: "Got errno 28 on write". */
const NO_SPACE = /errno[: ]+28\b|No space left on device/i

export const abortError = (): EngineError => new EngineError('Cancelled', 'the backup was cancelled')

/**
 * Writes one backup file: dump stdout → SQL scanner (progress, trailer) → compressor → encryptor →
 * sha256 tap → `<final>.part`, complete when the dump exited cleanly and every stream flushed. The caller
 * commits it to its final name together with its companions (`commitSet`); on failure or cancel here the
 * `.part` is removed and the dump killed.
 * Memory stays constant whatever the database size: every stage is a stream with backpressure.
 */
export async function runTarget(ctx: TargetContext): Promise<WrittenTarget> {
  const { plan, target, signal } = ctx
  if (signal.aborted) throw abortError()
  const finalPath = resolveOutputPath(plan.outputDir, target.fileName)
  await mkdir(dirname(finalPath), { recursive: true, mode: 0o700 })
  await assertFreeName(finalPath)
  const partPath = partPathOf(finalPath)
  const startedAt = new Date()

  const { passes, main } = buildDumpPasses({
    binary: ctx.binary,
    serverFlavor: ctx.server.flavor,
    databases: target.databases,
    excludeData: plan.excludeData,
    extraArgs: plan.extraDumpArgs,
    gtidArgs: ctx.gtidArgs,
    tableRules: target.tables,
  })
  const dumpArgs = passes[main] ?? []
  const noTrailer = plan.extraDumpArgs.some((a) => /^--(skip-comments|compact)$/.test(a))
  const progress = new ProgressTracker({
    targetIndex: ctx.index,
    targetCount: plan.targets.length,
    database: target.databases.length === 1 ? (target.databases[0] ?? null) : null,
    tables: ctx.tables,
    estimatedBytes: target.estimatedBytes,
    emit: ctx.onProgress,
  })

  const file = await createPart(partPath, plan)
  // Several dumps into one file go through one stream: the file is not any one dump's own output.
  const direct = writesItself(plan) && passes.length === 1
  let stages: Transform[] = []
  const starting = async (): Promise<FileDumpProcess> => {
    // Made before the dump starts: the run's first encryptor derives its key (≈ 0.1 s of PBKDF2) meanwhile.
    stages = direct ? [] : outputStages(plan)
    if (passes.length > 1)
      return startDumpSequence(ctx.binary.path, plan.connection, passes, ctx.binary.flavor, !noTrailer)
    return direct
      ? startDumpToFile(ctx.binary.path, plan.connection, dumpArgs, ctx.binary.flavor, file.fd)
      : startDump(ctx.binary.path, plan.connection, dumpArgs, ctx.binary.flavor)
  }
  const dump = await starting().catch(async (e: unknown) => {
    for (const stage of stages) stage.destroy()
    await file.close().catch(() => {})
    await removePart(partPath)
    throw e
  })
  mark(`target ${ctx.index + 1}: dump started`)
  // The next files' FIFOs are made while this one dumps.
  if (ctx.index + 1 < plan.targets.length) prepareDumpStart(plan.targets.length - ctx.index - 1, !direct)
  progress.start()
  const onAbort = (): void => dump.kill()
  signal.addEventListener('abort', onAbort, { once: true })
  const lockWatch: LockWatch = ctx.lockWatcher.watch({
    databases: target.databases,
    limitSeconds: plan.lockWaitTimeoutSeconds,
    onWait: (w) => progress.onLockWait(w),
  })
  /** The dump's exit as an error: a wait the lock watch stopped is named as such. */
  const exitError = async (exit: DumpExit): Promise<EngineError> => {
    if (lockWatch.timedOut) return lockTimeoutError(lockWatch.timedOut, plan.lockWaitTimeoutSeconds)
    const error = dumpExitError(exit)
    // The dump writing its own file reports a full disk itself (errno 28).
    if (direct && NO_SPACE.test(exit.stderrTail))
      return diskFullError(plan.outputDir, scanner.bytes, new EngineError('DiskFull', error.message))
    return error
  }

  const scanner = new SqlScanner(
    (m) => progress.onMarker(m),
    (n) => progress.onSqlBytes(n),
  )
  // The file goes to disk while it grows: the fsync at its end then has little left to write.
  const writeback = new EarlyWriteback(file)
  const hash = new HashTap((n) => {
    progress.onOutBytes(n)
    writeback.reached(n)
  })

  let exit: DumpExit | undefined
  try {
    if (direct) {
      try {
        await tailFile(file, dump.exited, (chunk) => (scanner.feed(chunk), hash.feed(chunk)), signal)
        exit = await dump.exited
        await writeback.settle()
        // Only a complete dump is worth the fsync.
        if (!signal.aborted && exit.outcome !== 'fatal') await file.sync()
      } catch (e) {
        dump.kill()
        await dump.exited
        if (signal.aborted) throw abortError()
        throw toEngineError(e, `reading back ${partPath}`)
      } finally {
        await file.close().catch(() => {})
      }
    } else {
      if (!dump.stdout) throw new EngineError('DumpFailed', 'the dump has no output stream')
      const all = [scanner, ...stages, hash]
      await streamToFile({
        plan,
        signal,
        dump: { ...dump, stdout: dump.stdout },
        stages: all,
        hash,
        file,
        writeback,
        partPath,
        exitError,
      })
    }
    mark(`target ${ctx.index + 1}: output written and synced`)
    exit = await dump.exited
    mark(`target ${ctx.index + 1}: dump exited`)
    if (signal.aborted) throw abortError()
    if (exit.outcome === 'fatal' || lockWatch.timedOut) throw await exitError(exit)
    const warnings = exit.outcome === 'warnings' ? [exit.stderrTail.trim()] : []
    const incompletePass = 'incompletePass' in dump ? (dump.incompletePass as number | null) : null
    if (incompletePass !== null)
      throw new EngineError(
        'IncompleteDump',
        `dump ${incompletePass + 1} of ${passes.length} of this file exited 0 but its output does not end with "-- Dump completed"`,
        { detail: exit.stderrTail.trim() },
      )
    if (!scanner.completed && !noTrailer) {
      throw new EngineError(
        'IncompleteDump',
        'the dump exited 0 but its output does not end with "-- Dump completed"',
        {
          detail: exit.stderrTail.trim(),
        },
      )
    }
    const gtid = ctx.gtidArgs.length ? parseGtidHeader(scanner.replication) : null
    if (gtid && expectsGtidStatement(ctx.gtidArgs) && !gtidStatementFound(scanner.replication))
      warnings.push(
        'GTID not found in the dump: it wrote the binlog position but no GTID statement; the .gtid file has the binlog file and position only',
      )
    progress.finish(true)
    return {
      path: finalPath,
      bytes: hash.bytes,
      sqlBytes: scanner.bytes,
      sha256: hash.digest(),
      dumpArgs,
      dumpPasses: passes.length > 1 ? passes : null,
      warnings,
      gtid,
      startedAt,
      finishedAt: new Date(),
    }
  } catch (e) {
    await removePart(partPath)
    progress.finish(false)
    throw toEngineError(e)
  } finally {
    signal.removeEventListener('abort', onAbort)
    await lockWatch.stop()
  }
}

/**
 * Without compression or encryption the dump writes the file itself, as `mariadb-dump > f` does: its output
 * never waits for this process (a pipe made the dump ≈ 30 % slower on 2 cores); the checksum, progress and
 * completion check read the bytes behind it (file-tail.ts).
 */
export const writesItself = (plan: BackupPlan): boolean =>
  plan.compression.type === 'none' &&
  plan.encryptionKey === null &&
  // A file of several dumps (table rules: table-passes.ts) is written through one stream.
  !plan.targets.some((t) =>
    Object.values(t.tables ?? {}).some((r) => r.dataOnly.length + r.structureOnly.length > 0),
  )

/** What the SQL goes through on its way to the file: the compressor, then the encryptor when there is a key. */
export function outputStages(plan: BackupPlan): Transform[] {
  const stages: Transform[] = [createCompressor(plan.compression.type, plan.compression.level)]
  if (plan.encryptionKey !== null) stages.push(encryptorFor(plan.encryptionKey))
  return stages
}

/**
 * The run's encryptors: one key derivation for every file of the run (crypto/chunked-encrypt.ts
 * createEncryptorSet), started by the first file before its dump starts, so it runs meanwhile.
 */
let runEncryptors: { key: string; set: EncryptorSet } | null = null

/** Ends the run's encryptors (the end of a run): no key stays behind it. */
export function forgetRunEncryption(): void {
  runEncryptors = null
}

function encryptorFor(key: string): Transform {
  if (runEncryptors?.key !== key) runEncryptors = { key, set: createEncryptorSet(key) }
  return runEncryptors.set.next()
}

/**
 * The dump's output through `stages` into `file` (fsynced before it is closed). On failure the dump is
 * killed and the cause named: the output's own failure (full disk, refused folder) wins over what the dump
 * says after its pipe broke; else a dump that died mid-stream, which usually surfaces first as a broken
 * stream.
 */
async function streamToFile(o: {
  plan: BackupPlan
  signal: AbortSignal
  dump: DumpProcess
  stages: Transform[]
  hash: HashTap
  file: FileHandle
  writeback: EarlyWriteback
  partPath: string
  exitError: (exit: DumpExit) => Promise<EngineError>
}): Promise<void> {
  const out = createWriteStream(o.partPath, { fd: o.file, flush: true, highWaterMark: 1 << 20 })
  /** The writer's own failure: it wins over whatever the dump reports after its pipe broke (errno 32). */
  let writeError: unknown = null
  out.on('error', (e) => (writeError ??= e))
  try {
    await pipeline([o.dump.stdout, ...o.stages, out], { signal: o.signal })
    await o.writeback.settle()
  } catch (e) {
    o.dump.kill()
    const exit = await o.dump.exited
    if (o.signal.aborted) throw abortError()
    const written = toEngineError(writeError ?? e, `writing ${o.partPath}`)
    if (written.code === 'DiskFull') throw await diskFullError(o.plan.outputDir, o.hash.bytes, written)
    if (written.code === 'PermissionDenied') throw written
    if (exit.outcome === 'fatal') throw await o.exitError(exit)
    throw written
  }
}
