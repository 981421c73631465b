import { toEngineError } from '../../errors.ts'
import { restoreFile } from '../restore-file.ts'
import type { LoadOptions, LoadResult } from './types.ts'

/**
 * Loads one backup file (see LoadOptions). PROVISIONAL adapter over the sequential restoreFile: one target
 * database, one client, no force, no inventory. The loader work replaces it.
 */
export async function loadSql(options: LoadOptions): Promise<LoadResult> {
  if (options.target.kind !== 'one') throw new Error('loadSql: sections are not implemented yet')
  const started = Date.now()
  try {
    const r = await restoreFile({
      file: options.file,
      key: options.key,
      connection: options.connection,
      database: options.target.database,
      signal: options.signal,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.onLog ? { onLog: options.onLog } : {}),
      clientBinary: options.clientBinary ?? null,
      totalSqlBytes: options.totalSqlBytes ?? null,
      totalTables: options.totalTables ?? null,
      ...(options.hostKeyPolicy ? { hostKeyPolicy: options.hostKeyPolicy } : {}),
      ...(options.spawn ? { spawn: options.spawn } : {}),
    })
    return {
      status: r.status,
      error: null,
      databases: [r.database],
      sourceDatabases: r.sourceDatabase ? [r.sourceDatabase] : [],
      skippedDatabases: [],
      createdDatabases: r.createdDatabase ? [r.database] : [],
      touched: true,
      sqlBytes: r.sqlBytes,
      compression: r.compression,
      encrypted: r.encrypted,
      durationMs: r.durationMs,
      tables: r.tables,
      rows: null,
      inventory: null,
      sqlErrors: [],
      warnings: r.warnings,
      client: r.client,
    }
  } catch (e) {
    const error = toEngineError(e)
    if (error.code !== 'SqlError') throw error
    return {
      status: 'failed',
      error: error.toAppError(),
      databases: [options.target.database],
      sourceDatabases: [],
      skippedDatabases: [],
      createdDatabases: [],
      touched: true,
      sqlBytes: 0,
      compression: null,
      encrypted: false,
      durationMs: Date.now() - started,
      tables: 0,
      rows: null,
      inventory: null,
      sqlErrors: [],
      warnings: [],
      client: { path: '', version: '' },
    }
  }
}
