import type { ProfileTestReport } from '../../../shared/ipc.ts'
import type { ConnectionSettings } from '../../../shared/job-protocol.ts'
import { withTunnel, type HostKeyPolicy } from '../ssh/tunnel.ts'
import { checkBackupPrivileges, getReplicationState } from './privileges.ts'
import { getServerInfo } from './server-info.ts'
import { isSystemDatabase } from '../backup/selection.ts'
import { openConnection, type Row } from './connection.ts'

/** What `profile test` (CLI) and "Test connection" (app) report: the contract's ProfileTestReport. */
export type ConnectionTestReport = ProfileTestReport

/**
 * Connects (through the profile's SSH tunnel when it has one) and reports the server, binlog and GTID state,
 * and the privileges a consistent backup needs that the account lacks.
 */
export function testConnection(
  settings: ConnectionSettings,
  policy: HostKeyPolicy,
): Promise<ConnectionTestReport> {
  return withTunnel(
    settings,
    async (direct) => {
      const conn = await openConnection(direct)
      try {
        const server = await getServerInfo(conn)
        const replication = await getReplicationState(conn, server.flavor)
        // Every database the account can see, and both options a backup can ask for (GTID only with a binlog).
        const [shown] = await conn.query<Row[]>('SHOW DATABASES')
        const databases = shown.map((r) => String(Object.values(r)[0])).filter((d) => !isSystemDatabase(d))
        const privileges = await checkBackupPrivileges(conn, server.flavor, {
          databases,
          captureGtid: replication.logBin,
          grantsExport: true,
        })
        return {
          ok: privileges.missing.length === 0,
          server: { flavor: server.flavor, version: server.versionString, hostname: server.hostname },
          binlog: replication.logBin,
          gtid: replication.gtid,
          account: privileges.account,
          missingPrivileges: privileges.missing,
          fix: privileges.fix,
          options: privileges.options,
        }
      } finally {
        await conn.end().catch(() => {})
      }
    },
    policy,
  )
}
