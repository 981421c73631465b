/** The numbers of the manual's end-of-backup summary, from a finished job's targets. */
import type { TargetResult } from '../../../../shared/backup-types.ts'

export interface ResultTotals {
  succeeded: number
  failed: number
  cancelled: number
  skipped: number
  warnings: number
  bytes: number
  sqlBytes: number
  /** SQL bytes per second over the whole run (null when the duration is unknown). */
  throughput: number | null
  /** Output size as a fraction of the SQL (compression and encryption together), null without SQL. */
  ratio: number | null
}

export const isSuccess = (target: TargetResult): boolean =>
  target.status === 'success' || target.status === 'success_with_warnings'

export function resultTotals(targets: TargetResult[], durationMs: number | null): ResultTotals {
  const count = (status: TargetResult['status']): number => targets.filter((t) => t.status === status).length
  const written = targets.filter(isSuccess)
  const bytes = written.reduce((sum, t) => sum + t.bytes, 0)
  const sqlBytes = written.reduce((sum, t) => sum + t.sqlBytes, 0)
  return {
    succeeded: written.length,
    failed: count('failed'),
    cancelled: count('cancelled'),
    skipped: count('skipped'),
    warnings: count('success_with_warnings'),
    bytes,
    sqlBytes,
    throughput: durationMs !== null && durationMs > 0 ? (sqlBytes * 1000) / durationMs : null,
    ratio: sqlBytes > 0 ? bytes / sqlBytes : null,
  }
}

/** SQL bytes per second of one target, null when it took no measurable time. */
export const targetThroughput = (target: TargetResult): number | null =>
  target.durationMs > 0 ? (target.sqlBytes * 1000) / target.durationMs : null
