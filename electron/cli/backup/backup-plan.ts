/**
 * From the command line's request to the engine's checked plan: the databases (flags, list files, the
 * config, or a numbered picker on a terminal), the profile and its connection, the backup key, then
 * planBackup — which asks the server and runs the pre-flight checks.
 */
import type { BackupMode } from '../../../shared/backup-types.ts'
import type { ConnectionSettings } from '../../../shared/job-protocol.ts'
import { planBackup, type PlannedBackup } from '../../engine/backup/plan-backup.ts'
import type { FilterFileMode } from '../../engine/backup/selection.ts'
import { openConnection } from '../../engine/mysql/connection.ts'
import { listDatabases } from '../../engine/mysql/server-info.ts'
import { withTunnel } from '../../engine/ssh/tunnel.ts'
import { str, UsageError } from '../args.ts'
import { hostKeyPolicy, keySources, type CliContext } from '../context.ts'
import { resolveBackupKey, type ResolvedKey } from '../keys.ts'
import { openSourceProfile } from '../source-profile.ts'
import { formatBytes, isInteractive, promptLine } from '../terminal.ts'
import { readListFile, type BackupArgs, type BackupConfig } from './backup-args.ts'

/** The key a run encrypts with; null for --no-encrypt; `missing` says how to give one when none was found. */
export type BackupKeyChoice = ResolvedKey | { missing: string } | null

export interface CliPlan {
  planned: PlannedBackup
  backupKey: BackupKeyChoice
}

/** Plans the run: asks the server, fixes every file name, runs the pre-flight checks. Creates nothing. */
export async function planCliBackup(args: BackupArgs, cfg: BackupConfig, ctx: CliContext): Promise<CliPlan> {
  const { settings: s, loaded } = cfg
  const p = args.parsed
  const databases = [...args.databases]
  if (args.dbFile) databases.push(...(await readListFile(args.dbFile, '--db-file')))
  if (args.mode === 'filter' && databases.length === 0) databases.push(...s.includeDatabases.value)
  const excludeDatabases = [...s.excludeDatabases.value]
  if (s.excludeFile.value) excludeDatabases.push(...(await readListFile(s.excludeFile.value, 'exclude list')))
  const { profile, connection } = await openSourceProfile(
    ctx,
    cfg.profileRef,
    str(p, 'profile-key'),
    p.values['ssh-insecure'] === true,
    s.profileDir.value,
  )
  const chosen = await chooseInteractively(args.mode, databases, args.filterMode, connection, ctx)
  const backupKey = await backupKeyFor(args, cfg, ctx, profile.name)
  const prefix = str(p, 'prefix') ?? loaded.config.backup.primaryPrefix
  const planned = await planBackup({
    mode: args.mode,
    profileName: profile.name,
    connection,
    hostKeyPolicy: hostKeyPolicy(ctx),
    selection: {
      databases: chosen.databases,
      ...(chosen.filterMode ? { filterMode: chosen.filterMode } : {}),
      excludeDatabases,
      excludeSystem: s.excludeSystem.value,
      excludeEmpty: s.excludeEmpty.value,
      companions: cfg.companions,
      ...(prefix ? { prefix } : {}),
      ...(str(p, 'client-code') ? { clientCode: str(p, 'client-code') } : {}),
      ...(str(p, 'instance') ? { instance: str(p, 'instance') } : {}),
    },
    ticket: args.ticket,
    compression: cfg.compression,
    encryptionKey: backupKey && 'key' in backupKey ? backupKey.key : null,
    outputDir: cfg.outputDir,
    ...outputOptions(cfg),
    ...(str(p, 'filename') !== undefined ? { fileName: str(p, 'filename') } : {}),
    namePattern: s.namePattern.value,
    dumpBinary: s.dumpBinary.value ?? null,
    extraDumpArgs: s.extraDumpArgs.value,
    excludeData: s.excludeData.value,
    excludeUser: s.excludeUser.value,
    captureGtid: s.captureGtid.value,
    parallel: s.parallel.value,
    cleanup: s.cleanup.enabled.value
      ? { retentionDays: s.cleanup.retentionDays.value, minBackups: s.cleanup.minBackups.value }
      : null,
    skipDiskCheck: p.values['skip-disk-check'] === true,
  })
  return { planned, backupKey }
}

