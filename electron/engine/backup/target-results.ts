/**
 * Target results that carry no file: the one builder of a failed, cancelled or skipped target and of a
 * whole cancelled run, for the engine, the job supervisor and the CLI alike.
 */
import type { BackupResult, TargetResult } from '../../../shared/backup-types.ts'
import type { BackupPlan } from '../../../shared/job-protocol.ts'
import type { AppError } from '../../../shared/result.ts'
import { EngineError } from '../errors.ts'

/** A target that produced no file, with the error that says why. */
export const failedTarget = (
  databases: string[],
  e: EngineError | AppError,
  status: TargetResult['status'] = 'failed',
): TargetResult => ({
  databases,
  status,
  file: null,
  bytes: 0,
  sqlBytes: 0,
  sha256: null,
  durationMs: 0,
  warnings: [],
  error: e instanceof EngineError ? e.toAppError() : e,
  gtid: null,
})

/** A target stopped (or never started) because the run was cancelled. */
export const cancelledTarget = (databases: string[], message = 'cancelled'): TargetResult =>
  failedTarget(databases, { code: 'Cancelled', message }, 'cancelled')

/** A whole run that ended by a cancel before its job could say anything about its targets. */
export function cancelledResult(plan: BackupPlan, startedAt: Date, message: string): BackupResult {
  const finishedAt = new Date()
  return {
    ok: false,
    mode: plan.mode,
    ticket: plan.ticket,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: finishedAt.getTime() - startedAt.getTime(),
    targets: plan.targets.map((t) => cancelledTarget(t.databases, message)),
  }
}
