/**
 * The results domain: jobs that ended (done, failed or cancelled) with what they produced — those of this
 * session as their final events arrive, and those of the job history (loadPast: earlier sessions, kept by
 * the main process across restarts).
 */
import { create } from 'zustand'
import type { BackupMode, BackupResult, TargetResult } from '../../../shared/backup-types.ts'
import type { BackupRequestInput, JobRecord, ScheduledRunInfo } from '../../../shared/ipc.ts'
import type { JobEvent } from '../../../shared/job-protocol.ts'
import { groupWarnings, targetWhere, type GroupedWarning } from '../../../shared/job-warnings.ts'
import type { AppError } from '../../../shared/result.ts'
import { fetchJobHistory } from '../lib/api.ts'
import type { JobView } from './jobs-store.ts'

export type JobOutcome = 'done' | 'failed' | 'cancelled'

/** A job that ended. `targets` is the result's, or (for a failed job) the targets that ended before it. */
export interface FinishedJob {
  jobId: string
  profile: string
  mode: BackupMode | null
  ticket: string
  outcome: JobOutcome
  result: BackupResult | null
  error: AppError | null
  targets: TargetResult[]
  request: BackupRequestInput | null
  finishedAt: string
  /** Read from the job history (an earlier session), not followed live. */
  past: boolean
  /** The job this one retried. */
  retryOf: string | null
  /** Each distinct warning once, with where it was seen (from the job history; else from the targets). */
  warnings: GroupedWarning[]
  /** A quick backup's scheduled run: when it was due, whether it ran late; null for any other run. */
  schedule: ScheduledRunInfo | null
}

/** The events that end a job. */
export type FinalJobEvent = Extract<JobEvent, { type: JobOutcome }>

export interface ResultsState {
  /** Newest first. */
  results: FinishedJob[]
  /** Restores and restore tests of the job history (this session's are in the restore store). */
  pastRestores: JobRecord[]
  pastError: AppError | null
  /** Reads the job history: finished jobs of earlier sessions join this session's. */
  loadPast(): Promise<void>
  record(event: FinalJobEvent, job: JobView | null): FinishedJob
  /** Completes a result whose job ended before its start request returned. */
  attachRequest(jobId: string, request: BackupRequestInput): void
  dismiss(jobId: string): void
}

/** Each distinct warning of these files once, with the files it was seen for. */
const targetWarnings = (targets: TargetResult[]): GroupedWarning[] =>
  groupWarnings(targets.map((t) => ({ where: targetWhere(t), warnings: t.warnings })))

/** A scheduled job's due time and lateness (a record without them: due when it started, on time). */
const scheduleOf = (record: JobRecord): ScheduledRunInfo | null =>
  record.trigger === 'scheduled' ? (record.schedule ?? { dueAt: record.startedAt, late: false }) : null

/** A backup job of the job history as a result. */
export function fromRecord(record: JobRecord): FinishedJob {
  const wrote = record.targets.length > 0
  const outcome: JobOutcome =
    record.status === 'cancelled' ? 'cancelled' : record.error !== null && !wrote ? 'failed' : 'done'
  const result: BackupResult | null =
    wrote && record.mode !== null
      ? {
          ok: record.status === 'success' || record.status === 'success_with_warnings',
          mode: record.mode,
          ticket: record.ticket,
          startedAt: record.startedAt,
          finishedAt: record.finishedAt,
          durationMs: Math.max(0, Date.parse(record.finishedAt) - Date.parse(record.startedAt)),
          targets: record.targets,
        }
      : null
  return {
    jobId: record.jobId,
    profile: record.profile,
    mode: record.mode,
    ticket: record.ticket,
    outcome,
    result,
    error: record.error,
    targets: record.targets,
    request: record.request,
    finishedAt: record.finishedAt,
    past: true,
    retryOf: record.retryOf,
    warnings: record.warnings,
    schedule: scheduleOf(record),
  }
}

const newestFirst = (results: FinishedJob[]): FinishedJob[] =>
  [...results].sort((a, b) => b.finishedAt.localeCompare(a.finishedAt))

function finishedJob(event: FinalJobEvent, job: JobView | null): FinishedJob {
  const base = {
    jobId: event.jobId,
    profile: job?.profile ?? '',
    mode: job?.mode ?? null,
    ticket: job?.ticket ?? '',
    request: job?.request ?? null,
    finishedAt: new Date().toISOString(),
    past: false,
    retryOf: null,
    schedule: job?.schedule ?? null,
  }
  if (event.type === 'failed') {
    const targets = job?.finished ?? []
    return {
      ...base,
      outcome: 'failed',
      result: null,
      error: event.error,
      targets,
      warnings: targetWarnings(targets),
    }
  }
  const { result } = event
  return {
    ...base,
    mode: result.mode,
    ticket: result.ticket,
    outcome: event.type,
    result,
    error: null,
    targets: result.targets,
    warnings: targetWarnings(result.targets),
  }
}

export const useResultsStore = create<ResultsState>()((set, get) => ({
  results: [],
  pastRestores: [],
  pastError: null,
  loadPast: async () => {
    const history = await fetchJobHistory()
    if (!history.ok) return set({ pastError: history.error })
    const { records } = history.value
    // This session's results know more (followed live): they win over their own record.
    const byId = new Map(records.map((r) => [r.jobId, r]))
    const live = get()
      .results.filter((r) => !r.past)
      .map((r) => {
        // What only the record knows: the job was a scheduled run (a window reloaded while it ran).
        const record = byId.get(r.jobId)
        return r.schedule === null && record !== undefined ? { ...r, schedule: scheduleOf(record) } : r
      })
    const seen = new Set(live.map((r) => r.jobId))
    const past = records.filter((r) => r.kind === 'backup' && !seen.has(r.jobId)).map(fromRecord)
    set({
      results: newestFirst([...live, ...past]),
      pastRestores: records.filter((r) => r.kind !== 'backup'),
      pastError: null,
    })
  },
  record: (event, job) => {
    const finished = finishedJob(event, job)
    set({ results: [finished, ...get().results.filter((r) => r.jobId !== event.jobId)] })
    return finished
  },
  attachRequest: (jobId, request) =>
    set({
      results: get().results.map((r) =>
        r.jobId === jobId ? { ...r, request, profile: r.profile || request.profile } : r,
      ),
    }),
  dismiss: (jobId) => set({ results: get().results.filter((r) => r.jobId !== jobId) }),
}))
