/**
 * The Dashboard's "last backup per profile": the last *job* of each profile from the job history — all its
 * files, failures included — and, for a profile whose newest backup the app did not run (the command line,
 * sfDBTools), its newest file from the folders.
 */
import { targetWritten } from '../../../../shared/backup-types.ts'
import type { HistoryEntry, JobRecord, JobRecordStatus } from '../../../../shared/ipc.ts'
import { ownerOf } from './backup-series.ts'

export interface LastRun {
  key: string
  profile: string
  startedAt: string | null
  databases: string[]
  /** Files written, and files that were not (failed, cancelled, skipped). */
  written: number
  notWritten: number
  bytes: number | null
  durationMs: number | null
  /** The job's status; null for a file from the folders (its own status is on `entry`). */
  status: JobRecordStatus | null
  entry: HistoryEntry | null
  /** What "newer" compares: a job's end (its files start before it), a file's start. */
  order: string
}

const fromJob = (record: JobRecord): LastRun => {
  const written = record.targets.filter(targetWritten)
  return {
    key: record.jobId,
    profile: record.profile,
    startedAt: record.startedAt,
    databases:
      record.targets.length > 0
        ? record.targets.flatMap((t) => t.databases)
        : (record.request?.databases ?? []),
    written: written.length,
    notWritten: record.targets.length - written.length,
    bytes: written.reduce((sum, t) => sum + t.bytes, 0),
    durationMs: Math.max(0, Date.parse(record.finishedAt) - Date.parse(record.startedAt)),
    status: record.status,
    entry: null,
    order: record.finishedAt,
  }
}

const fromFile = (entry: HistoryEntry): LastRun => ({
  key: entry.metaPath,
  profile: ownerOf(entry),
  startedAt: entry.startedAt,
  databases: entry.databases,
  written: 1,
  notWritten: 0,
  bytes: entry.sizeBytes,
  durationMs: entry.durationMs,
  status: null,
  entry,
  order: entry.startedAt ?? '',
})

/** One row per profile, newest first: its last job, or its newest file when no job of the app is newer. */
export function lastRunPerProfile(records: JobRecord[], entries: HistoryEntry[]): LastRun[] {
  const newest = new Map<string, LastRun>()
  const offer = (run: LastRun): void => {
    const known = newest.get(run.profile)
    if (known === undefined || run.order > known.order) newest.set(run.profile, run)
  }
  for (const record of records) if (record.kind === 'backup') offer(fromJob(record))
  for (const entry of entries) offer(fromFile(entry))
  return [...newest.values()].sort((a, b) => b.order.localeCompare(a.order))
}
