/**
 * The overall progress of a job from the progress of its targets: weighted by the dry-run's size estimates
 * when this window started the job, else by the number of files.
 */
import type { BackupProgress } from '../../../shared/backup-types.ts'
import type { JobView } from '../stores/jobs-store.ts'
import { baseName } from './format.ts'

export interface JobProgressSummary {
  /** 0..1, null until anything is known. */
  fraction: number | null
  targetsDone: number
  targetCount: number
  /** SQL bytes read so far over all targets. */
  sqlBytes: number
  /** Bytes written so far over all targets. */
  outBytes: number
  bytesPerSecond: number
  etaSeconds: number | null
  elapsedMs: number
  /** Targets being written now, in plan order. */
  active: BackupProgress[]
  /** The longest a running target has gone without data from its dump, once the engine calls it stalled. */
  stalledSeconds: number | null
}

/** Index of a finished target's file in the plan's file list, or -1. */
const finishedIndex = (job: JobView, file: string | null): number =>
  file === null ? -1 : job.files.findIndex((path) => baseName(path) === baseName(file))

export function summarizeJob(job: JobView, now: number): JobProgressSummary {
  const all = Object.values(job.targets).sort((a, b) => a.targetIndex - b.targetIndex)
  const active = all.filter((p) => !p.final)
  const targetCount = Math.max(job.files.length, job.estimates?.length ?? 0, all[0]?.targetCount ?? 0, 1)
  // Targets whose result arrived (by their file's place in the plan).
  const reported = new Set(job.finished.map((t) => finishedIndex(job, t.file)).filter((i) => i >= 0))
  const doneIndexes = new Set(reported)
  for (const p of all) if (p.final) doneIndexes.add(p.targetIndex)
  const targetsDone = Math.max(doneIndexes.size, job.finished.length)

  // A target's last progress counts until its result arrives: the totals never drop back between the
  // two (a final progress event, then the target's end a moment later).
  const pending = all.filter((p) => !reported.has(p.targetIndex) && !(p.final && reportedWithoutFile(job, p)))
  const sqlBytes =
    job.finished.reduce((sum, t) => sum + t.sqlBytes, 0) + pending.reduce((sum, p) => sum + p.sqlBytes, 0)
  const outBytes =
    job.finished.reduce((sum, t) => sum + t.bytes, 0) + pending.reduce((sum, p) => sum + p.outBytes, 0)
  const bytesPerSecond = active.reduce((sum, p) => sum + p.bytesPerSecond, 0)
  // The job's own clock, when main told us when it started; a target's elapsed time is a floor either way.
  const elapsedMs = Math.max(0, now - new Date(job.startedAt).getTime(), ...all.map((p) => p.elapsedMs))

  const fraction = overallFraction(job, active, doneIndexes, targetsDone, targetCount)
  const stalledSeconds = active.reduce<number | null>(
    (most, p) => (p.stalledSeconds === undefined ? most : Math.max(most ?? 0, p.stalledSeconds)),
    null,
  )
  // One ETA per job, from its overall fraction; none while the dump sends nothing (a stall).
  const etaSeconds =
    fraction !== null && fraction > 0.01 && fraction < 1 && stalledSeconds === null
      ? ((elapsedMs / 1000) * (1 - fraction)) / fraction
      : null
  return {
    fraction,
    targetsDone,
    targetCount,
    sqlBytes,
    outBytes,
    bytesPerSecond,
    etaSeconds,
    elapsedMs,
    active,
    stalledSeconds,
  }
}

/**
 * A final progress whose target ended without a file (failed, cancelled) is reported already when a
 * finished target without a file names its database.
 */
const reportedWithoutFile = (job: JobView, p: BackupProgress): boolean =>
  p.database !== null &&
  job.finished.some((t) => t.file === null && t.databases.includes(p.database as string))

function overallFraction(
  job: JobView,
  active: BackupProgress[],
  doneIndexes: Set<number>,
  targetsDone: number,
  targetCount: number,
): number | null {
  if (active.length === 0 && targetsDone === 0) return null
  const estimates = job.estimates
  const total = estimates?.reduce((sum, n) => sum + n, 0) ?? 0
  if (estimates !== null && total > 0 && doneIndexes.size === targetsDone) {
    let done = 0
    for (const index of doneIndexes) done += estimates[index] ?? 0
    for (const p of active) done += (p.fraction ?? 0) * (estimates[p.targetIndex] ?? 0)
    return Math.min(1, done / total)
  }
  const running = active.reduce((sum, p) => sum + (p.fraction ?? 0), 0)
  return Math.min(1, (targetsDone + running) / targetCount)
}
