/** The results domain: jobs that ended in this session (done, failed or cancelled) with what they produced. */
import { create } from 'zustand'
import type { BackupMode, BackupResult, TargetResult } from '../../../shared/backup-types.ts'
import type { BackupRequestInput } from '../../../shared/ipc.ts'
import type { JobEvent } from '../../../shared/job-protocol.ts'
import type { AppError } from '../../../shared/result.ts'
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
}

/** The events that end a job. */
export type FinalJobEvent = Extract<JobEvent, { type: JobOutcome }>

export interface ResultsState {
  /** Newest first. */
  results: FinishedJob[]
  record(event: FinalJobEvent, job: JobView | null): FinishedJob
  /** Completes a result whose job ended before its start request returned. */
  attachRequest(jobId: string, request: BackupRequestInput): void
  dismiss(jobId: string): void
}

function finishedJob(event: FinalJobEvent, job: JobView | null): FinishedJob {
  const base = {
    jobId: event.jobId,
    profile: job?.profile ?? '',
    mode: job?.mode ?? null,
    ticket: job?.ticket ?? '',
    request: job?.request ?? null,
    finishedAt: new Date().toISOString(),
  }
  if (event.type === 'failed') {
    return { ...base, outcome: 'failed', result: null, error: event.error, targets: job?.finished ?? [] }
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
  }
}

export const useResultsStore = create<ResultsState>()((set, get) => ({
  results: [],
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
