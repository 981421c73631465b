/**
 * What the IPC handlers need from the job supervisor (electron/main/jobs/supervisor.ts): start a checked
 * plan, cancel it, list what runs. Job events reach the renderer over the one push channel, wired where
 * the supervisor is built (electron/main/index.ts, the e2e harness).
 */
import type { RunningJobView } from '../../../shared/ipc.ts'
import type { BackupPlan } from '../../../shared/job-protocol.ts'

export interface JobStartInfo {
  profile: string
  /** Absolute paths of the files the plan writes (for the Jobs page and `.part` cleanup). */
  files: string[]
}

export interface JobSupervisorApi {
  /**
   * Starts the plan in its own process; returns the job id at once. Throws an EngineError FileExists when
   * a running job writes one of `info.files` (two jobs must never share a file or its `.part`).
   */
  start(plan: BackupPlan, info: JobStartInfo): string
  /** Cancel → wait → kill; false when no such job runs. */
  cancel(jobId: string): boolean
  running(): RunningJobView[]
}
