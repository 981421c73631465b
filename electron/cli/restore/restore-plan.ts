/**
 * From the command line's request to the engine's restore plan: the settings (flag > environment > config
 * > default), the files and what describeBackup learns of them, the keys, the target profile, then the
 * RestorePlan (or a restore test's request). Creates nothing and does not touch the server.
 */
import { join, resolve } from 'node:path'
import {
  SYSTEM_DATABASES,
  type PreRestoreBackup,
  type RestoreItem,
  type RestoreMode,
  type RestorePlan,
  type RestoreTestRequest,
} from '../../../shared/restore-types.ts'
import { validateCompression } from '../../engine/codecs/index.ts'
import { loadAppConfig, resolveBackupSettings, type BackupSettings } from '../../engine/config/index.ts'
import type { BackupSource } from '../../engine/restore/run/describe-backup.ts'
import { UsageError } from '../args.ts'
import { readListFile } from '../backup/backup-args.ts'
import { keySources, type CliContext } from '../context.ts'
import { resolveBackupKey, resolveReadKey, type ResolvedKey } from '../keys.ts'
import { openSourceProfile } from '../source-profile.ts'
import { readSelectionCsv, type RestoreArgs } from './restore-args.ts'
import { withRemoteSource, type CliRemote } from './restore-remote.ts'

/** The effective settings of a restore and the config file they came from. */
export interface RestoreConfig {
  loaded: Awaited<ReturnType<typeof loadAppConfig>>
  settings: BackupSettings
  profileRef: string
  /** Where the restore logs go when the backup's folder is read-only, and the error log. */
  logDir: string
  quiet: boolean
}

/** Flags over environment over the config file over defaults. */
export async function restoreConfig(args: RestoreArgs, ctx: CliContext): Promise<RestoreConfig> {
  const p = args.parsed
  const loaded = await loadAppConfig(ctx.env, ctx.configDir)
  const flag = (name: string): string | undefined => {
    const v = p.values[name]
    return typeof v === 'string' ? v : undefined
  }
  const settings = resolveBackupSettings({
    flags: {
      outputDir: flag('backup-dir'),
      profile: flag('profile'),
      logLevel: flag('log-level'),
      quiet: p.values.quiet === true ? true : undefined,
    },
    env: ctx.env,
    config: loaded.config,
    configPath: loaded.path,
    configDir: ctx.configDir,
  })
  const profileRef = settings.profile.value
  if (!profileRef) throw new UsageError('--profile is required (the target server: a profile name or path)')
  return {
    loaded,
    settings,
    profileRef,
    logDir: loaded.config.logDir ?? join(ctx.configDir, 'logs'),
    quiet: settings.quiet.value || args.json,
  }
}

/** A file to restore: what describeBackup said of it and what the command line or the CSV asks of it. */
export interface ItemRequest {
  source: BackupSource
  /** The database to restore into; null: the one the backup holds (or, for all, every section's own). */
  target: string | null
  /** A key given for this file (a CSV column); null: the usual resolution. */
  key: string | null
  /** A grants file given for this file; null: the one found beside the backup. */
  grantsFile: string | null
}

export type Describe = (file: string) => Promise<BackupSource>

/** The files of a mode, described: one, a file and its _dmart companion, or the rows of a CSV. */
export async function collectRequests(
  args: RestoreArgs,
  describe: Describe,
  warn: (message: string) => void,
): Promise<ItemRequest[]> {
  if (args.mode === 'selection') {
    const rows = await readSelectionCsv(args.file)
    const out: ItemRequest[] = []
    for (const row of rows)
      out.push({
        source: await describe(row.file),
        target: row.database,
        key: row.key,
        grantsFile: row.grantsFile,
      })
    return out
  }
  const source = await describe(args.file)
  const main: ItemRequest = {
    source,
    target: args.targetDb ?? null,
    key: null,
    grantsFile: args.grantsFile ?? null,
  }
  if (args.mode !== 'primary' && args.mode !== 'secondary') return [main]
  if (source.dmartCompanion === null) {
    warn(`no _dmart companion of ${source.file} was found: only the main file is restored`)
    return [main]
  }
  const target = targetOf(args.mode, main)
  const companion = await describe(source.dmartCompanion)
  return [main, { source: companion, target: `${target}_dmart`, key: null, grantsFile: null }]
}

/** The one database a single-database item goes into: asked for, else the one the backup holds. */
export function targetOf(mode: RestoreMode, req: ItemRequest): string | null {
  if (mode === 'all') return null
  const target = req.target ?? req.source.sourceDatabase
  if (target === null)
    throw new UsageError(
      `cannot tell which database ${req.source.file} holds (no metadata, no database in its name): pass --target-db`,
    )
  return target
}

/** all: the databases of the file left out — system ones unless included, then the exclude list. */
export async function excludedDatabases(args: RestoreArgs): Promise<string[]> {
  if (args.mode !== 'all') return []
  const out: string[] = args.includeSystem ? [] : [...SYSTEM_DATABASES]
  out.push(...args.excludeDatabases)
  if (args.excludeDbFile) out.push(...(await readListFile(resolve(args.excludeDbFile), '--exclude-db-file')))
  return [...new Set(out)]
}

