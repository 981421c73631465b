import { basename, dirname } from 'node:path'
import type { BackupProgress } from '../../../../shared/backup-types.ts'
import type { LogLevel } from '../../../../shared/job-protocol.ts'
import type { RestorePlan } from '../../../../shared/restore-types.ts'
import { planBackup } from '../../backup/plan-backup.ts'
import { runBackup } from '../../backup/run-backup.ts'
import { EngineError, toEngineError } from '../../errors.ts'
import type { HostKeyPolicy } from '../../ssh/tunnel.ts'

export interface PreBackupOptions {
  signal: AbortSignal
  onLog?: (level: LogLevel, message: string) => void
  hostKeyPolicy?: HostKeyPolicy
  /** Write a combined dump (`--databases`, USE lines), as an `all` restore reads it back. */
  combined?: boolean
  /** The backup engine's progress (throttled by it). */
  onProgress?: (p: BackupProgress) => void
}

/**
 * The pre-restore backup of `databases` (as they are now) into `path`, made with the project's own backup
 * engine: one database in mode single, several (or those of an `all` restore) in one combined file; the pre-backup's compression and key,
 * no grants file, metadata as for any backup. Resolves with the file written.
 * @throws EngineError naming the failure (nothing may be restored then); a cancel rejects with Cancelled.
 */
export async function preRestoreBackup(
  plan: RestorePlan,
  databases: string[],
  path: string,
  options: PreBackupOptions,
): Promise<string> {
  const pre = plan.preBackup
  if (pre === null) throw new EngineError('Internal', 'no pre-restore backup settings')
  // One database of a one-database restore: a plain dump (it restores under any name). For an `all`
  // restore a combined dump whose USE lines name its databases, even when there is only one.
  const one = databases.length === 1 && !options.combined
  try {
    const planned = await planBackup({
      mode: one ? 'single' : 'filter',
      profileName: plan.profileName,
      connection: plan.connection,
      ...(options.hostKeyPolicy ? { hostKeyPolicy: options.hostKeyPolicy } : {}),
      selection: {
        databases,
        ...(one ? {} : { filterMode: 'single-file' as const }),
        excludeDatabases: [],
        excludeSystem: false,
        excludeEmpty: false,
        companions: [],
      },
      ticket: plan.ticket,
      compression: pre.compression,
      encryptionKey: pre.encryptionKey,
      outputDir: dirname(path),
      fileName: basename(path),
      dumpBinary: pre.dumpBinary,
      extraDumpArgs: !one && databases.length === 1 ? ['--databases'] : [],
      excludeUser: true,
      captureGtid: false,
    })
    const result = await runBackup(planned.plan, {
      signal: options.signal,
      ...(options.onLog ? { onLog: options.onLog } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    })
    const target = result.targets[0]
    if (options.signal.aborted) throw new EngineError('Cancelled', 'the pre-restore backup was cancelled')
    if (!result.ok || !target?.file) {
      const why = target?.error ?? null
      throw new EngineError(why?.code ?? 'DumpFailed', why?.message ?? 'the backup engine wrote no file', {
        ...(why?.detail ? { detail: why.detail } : {}),
      })
    }
    return target.file
  } catch (e) {
    const error = toEngineError(e)
    if (error.code === 'Cancelled') throw error
    throw new EngineError(
      error.code,
      `the pre-restore backup of ${databases.join(', ')} failed, so nothing was restored: ${error.message}`,
      {
        ...(error.detail ? { detail: error.detail } : {}),
        ...(error.advice ? { advice: error.advice } : {}),
      },
    )
  }
}
