import type { LogLevel } from '../../../shared/job-protocol.ts'
import { backupDate, isSuccessful, type CatalogEntry } from '../catalog/catalog-entry.ts'
import { scanBackups } from '../catalog/scan.ts'
import { EngineError } from '../errors.ts'
import { applyRetention, type RetentionResult } from './apply-retention.ts'
import { keepUncopied } from './offsite-guard.ts'

export { applyRetention } from './apply-retention.ts'
export type { BackupRemoval, FileError, RemovedFile, RetentionResult } from './apply-retention.ts'

export interface RetentionPolicy {
  /** Backups older than this many calendar days may go; 0 turns retention off. */
  retentionDays: number
  /** The newest this-many successful backups of each group always stay, however old. */
  minBackups: number
}

/** Limits a plan to some backups; everything outside the scope is neither kept nor removed. */
export interface RetentionScope {
  /** Backups containing any of these databases. */
  databases?: string[]
  /** Backups of this server: its @@hostname, its host, or host:port. */
  host?: string
}

export interface RetentionPlan {
  remove: CatalogEntry[]
  keep: CatalogEntry[]
  /** Why each backup is kept or removed, by `metaPath`. */
  reasons: Map<string, string>
  /** Backups started before this may be removed; null when retention is off. */
  cutoff: Date | null
}

/** The server a backup came from: its @@hostname, else host:port (sfDBTools omits the host in some modes). */
export const serverIdentity = (e: CatalogEntry): string =>
  (e.hostname ?? (e.host ? `${e.host}:${e.port ?? 3306}` : 'unknown server')).toLowerCase()

/** Backups of the same database set from the same server compete for the same `minBackups` slots. */
export const retentionGroup = (e: CatalogEntry): string =>
  `${[...new Set(e.databases)].sort().join(',')}@${serverIdentity(e)}`

function inScope(e: CatalogEntry, scope: RetentionScope | undefined): boolean {
  const dbs = scope?.databases ?? []
  if (dbs.length > 0 && !e.databases.some((d) => dbs.includes(d))) return false
  const host = scope?.host?.toLowerCase()
  if (!host) return true
  const ids = [e.hostname, e.host, e.host && e.port ? `${e.host}:${e.port}` : null]
  return ids.some((id) => id?.toLowerCase() === host)
}

/** `days` calendar days before `now`, local time (as sfDBTools' `AddDate(0, 0, -days)`). */
function cutoffOf(now: Date, days: number): Date {
  const cutoff = new Date(now)
  cutoff.setDate(cutoff.getDate() - days)
  return cutoff
}

function checkPolicy(policy: RetentionPolicy): void {
  for (const [name, v] of Object.entries(policy)) {
    if (!Number.isSafeInteger(v) || v < 0) {
      throw new EngineError('InvalidInput', `retention ${name} must be a whole number ≥ 0, got ${v}`)
    }
  }
}

const byDateDesc = (a: CatalogEntry, b: CatalogEntry): number =>
  (backupDate(b)?.getTime() ?? -Infinity) - (backupDate(a)?.getTime() ?? -Infinity) || 0

/**
 * Decides which backups go. Within each group (same database set, same server) the newest `minBackups`
 * successful backups whose dump exists always stay; any other backup started more than `retentionDays`
 * calendar days before `now` goes. Failed or missing dumps never count toward `minBackups`. A backup with
 * no known date stays. `retentionDays` 0 keeps everything. Pure: reads no file.
 * @throws EngineError('InvalidInput') for a negative or fractional policy value.
 */
export function planRetention(
  entries: CatalogEntry[],
  policy: RetentionPolicy,
  now: Date,
  scope?: RetentionScope,
): RetentionPlan {
  checkPolicy(policy)
  const plan: RetentionPlan = { remove: [], keep: [], reasons: new Map(), cutoff: null }
  const considered = entries.filter((e) => inScope(e, scope))
  if (policy.retentionDays === 0) {
    for (const e of considered) plan.reasons.set(e.metaPath, 'retention is off (0 days)')
    plan.keep.push(...considered)
    return plan
  }
  const cutoff = cutoffOf(now, policy.retentionDays)
  plan.cutoff = cutoff
  const groups = Map.groupBy(considered, retentionGroup)
  for (const group of groups.values()) {
    let kept = 0
    for (const e of group.sort(byDateDesc)) {
      const date = backupDate(e)
      const counts = isSuccessful(e) && e.fileExists !== false
      if (counts && kept < policy.minBackups) {
        kept++
        plan.keep.push(e)
        plan.reasons.set(e.metaPath, `one of the newest ${policy.minBackups} successful backups`)
      } else if (date === null) {
        plan.keep.push(e)
        plan.reasons.set(e.metaPath, 'no backup date known')
      } else if (date < cutoff) {
        const why = isSuccessful(e) ? '' : `, status ${e.status}`
        plan.remove.push(e)
        plan.reasons.set(e.metaPath, `older than ${policy.retentionDays} days${why}`)
      } else {
        plan.keep.push(e)
        plan.reasons.set(e.metaPath, `within ${policy.retentionDays} days`)
      }
    }
  }
  return plan
}

export interface CleanupAfterBackupOptions {
  outputDir: string
  /** The databases just backed up: only backups containing them are considered. */
  databases: string[]
  /** The server just backed up (hostname or host). */
  host?: string
  policy: RetentionPolicy
  log: (level: LogLevel, message: string) => void
  now?: Date
  /** The run copies offsite: a backup without a verified copy in its metadata is kept (offsite-guard.ts). */
  requireOffsiteCopy?: boolean
}

/**
 * Retention after a successful backup, limited to the backed-up databases and server. Never throws: the
 * backup already succeeded, so a cleanup problem is a warning. Returns null when retention is off or failed.
 */
export async function cleanupAfterBackup(
  options: CleanupAfterBackupOptions,
): Promise<RetentionResult | null> {
  const { outputDir, databases, host, policy, log } = options
  if (policy.retentionDays <= 0) return null
  try {
    const scan = await scanBackups([outputDir])
    for (const p of scan.problems) log('warn', `cleanup: skipped ${p.path}: ${p.message}`)
    const scope: RetentionScope = host ? { databases, host } : { databases }
    const planned = planRetention(scan.entries, policy, options.now ?? new Date(), scope)
    const plan = options.requireOffsiteCopy ? await keepUncopied(planned) : planned
    const result = await applyRetention(plan, { dryRun: false, roots: [outputDir] })
    for (const b of result.backups) {
      if (b.files.length > 0) log('info', `cleanup: removed ${b.entry.backupFile} (${b.reason})`)
    }
    for (const e of result.errors) log('warn', `cleanup: could not remove ${e.path}: ${e.message}`)
    return result
  } catch (e) {
    log('warn', `cleanup after backup failed: ${e instanceof Error ? e.message : String(e)}`)
    return null
  }
}
