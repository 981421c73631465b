import { availableParallelism } from 'node:os'
import { lstat, statfs } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import type { BackupMode, BackupPlanView, BackupType, CompressionType } from '../../../shared/backup-types.ts'
import type { BackupPlan, ConnectionSettings, PlanTarget } from '../../../shared/job-protocol.ts'
import { buildDumpArgs } from '../dump/dump-args.ts'
import { findDumpBinary, type DumpBinary } from '../dump/dump-binary.ts'
import { formatBytes } from '../../../shared/format.ts'
import type { Notice } from '../../../shared/result.ts'
import { advice, EngineError, toEngineError } from '../errors.ts'
import { mapMysqlError, openConnection, type Connection } from '../mysql/connection.ts'
import { checkBackupPrivileges, type PrivilegeCheck } from '../mysql/privileges.ts'
import { targetsWithAccounts } from '../grants/export-grants.ts'
import {
  getServerInfo,
  listDatabaseNames,
  listDatabases,
  baseTableSizes,
  databasesWithViews,
  listTablesOf,
  type DatabaseInfo,
  type ServerInfo,
  type TableInfo,
} from '../mysql/server-info.ts'
import { withTunnel, type HostKeyPolicy } from '../ssh/tunnel.ts'
import { combinedFileDb, writesCombinedFile } from '../../../shared/file-names.ts'
import { DEFAULT_LOCK_WAIT_SECONDS } from './lock-watch.ts'
import {
  checkFileNameLength,
  customFileName,
  fileNameMismatch,
  namePattern,
  renderFileName,
} from './naming.ts'
import { batchingApplies, unitsOf } from './batch-units.ts'
import { companionSuffixes } from './companions.ts'
import { checkExtraDumpArgs, checkRunDumpArgs } from '../dump/refused-args.ts'
import { buildDumpPasses } from '../dump/table-passes.ts'
import type { ResolvedTableRules, TableRules } from '../../../shared/table-rules.ts'
import { resolveTableRules, rowlessTables } from './table-rules.ts'
import { assertFreeNames, resolveOutputPath } from './output-file.ts'
import { estimateFile, learnedRatios, summarizeEstimates } from './size-estimate.ts'
import { selectDatabases, type Exclusion, type SelectionInput } from './selection.ts'
import { renderSubFolder } from './sub-folder.ts'

export interface BackupRequest {
  mode: BackupMode
  profileName: string
  connection: ConnectionSettings
  /** How an unknown SSH host key of the profile's tunnel is handled. */
  hostKeyPolicy?: HostKeyPolicy
  selection: Omit<SelectionInput, 'mode'>
  ticket: string
  compression: { type: CompressionType; level: number }
  encryptionKey: string | null
  outputDir: string
  /** backup.output.structure.pattern: the files go to this dated sub-folder of `outputDir`. */
  subFolderPattern?: string
  /** The modes of the backup file and its `.meta.json` (0600 or 0640; 0600 by default). */
  fileMode?: 0o600 | 0o640
  metadataMode?: 0o600 | 0o640
  /** `--filename`: the name of the one file of a run that writes one file. */
  fileName?: string
  /** A preset name (`default`, `sfdbtools`) or a pattern with {db} {mode} {host} {date} {time} {ticket} {n}. */
  namePattern?: string
  dumpBinary?: string | null
  /** The config's extra dump arguments (backup.mysqldump_args / backup.dump.extra_args). */
  extraDumpArgs?: string[]
  /** This run's own extra dump arguments, after the config's (checked more strictly: checkRunDumpArgs). */
  runDumpArgs?: string[]
  /** Per database: tables left out, structure only, data only, or the only ones (single and filter only). */
  tableRules?: TableRules
  /** How long a dump may wait for a table lock another session holds (default 300 s). */
  lockWaitTimeoutSeconds?: number
  excludeData?: boolean
  /** Skip the `.users.sql` export. */
  excludeUser?: boolean
  captureGtid?: boolean
  parallel?: number
  cleanup?: BackupPlan['cleanup']
  /** Do not refuse for lack of disk space (the estimate can be wrong). */
  skipDiskCheck?: boolean
  now?: Date
  /**
   * Free bytes where the output goes; the real file system's by default. Tests pass their own to produce
   * a full disk, which a real one cannot do on demand.
   */
  diskFree?: (dir: string) => Promise<number | null>
}

