/**
 * The CLI's side of a backup job: child_process.fork of the built job entry, supervised by the same code
 * as the desktop app's jobs (electron/engine/jobs): cancel → grace → kill, crash = JobCrashed, `.part`
 * cleanup.
 */
import type { BackupPlan, JobEvent } from '../../shared/job-protocol.ts'
import { forkNodeJobChild, JOB_V8_FLAGS } from '../engine/jobs/node-job-child.ts'
import { superviseJob, type JobOutcome } from '../engine/jobs/supervise-job.ts'

export type { JobOutcome }
export { JOB_V8_FLAGS }

export interface RunningJob {
  outcome: Promise<JobOutcome>
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
  dispose(): void
}

/** `entry`: the built job entry (out/main/backup-job.js), see CliContext.jobEntry. */
export function prepareJob(entry: string): PendingJob {
  // detached: a terminal's Ctrl-C reaches only this process, which turns it into a clean cancel.
  const child = forkNodeJobChild(entry, {
    detached: true,
    execArgv: [...process.execArgv, ...JOB_V8_FLAGS],
  })
  return {
    start: (plan, onEvent) =>
      superviseJob(child, { jobId: `job-${process.pid}-${Date.now()}`, plan, onEvent }),
    dispose: () => child.kill('SIGKILL'),
  }
}
