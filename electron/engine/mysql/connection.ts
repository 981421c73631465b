import mysql from 'mysql2/promise'
import type { ConnectionSettings } from '../../../shared/job-protocol.ts'
import { EngineError } from '../errors.ts'

export type Connection = mysql.Connection
export type Row = mysql.RowDataPacket

const CONNECT_TIMEOUT_MS = 10_000

/** Where a DBA would say the connection goes, without any secret. */
export function describeTarget(s: ConnectionSettings): string {
  return s.socket ? `${s.user}@localhost (socket ${s.socket})` : `${s.user}@${s.host}:${s.port}`
}

/** Opens a connection with mysql2 and maps the failures a DBA meets to named errors. */
export async function openConnection(settings: ConnectionSettings, database?: string): Promise<Connection> {
  try {
    return await mysql.createConnection({
      ...(settings.socket ? { socketPath: settings.socket } : { host: settings.host, port: settings.port }),
      user: settings.user,
      password: settings.password,
      connectTimeout: CONNECT_TIMEOUT_MS,
      charset: 'utf8mb4_general_ci',
      dateStrings: true,
      supportBigNumbers: true,
      bigNumberStrings: true,
      ...(database ? { database } : {}),
    })
  } catch (e) {
    throw mapMysqlError(e, settings, database)
  }
}

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
