import type { LogLevel } from '../../../../shared/job-protocol.ts'
import type {
  RestoreItemResult,
  RestorePlan,
  RestoreProgressView,
  RestoreResult,
} from '../../../../shared/restore-types.ts'
import type { HostKeyPolicy } from '../../ssh/tunnel.ts'

export interface RunRestoreOptions {
  signal: AbortSignal
  onProgress?: (p: RestoreProgressView) => void
  onLog?: (level: LogLevel, message: string) => void
  /** Each item's result as it ends. */
  onItem?: (item: RestoreItemResult) => void
  hostKeyPolicy?: HostKeyPolicy
}

/**
 * Runs a restore plan: per item — inspect, refuse a non-empty target without dropTarget, check the file
 * before touching the server, pre-restore backup, drop, load, grants — then writes the restore log. Item
 * failures are in the result (never thrown); it throws only when it cannot start at all. PROVISIONAL.
 */
export async function runRestore(plan: RestorePlan, options: RunRestoreOptions): Promise<RestoreResult> {
  void options
  throw new Error(`runRestore(${plan.mode}): not implemented yet`)
}
