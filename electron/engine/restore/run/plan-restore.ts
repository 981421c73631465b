import type { RestorePlan, RestorePlanView } from '../../../../shared/restore-types.ts'
import type { HostKeyPolicy } from '../../ssh/tunnel.ts'

export interface PlanRestoreOptions {
  hostKeyPolicy?: HostKeyPolicy
  /** The time the pre-restore backup names are made from (tests). */
  now?: Date
}

/**
 * The dry-run of a restore: connects to the target server, inspects every target database (exists, size,
 * tables), decides create / load / replace / refuse, names the pre-restore backups, detects each file's
 * layers, and returns the view (no secret). Creates nothing. PROVISIONAL signature.
 */
export async function planRestore(
  plan: RestorePlan,
  options: PlanRestoreOptions = {},
): Promise<RestorePlanView> {
  void options
  throw new Error(`planRestore(${plan.mode}): not implemented yet`)
}
