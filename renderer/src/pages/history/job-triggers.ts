/**
 * How a backup came to run — by hand, as a retry, or by a quick backup's schedule (on time or late) — for
 * the History's rows and its "How it started" filter. A file's own metadata does not say; the job history
 * does (a job's files by path). A file no job of the app wrote (the command line, sfDBTools) counts as run
 * by hand.
 */
import { JOB_TRIGGERS } from '../../lib/domain-values.ts'
import type { HistoryEntry, JobRecord, JobTrigger, ScheduledRunInfo } from '../../../../shared/ipc.ts'

export interface RunTrigger {
  trigger: JobTrigger
  /** A scheduled run's due time and lateness (a record without them: due when it started, not late). */
  schedule: ScheduledRunInfo | null
}

const BY_HAND: RunTrigger = { trigger: 'manual', schedule: null }

/** How a job of the job history came to run. */
export function recordTrigger(record: Pick<JobRecord, 'trigger' | 'schedule' | 'startedAt'>): RunTrigger {
  if (record.trigger !== 'scheduled') return { trigger: record.trigger, schedule: null }
  return { trigger: 'scheduled', schedule: record.schedule ?? { dueAt: record.startedAt, late: false } }
}

/** Each file a backup job wrote (or tried to), by path, with how its job came to run. */
export function triggersByFile(records: JobRecord[]): Map<string, RunTrigger> {
  const byFile = new Map<string, RunTrigger>()
  for (const record of records) {
    if (record.kind !== 'backup') continue
    const trigger = recordTrigger(record)
    for (const target of record.targets) if (target.file !== null) byFile.set(target.file, trigger)
  }
  return byFile
}

/** How a file of the folders came to run. */
export const entryTrigger = (entry: HistoryEntry, byFile: Map<string, RunTrigger>): RunTrigger =>
  byFile.get(entry.backupFile) ?? BY_HAND

/** A trigger filter's value ('' is every run). */
export const isTriggerFilter = (value: string): value is JobTrigger =>
  (JOB_TRIGGERS as readonly string[]).includes(value)

/** The run passes the "How it started" filter. */
export const triggerMatches = (run: RunTrigger, filter: string): boolean =>
  !isTriggerFilter(filter) || run.trigger === filter
