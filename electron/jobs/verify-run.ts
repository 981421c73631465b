/**
 * A verify job, run inside the job process: reads one backup file end to end with the engine's
 * verifyBackup, trying the given backup keys in order until one is not refused as the wrong key, and
 * reports how far it is — bytes of the file read of its size, rate, time left — at most every
 * PROGRESS_INTERVAL_MS, and at the start and the end of each read.
 */
import { stat } from 'node:fs/promises'
import type { VerifyJobRequest, VerifyProgress, VerifyView } from '../../shared/job-protocol.ts'
import { verifyBackup, type VerifyReport } from '../engine/backup/verify.ts'

/** Progress goes out at most this often (and once at the end of each read). */
export const PROGRESS_INTERVAL_MS = 200

/** The engine's report as the window shows it (no layers, no recorded hash: the checks say it). */
export const toVerifyView = (report: VerifyReport): VerifyView => ({
  ok: report.ok,
  file: report.file,
  checks: { ...report.checks },
  bytes: report.bytes,
  sqlBytes: report.sqlBytes,
  sha256: report.sha256,
  notes: report.notes,
  error: report.error,
})

export interface ProgressMeter {
  /** The progress at `bytesRead`, or null when the last one went out less than the interval ago. */
  update(bytesRead: number): VerifyProgress | null
  /** The progress at `bytesRead`, always. */
  now(bytesRead: number): VerifyProgress
}

/** Turns bytes read of `totalBytes` into progress: fraction, average rate since the start, ETA. */
export function createProgressMeter(
  totalBytes: number,
  clock: () => number = Date.now,
  intervalMs = PROGRESS_INTERVAL_MS,
): ProgressMeter {
  const startedAt = clock()
  let lastSent: number | null = null
  const at = (bytesRead: number, time: number): VerifyProgress => {
    const elapsedMs = Math.max(0, time - startedAt)
    const bytesPerSecond = elapsedMs > 0 ? (bytesRead / elapsedMs) * 1000 : 0
    const left = Math.max(0, totalBytes - bytesRead)
    return {
      bytesRead,
      totalBytes,
      fraction: totalBytes > 0 ? Math.min(1, bytesRead / totalBytes) : null,
      bytesPerSecond,
      etaSeconds: left === 0 ? 0 : bytesPerSecond > 0 ? left / bytesPerSecond : null,
      elapsedMs,
    }
  }
  return {
    update(bytesRead) {
      const time = clock()
      if (lastSent !== null && time - lastSent < intervalMs && bytesRead < totalBytes) return null
      lastSent = time
      return at(bytesRead, time)
    },
    now: (bytesRead) => at(bytesRead, clock()),
  }
}

export interface RunVerifyOptions {
  signal: AbortSignal
  onProgress(progress: VerifyProgress): void
  /** The clock of the progress (tests). */
  clock?: () => number
}

/**
 * Verifies `request.file`. With keys, each is tried in order until one is not refused as the wrong key
 * (the wrong key is found in the first chunk, so a retry starts almost from the beginning); the last
 * report stands. Aborting `signal` stops the reading: the report then carries the abort.
 */
export async function runVerify(request: VerifyJobRequest, options: RunVerifyOptions): Promise<VerifyView> {
  const totalBytes = await stat(request.file).then(
    (info) => info.size,
    () => 0,
  )
  const keys: (string | null)[] = request.keys.length > 0 ? request.keys : [null]
  let report: VerifyReport | undefined
  for (const key of keys) {
    const meter = createProgressMeter(totalBytes, options.clock)
    options.onProgress(meter.now(0))
    // The last chunk (bytesRead = the size) always goes out: a finished read shows 100 %.
    report = await verifyBackup(request.file, key, options.signal, (bytes) => {
      const progress = meter.update(bytes)
      if (progress !== null) options.onProgress(progress)
    })
    if (report.error?.code !== 'WrongKey' || options.signal.aborted) break
  }
  return toVerifyView(report as VerifyReport)
}
