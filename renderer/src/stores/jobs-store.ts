/**
 * The jobs domain: backups running now, kept up to date from job events (progress per target, finished
 * targets, log lines). A job leaves this store when its final event arrives (see job-event-bridge.ts).
 */
import { create } from 'zustand'
import type { BackupMode, BackupProgress, TargetResult } from '../../../shared/backup-types.ts'
import type {
  BackupPlanView,
  BackupRequestInput,
  RunningJobView,
  ScheduledRunInfo,
} from '../../../shared/ipc.ts'
import type { JobEvent, LogLevel } from '../../../shared/job-protocol.ts'
import type { AppError, Result } from '../../../shared/result.ts'
import { cancelBackup, fetchRunningJobs, startBackup } from '../lib/api.ts'
import { trackCopy, type CopyTracks } from '../lib/copy-progress.ts'
import { useResultsStore } from './results-store.ts'
import { useSettingsStore } from './settings-store.ts'

const MAX_LOG_LINES = 30

/** A running job as the UI follows it. */
export interface JobView {
  jobId: string
  profile: string
  mode: BackupMode | null
  ticket: string
  startedAt: string
  /** Output files in plan order (absolute paths), when main told us. */
  files: string[]
  cancelling: boolean
  /** The request, when this window started the job. */
  request: BackupRequestInput | null
  /** Estimated SQL bytes per file in plan order, from the dry-run (weights the overall progress). */
  estimates: number[] | null
  /** Latest progress of each target being written, by target index. */
  targets: Record<number, BackupProgress>
  /** Targets that ended, in the order they did. */
  finished: TargetResult[]
  logs: { level: LogLevel; message: string }[]
  /** A quick backup's scheduled run: when it was due and whether it runs late (main says so). */
  schedule: ScheduledRunInfo | null
  /** The offsite copies after the files were written: each file's upload to each destination. */
  copies: CopyTracks
}

/** Events that update a running job (the final ones go to the results store). */
export type RunningJobEvent = Extract<JobEvent, { type: 'progress' | 'log' | 'target' | 'copy-progress' }>

export interface JobsState {
  jobs: Record<string, JobView>
  /** Job ids, oldest first. */
  order: string[]
  /** Jobs whose final event arrived: late answers and events about them are ignored. */
  ended: string[]
  error: AppError | null
  /** Merges what main says runs (after a reload of the window, or an event for an unknown job). */
  refresh(): Promise<void>
  /** Starts a backup (of a quick backup: `presetId`); the job appears at once, before its first event. */
  start(
    request: BackupRequestInput,
    plan?: BackupPlanView | null,
    presetId?: string,
  ): Promise<Result<{ jobId: string }>>
  apply(event: RunningJobEvent): void
  cancel(jobId: string): Promise<AppError | null>
  /** Takes a job out (its final event arrived) and returns what was known about it. */
  take(jobId: string): JobView | null
}

const blankJob = (jobId: string): JobView => ({
  jobId,
  profile: '',
  mode: null,
  ticket: '',
  startedAt: new Date().toISOString(),
  files: [],
  cancelling: false,
  request: null,
  estimates: null,
  targets: {},
  finished: [],
  logs: [],
  schedule: null,
  copies: {},
})

const fromRunning = (job: JobView, view: RunningJobView): JobView => ({
  ...job,
  profile: view.profile,
  mode: view.mode,
  ticket: view.ticket,
  startedAt: view.startedAt,
  files: view.files,
  cancelling: job.cancelling || view.cancelling,
  schedule: view.schedule ?? job.schedule,
  targets:
    view.progress !== null && job.targets[view.progress.targetIndex] === undefined
      ? { ...job.targets, [view.progress.targetIndex]: view.progress }
      : job.targets,
})

function applyTo(job: JobView, event: RunningJobEvent): JobView {
  switch (event.type) {
    case 'progress':
      return { ...job, targets: { ...job.targets, [event.progress.targetIndex]: event.progress } }
    case 'target':
      return { ...job, finished: [...job.finished, event.target] }
    case 'log':
      return {
        ...job,
        logs: [...job.logs, { level: event.level, message: event.message }].slice(-MAX_LOG_LINES),
      }
    case 'copy-progress':
      return { ...job, copies: trackCopy(job.copies, event, Date.now()) }
  }
}

export const useJobsStore = create<JobsState>()((set, get) => {
  const put = (job: JobView): void => {
    const { jobs, order } = get()
    set({
      jobs: { ...jobs, [job.jobId]: job },
      order: order.includes(job.jobId) ? order : [...order, job.jobId],
    })
  }

  return {
    jobs: {},
    order: [],
    ended: [],
    error: null,

    refresh: async () => {
      const result = await fetchRunningJobs()
      if (!result.ok) {
        set({ error: result.error })
        return
      }
      set({ error: null })
      const ended = get().ended
      for (const view of result.value) {
        if (ended.includes(view.jobId)) continue
        put(fromRunning(get().jobs[view.jobId] ?? blankJob(view.jobId), view))
      }
    },

    start: async (request, plan, presetId) => {
      const result = await startBackup(request, presetId)
      if (!result.ok) return result
      // Main remembers a newly chosen output folder among the history folders: keep the settings in step.
      void useSettingsStore.getState().load()
      const { jobId } = result.value
      // The job may have ended before start() resolved (a tiny database): its result is already shown.
      if (get().ended.includes(jobId)) {
        useResultsStore.getState().attachRequest(jobId, request)
        return result
      }
      const known = get().jobs[jobId] ?? blankJob(jobId)
      put({
        ...known,
        profile: request.profile,
        mode: request.mode,
        ticket: request.ticket,
        request,
        estimates: plan ? plan.files.map((file) => file.estimatedSqlBytes) : null,
      })
      void get().refresh()
      return result
    },

    apply: (event) => {
      if (get().ended.includes(event.jobId)) return
      const known = get().jobs[event.jobId]
      put(applyTo(known ?? blankJob(event.jobId), event))
      // A job this window did not start (or started before a reload): ask main what it is.
      if (known === undefined) void get().refresh()
    },

    cancel: async (jobId) => {
      const job = get().jobs[jobId]
      if (job) put({ ...job, cancelling: true })
      const result = await cancelBackup(jobId)
      if (result.ok) return null
      const current = get().jobs[jobId]
      if (current) put({ ...current, cancelling: false })
      return result.error
    },

    take: (jobId) => {
      const { [jobId]: job, ...jobs } = get().jobs
      set({ jobs, order: get().order.filter((id) => id !== jobId), ended: [...get().ended, jobId] })
      return job ?? null
    },
  }
})
