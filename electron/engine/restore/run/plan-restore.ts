import { join } from 'node:path'
import type { AppError } from '../../../../shared/result.ts'
import type {
  RestoreItem,
  RestorePlan,
  RestorePlanView,
  RestoreTargetView,
} from '../../../../shared/restore-types.ts'
import { VERIFY_FIRST_MAX_BYTES } from '../../../../shared/restore-types.ts'
import { advice, EngineError, toEngineError } from '../../errors.ts'
import { describeTarget, type Connection } from '../../mysql/connection.ts'
import type { HostKeyPolicy } from '../../ssh/tunnel.ts'
import { findClientBinary } from '../client-binary.ts'
import { loaderOf } from '../load/load-sql.ts'
import { loaderClientArgs } from '../load/session.ts'
import { checkDataOnlyTarget, dataOnlyTablesFor, dataOnlyWarning } from './data-only.ts'
import { describeBackup, type BackupSource } from './describe-backup.ts'
import {
  actionOf,
  inspectTargets,
  isSameServer,
  itemTargets,
  serverView,
  targetNotEmpty,
  withServer,
  type ServerView,
} from './inspect.ts'
import { preRestoreFileName, shellWord } from './names.ts'
import { remoteLabel } from '../remote-source.ts'

export interface PlanRestoreOptions {
  hostKeyPolicy?: HostKeyPolicy
  /** The time the pre-restore backup names are made from (tests). */
  now?: Date
}

/** Where the pre-restore backup of an item's targets goes (one file per database; one for an `all` item). */
export function preRestorePath(
  plan: RestorePlan,
  item: RestoreItem,
  database: string,
  hostname: string,
  now: Date,
  n = 1,
): string | null {
  if (plan.preBackup === null) return null
  const name = preRestoreFileName({
    database: item.target === null ? null : database,
    hostname,
    date: now,
    n,
    compression: plan.preBackup.compression.type,
    encrypted: plan.preBackup.encryptionKey !== null,
  })
  return join(plan.preBackup.outputDir, name)
}

type ItemView = RestorePlanView['items'][number]

/** What is known of a file that cannot be described: only what the plan says. */
const unreadableSource = (item: RestoreItem): BackupSource => ({
  file: item.file,
  metaPath: null,
  sourceDatabase: item.sourceDatabase,
  databases: [],
  type: 'unknown',
  totalSqlBytes: item.totalSqlBytes,
  totalTables: item.totalTables,
  encrypted: false,
  compression: null,
  compressionFrom: null,
  sizeBytes: 0,
  grantsFile: null,
  dmartCompanion: null,
  host: null,
  port: null,
  hostname: null,
})

async function planItem(
  plan: RestorePlan,
  item: RestoreItem,
  conn: Connection,
  server: ServerView,
  options: PlanRestoreOptions & { now: Date },
): Promise<{ view: ItemView; source: BackupSource; problems: AppError[]; warnings: string[] }> {
  const { now } = options
  const problems: AppError[] = []
  const warnings: string[] = []
  let source: BackupSource
  try {
    source = await describeBackup(item, {
      key: item.key,
      ...(options.hostKeyPolicy ? { hostKeyPolicy: options.hostKeyPolicy } : {}),
    })
  } catch (e) {
    // A file that cannot be read is a problem of the plan, not the end of the dry-run.
    problems.push(toEngineError(e).toAppError())
    source = unreadableSource(item)
  }
  if (source.encrypted && item.key === null) {
    problems.push(
      new EngineError('MissingKey', `${source.file} is encrypted and no backup key was given`, {
        advice: advice('backupKeyRequired', { file: source.file }),
      }).toAppError(),
    )
  }
  let targets: Awaited<ReturnType<typeof itemTargets>> = { databases: [], skipped: [] }
  if (problems.length === 0 || item.target !== null) {
    try {
      targets = await itemTargets(item, source)
    } catch (e) {
      problems.push(toEngineError(e).toAppError())
    }
  }
  const states = await inspectTargets(conn, targets.databases)
  const views: RestoreTargetView[] = []
  for (const t of states) {
    const dataOnly = dataOnlyTablesFor(item, source, t.database)
    const checked = await checkDataOnlyTarget(conn, t, dataOnly, plan.dropTarget)
    if (checked !== null) {
      // Data-only rows need the target's own tables: refused, or loaded into the database as it is.
      if (checked.refusal !== null) problems.push(checked.refusal.toAppError())
      else warnings.push(dataOnlyWarning(t.database, dataOnly))
      views.push({
        database: t.database,
        exists: t.exists,
        sizeBytes: t.sizeBytes,
        tables: t.tables,
        action: checked.refusal === null ? 'load' : 'refuse',
        preRestoreBackup:
          checked.refusal === null && t.tables > 0
            ? preRestorePath(plan, item, t.database, server.hostname, now)
            : null,
        dataOnly,
      })
      continue
    }
    const action = actionOf(t, plan.dropTarget)
    if (action === 'refuse') problems.push(targetNotEmpty(t).toAppError())
    views.push({
      database: t.database,
      exists: t.exists,
      sizeBytes: t.sizeBytes,
      tables: t.tables,
      action,
      preRestoreBackup:
        action === 'replace' ? preRestorePath(plan, item, t.database, server.hostname, now) : null,
    })
  }
  return {
    source,
    problems,
    warnings,
    view: {
      file: source.file,
      encrypted: source.encrypted,
      compression: source.compression,
      compressionFrom: source.compressionFrom,
      sizeBytes: source.sizeBytes,
      totalSqlBytes: item.totalSqlBytes ?? source.totalSqlBytes,
      sourceDatabase: item.sourceDatabase ?? source.sourceDatabase,
      targets: views,
      skipped: targets.skipped,
      grantsFile: plan.skipGrants ? null : grantsOf(item),
      tableRules: source.tableRules ?? null,
      ...(item.remote ? { destination: item.remote.destination.name } : {}),
    },
  }
}

