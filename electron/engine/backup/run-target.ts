import { createWriteStream } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { BackupProgress } from '../../../shared/backup-types.ts'
import type { BackupPlan, PlanTarget } from '../../../shared/job-protocol.ts'
import { createCompressor } from '../codecs/index.ts'
import { createEncryptStream } from '../crypto/index.ts'
import { EngineError, toEngineError } from '../errors.ts'
import { buildDumpArgs } from '../dump/dump-args.ts'
import type { DumpBinary } from '../dump/dump-binary.ts'
import { dumpExitError, startDump, type DumpExit } from '../dump/dump-process.ts'
import type { ServerInfo } from '../mysql/server-info.ts'
import {
  assertFreeName,
  commitPart,
  HashTap,
  partPathOf,
  removePart,
  resolveOutputPath,
} from './output-file.ts'
import { parseGtidHeader } from './gtid.ts'
import { lockTimeoutError, startLockWatch, type LockWatch } from './lock-watch.ts'
import type { GtidInfo } from './metadata.ts'
import { ProgressTracker, type TableWeight } from './progress.ts'
import { SqlScanner } from './sql-scanner.ts'

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
}

export interface WrittenTarget {
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

const abortError = (): EngineError => new EngineError('Cancelled', 'the backup was cancelled')

/**
 * Writes one backup file: dump stdout → SQL scanner (progress, trailer) → compressor → encryptor →
 * sha256 tap → `<final>.part`. Only when the dump exited cleanly and every stream flushed is the file
 * fsynced and renamed to its final name; on failure or cancel the `.part` is removed and the dump killed.
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
  } catch (e) {
    throw toEngineError(e, `cannot create ${partPath}`)
  }

  const dump = await startDump(ctx.binary.path, plan.connection, dumpArgs, ctx.binary.flavor).catch(
    async (e: unknown) => {
      file.destroy()
      await removePart(partPath)
      throw e
    },
  )
  progress.start()
  const onAbort = (): void => dump.kill()
  signal.addEventListener('abort', onAbort, { once: true })
  const lockWatch: LockWatch = await startLockWatch({
    connection: plan.connection,
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
      const written = toEngineError(e, `writing ${partPath}`)
      if (written.code === 'DiskFull' || written.code === 'PermissionDenied') throw written
      // A dump that died mid-stream usually surfaces first as a broken stream; its exit tells why.
      if (exit.outcome === 'fatal') throw exitError(exit)
      throw written
    }
    exit = await dump.exited
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
    await commitPart(partPath, finalPath)
    progress.finish(true)
    return {
      path: finalPath,
      bytes: hash.bytes,
      sqlBytes: scanner.bytes,
      sha256: hash.digest(),
      dumpArgs,
      warnings,
      gtid: ctx.gtidArgs.length ? parseGtidHeader(scanner.head) : null,
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
