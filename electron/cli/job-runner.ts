/**
 * The CLI's side of a backup or restore job: the job runs in this process (job-in-process.ts), supervised by
 * the same code as the desktop app's job processes (electron/engine/jobs): cancel → grace → kill, `.part`
 * cleanup.
 */
import type { BackupPlan, JobEvent, RestoreJobEvent } from '../../shared/job-protocol.ts'
import { sweepCredentialFolders } from '../engine/dump/defaults-file.ts'
import { discardDumpStart } from '../engine/dump/dump-process.ts'
import type { JobChild } from '../engine/jobs/job-child.ts'
import { inProcessJob } from './job-in-process.ts'
import {
  superviseJob,
  superviseRestoreJob,
  type JobOutcome,
  type RestoreOutcome,
  type SuperviseRestoreOptions,
} from '../engine/jobs/supervise-job.ts'

export type { JobOutcome, RestoreOutcome }

/** What a restore job runs: a restore plan, or a restore test's request. */
export type RestoreStart = SuperviseRestoreOptions['start']

export interface RunningJob<O = JobOutcome> {
  outcome: Promise<O>
  /** First call: ask the job to cancel (it kills the dump and removes partial files). */
  cancel(): void
  /** Kill at once; partial files are removed by this side. */
  kill(): void
}

/**
 * A job made ready ahead of its plan (a backup's first dump gets its reader thread and FIFOs meanwhile).
 * start() hands over the plan once; dispose() ends a job that never got one (a planning error, a refusal).
 */
export interface PendingJob {
  start(plan: BackupPlan, onEvent: (e: JobEvent) => void): RunningJob
  /** A restore or a restore test in the same pre-forked process (once, instead of start()). */
  startRestore(start: RestoreStart, onEvent: (e: RestoreJobEvent) => void): RunningJob<RestoreOutcome>
  /** Ends a job that got nothing to run, and removes the dump folders it made ahead (see inProcessJob). */
  dispose(): Promise<void>
}

/** The job the CLI's entry already made ready for this command (CliContext.takeJob), else a new one. */
export function jobFor(ctx: { takeJob?: () => PendingJob | null }): PendingJob {
  return ctx.takeJob?.() ?? prepareJob()
}

/** `backup`: see inProcessJob. */
export function prepareJob(backup = false): PendingJob {
  const child: JobChild = inProcessJob(backup)
  // What jobs of processes that no longer run left behind (a job killed before it could clean up).
  void sweepCredentialFolders()
  return {
    start: (plan, onEvent) =>
      superviseJob(child, { jobId: `job-${process.pid}-${Date.now()}`, plan, onEvent }),
    startRestore: (start, onEvent) =>
      superviseRestoreJob(child, { jobId: `restore-${process.pid}-${Date.now()}`, start, onEvent }),
    dispose: async () => {
      const ended = new Promise<void>((resolve) => child.onExit(() => resolve()))
      child.kill('SIGKILL')
      await ended
      await discardDumpStart()
    },
  }
}
