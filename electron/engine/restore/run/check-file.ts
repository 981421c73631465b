import { createHash } from 'node:crypto'
import { open, type FileHandle } from 'node:fs/promises'
import { Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { readRecordedSha256 } from '../../backup/metadata.ts'
import { HashTap } from '../../backup/output-file.ts'
import { SqlScanner } from '../../backup/sql-scanner.ts'
import { EngineError, toEngineError } from '../../errors.ts'
import type { BackupRef } from '../remote-source.ts'
import { openSqlSource } from '../sql-source.ts'

export interface FileCheck {
  /** The SQL read, when the check decompressed the file (null: the recorded sha256 was enough). */
  sqlBytes: number | null
  sha256: string
  /** What was compared: the recorded sha256, the dump's completion trailer. */
  checked: string[]
}

/**
 * `checksum`: when the metadata records the file's sha256, comparing it and opening the file's first bytes
 * with the key (WrongKey) is the whole check — the file is byte for byte the one the backup wrote and
 * checked; without one, the full check. `full`: always every layer (--verify-first).
 */
export type FileCheckDepth = 'checksum' | 'full'

/** A dump whose header says it was written by mariadb-dump / mysqldump ends with their trailer. */
const DUMP_HEADER = /^-- (?:MariaDB|MySQL) dump /m

/**
 * Reads a backup end to end before a restore touches the server (see FileCheckDepth). The full check is the
 * engine's verify (every
 * encrypted chunk authenticated, the compression stream whole, the sha256 recorded in the metadata, the
 * dump's completion trailer) — with the codec taken from the content, so a `backup.sql` that holds
 * zstd + encryption is checked as what it is. A wrong key, a damaged or truncated file are named errors
 * (WrongKey, CorruptFile, ChecksumMismatch, IncompleteDump). The trailer is required only of dumps whose
 * header says mariadb-dump/mysqldump wrote them (other SQL files need not have one).
 * @throws EngineError; an abort of `signal` rejects with the abort.
 */
export async function checkBackupFile(
  file: string | BackupRef,
  key: string | null,
  signal: AbortSignal,
  onBytes?: (fileBytes: number) => void,
  depth: FileCheckDepth = 'full',
): Promise<FileCheck> {
  const ref = typeof file === 'string' ? { file } : file
  const path = ref.file
  // A file on a destination is read once, through every layer (one download, no second one for the key);
  // its stream compares the sha256 its metadata there records when it ends (remote-source.ts).
  const recorded = ref.remote ? { sha256: null } : await readRecordedSha256(path)
  if (depth === 'checksum' && recorded.sha256 !== null) {
    // Both at once (the key's derivation runs on the thread pool while the file is hashed); a mismatch is
    // still the error named first.
    const [hashed, opened] = await Promise.allSettled([
      hashFile(path, signal, onBytes),
      readFirstBytes(path, key, signal),
    ])
    if (hashed.status === 'rejected') throw hashed.reason
    const sha256 = hashed.value
    if (sha256 !== recorded.sha256) throw checksumMismatch(path, sha256, recorded.sha256)
    if (opened.status === 'rejected') throw opened.reason
    return { sqlBytes: null, sha256, checked: ['sha256', 'key'] }
  }
  const sql = await openSqlSource(ref, key)
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
  if (sql.recordedSha256) checked.push('sha256')
  if (recorded.sha256 !== null) {
    if (recorded.sha256 !== sha256) throw checksumMismatch(path, sha256, recorded.sha256)
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

/**
 * The file's sha256, read into one reused buffer: a fresh 1 MiB buffer per read (a read stream) costs a new
 * process several times the hashing itself in page faults and GC.
 */
async function hashFile(
  path: string,
  signal: AbortSignal,
  onBytes: ((fileBytes: number) => void) | undefined,
): Promise<string> {
  const hash = createHash('sha256')
  const buf = Buffer.allocUnsafe(HASH_READ_BYTES)
  let total = 0
  let file: FileHandle | undefined
  try {
    file = await open(path, 'r')
    for (;;) {
      signal.throwIfAborted()
      const { bytesRead } = await file.read(buf, 0, buf.length, null)
      if (bytesRead === 0) break
      hash.update(buf.subarray(0, bytesRead))
      total += bytesRead
      onBytes?.(total)
    }
  } catch (e) {
    if (signal.aborted) throw e
    throw toEngineError(e, path)
  } finally {
    await file?.close()
  }
  return hash.digest('hex')
}

const HASH_READ_BYTES = 4 << 20

const checksumMismatch = (path: string, sha256: string, recorded: string): EngineError =>
  new EngineError(
    'ChecksumMismatch',
    `${path}: sha256 ${sha256} differs from the ${recorded} recorded in its metadata`,
  )

/** Decrypts and decompresses the file's first bytes: a wrong key (or codec) fails here, as it would later. */
async function readFirstBytes(path: string, key: string | null, signal: AbortSignal): Promise<void> {
  const sql = await openSqlSource(path, key)
  const enough = new AbortController()
  let got = false
  const sink = new Writable({
    write: (_c, _e, cb) => {
      got = true
      enough.abort()
      cb()
    },
  })
  try {
    await pipeline([sql.file, ...sql.stages, sink], { signal: AbortSignal.any([signal, enough.signal]) })
  } catch (e) {
    if (signal.aborted) throw e
    if (!got) throw toEngineError(e, path)
  }
}