export interface PlannedFile {
  path: string
  databases: DatabaseInfo[]
  estimatedBytes: number
  /** Whether the run will write `<file>.users.sql` next to it (as far as the server tells before the run). */
  usersFile: boolean
  /** The file's table rules by database, and its dump invocations when they are more than one. */
  tableRules?: Record<string, ResolvedTableRules>
}

export interface PlannedBackup {
  plan: BackupPlan
  server: ServerInfo
  files: PlannedFile[]
  excluded: Exclusion[]
  unknown: string[]
  /** From the selection and the pre-flight checks; shown before a run and by the dry-run. */
  warnings: Notice[]
  /** Estimated size of all output files. */
  estimatedOutputBytes: number
  /** How many files were estimated from earlier backups' ratios (size-estimate.ts). */
  estimate?: ReturnType<typeof summarizeEstimates>
  /** As the dry-run shows it (shared/backup-types.ts). */
  dump: BackupPlanView['dump']
  /** The file name pattern setting the names came from (a preset name or a pattern). */
  namePattern: string
  /** Whether the run will write `.gtid` files: capture asked for and the account may read the position. */
  gtidFiles: boolean
}

/**
 * The server's databases as the selection needs them: every name (one cheap query of SCHEMATA), the sizes
 * only of those the mode's name rules keep — a one-database run does not make the server add up the tables
 * of every other database (information_schema.TABLES opens each table's definition).
 */
async function databasesFor(
  conn: Connection,
  input: Parameters<typeof selectDatabases>[0],
): Promise<DatabaseInfo[]> {
  const names = await listDatabaseNames(conn)
  const unsized = (name: string): DatabaseInfo => ({ name, sizeBytes: 0, dataBytes: 0, tables: 1, rows: 0 })
  let candidates: string[]
  try {
    candidates = selectDatabases({ ...input, excludeEmpty: false }, names.map(unsized))
      .targets.flat()
      .map((d) => d.name)
  } catch {
    return listDatabases(conn) // nothing left: the real selection says why, with every database's size
  }
  const sized = new Map((await listDatabases(conn, candidates)).map((d) => [d.name, d]))
  // The others are left out by their names before their size is looked at (selection.ts).
  return names.map((n) => sized.get(n) ?? unsized(n))
}

/** Targets above which `primary`/`secondary` run several dumps at once when nothing sets `parallel`. */
export const AUTO_PARALLEL_TARGETS = 8

/**
 * `parallel` when neither a flag nor the config sets it: `min(4, cores)` for a `primary`/`secondary` run of
 * more than 8 databases (as mydumper does; each dump still has its own snapshot), else 1.
 */
export function defaultParallel(mode: BackupMode, targets: number, cores = availableParallelism()): number {
  return (mode === 'primary' || mode === 'secondary') && targets > AUTO_PARALLEL_TARGETS
    ? Math.min(4, cores)
    : 1
}

const backupTypeOf = (mode: BackupMode, filterMode: SelectionInput['filterMode']): BackupType =>
  mode === 'filter' ? (filterMode === 'single-file' ? 'combined' : 'separated') : mode

const exists = (p: string): Promise<boolean> =>
  lstat(p).then(
    () => true,
    () => false,
  )

/** Free bytes on the file system that will hold `dir` (its nearest existing ancestor: nothing is created). */
async function freeBytes(dir: string): Promise<number | null> {
  let at = resolve(dir)
  while (!(await exists(at))) {
    const up = dirname(at)
    if (up === at) return null
    at = up
  }
  const s = await statfs(at).catch(() => null)
  return s ? s.bavail * s.bsize : null
}

/**
 * Checks the request against the server (login, databases, sizes, privileges), selects the databases of
 * the mode, fixes every file name and runs the pre-flight checks, so that a dry-run shows exactly what a
 * run will do. Creates nothing.
 */
