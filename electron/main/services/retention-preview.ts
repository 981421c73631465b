/**
 * What a retention policy would remove now, for the Settings page before the policy is saved: the same
 * engine functions as the cleanup after a backup (scanBackups → planRetention → applyRetention), the last
 * one in its dry run, so nothing is removed. The cleanup after a backup looks at the backup's folder (and
 * its sub-folders) for the databases and server just backed up; the preview looks at every backup of the
 * folder, which is what those cleanups remove as each database is backed up again.
 */
import { resolve } from 'node:path'
import type { RetentionPreview } from '../../../shared/ipc.ts'
import { backupDate } from '../../engine/catalog/catalog-entry.ts'
import { scanBackups } from '../../engine/catalog/scan.ts'
import { applyRetention, planRetention, type RetentionPolicy } from '../../engine/retention/retention.ts'

export async function previewRetention(
  outputDir: string,
  policy: RetentionPolicy,
  now: Date = new Date(),
): Promise<RetentionPreview> {
  const folder = resolve(outputDir)
  const scan = await scanBackups([folder])
  const plan = planRetention(scan.entries, policy, now)
  const result = await applyRetention(plan, { dryRun: true, roots: [folder] })
  const backups = result.backups
    .filter((b) => b.files.length > 0)
    .sort((a, b) => (backupDate(a.entry)?.getTime() ?? 0) - (backupDate(b.entry)?.getTime() ?? 0))
    .map((b) => ({
      backupFile: b.entry.backupFile,
      databases: b.entry.databases,
      startedAt: backupDate(b.entry)?.toISOString() ?? null,
      files: b.files.map((f) => ({ path: f.path, bytes: f.bytes, role: f.role })),
    }))
  return {
    folder,
    backups,
    files: backups.reduce((n, b) => n + b.files.length, 0),
    bytesFreed: result.bytesFreed,
    kept: plan.keep.length,
    problems: [...scan.problems, ...result.errors],
  }
}
