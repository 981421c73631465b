/**
 * The CLI's side of a backup or restore job: child_process.fork of the built job entry, supervised by the same code
 * as the desktop app's jobs (electron/engine/jobs): cancel → grace → kill, crash = JobCrashed, `.part`
 * cleanup.
 */
import type { BackupPlan, JobEvent, RestoreJobEvent } from '../../shared/job-protocol.ts'
import { sweepCredentialFolders } from '../engine/dump/defaults-file.ts'
import type { JobChild } from '../engine/jobs/job-child.ts'
import { forkJobProcess } from './job-fork.ts'
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
 * A job process started ahead of its plan: forking Node and loading the engine takes ≈0.15 s, which then
 * overlaps the profile's key derivation and the planning queries. start() hands over the plan once;
 * dispose() ends a job that never got one (dry-run, a planning error).
 */
export interface PendingJob {
  start(plan: BackupPlan, onEvent: (e: JobEvent) => void): RunningJob
  /** A restore or a restore test in the same pre-forked process (once, instead of start()). */
  startRestore(start: RestoreStart, onEvent: (e: RestoreJobEvent) => void): RunningJob<RestoreOutcome>
  /** Ends a job that got nothing to run, and removes the dump folders it made ahead (see PREPARE_DUMP_ARG). */
  dispose(): Promise<void>
}

/** The job process the CLI's entry already forked for this command (CliContext.takeJob), else a new one. */
export function jobFor(ctx: { jobEntry: string; takeJob?: () => PendingJob | null }): PendingJob {
  return ctx.takeJob?.() ?? prepareJob(ctx.jobEntry)
}

/**
 * `entry`: the built job entry (out/main/backup-job.js), see CliContext.jobEntry; `child`: that entry already
 * forked (the CLI's entry forks it before the command loads, job-fork.ts).
 */
export function prepareJob(entry: string, child: JobChild = forkJobProcess(entry)): PendingJob {
  // What jobs of processes that no longer run left behind (a job killed before it could clean up).
  void sweepCredentialFolders()
  return {
    start: (plan, onEvent) =>
      superviseJob(child, { jobId: `job-${process.pid}-${Date.now()}`, plan, onEvent }),
    startRestore: (start, onEvent) =>
      superviseRestoreJob(child, { jobId: `restore-${process.pid}-${Date.now()}`, start, onEvent }),
    dispose: async () => {
      const pid = child.pid
      const ended = new Promise<void>((resolve) => child.onExit(() => resolve()))
      child.kill('SIGKILL')
      await ended
      if (pid !== undefined) await sweepCredentialFolders(pid)
    },
  }
}