export async function planBackup(req: BackupRequest): Promise<PlannedBackup> {
  const ticket = req.ticket.trim()
  if (!ticket)
    throw new EngineError('InvalidInput', 'a ticket is required: it is recorded in the metadata', {
      advice: advice('ticketRequired'),
    })
  if (req.mode === 'filter' && !req.selection.filterMode)
    throw new EngineError('InvalidInput', 'backup filter needs a choice of single-file or multi-file', {
      advice: advice('filterModeRequired'),
    })
  checkExtraDumpArgs(req.extraDumpArgs ?? [])
  checkRunDumpArgs(req.runDumpArgs ?? [])
  const pattern = namePattern(req.namePattern)
  return withTunnel(req.connection, (direct) => planWith(req, ticket, pattern, direct), req.hostKeyPolicy)
}

/**
 * `--filename` with companions: the package documentation names the main database's file with it, so a
 * run whose other files are all companions (`<main>_dmart`, …) of its one main database takes it.
 */
function onlyCompanionsOfFirst(req: BackupRequest, selection: { targets: DatabaseInfo[][] }): boolean {
  const [main, ...rest] = selection.targets
  const suffixes: readonly string[] = req.selection.companions ?? []
  if (main?.length !== 1 || suffixes.length === 0) return false
  const base = main[0]?.name.toLowerCase() ?? ''
  return rest.every((t) => t.length === 1 && suffixes.some((s) => t[0]?.name.toLowerCase() === base + s))
}

