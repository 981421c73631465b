/**
 * The History page's rows for what a job did not write: a failed or cancelled file has no metadata, so the
 * folders cannot show it; the job history (jobs:history) can. Filtered like the files.
 */
import { targetWritten } from '../../../../shared/backup-types.ts'
import type { JobRecord } from '../../../../shared/ipc.ts'
import type { AppError } from '../../../../shared/result.ts'
import type { HistoryFilters } from '../../stores/history-store.ts'
import { recordTrigger, triggerMatches } from './job-triggers.ts'
import type { RunTrigger } from './job-triggers.ts'

export interface UnwrittenRow {
  key: string
  jobId: string
  startedAt: string
  profile: string
  ticket: string
  databases: string[]
  status: 'failed' | 'cancelled'
  error: AppError | null
  /** How its job came to run. */
  run: RunTrigger
}

/** Every file a backup job did not write (or the whole job, when it failed before any), newest first. */
export function unwrittenRows(records: JobRecord[], filters: HistoryFilters): UnwrittenRow[] {
  const rows: UnwrittenRow[] = []
  for (const record of records) {
    if (record.kind !== 'backup') continue
    const base = {
      jobId: record.jobId,
      startedAt: record.startedAt,
      profile: record.profile,
      ticket: record.ticket,
      run: recordTrigger(record),
    }
    record.targets.forEach((target, index) => {
      if (targetWritten(target)) return
      rows.push({
        ...base,
        key: `${record.jobId}#${index}`,
        databases: target.databases,
        status: target.status === 'failed' ? 'failed' : 'cancelled',
        error: target.error,
      })
    })
    if (record.targets.length === 0 && record.status !== 'success')
      rows.push({
        ...base,
        key: record.jobId,
        databases: record.request?.databases ?? [],
        status: record.status === 'cancelled' ? 'cancelled' : 'failed',
        error: record.error,
      })
  }
  return rows.filter((row) => matches(row, filters))
}

function matches(row: UnwrittenRow, filters: HistoryFilters): boolean {
  if (filters.profile && row.profile !== filters.profile) return false
  const database = filters.database.trim().toLowerCase()
  if (database && !row.databases.some((d) => d.toLowerCase().includes(database))) return false
  const ticket = filters.ticket.trim().toLowerCase()
  if (ticket && !row.ticket.toLowerCase().includes(ticket)) return false
  if (filters.status && row.status !== filters.status) return false
  if (!triggerMatches(row.run, filters.trigger)) return false
  const when = new Date(row.startedAt).getTime()
  if (filters.from && when < new Date(`${filters.from}T00:00:00`).getTime()) return false
  if (filters.to && when > new Date(`${filters.to}T23:59:59.999`).getTime()) return false
  return true
}
