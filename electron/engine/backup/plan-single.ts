import type { CompressionType } from '../../../shared/backup-types.ts'
import type { BackupPlan, ConnectionSettings } from '../../../shared/job-protocol.ts'
import { withTunnel, type HostKeyPolicy } from '../ssh/tunnel.ts'
import { EngineError } from '../errors.ts'
import { mapMysqlError, openConnection } from '../mysql/connection.ts'
import { getServerInfo, listDatabaseNames, listDatabases, type ServerInfo } from '../mysql/server-info.ts'
import { customFileName, defaultFileName } from './naming.ts'
import { resolveOutputPath } from './output-file.ts'

export interface SingleBackupRequest {
  profileName: string
  connection: ConnectionSettings
  database: string
  ticket: string
  compression: { type: CompressionType; level: number }
  encryptionKey: string | null
  outputDir: string
  fileName?: string
  dumpBinary?: string | null
  extraDumpArgs?: string[]
  excludeData?: boolean
  now?: Date
  /** How an unknown SSH host key of the profile's tunnel is handled. */
  hostKeyPolicy?: HostKeyPolicy
}

export interface PlannedBackup {
  plan: BackupPlan
  server: ServerInfo
  /** Absolute paths of the files the plan will write. */
  files: string[]
}

/**
 * Checks the request against the server (login, database exists, its size) and fixes every name, so that
 * a dry-run shows exactly what a run will do. Creates nothing.
 */
export async function planSingleBackup(req: SingleBackupRequest): Promise<PlannedBackup> {
  const ticket = req.ticket.trim()
  if (!ticket)
    throw new EngineError('InvalidInput', 'a ticket is required (--ticket): it is recorded in the metadata')
  return withTunnel(req.connection, (direct) => planWith(req, ticket, direct), req.hostKeyPolicy)
}

async function planWith(
  req: SingleBackupRequest,
  ticket: string,
  direct: ConnectionSettings,
): Promise<PlannedBackup> {
  const conn = await openConnection(direct)
  try {
    const server = await getServerInfo(conn)
    const [db] = await listDatabases(conn, [req.database]).catch((e: unknown) => {
      throw mapMysqlError(e, direct)
    })
    if (!db) {
      const near = (await listDatabaseNames(conn)).filter(
        (n) => n.toLowerCase() === req.database.toLowerCase(),
      )
      throw new EngineError(
        'UnknownDatabase',
        `database '${req.database}' does not exist on ${server.hostname}` +
          (near.length ? ` (did you mean ${near.join(', ')}?)` : ''),
      )
    }
    const encrypted = req.encryptionKey !== null
    const fileName = req.fileName
      ? customFileName(req.fileName, req.compression.type, encrypted)
      : defaultFileName({
          database: req.database,
          date: req.now ?? new Date(),
          ticket,
          compression: req.compression.type,
          encrypted,
        })
    const path = resolveOutputPath(req.outputDir, fileName)
    const plan: BackupPlan = {
      mode: 'single',
      ticket,
      profileName: req.profileName,
      connection: req.connection,
      dumpBinary: req.dumpBinary ?? null,
      extraDumpArgs: req.extraDumpArgs ?? [],
      excludeData: req.excludeData ?? false,
      compression: req.compression,
      encryptionKey: req.encryptionKey,
      outputDir: req.outputDir,
      targets: [{ databases: [req.database], fileName, estimatedBytes: db.dataBytes }],
    }
    return { plan, server, files: [path] }
  } finally {
    await conn.end().catch(() => {})
  }
}