async function planWith(
  req: BackupRequest,
  ticket: string,
  pattern: ReturnType<typeof namePattern>,
  direct: ConnectionSettings,
): Promise<PlannedBackup> {
  const conn = await openConnection(direct)
  let server: ServerInfo
  let all: DatabaseInfo[]
  let selection: ReturnType<typeof selectDatabases>
  let privileges: PrivilegeCheck | null
  let withAccounts: boolean[] | null
  let tables: Map<string, TableInfo[]> | null
  const grantsExport = !req.excludeUser
  try {
    server = await getServerInfo(conn)
    all = await databasesFor(conn, { ...req.selection, mode: req.mode }).catch((e: unknown) => {
      throw mapMysqlError(e, direct)
    })
    selection = selectDatabases({ ...req.selection, mode: req.mode }, all)
    const databases = selection.targets.flatMap((dbs) => dbs.map((d) => d.name))
    // For the job's progress weights: it then need not ask the server again (one inspection per run).
    // Table rules are checked against these names: without them the plan cannot be made.
    tables = req.tableRules
      ? await listTablesOf(conn, databases).catch((e: unknown) => {
          throw mapMysqlError(e, direct)
        })
      : await listTablesOf(conn, databases).catch(() => null)
    privileges = await checkBackupPrivileges(conn, server.flavor, {
      databases,
      captureGtid: req.captureGtid ?? false,
      grantsExport,
    }).catch(() => null)
    // Which files get a `.users.sql` (scope `databases`): only those whose databases some account holds grants on.
    withAccounts =
      grantsExport && req.mode !== 'all'
        ? await targetsWithAccounts(
            conn,
            selection.targets.map((dbs) => dbs.map((d) => d.name)),
            server.flavor,
          ).catch(() => null)
        : null
  } finally {
    await conn.end().catch(() => {})
  }

  const warnings = [...selection.warnings]
  const tableRules = resolveTableRules(
    req.tableRules,
    req.mode,
    selection.targets.flatMap((dbs) => dbs.map((d) => d.name)),
    tables ?? new Map(),
    req.excludeData ?? false,
  )
  if (tableRules !== null) warnings.push(...tableRuleNotices(tableRules))
  const extraDumpArgs = [...(req.extraDumpArgs ?? []), ...(req.runDumpArgs ?? [])]
  const encrypted = req.encryptionKey !== null
  const now = req.now ?? new Date()
  const subFolder = renderSubFolder(req.subFolderPattern ?? '', now)
  const outputDir = subFolder === '' ? req.outputDir : join(req.outputDir, subFolder)
  if (req.fileName !== undefined && selection.targets.length > 1 && !onlyCompanionsOfFirst(req, selection)) {
    throw new EngineError(
      'InvalidInput',
      `a fixed file name names one file, but this run writes ${selection.targets.length}`,
      { advice: advice('fileNameOneFile', { files: selection.targets.length }) },
    )
  }
  const combinedName = combinedFileDb(req.mode, req.namePattern)
  const grants: PlanTarget['grants'] = req.excludeUser ? 'none' : req.mode === 'all' ? 'all' : 'databases'

  const lacks = (option: string): boolean => privileges?.options.some((o) => o.option === option) ?? false
  const targets: PlanTarget[] = []
  const files: PlannedFile[] = []
  const seen = new Map<string, string>()
  for (const dbs of selection.targets) {
    const isCombined = writesCombinedFile(req.mode, req.selection.filterMode === 'single-file')
    const fileName =
      req.fileName !== undefined && dbs === selection.targets[0]
        ? customFileName(req.fileName, req.compression.type, encrypted)
        : renderFileName(
            isCombined ? pattern.combined : pattern.perDatabase,
            {
              db: isCombined ? combinedName : dbs[0]!.name,
              mode: req.mode,
              host: server.hostname,
              date: now,
              ticket,
              n: dbs.length,
              excludeData: req.excludeData ?? false,
            },
            req.compression.type,
            encrypted,
          )
    checkFileNameLength(fileName, req.fileName !== undefined)
    if (req.fileName !== undefined && dbs === selection.targets[0]) {
      const mismatch = fileNameMismatch(fileName, req.compression.type, encrypted)
      if (mismatch) warnings.push({ message: mismatch })
    }
    const key = fileName.toLowerCase() // case-insensitive file systems (macOS, Windows)
    const names = dbs.map((d) => d.name).join(', ')
    if (seen.has(key)) {
      throw new EngineError(
        'InvalidInput',
        `the file name pattern gives '${fileName}' to both ${seen.get(key)} and ${names}; add {db} to it`,
      )
    }
    seen.set(key, names)
    const path = resolveOutputPath(outputDir, fileName)
    // The companions' names too: a taken one would fail the run only at its end.
    await assertFreeNames(path, companionSuffixes(req.captureGtid ?? false, grants))
    const rules = rulesOf(tableRules, dbs)
    const estimatedBytes = req.excludeData
      ? 0
      : dbs.reduce((n, d) => n + d.dataBytes - rowlessBytes(rules?.[d.name], tables?.get(d.name)), 0)
    targets.push({
      databases: dbs.map((d) => d.name),
      fileName,
      estimatedBytes,
      grants,
      ...(rules ? { tables: rules } : {}),
    })
    const noAccount = grants === 'databases' && withAccounts?.[files.length] === false
    if (noAccount)
      warnings.push({
        message:
          `no ${fileName}.users.sql: no account holds grants on ${names}; accounts with only global grants ` +
          `(on *.*) belong to no database and are exported only by a backup of all databases`,
        advice: advice('noUsersFile', { file: fileName, databases: names }),
      })
    files.push({
      path,
      databases: dbs,
      estimatedBytes,
      usersFile: grants !== 'none' && !noAccount && !lacks('grantsExport'),
      ...(rules ? { tableRules: rules } : {}),
    })
  }

  const plan: BackupPlan = {
    mode: req.mode,
    backupType: backupTypeOf(req.mode, req.selection.filterMode),
    ticket,
    profileName: req.profileName,
    connection: req.connection,
    dumpBinary: req.dumpBinary ?? null,
    inspected: tables && {
      server,
      tables: baseTableSizes(tables),
      connectionId: conn.threadId,
      viewDatabases: databasesWithViews(tables),
    },
    extraDumpArgs,
    excludeData: req.excludeData ?? false,
    compression: req.compression,
    encryptionKey: req.encryptionKey,
    outputDir,
    ...(subFolder === '' ? {} : { outputRoot: req.outputDir }),
    ...(req.fileMode !== undefined ? { fileMode: req.fileMode } : {}),
    ...(req.metadataMode !== undefined ? { metadataMode: req.metadataMode } : {}),
    targets,
    excludedDatabases: selection.excluded.map((e) => e.database),
    captureGtid: req.captureGtid ?? false,
    parallel: req.parallel ?? defaultParallel(req.mode, targets.length),
    lockWaitTimeoutSeconds: req.lockWaitTimeoutSeconds ?? DEFAULT_LOCK_WAIT_SECONDS,
    cleanup: req.cleanup ?? null,
  }

  // Pre-flight: disk space, dump binary vs server, privileges.
  const learned = await learnedRatios([req.outputDir, outputDir], {
    compression: req.compression.type,
    databases: files.map((f) => f.databases.map((d) => d.name)),
  })
  const estimates = files.map((f) =>
    estimateFile(
      learned,
      f.databases.map((d) => d.name),
      f.estimatedBytes,
      req.compression.type,
    ),
  )
  const estimatedOutputBytes = estimates.reduce((n, e) => n + e.bytes, 0)
  const how =
    estimates.length === 1
      ? `estimated from the ${estimates[0]?.how}`
      : `estimated per file from ${[...new Set(estimates.map((e) => e.how.replace(/ of .* here.*$/, '')))].join('; ')}`
  const free = await (req.diskFree ?? freeBytes)(outputDir)
  if (free !== null && estimatedOutputBytes > 0) {
    const space = { dir: outputDir, neededBytes: estimatedOutputBytes, freeBytes: free }
    if (free < estimatedOutputBytes && !req.skipDiskCheck) {
      throw new EngineError(
        'InvalidInput',
        `not enough disk space in ${outputDir}: about ${formatBytes(estimatedOutputBytes)} needed, ` +
          `${formatBytes(free)} free (${how})`,
        { advice: advice('diskSpace', space) },
      )
    }
    if (free < 2 * estimatedOutputBytes)
      warnings.push({
        message: `disk space is tight in ${outputDir}: about ${formatBytes(estimatedOutputBytes)} needed, ${formatBytes(free)} free (${how})`,
        advice: advice('diskSpaceTight', space),
      })
  }
  if (privileges && privileges.missing.length) {
    warnings.push({
      message:
        `the account ${privileges.account} lacks ${privileges.missing.join(', ')}; the backup may fail or be ` +
        `incomplete`,
      advice: advice('missingPrivileges', {
        account: privileges.account,
        privileges: privileges.missing.join(', '),
        grant: privileges.fix ?? '',
      }),
    })
  }
  for (const gap of privileges?.options ?? []) {
    const what =
      gap.option === 'captureGtid'
        ? `GTID capture needs ${gap.privilege}, which the account ${privileges?.account} lacks: no .gtid file will be written`
        : `the grants export needs ${gap.privilege}, which the account ${privileges?.account} lacks: no .users.sql file will be written`
    warnings.push({
      message: what,
      advice: advice('missingPrivileges', {
        account: privileges?.account ?? '',
        privileges: gap.privilege,
        grant: gap.fix,
      }),
    })
  }
  let dump: PlannedBackup['dump']
  try {
    const binary = await findDumpBinary(plan.dumpBinary)
    plan.dumpFound = binary
    const mismatch = flavorMismatch(binary, server)
    if (mismatch) warnings.push(mismatch)
    // The run's dumps as the job will cut them: small databases share one (batch-dump.ts).
    const views = plan.inspected?.viewDatabases
    const units = unitsOf(plan, new Set(views), views !== undefined && batchingApplies(plan, binary))
    const first = (units[0] ?? [0]).map((i) => targets[i] as PlanTarget)
    const credentials = '--defaults-extra-file=<private 0600 file>'
    const passesOf = (target: PlanTarget): { passes: string[][]; main: number } =>
      buildDumpPasses({
        binary,
        serverFlavor: server.flavor,
        databases: target.databases,
        excludeData: plan.excludeData,
        extraArgs: plan.extraDumpArgs,
        tableRules: target.tables,
      })
    const firstPasses = first.length === 1 && first[0]?.tables ? passesOf(first[0]) : null
    // Every file with table rules: its dumps, in the order they write it (the dry-run shows each command).
    const commands = targets.map((t) =>
      t.tables ? passesOf(t).passes.map((args) => [credentials, ...args]) : null,
    )
    dump = {
      binary: binary.path,
      version: binary.versionLine,
      args: [
        credentials,
        ...(firstPasses
          ? (firstPasses.passes[firstPasses.main] ?? [])
          : buildDumpArgs({
              binary,
              serverFlavor: server.flavor,
              databases: first.flatMap((t) => t.databases),
              excludeData: plan.excludeData,
              extraArgs: plan.extraDumpArgs,
            })),
      ],
      dumps: units.length + commands.reduce((n, c) => n + (c ? c.length - 1 : 0), 0),
      ...(commands.some((c) => c !== null) ? { fileCommands: commands } : {}),
    }
  } catch (e) {
    dump = { error: toEngineError(e).toAppError() }
  }
  return {
    plan,
    server,
    files,
    excluded: selection.excluded,
    unknown: selection.unknown,
    warnings,
    estimatedOutputBytes,
    estimate: summarizeEstimates(estimates),
    dump,
    namePattern: req.namePattern ?? 'default',
    gtidFiles: plan.captureGtid && !lacks('captureGtid'),
  }
}