/** A plan item from a described file; `key` is asked for only when the file is encrypted. */
export async function restoreItem(
  mode: RestoreMode,
  req: ItemRequest,
  opts: { skipGrants: boolean; excludeDatabases: string[]; key: (file: string) => Promise<string> },
): Promise<RestoreItem> {
  const { source } = req
  return {
    file: source.file,
    key: source.encrypted ? (req.key ?? (await opts.key(source.file))) : null,
    target: targetOf(mode, req),
    excludeDatabases: mode === 'all' ? opts.excludeDatabases : [],
    sourceDatabase: source.sourceDatabase,
    totalSqlBytes: source.totalSqlBytes,
    totalTables: source.totalTables,
    grantsFile: opts.skipGrants ? null : (req.grantsFile ?? source.grantsFile),
  }
}

/**
 * The backup key, looked up once: flag → environment → keychain → config, else (only for an encrypted file
 * that needs it) the prompt. The pre-restore backups use it when one resolves without a prompt — or the
 * prompted one — and are not encrypted otherwise.
 */
export function backupKeys(args: RestoreArgs, cfg: RestoreConfig, ctx: CliContext, profile: string) {
  let stored: Promise<ResolvedKey | { missing: string }> | undefined
  let prompted: Promise<ResolvedKey> | undefined
  const found = (): Promise<ResolvedKey | { missing: string }> =>
    (stored ??= resolveBackupKey(args.keyFlag, keySources(ctx), profile).then((r) =>
      'missing' in r && cfg.settings.configKey ? cfg.settings.configKey : r,
    ))
  return {
    async read(file: string): Promise<string> {
      const r = await found()
      if ('key' in r) return r.key
      prompted ??= resolveReadKey(undefined, keySources(ctx), file)
      return (await prompted).key
    },
    async forPreBackup(): Promise<ResolvedKey | null> {
      const r = await found()
      if ('key' in r) return r
      return prompted ? await prompted : null
    },
  }
}

/** What the command runs: a restore plan, or a restore test's request; with notes for the person. */
export type CliRestorePlan =
  | { kind: 'restore'; plan: RestorePlan; notes: string[] }
  | { kind: 'test'; request: RestoreTestRequest; notes: string[] }

/** Plans the run: settings, files, profile, keys. Neither the server nor any file is changed. */
export async function planCliRestore(
  args: RestoreArgs,
  cfg: RestoreConfig,
  ctx: CliContext,
  describe: Describe,
  /** `--from-destination`: every file is read from this destination. */
  remote?: CliRemote,
): Promise<CliRestorePlan> {
  const notes: string[] = []
  const requests = await collectRequests(args, describe, (m) => notes.push(`warning: ${m}`))
  const { profile, connection } = await openSourceProfile(
    ctx,
    cfg.profileRef,
    typeof args.parsed.values['profile-key'] === 'string' ? args.parsed.values['profile-key'] : undefined,
    args.sshInsecure,
    cfg.settings.profileDir.value,
  )
  const keys = backupKeys(args, cfg, ctx, profile.name)
  const common = { ticket: args.ticket, profileName: profile.name, connection, loader: args.loader }
  const clientBinary = args.clientBinary ?? cfg.loaded.config.clientBinary ?? null
  if (args.mode === 'test') {
    const item = await restoreItem('test', requests[0] as ItemRequest, {
      skipGrants: true,
      excludeDatabases: [],
      key: keys.read,
    })
    const { file, key, sourceDatabase, totalSqlBytes } = item
    const request = { ...common, clientBinary, file, key, sourceDatabase, totalSqlBytes }
    return { kind: 'test', request: { ...request, parallel: args.parallel, logDir: cfg.logDir }, notes }
  }
  const excludeDatabases = await excludedDatabases(args)
  const items: RestoreItem[] = []
  for (const req of requests) {
    const item = await restoreItem(args.mode, req, {
      skipGrants: args.skipGrants,
      excludeDatabases,
      key: keys.read,
    })
    items.push(remote ? withRemoteSource(item, req, remote, args.skipGrants) : item)
  }
  const preBackup = args.skipBackup ? null : await preBackupOf(cfg, await keys.forPreBackup(), notes)
  const plan: RestorePlan = {
    ...common,
    mode: args.mode,
    clientBinary,
    items,
    dropTarget: args.dropTarget,
    preBackup,
    parallel: args.parallel,
    force: args.force,
    skipGrants: args.skipGrants,
    verifyFirst: args.verifyFirst,
    logDir: cfg.logDir,
  }
  return { kind: 'restore', plan, notes }
}

/** Pre-restore backups: the backup settings' folder and compression, the backup key when one resolved. */
async function preBackupOf(
  cfg: RestoreConfig,
  key: ResolvedKey | null,
  notes: string[],
): Promise<PreRestoreBackup> {
  const s = cfg.settings
  if (key === null) notes.push('note: no backup key was found: pre-restore backups are NOT encrypted')
  return {
    outputDir: resolve(s.outputDir.value),
    compression: validateCompression(s.compression.type.value, s.compression.level.value),
    encryptionKey: key?.key ?? null,
    dumpBinary: s.dumpBinary.value ?? null,
  }
}
