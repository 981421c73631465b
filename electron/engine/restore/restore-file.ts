import { spawn as nodeSpawn } from 'node:child_process'
import { pipeline } from 'node:stream/promises'
import type { CompressionType } from '../../../shared/backup-types.ts'
import type { ConnectionSettings, LogLevel } from '../../../shared/job-protocol.ts'
import { watchClient } from '../dump/client-process.ts'
import { createDefaultsFile } from '../dump/defaults-file.ts'
import { EngineError, toEngineError } from '../errors.ts'
import { mapMysqlError, openConnection } from '../mysql/connection.ts'
import { withTunnel, type HostKeyPolicy } from '../ssh/tunnel.ts'
import {
  clientArgs,
  clientExitError,
  findClientBinary,
  parseClientError,
  type ClientBinary,
  type ClientError,
} from './client-binary.ts'
import { ClientInput, type RunningClient } from './client-input.ts'
import { RestoreProgressTracker, type RestoreProgress } from './restore-progress.ts'
import { RestoreScanner, type DatabaseOptions } from './restore-scanner.ts'
import { openSqlSource, readSqlLine } from './sql-source.ts'

export interface RestoreFileOptions {
  /** The backup: ours or sfDBTools', encrypted or not, any codec (found from its content), or plain SQL. */
  file: string
  /** The backup key; required for an encrypted file. */
  key: string | null
  /** The target server (through its SSH tunnel when it has one, with its TLS settings). */
  connection: ConnectionSettings
  /** The target database: created when missing; the dump's own database name is never written to. */
  database: string
  signal: AbortSignal
  onProgress?: (p: RestoreProgress) => void
  onLog?: (level: LogLevel, message: string) => void
  /** A configured SQL client (path or name); else `mariadb`, then `mysql` on PATH. */
  clientBinary?: string | null
  /** The SQL size when known (the backup's metadata): progress is then a fraction of it, else of the file. */
  totalSqlBytes?: number | null
  /** The number of tables when known, for "tables done of total". */
  totalTables?: number | null
  /** How an unknown SSH host key is handled (the CLI asks on a terminal; a job refuses). */
  hostKeyPolicy?: HostKeyPolicy
  /** Starts the client process; node's spawn. Tests pass their own to watch the arguments. */
  spawn?: typeof nodeSpawn
}

export interface RestoreFileResult {
  /** 'cancelled': stopped on request — the client was killed and the target is partly restored. */
  status: 'success' | 'cancelled'
  database: string
  /** The database the dump names in its `USE` / `CREATE DATABASE` lines, if any (never written to). */
  sourceDatabase: string | null
  /** Whether the restore created the target database (it did not exist). */
  createdDatabase: boolean
  /** SQL bytes read from the file and given to the client. */
  sqlBytes: number
  /** The file's compression, from its content. */
  compression: CompressionType | null
  encrypted: boolean
  durationMs: number
  /** Tables whose definition or rows the dump holds (distinct names of `CREATE TABLE` / `INSERT INTO`). */
  tables: number
  /** E.g. the SQL does not end with the dump's completion trailer, or the client's warnings. */
  warnings: string[]
  client: { path: string; version: string }
}

