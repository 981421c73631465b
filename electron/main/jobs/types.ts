/**
 * What the IPC handlers need from the job supervisor (electron/main/jobs/supervisor.ts): start a checked
 * backup plan or a verify, cancel either, list what runs. Job events reach the renderer over the one push
 * channel, wired where the supervisor is built (electron/main/index.ts, the e2e harness).
 */
import type {
  BackupRequestInput,
  JobTrigger,
  ScheduledRunInfo,
  RunningJobView,
  RunningRestoreView,
  RunningVerifyView,
} from '../../../shared/ipc.ts'
import type { BackupPlan, LogLevel, OffsiteSecrets, VerifyJobRequest } from '../../../shared/job-protocol.ts'
import type { JobOutcome } from '../../engine/jobs/supervise-job.ts'
import type { RestorePlan, RestoreTestRequest } from '../../../shared/restore-types.ts'

/** Where a backup job's run is recorded (engine/backup/backup-run-log.ts): every message, a cancel, the end. */
export interface JobRunLog {
  message(level: LogLevel, message: string): void
  cancelRequested(): void
  ended(outcome: JobOutcome): void
}

export interface JobStartInfo {
  profile: string
  /** Absolute paths of the files the plan writes (for the Jobs page and `.part` cleanup). */
  files: string[]
  /** The run's general log; none in tests that do not ask for one. */
  runLog?: JobRunLog
  /** The form's request, kept in the job history for "Retry failed" (never a secret). */
  request?: BackupRequestInput
  /** How the job came to run (default manual). */
  trigger?: JobTrigger
  /** The job this one retries. */
  retryOf?: string
  /** The quick backup preset it runs (a scheduled run, a tray quick backup): its copies and notifications. */
  presetId?: string
  /** A scheduled run: when it was due and whether it runs late (kept in the job history). */
  schedule?: ScheduledRunInfo
}

export interface JobSupervisorApi {
  /**
   * Starts the plan in its own process; returns the job id at once. Throws an EngineError FileExists when
   * a running job writes one of `info.files` (two jobs must never share a file or its `.part`).
   * `offsiteSecrets`: the passwords of the plan's offsite destinations, for the job process only (masked
   * in every log line, never in the job history).
   */
  start(plan: BackupPlan, info: JobStartInfo, offsiteSecrets?: OffsiteSecrets): string
  /**
   * Verifies a backup file in its own process (the keys travel over the process channel only); returns
   * the job id at once. A file that is being verified already is not read twice: its job's id comes back.
   */
  startVerify(request: VerifyJobRequest): string
  /**
   * Runs a checked restore plan in its own process; returns the job id at once. Throws an EngineError
   * InvalidInput when a running restore writes one of the same target databases of the same profile.
   */
  startRestore(plan: RestorePlan): string
  /** Runs a restore test (a throwaway database on a scratch server) in its own process. */
  startRestoreTest(request: RestoreTestRequest): string
  /** Cancel → wait → kill, for any kind of job; false when no such job runs. */
  cancel(jobId: string): boolean
  /** The backups that run. */
  running(): RunningJobView[]
  /** The verifications that run. */
  runningVerifies(): RunningVerifyView[]
  /** The restores and restore tests that run. */
  runningRestores(): RunningRestoreView[]
}
