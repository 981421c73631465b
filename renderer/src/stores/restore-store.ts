/**
 * The restore jobs: restores and restore tests running now (progress, log, items as they end), kept up to
 * date from job events, and the ones that ended in this session with their result or report. A restore
 * test's report also goes to the History (the last restore test of each backup).
 */
import { create } from 'zustand'
import type { RestoreRequestInput, RestoreTestInput, RunningRestoreView } from '../../../shared/ipc.ts'
import type { LogLevel, RestoreJobEvent } from '../../../shared/job-protocol.ts'
import type { RestoreItemResult, RestoreResult, RestoreTestReport } from '../../../shared/restore-types.ts'
import type { AppError, Result } from '../../../shared/result.ts'
import { cancelRestore, fetchRunningRestores, startRestore, startRestoreTest } from '../lib/api.ts'

const MAX_LOG_LINES = 30

/** A running restore (or restore test) as the UI follows it. */
export interface RestoreJobView extends RunningRestoreView {
  logs: { level: LogLevel; message: string }[]
}

export type RestoreOutcomeKind = 'done' | 'cancelled' | 'failed' | 'test-done'

/** A restore or restore test that ended in this session. */
export interface FinishedRestore {
  jobId: string
  kind: RunningRestoreView['kind']
  profile: string
  ticket: string
  files: string[]
  targets: string[]
  outcome: RestoreOutcomeKind
  result: RestoreResult | null
  report: RestoreTestReport | null
  error: AppError | null
  /** The result's items, or (failed) the ones that ended before. */
  items: RestoreItemResult[]
  finishedAt: string
}

export type RunningRestoreEvent = Extract<
  RestoreJobEvent,
  { type: 'restore-progress' | 'restore-log' | 'restore-item' }
>
export type FinalRestoreEvent = Exclude<RestoreJobEvent, RunningRestoreEvent>

export interface RestoreJobsState {
  jobs: Record<string, RestoreJobView>
  /** Job ids, oldest first. */
  order: string[]
  /** Newest first. */
  results: FinishedRestore[]
  /** Jobs whose final event arrived: late answers and events about them are ignored. */
  ended: string[]
  error: AppError | null
  refresh(): Promise<void>
  start(request: RestoreRequestInput): Promise<Result<{ jobId: string }>>
  startTest(request: RestoreTestInput): Promise<Result<{ jobId: string }>>
  apply(event: RunningRestoreEvent): void
  /** A final event: the job moves to the results; returns what ended. */
  finish(event: FinalRestoreEvent): FinishedRestore
  cancel(jobId: string): Promise<AppError | null>
  dismiss(jobId: string): void
}

const blankJob = (jobId: string): RestoreJobView => ({
  jobId,
  kind: jobId.startsWith('restore-test-') ? 'restore-test' : 'restore',
  profile: '',
  ticket: '',
  files: [],
  targets: [],
  startedAt: new Date().toISOString(),
  progress: null,
  items: [],
  cancelling: false,
  logs: [],
})

/** Applies one running event to a job. */
export function applyRestoreEvent(job: RestoreJobView, event: RunningRestoreEvent): RestoreJobView {
  switch (event.type) {
    case 'restore-progress':
      return { ...job, progress: event.progress }
    case 'restore-item':
      return { ...job, items: [...job.items, event.item] }
    case 'restore-log':
      if (event.level === 'debug') return job
      return {
        ...job,
        logs: [...job.logs, { level: event.level, message: event.message }].slice(-MAX_LOG_LINES),
      }
  }
}