const quoteName = (name: string): string => '`' + name.replace(/`/g, '``') + '`'

/**
 * The first, line-level restore (kept working; the engine's entry is now the statement-level loader,
 * load/load-sql.ts, which adds sections, parallel loading, force, statement numbers and an inventory).
 *
 * Restores ONE backup file into ONE database, sequentially, the way `mariadb db < dump.sql` would — but
 * streamed from the encrypted, compressed file with constant memory, with credentials in a private 0600
 * defaults file (never argv, never the environment), the profile's TLS settings and SSH tunnel, progress,
 * cancel, and named errors:
 *
 *   file → decrypt → decompress (codec from the content) → RestoreScanner (bytes, tables, the dump's
 *   database lines pointed at the target) → `mariadb|mysql --defaults-extra-file=… <database>` stdin
 *
 * The first SQL error stops the restore (SqlError naming the line and the server's message; the target is
 * then partly restored). A wrong key or an unreadable container fails before anything is done on the
 * server: the target is created and the client started only when the first SQL bytes are there. A damaged
 * file found later (a truncated stream) is CorruptFile and the client is killed before it could run the
 * statement it was reading. A cancel kills the client and resolves with status 'cancelled'.
 */
export async function restoreFile(options: RestoreFileOptions): Promise<RestoreFileResult> {
  if (!options.database.trim()) throw new EngineError('InvalidInput', 'no target database was given')
  const binary = await findClientBinary(options.clientBinary)
  options.onLog?.('info', `SQL client ${binary.path} (${binary.versionLine})`)
  return withTunnel(options.connection, (direct) => restoreDirect(options, direct, binary), {
    warn: (m) => options.onLog?.('warn', m),
    ...options.hostKeyPolicy,
  })
}

async function restoreDirect(
  options: RestoreFileOptions,
  direct: ConnectionSettings,
  binary: ClientBinary,
): Promise<RestoreFileResult> {
  const started = Date.now()
  const { database, signal } = options
  let compression: CompressionType | null = null
  const sql = await openSqlSource(options.file, options.key, (type) => {
    compression = type
  })
  const progress = new RestoreProgressTracker({
    database,
    totalSqlBytes: options.totalSqlBytes ?? null,
    totalTables: options.totalTables ?? null,
    fileSize: sql.fileSize,
    fileBytes: () => sql.file.bytesRead,
    emit: options.onProgress ?? (() => {}),
  })
  const scanner = new RestoreScanner(database, {
    onTable: (t) => progress.onTable(t),
    onBytes: (n) => progress.onSqlBytes(n),
  })
  let createdDatabase = false
  const input = new ClientInput(async () => {
    createdDatabase = await createDatabaseIfMissing(direct, database, scanner.databaseOptions)
    return startClient(binary, direct, database, options.spawn ?? nodeSpawn)
  })

  // A cancel after the last byte was written still stops a client that is running the last statements.
  const onAbort = (): void => input.kill()
  signal.addEventListener('abort', onAbort, { once: true })
  let failure: unknown = null
  try {
    await pipeline([sql.file, ...sql.stages, scanner, input], { signal })
  } catch (e) {
    failure = e
  }
  const exit = await input.exited() // never rejects
  signal.removeEventListener('abort', onAbort)
  const result = (status: RestoreFileResult['status'], warnings: string[] = []): RestoreFileResult => ({
    status,
    database,
    sourceDatabase: scanner.sourceDatabase,
    createdDatabase,
    sqlBytes: scanner.bytes,
    compression,
    encrypted: sql.encrypted,
    durationMs: Date.now() - started,
    tables: scanner.tables.size,
    warnings,
    client: { path: binary.path, version: binary.versionLine },
  })

  const clientFailed = exit !== null && (exit.code !== 0 || exit.signal !== null)
  if (failure !== null || clientFailed) {
    progress.finish(false)
    if (signal.aborted) return result('cancelled')
    // A client that stopped by itself (a refused statement, a lost connection) explains the broken pipe;
    // otherwise the input failed (wrong key, damaged file) and this side killed the client.
    if (exit !== null && clientFailed && !input.killedClient) {
      throw await withStatement(clientExitError(exit, database), parseClientError(exit.stderrTail), options)
    }
    throw toEngineError(failure)
  }
  const warnings: string[] = []
  if (!scanner.completed) {
    warnings.push(
      'the SQL does not end with the dump\'s "-- Dump completed" line: the file may be truncated ' +
        '(or was written without comments)',
    )
  }
  const stderr = exit?.stderrTail.trim()
  if (stderr) warnings.push(stderr)
  progress.finish(true)
  return result('success', warnings)
}

/** Creates the target database when it does not exist, like the dump's own; true when it created it. */
export async function createDatabaseIfMissing(
  direct: ConnectionSettings,
  database: string,
  like: DatabaseOptions | null,
): Promise<boolean> {
  const conn = await openConnection(direct)
  try {
    const spec =
      (like?.charset ? ` CHARACTER SET ${like.charset}` : '') +
      (like?.collation ? ` COLLATE ${like.collation}` : '')
    const [header] = await conn.query(`CREATE DATABASE IF NOT EXISTS ${quoteName(database)}${spec}`)
    return (header as { affectedRows?: number }).affectedRows === 1
  } catch (e) {
    throw mapMysqlError(e, direct, database)
  } finally {
    await conn.end().catch(() => {})
  }
}

/** Starts the client with its credentials in a 0600 defaults file, removed as soon as it exits. */
async function startClient(
  binary: ClientBinary,
  direct: ConnectionSettings,
  database: string,
  spawn: typeof nodeSpawn,
): Promise<RunningClient> {
  const defaults = await createDefaultsFile(direct, binary.flavor)
  let child
  try {
    child = spawn(binary.path, [`--defaults-extra-file=${defaults.path}`, ...clientArgs(database)], {
      stdio: ['pipe', 'ignore', 'pipe'],
      windowsHide: true,
    })
  } catch (e) {
    await defaults.remove()
    throw new EngineError('ClientBinaryMissing', `cannot start ${binary.path}: ${(e as Error).message}`, {
      cause: e,
    })
  }
  const watched = watchClient(child, defaults)
  const stdin = child.stdin
  if (stdin === null) throw new EngineError('Internal', 'the SQL client has no stdin')
  // Write errors (EPIPE once the client stopped) reach the pipeline through the write callbacks.
  stdin.on('error', () => {})
  return {
    stdin,
    exited: watched.exited,
    kill: () => watched.kill(true),
    running: () => child.exitCode === null && child.signalCode === null,
  }
}

/** Adds the start of the failing statement's line to a SqlError's detail (the SQL is read again to it). */
async function withStatement(
  error: EngineError,
  parsed: ClientError | null,
  options: RestoreFileOptions,
): Promise<EngineError> {
  const line = parsed?.line
  if (error.code !== 'SqlError' || line === null || line === undefined) return error
  const text = await readSqlLine(options.file, options.key, line, 200).catch(() => null)
  if (text === null) return error
  return new EngineError(error.code, error.message, {
    detail: `line ${line}: ${text}${error.detail ? `\n\n${error.detail}` : ''}`,
  })
}
