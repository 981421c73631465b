/** A complete New-backup request (the IPC contract's shape) for tests: one database, zstd 3, no encryption. */
import type { BackupRequestInput } from '../../shared/ipc.ts'

export function backupRequest(changes: Partial<BackupRequestInput> = {}): BackupRequestInput {
  return {
    profile: 'prod',
    mode: 'single',
    databases: ['shop'],
    companions: [],
    excludeDatabases: [],
    excludeSystem: true,
    excludeEmpty: false,
    excludeData: false,
    excludeUser: false,
    captureGtid: false,
    compression: { type: 'zstd', level: 3 },
    encrypt: false,
    outputDir: '/backups',
    namePattern: 'default',
    ticket: 'CHG-1',
    parallel: 1,
    ...changes,
  }
}
