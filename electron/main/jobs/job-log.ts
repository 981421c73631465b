/**
 * The log lines of one job: every line carries `[job <id> pid <n>]`, and the job's own secrets (the
 * backup key, the database and SSH passwords of a plan, the keys a verify tries) are masked in each — the
 * supervisor never writes them, but a job process's stderr is not ours to vouch for.
 */
import type { BackupPlan, OffsiteSecrets, VerifyJobRequest } from '../../../shared/job-protocol.ts'
import type { RestorePlan, RestoreTestRequest } from '../../../shared/restore-types.ts'
import type { Logger, LogLevel } from '../logging/logger.ts'

/** `[job job-1234 pid 5678]`; `pid ?` before the process runs. */
export const jobLogPrefix = (jobId: string, pid: number | undefined): string =>
  `[job ${jobId} pid ${pid ?? '?'}]`

/** The secrets a job carries, for masking. */
export function backupPlanSecrets(plan: BackupPlan): string[] {
  return [plan.encryptionKey, plan.connection.password, plan.connection.ssh?.password].filter(
    (s): s is string => typeof s === 'string' && s !== '',
  )
}

/** The secrets of a backup's offsite destinations (passwords, S3 secret keys), for masking. */
export const offsiteSecretValues = (secrets: OffsiteSecrets | undefined): string[] =>
  Object.values(secrets ?? {})
    .flatMap((s) => [s.password, s.secretAccessKey])
    .filter((s): s is string => typeof s === 'string' && s !== '')

/** A restore's secrets: the connection's passwords, every item's key, the pre-restore backup's key. */
export function restorePlanSecrets(plan: RestorePlan): string[] {
  return [
    plan.connection.password,
    plan.connection.ssh?.password,
    plan.preBackup?.encryptionKey,
    ...plan.items.map((i) => i.key),
  ].filter((s): s is string => typeof s === 'string' && s !== '')
}

export const restoreTestSecrets = (request: RestoreTestRequest): string[] =>
  [request.connection.password, request.connection.ssh?.password, request.key].filter(
    (s): s is string => typeof s === 'string' && s !== '',
  )

export const verifySecrets = (request: VerifyJobRequest): string[] => request.keys.filter((k) => k !== '')

export interface JobLog {
  log(level: LogLevel, message: string): void
  info(message: string): void
  warn(message: string): void
  error(message: string): void
}

/** A masked secret. */
export const MASK = '***'

export function createJobLog(
  logger: Logger,
  jobId: string,
  pid: () => number | undefined,
  secrets: string[],
  /** Also sees every line, masked (the job history keeps them: job-journal.ts). */
  onLine?: (level: LogLevel, message: string) => void,
): JobLog {
  // Longest first, so a secret containing another is masked whole.
  const masked = [...new Set(secrets)].filter((s) => s.length > 0).sort((a, b) => b.length - a.length)
  const mask = (text: string): string => masked.reduce((out, secret) => out.split(secret).join(MASK), text)
  const log = (level: LogLevel, message: string): void => {
    const text = mask(message)
    logger.log(level, `${jobLogPrefix(jobId, pid())} ${text}`)
    onLine?.(level, text)
  }
  return {
    log,
    info: (message) => log('info', message),
    warn: (message) => log('warn', message),
    error: (message) => log('error', message),
  }
}
