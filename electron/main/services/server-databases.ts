/** What a server holds, for the New-backup form: every database with its size and whether it is a system one. */
import type { ServerDatabases, ServerTables } from '../../../shared/ipc.ts'
import type { ConnectionSettings } from '../../../shared/job-protocol.ts'
import { isSystemDatabase } from '../../engine/backup/selection.ts'
import { EngineError } from '../../engine/errors.ts'
import { mapMysqlError, openConnection } from '../../engine/mysql/connection.ts'
import { getServerInfo, listDatabases, listTables } from '../../engine/mysql/server-info.ts'
import { withTunnel } from '../../engine/ssh/tunnel.ts'
import { APP_HOST_KEY_POLICY } from './profile-service.ts'

/** Connects with the profile's settings (through its SSH tunnel when it has one) and lists the databases. */
export async function listServerDatabases(connection: ConnectionSettings): Promise<ServerDatabases> {
  return withTunnel(
    connection,
    async (direct) => {
      const conn = await openConnection(direct)
      try {
        const server = await getServerInfo(conn)
        const databases = await listDatabases(conn).catch((e: unknown) => {
          throw mapMysqlError(e, direct)
        })
        return {
          server: { hostname: server.hostname, flavor: server.flavor, version: server.versionString },
          databases: databases.map((d) => ({
            name: d.name,
            sizeBytes: d.sizeBytes,
            tables: d.tables,
            rows: d.rows,
            system: isSystemDatabase(d.name),
          })),
        }
      } finally {
        await conn.end().catch(() => {})
      }
    },
    APP_HOST_KEY_POLICY,
  )
}

/**
 * The tables and views of one database with their sizes and row estimates, for the table picker. A name that
 * is not a database of the server is UnknownDatabase.
 */
export async function listServerTables(
  connection: ConnectionSettings,
  database: string,
): Promise<ServerTables> {
  return withTunnel(
    connection,
    async (direct) => {
      const conn = await openConnection(direct)
      try {
        const [known, tables] = await Promise.all([
          listDatabases(conn, [database]),
          listTables(conn, database),
        ]).catch((e: unknown) => {
          throw mapMysqlError(e, direct)
        })
        if (known.length === 0)
          throw new EngineError('UnknownDatabase', `database '${database}' does not exist on the server`)
        return {
          database,
          tables: tables.map((t) => ({
            name: t.name,
            kind: t.type === 'VIEW' ? ('view' as const) : ('table' as const),
            dataBytes: t.dataBytes,
            indexBytes: t.indexBytes,
            rows: t.rows,
          })),
        }
      } finally {
        await conn.end().catch(() => {})
      }
    },
    APP_HOST_KEY_POLICY,
  )
}