/** The rules of the databases of one file, or undefined when none of them has any. */
function rulesOf(
  rules: Record<string, ResolvedTableRules> | null,
  dbs: DatabaseInfo[],
): Record<string, ResolvedTableRules> | undefined {
  if (rules === null) return undefined
  const own: Record<string, ResolvedTableRules> = {}
  for (const d of dbs) {
    const r = rules[d.name]
    if (r !== undefined) own[d.name] = r
  }
  return Object.keys(own).length > 0 ? own : undefined
}

/** The data bytes of the tables whose rows a file leaves out (excluded or structure only). */
function rowlessBytes(rules: ResolvedTableRules | undefined, tables: TableInfo[] | undefined): number {
  const rowless = rowlessTables(rules)
  return (tables ?? []).filter((t) => rowless.has(t.name)).reduce((n, t) => n + t.dataBytes, 0)
}

/** What a DBA must know of table rules before a run: data-only tables restore only where they exist. */
function tableRuleNotices(rules: Record<string, ResolvedTableRules>): Notice[] {
  const notices: Notice[] = []
  for (const [database, r] of Object.entries(rules)) {
    if (r.dataOnly.length === 0) continue
    notices.push({
      message:
        `${r.dataOnly.length === 1 ? 'the table' : 'the tables'} ${r.dataOnly.join(', ')} of ${database} ` +
        `${r.dataOnly.length === 1 ? 'is' : 'are'} dumped as data only, by a second dump after the main one (its own ` +
        `snapshot): the file holds no CREATE TABLE for ${r.dataOnly.length === 1 ? 'it' : 'them'}, so it restores ` +
        `into a database where ${r.dataOnly.length === 1 ? 'that table exists' : 'those tables exist'}`,
      advice: advice('dataOnlyTables', { database, tables: r.dataOnly.join(', '), count: r.dataOnly.length }),
    })
  }
  return notices
}

/** A dump binary of the other flavor works for plain dumps but differs in options and output. */
export function flavorMismatch(
  binary: Pick<DumpBinary, 'flavor' | 'path'>,
  server: ServerInfo,
): Notice | null {
  if (binary.flavor === server.flavor) return null
  const name = (f: string): string => (f === 'mariadb' ? 'MariaDB' : 'MySQL')
  const client = server.flavor === 'mariadb' ? 'mariadb-dump' : 'mysqldump'
  return {
    message:
      `the dump binary ${binary.path} is ${name(binary.flavor)}'s but the server is ` +
      `${name(server.flavor)} ${server.version}: the server's own client (${client}) is the right one`,
    advice: advice('dumpBinaryFlavor', {
      binary: binary.path,
      binaryFlavor: name(binary.flavor),
      serverFlavor: name(server.flavor),
      serverVersion: server.version,
      client,
    }),
  }
}
