import type { LogLevel } from '../../../../shared/job-protocol.ts'
import type {
  RestoreProgressView,
  RestoreTestReport,
  RestoreTestRequest,
} from '../../../../shared/restore-types.ts'
import type { HostKeyPolicy } from '../../ssh/tunnel.ts'

export interface RunRestoreTestOptions {
  signal: AbortSignal
  onProgress?: (p: RestoreProgressView) => void
  onLog?: (level: LogLevel, message: string) => void
  hostKeyPolicy?: HostKeyPolicy
}

/**
 * Restores one backup into a throwaway database `sfdb_restoretest_<db>_<ts>`, checks every object and each
 * table's row count against the dump, drops the database (also after a failure or cancel) and writes
 * `<backup>.restore-test.json`. PROVISIONAL signature.
 */
export async function runRestoreTest(
  request: RestoreTestRequest,
  options: RunRestoreTestOptions,
): Promise<RestoreTestReport> {
  void options
  throw new Error(`runRestoreTest(${request.file}): not implemented yet`)
}

/** The last restore test of a backup (`<backup>.restore-test.json`), or null. PROVISIONAL. */
export async function readLastRestoreTest(file: string): Promise<RestoreTestReport | null> {
  void file
  return null
}
