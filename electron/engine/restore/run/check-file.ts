import { Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { readRecordedSha256 } from '../../backup/metadata.ts'
import { HashTap } from '../../backup/output-file.ts'
import { SqlScanner } from '../../backup/sql-scanner.ts'
import { EngineError, toEngineError } from '../../errors.ts'
import { openSqlSource } from '../sql-source.ts'

export interface FileCheck {
  sqlBytes: number
  sha256: string
  /** What was compared: the recorded sha256, the dump's completion trailer. */
  checked: string[]
}

/** A dump whose header says it was written by mariadb-dump / mysqldump ends with their trailer. */
const DUMP_HEADER = /^-- (?:MariaDB|MySQL) dump /m

/**
 * Reads a backup end to end before a restore touches the server, as the engine's verify does (every
 * encrypted chunk authenticated, the compression stream whole, the sha256 recorded in the metadata, the
 * dump's completion trailer) — with the codec taken from the content, so a `backup.sql` that holds
 * zstd + encryption is checked as what it is. A wrong key, a damaged or truncated file are named errors
 * (WrongKey, CorruptFile, ChecksumMismatch, IncompleteDump). The trailer is required only of dumps whose
 * header says mariadb-dump/mysqldump wrote them (other SQL files need not have one).
 * @throws EngineError; an abort of `signal` rejects with the abort.
 */
export async function checkBackupFile(
  path: string,
  key: string | null,
  signal: AbortSignal,
  onBytes?: (fileBytes: number) => void,
): Promise<FileCheck> {
  const sql = await openSqlSource(path, key)
  const hash = new HashTap(onBytes)
  const scanner = new SqlScanner(() => {})
  const sink = new Writable({ write: (_c, _e, cb) => cb() })
  try {
    await pipeline([sql.file, hash, ...sql.stages, scanner, sink], { signal })
  } catch (e) {
    if (signal.aborted) throw e
    throw toEngineError(e, path)
  }
  const sha256 = hash.digest()
  const checked: string[] = []
  const recorded = await readRecordedSha256(path)
  if (recorded.sha256 !== null) {
    if (recorded.sha256 !== sha256) {
      throw new EngineError(
        'ChecksumMismatch',
        `${path}: sha256 ${sha256} differs from the ${recorded.sha256} recorded in its metadata`,
      )
    }
    checked.push('sha256')
  }
  if (DUMP_HEADER.test(scanner.head.slice(0, 4096))) {
    if (!scanner.completed) {
      throw new EngineError(
        'IncompleteDump',
        `${path}: the SQL does not end with the dump's "-- Dump completed" line: the file is truncated`,
      )
    }
    checked.push('trailer')
  }
  return { sqlBytes: scanner.bytes, sha256, checked }
}
