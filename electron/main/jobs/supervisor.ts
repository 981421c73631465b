/**
 * The app's job supervisor: many backup jobs at once, each in its own process (a utility process in the
 * app, a Node child in tests), supervised by the engine's superviseJob — events validated and relayed,
 * cancel → wait → kill, a crash told apart from a clean end and its `.part` files removed.
 */
import { randomUUID } from 'node:crypto'
import type { RunningJobView } from '../../../shared/ipc.ts'
import type { BackupPlan, JobEvent } from '../../../shared/job-protocol.ts'
import { EngineError } from '../../engine/errors.ts'
import type { JobChild } from '../../engine/jobs/job-child.ts'
import {
  superviseJob,
  type JobExit,
  type JobOutcome,
  type SupervisedJob,
} from '../../engine/jobs/supervise-job.ts'
import type { JobStartInfo, JobSupervisorApi } from './types.ts'

/** What onFinished learns besides the outcome: the job as it ran, and how its process ended. */
export interface JobFinishedInfo extends JobStartInfo {
  mode: BackupPlan['mode']
  ticket: string
  startedAt: string
  finishedAt: string
  exit: JobExit
}

export interface JobSupervisorOptions {
  /** Starts one job process (utility-process.ts in the app, node-fork.ts in tests). */
  forkJob(): JobChild
  /** Every event of every job, in order; each job ends with exactly one done / failed / cancelled. */
  onEvent(event: JobEvent): void
  /** After a job's process has ended (its final event went through onEvent before). */
  onFinished?(jobId: string, outcome: JobOutcome, info: JobFinishedInfo): void
  /** The list of running jobs changed: one started, made progress, is cancelling or ended. */
  onChange?(): void
  /** Cancel → wait this long → kill (default: the engine's CANCEL_GRACE_MS). */
  cancelGraceMs?: number
}

export interface JobSupervisor extends JobSupervisorApi {
  /** Cancels every running job; returns how many were asked. */
  cancelAll(): number
  /** Settles when this job has ended (null when no such job runs). */
  whenFinished(jobId: string): Promise<{ outcome: JobOutcome; info: JobFinishedInfo }> | null
  /** Settles when no job runs any more. */
  whenIdle(): Promise<void>
}

interface Entry {
  view: RunningJobView
  job: SupervisedJob
  finished: Promise<{ outcome: JobOutcome; info: JobFinishedInfo }>
}

export function createJobSupervisor(options: JobSupervisorOptions): JobSupervisor {
  const jobs = new Map<string, Entry>()
  const changed = (): void => options.onChange?.()

  const start = (plan: BackupPlan, info: JobStartInfo): string => {
    assertNoOverlap(jobs, info.files)
    const jobId = `job-${randomUUID()}`
    const view: RunningJobView = {
      jobId,
      profile: info.profile,
      mode: plan.mode,
      ticket: plan.ticket,
      startedAt: new Date().toISOString(),
      files: [...info.files],
      progress: null,
      cancelling: false,
    }
    const job = superviseJob(options.forkJob(), {
      jobId,
      plan,
      ...(options.cancelGraceMs === undefined ? {} : { graceMs: options.cancelGraceMs }),
      onEvent(event) {
        if (event.type === 'progress') view.progress = event.progress
        options.onEvent(event)
        if (event.type === 'progress') changed()
      },
    })
    const finished = job.ended.then(({ outcome, exit }) => {
      jobs.delete(jobId)
      const done = {
        outcome,
        info: {
          profile: info.profile,
          files: view.files,
          mode: view.mode,
          ticket: view.ticket,
          startedAt: view.startedAt,
          finishedAt: new Date().toISOString(),
          exit,
        },
      }
      // A listener's bug must not become an unhandled rejection that takes the main process down.
      try {
        options.onFinished?.(jobId, outcome, done.info)
        changed()
      } catch (e) {
        console.error(`job ${jobId}: a finish listener failed`, e)
      }
      return done
    })
    jobs.set(jobId, { view, job, finished })
    changed()
    return jobId
  }

  const cancel = (jobId: string): boolean => {
    const entry = jobs.get(jobId)
    if (!entry) return false
    if (!entry.view.cancelling) {
      entry.view.cancelling = true
      entry.job.cancel()
      changed()
    }
    return true
  }

  return {
    start,
    cancel,
    running: () => [...jobs.values()].map(({ view }) => ({ ...view, files: [...view.files] })),
    cancelAll: () => [...jobs.keys()].filter(cancel).length,
    whenFinished: (jobId) => jobs.get(jobId)?.finished ?? null,
    whenIdle: async () => {
      while (jobs.size > 0) await Promise.all([...jobs.values()].map((e) => e.finished))
    },
  }
}

/**
 * Two running jobs must never write the same file: the second would fail on the first one's `.part`, and a
 * crash of either would remove the other's partial file.
 */
function assertNoOverlap(jobs: Map<string, Entry>, files: string[]): void {
  for (const { view } of jobs.values()) {
    const clash = files.find((f) => view.files.includes(f))
    if (clash !== undefined) {
      throw new EngineError('FileExists', `${clash} is being written by a running backup (${view.profile})`)
    }
  }
}
