import { readFile } from 'node:fs/promises'
import type { RetentionPlan } from './retention.ts'

/** Whether a backup's metadata records at least one verified offsite copy (`copies[].verified_at`). */
export function hasVerifiedCopy(meta: unknown): boolean {
  const copies = (meta as { copies?: unknown } | null)?.copies
  return (
    Array.isArray(copies) &&
    copies.some((c) => typeof (c as { verified_at?: unknown } | null)?.verified_at === 'string')
  )
}

/**
 * The retention rule of runs that copy offsite: a backup whose metadata records no verified copy stays,
 * whatever its age, until a copy of it succeeds. Moves such backups from `remove` to `keep`.
 */
export async function keepUncopied(plan: RetentionPlan): Promise<RetentionPlan> {
  const remove: RetentionPlan['remove'] = []
  const keep = [...plan.keep]
  const reasons = new Map(plan.reasons)
  for (const entry of plan.remove) {
    const meta: unknown = await readFile(entry.metaPath, 'utf8')
      .then((t) => JSON.parse(t) as unknown)
      .catch(() => null)
    if (hasVerifiedCopy(meta)) remove.push(entry)
    else {
      keep.push(entry)
      reasons.set(entry.metaPath, 'no verified offsite copy yet: kept until one succeeds')
    }
  }
  return { ...plan, remove, keep, reasons }
}
