import { readFile } from 'node:fs/promises'
import mysql from 'mysql2/promise'
import type { ConnectionSettings } from '../../../shared/job-protocol.ts'
import { EngineError } from '../errors.ts'

export type Connection = mysql.Connection
export type Row = mysql.RowDataPacket
type SslOptions = Exclude<mysql.ConnectionOptions['ssl'], string | undefined>

const CONNECT_TIMEOUT_MS = 10_000

/** Where a DBA would say the connection goes, without any secret. */
export function describeTarget(s: ConnectionSettings): string {
  return s.socket ? `${s.user}@localhost (socket ${s.socket})` : `${s.user}@${s.host}:${s.port}`
}

type TlsSettings = NonNullable<ConnectionSettings['tls']>

async function readPem(path: string, what: string): Promise<Buffer> {
  try {
    return await readFile(path)
  } catch (e) {
    throw new EngineError(
      'InvalidProfile',
      `cannot read the TLS ${what} file ${path}: ${(e as Error).message}`,
      {
        cause: e,
      },
    )
  }
}

/**
 * mysql2's TLS options for a profile's mode. verify-ca checks the chain against the profile's CA but not
 * the host name; verify-identity checks both; required encrypts without checking (as MySQL's REQUIRED).
 */
export async function tlsOptions(tls: TlsSettings | undefined): Promise<SslOptions | undefined> {
  if (!tls || tls.mode === 'disabled') return undefined
  const options: SslOptions = {}
  if (tls.ca) options.ca = await readPem(tls.ca, 'CA')
  if (tls.cert) options.cert = await readPem(tls.cert, 'client certificate')
  if (tls.key) options.key = await readPem(tls.key, 'client key')
  switch (tls.mode) {
    case 'preferred':
    case 'required':
      return { ...options, rejectUnauthorized: false }
    case 'verify-ca':
      return { ...options, rejectUnauthorized: true, verifyIdentity: false }
    case 'verify-identity':
      return { ...options, rejectUnauthorized: true, verifyIdentity: true }
  }
}

/** What a caller may add to a connection: a restore session sends statements as the client would. */
export interface ConnectionExtra {
  /** CLIENT_MULTI_STATEMENTS, as the `mariadb` client sets it (a statement may hold several). */
  multipleStatements?: boolean
}

/** Opens a connection with mysql2 and maps the failures a DBA meets to named errors. */
export async function openConnection(
  settings: ConnectionSettings,
  database?: string,
  extra: ConnectionExtra = {},
): Promise<Connection> {
  const ssl = await tlsOptions(settings.tls)
  try {
    return await connect(settings, ssl, database, extra)
  } catch (e) {
    // "preferred": TLS when the server offers it, plain otherwise (as MySQL's PREFERRED).
    if (settings.tls?.mode === 'preferred' && (e as MysqlError).code === 'HANDSHAKE_NO_SSL_SUPPORT') {
      return connect(settings, undefined, database, extra)
    }
    throw e
  }
}

async function connect(
  settings: ConnectionSettings,
  ssl: SslOptions | undefined,
  database: string | undefined,
  extra: ConnectionExtra,
): Promise<Connection> {
  try {
    return await mysql.createConnection({
      ...(ssl ? { ssl } : {}),
      ...(settings.socket ? { socketPath: settings.socket } : { host: settings.host, port: settings.port }),
      user: settings.user,
      password: settings.password,
      connectTimeout: CONNECT_TIMEOUT_MS,
      charset: 'utf8mb4_general_ci',
      dateStrings: true,
      supportBigNumbers: true,
      bigNumberStrings: true,
      ...(database ? { database } : {}),
      ...(extra.multipleStatements ? { multipleStatements: true } : {}),
    })
  } catch (e) {
    throw mapMysqlError(e, settings, database)
  }
}

/** Node's TLS verification failures. */
const TLS_ERRORS = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_SIGNATURE_FAILURE',
  'EPROTO',
  'HANDSHAKE_SSL_ERROR',
])

interface MysqlError {
  code?: string
  errno?: number
  sqlMessage?: string
  message?: string
}

/** mysql2 / server errors → EngineError. */
export function mapMysqlError(e: unknown, settings: ConnectionSettings, database?: string): EngineError {
  const m = (e ?? {}) as MysqlError
  const target = describeTarget(settings)
  const text = m.sqlMessage ?? m.message ?? String(e)
  if (
    (m.code !== undefined && TLS_ERRORS.has(m.code)) ||
    /certificate|self[- ]signed|\bssl\b|\btls\b/i.test(text)
  ) {
    return new EngineError(
      'ConnectFailed',
      `TLS to ${target} failed: ${text} — check the profile's ssl_ca (the CA that signed the server's certificate)` +
        ` and, for verify-identity, that the certificate names the host`,
      { detail: text, cause: e },
    )
  }
  if (m.code === 'HANDSHAKE_NO_SSL_SUPPORT') {
    return new EngineError(
      'ConnectFailed',
      `${target} does not offer TLS, but the profile requires it (ssl_mode)`,
      {
        cause: e,
      },
    )
  }
  switch (m.code) {
    case 'ER_ACCESS_DENIED_ERROR':
    case 'ER_ACCESS_DENIED_NO_PASSWORD_ERROR':
    case 'ER_NOT_SUPPORTED_AUTH_MODE':
      return new EngineError(
        'AuthFailed',
        `the server refused the login of ${target}: check the profile's user and password`,
        {
          detail: text,
          cause: e,
        },
      )
    case 'ER_DBACCESS_DENIED_ERROR':
      return new EngineError('AuthFailed', `${target} may not access database ${database ?? ''}`.trim(), {
        detail: text,
        cause: e,
      })
    case 'ER_BAD_DB_ERROR':
      return new EngineError('UnknownDatabase', `database '${database ?? '?'}' does not exist on ${target}`, {
        detail: text,
        cause: e,
      })
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENOENT':
    case 'PROTOCOL_CONNECTION_LOST':
      return new EngineError('ConnectFailed', `cannot reach the server at ${target} (${m.code})`, {
        detail: text,
        cause: e,
      })
    default:
      return new EngineError('ConnectFailed', `connection to ${target} failed: ${text}`, { cause: e })
  }
}