/** What a final event says, with what was known of the job. */
export function finishedRestore(event: FinalRestoreEvent, job: RestoreJobView | null): FinishedRestore {
  const base = {
    jobId: event.jobId,
    kind: job?.kind ?? (event.type === 'restore-test-done' ? 'restore-test' : 'restore'),
    profile: job?.profile ?? '',
    ticket: job?.ticket ?? '',
    files: job?.files ?? [],
    targets: job?.targets ?? [],
    finishedAt: new Date().toISOString(),
  } as const
  switch (event.type) {
    case 'restore-failed':
      return {
        ...base,
        outcome: event.error.code === 'Cancelled' ? 'cancelled' : 'failed',
        result: null,
        report: null,
        error: event.error,
        items: job?.items ?? [],
      }
    case 'restore-test-done':
      return {
        ...base,
        kind: 'restore-test',
        files: [event.report.file],
        profile: base.profile || event.report.profile,
        ticket: base.ticket || event.report.ticket,
        outcome: 'test-done',
        result: null,
        report: event.report,
        error: event.report.error,
        items: [],
      }
    case 'restore-done':
    case 'restore-cancelled':
      return {
        ...base,
        profile: event.result.profile,
        ticket: event.result.ticket,
        outcome: event.type === 'restore-done' ? 'done' : 'cancelled',
        result: event.result,
        report: null,
        error: null,
        items: event.result.items,
      }
  }
}

export const useRestoreStore = create<RestoreJobsState>()((set, get) => {
  /** Adds (or completes) a job that main said runs, unless it already ended. */
  const upsert = (view: Partial<RunningRestoreView> & { jobId: string }): void => {
    const { jobs, order, ended } = get()
    if (ended.includes(view.jobId)) return
    const known = jobs[view.jobId] ?? blankJob(view.jobId)
    set({
      jobs: { ...jobs, [view.jobId]: { ...known, ...view, logs: known.logs } },
      order: order.includes(view.jobId) ? order : [...order, view.jobId],
    })
  }
  const started = async (
    answer: Promise<Result<{ jobId: string }>>,
    view: Omit<Partial<RunningRestoreView>, 'jobId'>,
  ): Promise<Result<{ jobId: string }>> => {
    const result = await answer
    if (result.ok) upsert({ ...view, jobId: result.value.jobId })
    return result
  }
  return {
    jobs: {},
    order: [],
    results: [],
    ended: [],
    error: null,
    async refresh() {
      const result = await fetchRunningRestores()
      if (!result.ok) {
        set({ error: result.error })
        return
      }
      set({ error: null })
      for (const view of result.value) upsert(view)
    },
    start: (request) =>
      started(startRestore(request), {
        kind: 'restore',
        profile: request.profile,
        ticket: request.ticket,
        files: [request.file],
        targets: request.targetDatabase === null ? [] : [request.targetDatabase],
      }),
    startTest: (request) =>
      started(startRestoreTest(request), {
        kind: 'restore-test',
        profile: request.profile,
        ticket: request.ticket,
        files: [request.file],
      }),
    apply(event) {
      if (get().ended.includes(event.jobId)) return
      const job = get().jobs[event.jobId]
      if (job === undefined) {
        upsert({ jobId: event.jobId })
        void get().refresh()
      }
      const current = get().jobs[event.jobId]
      if (current === undefined) return
      set({ jobs: { ...get().jobs, [event.jobId]: applyRestoreEvent(current, event) } })
    },
    finish(event) {
      const { jobs, order, ended, results } = get()
      const { [event.jobId]: job, ...rest } = jobs
      const finished = finishedRestore(event, job ?? null)
      set({
        jobs: rest,
        order: order.filter((id) => id !== event.jobId),
        ended: [...ended, event.jobId].slice(-200),
        results: [finished, ...results.filter((r) => r.jobId !== event.jobId)],
      })
      return finished
    },
    async cancel(jobId) {
      const job = get().jobs[jobId]
      if (job !== undefined) set({ jobs: { ...get().jobs, [jobId]: { ...job, cancelling: true } } })
      const result = await cancelRestore(jobId)
      if (result.ok) return null
      const now = get().jobs[jobId]
      if (now !== undefined) set({ jobs: { ...get().jobs, [jobId]: { ...now, cancelling: false } } })
      return result.error
    },
    dismiss: (jobId) => set({ results: get().results.filter((r) => r.jobId !== jobId) }),
  }
})
