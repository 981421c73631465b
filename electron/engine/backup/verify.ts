import { Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { AppError } from '../../../shared/result.ts'
import { EngineError, toEngineError } from '../errors.ts'
import { createSqlTextGuard, openBackupStages, type BackupLayers } from './backup-reader.ts'
import { readRecordedSha256 } from './metadata.ts'
import { HashTap } from './output-file.ts'
import { SqlScanner } from './sql-scanner.ts'

export type CheckState = 'ok' | 'failed' | 'skipped'

export interface VerifyReport {
  ok: boolean
  file: string
  layers: BackupLayers | null
  bytes: number
  sqlBytes: number
  sha256: string | null
  recordedSha256: string | null
  checks: { container: CheckState; compression: CheckState; trailer: CheckState; checksum: CheckState }
  notes: string[]
  error: AppError | null
}

/**
 * Reads the whole backup without writing anything: the encrypted container (every chunk authenticated, end
 * marker present), the compression stream, the dump's completion trailer and the sha256 recorded in
 * `<file>.meta.json`. `ok` only when every check that applies holds. `signal` stops the reading (the report
 * then carries the abort as its error); `onProgress` hears the bytes of the file read so far, per chunk.
 */
export async function verifyBackup(
  path: string,
  key: string | null,
  signal?: AbortSignal,
  onProgress?: (bytesRead: number) => void,
): Promise<VerifyReport> {
  const report: VerifyReport = {
    ok: false,
    file: path,
    layers: null,
    bytes: 0,
    sqlBytes: 0,
    sha256: null,
    recordedSha256: null,
    checks: { container: 'skipped', compression: 'skipped', trailer: 'skipped', checksum: 'skipped' },
    notes: [],
    error: null,
  }
  const fail = (e: unknown): VerifyReport => {
    report.error = toEngineError(e).toAppError()
    return report
  }
  let opened
  try {
    opened = await openBackupStages(path, key)
  } catch (e) {
    return fail(e)
  }
  report.layers = opened.layers
  const hash = new HashTap(onProgress)
  const scanner = new SqlScanner(() => {})
  const sink = new Writable({ write: (_c, _e, cb) => cb() })
  try {
    await pipeline(
      [opened.source, hash, ...opened.stages, createSqlTextGuard(), scanner, sink],
      signal ? { signal } : {},
    )
  } catch (e) {
    const error = toEngineError(e)
    if (error.code === 'InvalidInput') {
      if (opened.layers.encrypted) report.checks.container = 'ok'
    } else if (opened.layers.encrypted && (error.code === 'WrongKey' || error.code === 'CorruptFile')) {
      // The decryptor reports its own failures; anything else after it is the compression layer's.
      report.checks.container = 'failed'
    } else if (opened.layers.compression !== 'none') {
      if (opened.layers.encrypted) report.checks.container = 'ok'
      report.checks.compression = 'failed'
    }
    return fail(error)
  }
  report.bytes = hash.bytes
  report.sqlBytes = scanner.bytes
  report.sha256 = hash.digest()
  if (opened.layers.encrypted) report.checks.container = 'ok'
  if (opened.layers.compression !== 'none') report.checks.compression = 'ok'
  report.checks.trailer = scanner.completed ? 'ok' : 'failed'

  const recorded = await readRecordedSha256(path)
  report.recordedSha256 = recorded.sha256
  if (recorded.sha256) {
    report.checks.checksum = recorded.sha256 === report.sha256 ? 'ok' : 'failed'
  } else {
    report.notes.push(
      recorded.found
        ? 'the metadata records no sha256 (an sfDBTools backup?): the file hash was not compared'
        : 'no .meta.json next to the file: the file hash was not compared',
    )
  }
  if (report.checks.checksum === 'failed') {
    return fail(
      new EngineError(
        'ChecksumMismatch',
        `sha256 ${report.sha256} differs from the recorded ${recorded.sha256}`,
      ),
    )
  }
  if (report.checks.trailer === 'failed') {
    return fail(
      new EngineError('IncompleteDump', 'the SQL does not end with the dump\'s "-- Dump completed" line'),
    )
  }
  report.ok = true
  return report
}
