/**
 * One database backed up by the engine itself (planBackup + runBackup), as the restore tests need their
 * inputs: a real backup file of any codec, encrypted or not, with its metadata.
 */
import { join } from 'node:path'
import type { CompressionType, TargetResult } from '../../shared/backup-types.ts'
import type { ConnectionSettings } from '../../shared/job-protocol.ts'
import { planBackup } from '../../electron/engine/backup/plan-backup.ts'
import { runBackup } from '../../electron/engine/backup/run-backup.ts'

export interface EngineBackupOptions {
  connection: ConnectionSettings
  database: string
  /** The backup goes to `<dir>/<name>`; the name is also its ticket. */
  dir: string
  name: string
  compression: CompressionType
  key: string | null
  fileName?: string
  excludeData?: boolean
  /** Write `<file>.users.sql` (default: no). */
  includeUsers?: boolean
  extraDumpArgs?: string[]
}

/** Backs up one database with the engine; throws unless it succeeded. Returns its target (file, sizes). */
export async function engineBackup(o: EngineBackupOptions): Promise<TargetResult & { file: string }> {
  const level = o.compression === 'zstd' ? 3 : o.compression === 'none' ? 0 : 6
  const { plan } = await planBackup({
    mode: 'single',
    profileName: 'restore-tests',
    connection: o.connection,
    selection: {
      databases: [o.database],
      excludeDatabases: [],
      excludeSystem: true,
      excludeEmpty: false,
      companions: [],
    },
    ticket: `T-${o.name}`,
    compression: { type: o.compression, level },
    encryptionKey: o.key,
    outputDir: join(o.dir, o.name),
    excludeUser: !o.includeUsers,
    ...(o.fileName ? { fileName: o.fileName } : {}),
    ...(o.excludeData ? { excludeData: true } : {}),
    ...(o.extraDumpArgs ? { extraDumpArgs: o.extraDumpArgs } : {}),
  })
  const result = await runBackup(plan, { signal: new AbortController().signal })
  const target = result.targets[0]
  if (!result.ok || !target?.file)
    throw new Error(`backup ${o.name} failed: ${JSON.stringify(result.targets)}`)
  return { ...target, file: target.file }
}
