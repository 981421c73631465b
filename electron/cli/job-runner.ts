/**
 * The CLI's side of a backup or restore job: child_process.fork of the built job entry, supervised by the same code
 * as the desktop app's jobs (electron/engine/jobs): cancel → grace → kill, crash = JobCrashed, `.part`
 * cleanup.
 */
import type { BackupPlan, JobEvent, RestoreJobEvent } from '../../shared/job-protocol.ts'
import { jobEnvironment } from '../engine/child-env.ts'
import { sweepCredentialFolders } from '../engine/dump/defaults-file.ts'
import { forkNodeJobChild, JOB_V8_FLAGS } from '../engine/jobs/node-job-child.ts'
import { BACKUP_KEY_ENV, PROFILE_KEY_ENV } from './keys.ts'
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
export { JOB_V8_FLAGS }

/**
 * Environment variables that may hold a key. The job gets its keys in the plan over the process channel;
 * it and the dump/SQL clients it starts must not inherit them (another local user with the same uid, a core
 * dump or /proc/<pid>/environ would show them).
 */
export const SECRET_ENV = [
  ...new Set([...PROFILE_KEY_ENV, ...BACKUP_KEY_ENV, 'SFDB_IMPORT_PROFILE_KEY']),
] as readonly string[]

/** This process's environment without the key variables: the job gets its keys in the plan, never inherited. */
function environmentWithoutSecrets(): NodeJS.ProcessEnv {
  const env = jobEnvironment()
  for (const name of SECRET_ENV) delete env[name]
  return env
}

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
  dispose(): void
}

/** The job process the CLI's entry already forked for this command (CliContext.takeJob), else a new one. */
export function jobFor(ctx: { jobEntry: string; takeJob?: () => PendingJob | null }): PendingJob {
  return ctx.takeJob?.() ?? prepareJob(ctx.jobEntry)
}

/** `entry`: the built job entry (out/main/backup-job.js), see CliContext.jobEntry. */
export function prepareJob(entry: string): PendingJob {
  // What jobs of processes that no longer run left behind (a job killed before it could clean up).
  void sweepCredentialFolders()
  // detached: a terminal's Ctrl-C reaches only this process, which turns it into a clean cancel.
  const child = forkNodeJobChild(entry, {
    detached: true,
    execArgv: [...process.execArgv, ...JOB_V8_FLAGS],
    env: environmentWithoutSecrets(),
  })
  return {
    start: (plan, onEvent) =>
      superviseJob(child, { jobId: `job-${process.pid}-${Date.now()}`, plan, onEvent }),
    startRestore: (start, onEvent) =>
      superviseRestoreJob(child, { jobId: `restore-${process.pid}-${Date.now()}`, start, onEvent }),
    dispose: () => child.kill('SIGKILL'),
  }
}