/** backup.output's sub-folder pattern and file modes (the schema allows only 0600 and 0640). */
function outputOptions(cfg: BackupConfig) {
  const { structurePattern, filePermissions, metadataPermissions } = cfg.loaded.config.backup
  const mode = (m: number | undefined) => (m === 0o640 ? 0o640 : 0o600) as 0o600 | 0o640
  return {
    ...(structurePattern ? { subFolderPattern: structurePattern } : {}),
    fileMode: mode(filePermissions),
    metadataMode: mode(metadataPermissions),
  }
}

/** The backup key: none with --no-encrypt; else flag → env → keychain → the config file's key. */
async function backupKeyFor(
  args: BackupArgs,
  cfg: BackupConfig,
  ctx: CliContext,
  profile: string,
): Promise<BackupKeyChoice> {
  if (!cfg.settings.encrypt.value) return null
  const found = await resolveBackupKey(args.keyFlag, keySources(ctx), profile)
  const fromConfig = cfg.settings.configKey
  return 'missing' in found && fromConfig ? { key: fromConfig.key, source: fromConfig.source } : found
}

/** `backup filter` without databases or without --mode: asked on a terminal, a usage error elsewhere. */
async function chooseInteractively(
  mode: BackupMode,
  databases: string[],
  filterMode: FilterFileMode | undefined,
  connection: ConnectionSettings,
  ctx: CliContext,
): Promise<{ databases: string[]; filterMode: FilterFileMode | undefined }> {
  if (mode !== 'filter' || (databases.length > 0 && filterMode !== undefined))
    return { databases, filterMode }
  if (!isInteractive())
    throw new UsageError(
      databases.length === 0
        ? 'backup filter needs --db NAME (repeatable) or --db-file FILE'
        : 'backup filter needs --mode single-file or --mode multi-file',
    )
  const picked =
    databases.length > 0 ? databases : await pickDatabases(ctx, await serverDatabases(connection, ctx))
  if (filterMode !== undefined) return { databases: picked, filterMode }
  const answer = await promptLine(
    'One combined file or one file per database? [s]ingle-file / [m]ulti-file: ',
  )
  return { databases: picked, filterMode: /^m/i.test(answer.trim()) ? 'multi-file' : 'single-file' }
}

const serverDatabases = (connection: ConnectionSettings, ctx: CliContext) =>
  withTunnel(
    connection,
    async (direct) => {
      const conn = await openConnection(direct)
      try {
        return await listDatabases(conn)
      } finally {
        await conn.end().catch(() => {})
      }
    },
    hostKeyPolicy(ctx),
  )

/** A numbered list to pick from on a terminal: "1,3-5" or names. */
async function pickDatabases(
  ctx: CliContext,
  names: { name: string; sizeBytes: number; tables: number }[],
): Promise<string[]> {
  names.forEach((d, i) =>
    ctx.err(
      `  ${String(i + 1).padStart(3)}  ${d.name.padEnd(32)} ${formatBytes(d.sizeBytes).padStart(10)}  ${d.tables} tables`,
    ),
  )
  const answer = await promptLine('Databases to back up (numbers like 1,3-5, or names; empty = cancel): ')
  const picked: string[] = []
  for (const part of answer.split(/[,\s]+/).filter(Boolean)) {
    const range = /^(\d+)(?:-(\d+))?$/.exec(part)
    if (!range) {
      picked.push(part)
      continue
    }
    const to = Number(range[2] ?? range[1])
    for (let i = Number(range[1]); i <= to; i++) {
      const d = names[i - 1]
      if (!d) throw new UsageError(`no database number ${i} in the list`)
      picked.push(d.name)
    }
  }
  if (picked.length === 0) throw new UsageError('no database chosen')
  return picked
}