/** The grants file an item applies: a local one, else the one beside it on its destination. */
const grantsOf = (item: RestoreItem): string | null =>
  item.grantsFile ??
  (item.remote?.grantsName ? remoteLabel(item.remote.destination.name, item.remote.grantsName) : null)

/** How a file on a destination is read, and when its sha256 is checked. */
function remoteNote(plan: RestorePlan, destination: string, source: BackupSource): string {
  const first = source.sizeBytes <= VERIFY_FIRST_MAX_BYTES || plan.verifyFirst
  return (
    `${source.file} is read from the destination ${destination} and streamed into the restore, never ` +
    'copied to a local file; ' +
    (first
      ? 'it is read end to end first (its sha256 checked before the server is touched), then again while it loads'
      : 'its sha256 is checked while it loads: a damaged copy fails the restore at its end, after its ' +
        'statements were loaded (the pre-restore backup holds what it replaced)')
  )
}

function itemWarnings(
  plan: RestorePlan,
  item: RestoreItem,
  source: BackupSource,
  sameServer: boolean,
): string[] {
  const warnings: string[] = []
  if (source.metaPath === null) {
    warnings.push(
      `${source.file}: no metadata beside it: the SQL size is unknown, progress is shown as the part of the file read`,
    )
  }
  if (source.compressionFrom === 'name') {
    warnings.push(
      `${source.file}: the compression (${source.compression ?? 'none'}) is guessed from the file name`,
    )
  }
  const grants = grantsOf(item)
  if (grants !== null && !plan.skipGrants) {
    warnings.push(
      `the grants file ${grants} will be applied after the data (accounts that exist are left as they are)`,
    )
  }
  if (item.remote) warnings.push(remoteNote(plan, item.remote.destination.name, source))
  if (sameServer) {
    warnings.push(
      `${source.file} goes back into the server and database it was made from (${item.target ?? 'its own databases'})`,
    )
  }
  return warnings
}

/**
 * How the loader reaches the server: the native loader's connections, or the client command as it runs it (for the first item; `parallel` runs that many), the defaults
 * file (credentials, TLS) as a placeholder.
 */
async function clientCommand(plan: RestorePlan, warnings: string[]): Promise<string> {
  if (loaderOf(plan) === 'native') {
    const sessions = plan.parallel > 1 ? `${plan.parallel + 1} connections` : 'one connection'
    return `built-in loader: ${sessions} over the MySQL protocol as ${describeTarget(plan.connection)}, no client program`
  }
  let path = plan.clientBinary ?? 'mariadb'
  try {
    path = (await findClientBinary(plan.clientBinary)).path
  } catch (e) {
    warnings.push(toEngineError(e).message)
  }
  const args = loaderClientArgs(plan.items[0]?.target ?? null, plan.force)
  const sessions = plan.parallel > 1 ? ` (${plan.parallel} sessions at once)` : ''
  return `${[shellWord(path), '--defaults-extra-file=<private defaults FIFO>', ...args.map(shellWord)].join(' ')}${sessions}`
}

/**
 * The dry-run of a restore: connects to the target server, inspects every target database (exists, size,
 * tables), decides create / load / replace / refuse, names the pre-restore backups, detects each file's
 * layers, and returns the view (no secret). Creates nothing.
 */
export async function planRestore(
  plan: RestorePlan,
  options: PlanRestoreOptions = {},
): Promise<RestorePlanView> {
  const now = options.now ?? new Date()
  return withServer(
    plan.connection,
    async (conn) => {
      const server = await serverView(conn, plan.connection)
      const items: ItemView[] = []
      const problems: AppError[] = []
      const warnings: string[] = []
      let sameServer = false
      for (const item of plan.items) {
        const planned = await planItem(plan, item, conn, server, { ...options, now })
        const same = isSameServer(plan, item, planned.source, server)
        sameServer ||= same
        items.push(planned.view)
        problems.push(...planned.problems)
        warnings.push(...itemWarnings(plan, item, planned.source, same), ...planned.warnings)
      }
      const command = await clientCommand(plan, warnings)
      return {
        mode: plan.mode,
        ticket: plan.ticket,
        profile: plan.profileName,
        server: { host: server.host, port: server.port, version: server.version },
        sameServer,
        items,
        dropTarget: plan.dropTarget,
        preBackupDir: plan.preBackup?.outputDir ?? null,
        parallel: plan.parallel,
        force: plan.force,
        clientCommand: command,
        problems,
        warnings,
      }
    },
    options.hostKeyPolicy,
  )
}
