/**
 * The copy phase of a whole run, the same for the CLI's `--copy-to` (cli/offsite.ts) and the app's job
 * process (electron/jobs/offsite-run.ts): each written file and its companions to each destination
 * (copy-backup.ts), then each destination's own retention where it got a copy, then the run's local
 * retention, which keeps any backup without a verified copy. Never throws for a copy: a destination that
 * still fails leaves its target `success_with_warnings` and the local file.
 */
import { targetWritten, type BackupResult, type TargetResult } from '../../../shared/backup-types.ts'
import type { LogLevel } from '../../../shared/job-protocol.ts'
import { cleanupAfterBackup, type CleanupAfterBackupOptions } from '../retention/retention.ts'
import { copyBackupOffsite, withCopies, type OffsiteOptions } from './copy-backup.ts'
import { retentionAfterCopies } from './remote-retention.ts'
import type { RunDestination } from './session.ts'
import type { SftpHostKeys } from './sftp-copy.ts'

export interface RunCopyOptions {
  signal: AbortSignal
  hostKeys: SftpHostKeys
  onProgress?: OffsiteOptions['onProgress']
  onLog(level: LogLevel, message: string): void
  /** The run's local retention, applied after the copies; null when the run has none. */
  cleanup: Omit<CleanupAfterBackupOptions, 'log' | 'requireOffsiteCopy'> | null
}

export async function copyRunToDestinations(
  result: BackupResult,
  runs: RunDestination[],
  options: RunCopyOptions,
): Promise<BackupResult> {
  const { signal, hostKeys, onLog } = options
  if (runs.length === 0 || signal.aborted) return result
  const targets: TargetResult[] = []
  const copied = new Set<string>()
  for (const target of result.targets) {
    if (!targetWritten(target) || target.file === null || signal.aborted) {
      targets.push(target)
      continue
    }
    const outcome = await copyBackupOffsite(target.file, runs, {
      signal,
      hostKeys,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      onLog,
    })
    for (const c of outcome.copies) copied.add(c.destination)
    targets.push(withCopies(target, outcome))
  }
  // Each destination that got a copy applies its own retention (when it has one); a problem is a warning.
  for (const run of runs.filter((r) => copied.has(r.destination.name) && !signal.aborted))
    await retentionAfterCopies(run, hostKeys, onLog)
  const done: BackupResult = { ...result, targets }
  if (options.cleanup && !signal.aborted && result.ok)
    await cleanupAfterBackup({ ...options.cleanup, log: onLog, requireOffsiteCopy: true })
  return done
}
