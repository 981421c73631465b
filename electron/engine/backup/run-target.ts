import { createWriteStream } from 'node:fs'
import { chmod, mkdir, statfs } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { BackupProgress } from '../../../shared/backup-types.ts'
import { formatBytes } from '../../../shared/format.ts'
import type { BackupPlan, PlanTarget } from '../../../shared/job-protocol.ts'
import { createCompressor } from '../codecs/index.ts'
import { createEncryptStream } from '../crypto/index.ts'
import { EngineError, toEngineError } from '../errors.ts'
import { buildDumpArgs } from '../dump/dump-args.ts'
import type { DumpBinary } from '../dump/dump-binary.ts'
import { dumpExitError, startDump, type DumpExit } from '../dump/dump-process.ts'
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
  /** The dump's arguments without credentials, for the metadata. */
  dumpArgs: string[]
  warnings: string[]
  /** Replication coordinates of the dump's snapshot, when GTID capture was asked for and the dump wrote them. */
  gtid: GtidInfo | null
  startedAt: Date
  finishedAt: Date
}

/** GTID capture asked the dump for the GTID itself, not only the binlog position. */
const expectsGtidStatement = (gtidArgs: string[]): boolean =>
  gtidArgs.some((a) => a === '--gtid' || a === '--set-gtid-purged=COMMENTED')

/** DiskFull naming the output folder, what it has free now and how far this backup got. */
async function diskFullError(dir: string, bytes: number, cause: EngineError): Promise<EngineError> {
  const s = await statfs(dir).catch(() => null)
  const free = s ? `${formatBytes(s.bavail * s.bsize)} free` : 'free space unknown'
  return new EngineError(
    'DiskFull',
    `the disk of ${dir} is full (${free}): the backup stopped after ${formatBytes(bytes)} written and its partial file was removed; free space or choose another output folder`,
    { cause },
  )
}

const abortError = (): EngineError => new EngineError('Cancelled', 'the backup was cancelled')

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

  const dumpArgs = buildDumpArgs({
    binary: ctx.binary,
    serverFlavor: ctx.server.flavor,
    databases: target.databases,
    excludeData: plan.excludeData,
    extraArgs: plan.extraDumpArgs,
    gtidArgs: ctx.gtidArgs,
  })
  const progress = new ProgressTracker({
    targetIndex: ctx.index,
    targetCount: plan.targets.length,
    database: target.databases.length === 1 ? (target.databases[0] ?? null) : null,
    tables: ctx.tables,
    estimatedBytes: target.estimatedBytes,
    emit: ctx.onProgress,
  })

  // 'wx': never reuse or replace a file; 0600: a backup holds all the data of the database.
  const file = createWriteStream(partPath, { flags: 'wx', mode: 0o600, flush: true, highWaterMark: 1 << 20 })
  const opened = new Promise<void>((res, rej) => {
    file.once('open', () => res())
    file.once('error', rej)
  })
  try {
    await opened
    // backup.output.file_permissions (0600 or 0640), exactly: the umask must not widen or narrow it.
    await chmod(partPath, plan.fileMode ?? 0o600)
  } catch (e) {
    file.destroy()
    await removePart(partPath)
    throw toEngineError(e, `cannot create ${partPath}`)
  }
  /** The writer's own failure: it wins over whatever the dump reports after its pipe broke (errno 32). */
  let writeError: unknown = null
  file.on('error', (e) => (writeError ??= e))

  const dump = await startDump(ctx.binary.path, plan.connection, dumpArgs, ctx.binary.flavor).catch(
    async (e: unknown) => {
      file.destroy()
      await removePart(partPath)
      throw e
    },
  )
  mark(`target ${ctx.index + 1}: dump started`)
  progress.start()
  const onAbort = (): void => dump.kill()
  signal.addEventListener('abort', onAbort, { once: true })
  const lockWatch: LockWatch = ctx.lockWatcher.watch({
    databases: target.databases,
    limitSeconds: plan.lockWaitTimeoutSeconds,
    onWait: (w) => progress.onLockWait(w),
  })
  /** The dump's exit as an error: a wait the lock watch stopped is named as such. */
  const exitError = (exit: DumpExit): EngineError =>
    lockWatch.timedOut
      ? lockTimeoutError(lockWatch.timedOut, plan.lockWaitTimeoutSeconds)
      : dumpExitError(exit)

  const scanner = new SqlScanner(
    (m) => progress.onMarker(m),
    (n) => progress.onSqlBytes(n),
  )
  const stages: Transform[] = [scanner, createCompressor(plan.compression.type, plan.compression.level)]
  if (plan.encryptionKey !== null) stages.push(createEncryptStream(plan.encryptionKey))
  const hash = new HashTap((n) => progress.onOutBytes(n))

  let exit: DumpExit | undefined
  try {
    try {
      await pipeline([dump.stdout, ...stages, hash, file], { signal })
    } catch (e) {
      dump.kill()
      exit = await dump.exited
      if (signal.aborted) throw abortError()
      // The output itself failed (full disk, refused folder): that is the cause, not the dump this side
      // just killed because of it.
      const written = toEngineError(writeError ?? e, `writing ${partPath}`)
      if (written.code === 'DiskFull') throw await diskFullError(plan.outputDir, hash.bytes, written)
      if (written.code === 'PermissionDenied') throw written
      // A dump that died mid-stream usually surfaces first as a broken stream; its exit tells why.
      if (exit.outcome === 'fatal') throw exitError(exit)
      throw written
    }
    mark(`target ${ctx.index + 1}: output written and synced`)
    exit = await dump.exited
    mark(`target ${ctx.index + 1}: dump exited`)
    if (signal.aborted) throw abortError()
    if (exit.outcome === 'fatal' || lockWatch.timedOut) throw exitError(exit)
    const warnings = exit.outcome === 'warnings' ? [exit.stderrTail.trim()] : []
    if (!scanner.completed && !plan.extraDumpArgs.some((a) => /^--(skip-comments|compact)$/.test(a))) {
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
