import { findClientProgram, SQL_CLIENT, type ClientProgram } from '../dump/client-program.ts'
import type { ClientExit } from '../dump/client-process.ts'
import { EngineError } from '../errors.ts'

/** The SQL client a restore pipes the dump into: MariaDB's `mariadb` or MySQL's `mysql`. */
export type ClientBinary = ClientProgram

/**
 * Finds the SQL client: a configured path wins; else `mariadb`, then `mysql` on PATH. Detects its flavor
 * (for the TLS options of its defaults file) and version from `--version`.
 */
export const findClientBinary = (configured?: string | null, pathEnv?: string): Promise<ClientBinary> =>
  findClientProgram(SQL_CLIENT, configured, pathEnv)

/**
 * The client's arguments after `--defaults-extra-file=…` (which holds the credentials and TLS settings and
 * must come first). No `--force`: the first SQL error stops the restore. `--binary-mode` keeps binary
 * strings intact (no `\r\n` translation, `\0` allowed) and leaves no client command but `DELIMITER` (and
 * `\C`) active, so a dump cannot run shell commands (`\!`) or read files (`source`) through the client.
 */
export function clientArgs(database: string): string[] {
  return [
    '--default-character-set=utf8mb4',
    '--max-allowed-packet=1G',
    '--binary-mode',
    '--batch',
    '--',
    database,
  ]
}

export interface ClientError {
  /** The server's (or client's) error number, e.g. 1064; null for the client's own "ERROR at line" messages. */
  errno: number | null
  sqlState: string | null
  /** The line of the SQL stream the failing statement is on, when the client names one. */
  line: number | null
  message: string
}

/**
 * The last error the client printed, from lines such as
 *   "ERROR 1064 (42000) at line 123: You have an error in your SQL syntax; …"
 *   "ERROR 1045 (28000): Access denied for user 'x'@'localhost' (using password: YES)"
 *   "ERROR at line 5: Unknown command '\x'."
 * (MariaDB 11 may add "in file: '…'" after the line number.)
 */
export function parseClientError(stderr: string): ClientError | null {
  const re =
    /^(?:\w+: )?ERROR(?: (\d+) \(([0-9A-Z]{5})\))?(?: at line (\d+))?(?: in file: '[^'\n]*')?: (.*)$/gm
  let last: ClientError | null = null
  for (const m of stderr.matchAll(re)) {
    last = {
      errno: m[1] === undefined ? null : Number(m[1]),
      sqlState: m[2] ?? null,
      line: m[3] === undefined ? null : Number(m[3]),
      message: (m[4] ?? '').trim(),
    }
  }
  return last
}

/** Server errors of the login or the connection itself, before any statement ran. */
const AUTH_ERRORS = new Set([1044, 1045, 1698])
const CONNECT_ERRORS = new Set([2002, 2003, 2005, 2026])
/** Errors of a connection lost during a statement: often a statement larger than max_allowed_packet. */
const LOST_ERRORS = new Set([2006, 2013])

/**
 * The EngineError for a client that exited with a failure: a statement the server refused is SqlError
 * naming the line; a refused login, an unreachable server or an unknown database before any statement get
 * their own codes. The detail is the client's stderr tail.
 */
export function clientExitError(exit: ClientExit, database: string): EngineError {
  const detail = exit.stderrTail.trim()
  const options = detail ? { detail } : {}
  const parsed = parseClientError(exit.stderrTail)
  if (exit.spawnFailed) {
    return new EngineError(
      'ClientBinaryMissing',
      `the SQL client could not be started: ${firstLine(detail)}`,
      options,
    )
  }
  if (parsed === null) {
    const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`
    const last = detail.split('\n').pop() ?? ''
    return new EngineError('SqlError', `the SQL client ${how}${last ? `: ${last}` : ''}`, options)
  }
  const server =
    parsed.errno === null ? parsed.message : `ERROR ${parsed.errno} (${parsed.sqlState}): ${parsed.message}`
  if (parsed.line === null && parsed.errno !== null) {
    if (AUTH_ERRORS.has(parsed.errno))
      return new EngineError('AuthFailed', `the server refused the login: ${parsed.message}`, options)
    if (CONNECT_ERRORS.has(parsed.errno))
      return new EngineError(
        'ConnectFailed',
        `the SQL client cannot reach the server: ${parsed.message}`,
        options,
      )
    if (parsed.errno === 1049)
      return new EngineError(
        'UnknownDatabase',
        `database '${database}' does not exist: ${parsed.message}`,
        options,
      )
  }
  const where = parsed.line === null ? 'the restore stopped' : `the statement at line ${parsed.line} failed`
  const hint =
    parsed.errno !== null && LOST_ERRORS.has(parsed.errno)
      ? ' (a statement larger than the server’s max_allowed_packet, or the server went away)'
      : ''
  return new EngineError('SqlError', `${where}: ${server}${hint}`, options)
}

const firstLine = (text: string): string => text.split('\n')[0] ?? ''
