/**
 * From the command line's request to the engine's checked plan: the databases (flags, list files, the
 * config, or a numbered picker on a terminal), the profile and its connection, the backup key, then
 * planBackup — which asks the server and runs the pre-flight checks.
 */
import { planBackup, type PlannedBackup } from '../../engine/backup/plan-backup.ts'
import { str } from '../args.ts'
import { hostKeyPolicy, keySources, type CliContext } from '../context.ts'
import { resolveBackupKey, type ResolvedKey } from '../keys.ts'
import { openSourceProfile } from '../source-profile.ts'
import { readListFile, type BackupArgs, type BackupConfig } from './backup-args.ts'
import { askBackupKey, canPrompt, chooseDatabases } from './backup-prompts.ts'
import { mark } from '../../engine/timing.ts'
import { runDumpArgs, tableRulesFromFlags } from './table-flags.ts'
import { backupFileMode, CONFIG_DEFAULTS } from '../../engine/config/config-defaults.ts'

/** The key a run encrypts with; null for --no-encrypt; `missing` says how to give one when none was found. */
export type BackupKeyChoice = ResolvedKey | { missing: string } | null

export interface CliPlan {
  planned: PlannedBackup
  backupKey: BackupKeyChoice
}

/** Plans the run: asks the server, fixes every file name, runs the pre-flight checks. Creates nothing. */
export async function planCliBackup(
  args: BackupArgs & { ticket: string },
  cfg: BackupConfig & { profileRef: string },
  ctx: CliContext,
): Promise<CliPlan> {
  const { settings: s, loaded } = cfg
  const p = args.parsed
  const databases = [...args.databases]
  if (args.dbFile) databases.push(...(await readListFile(args.dbFile, '--db-file')))
  if (args.mode === 'filter' && databases.length === 0) databases.push(...s.includeDatabases.value)
  const excludeDatabases = [...s.excludeDatabases.value]
  if (s.excludeFile.value) excludeDatabases.push(...(await readListFile(s.excludeFile.value, 'exclude list')))
  mark('cli: arguments and config read')
  const { profile, connection } = await openSourceProfile(
    ctx,
    cfg.profileRef,
    str(p, 'profile-key'),
    p.values['ssh-insecure'] === true,
    s.profileDir.value,
    !canPrompt(cfg),
  )
  mark('cli: profile decrypted (key derived)')
  const chosen = await chooseDatabases(args.mode, databases, args.filterMode, connection, canPrompt(cfg), ctx)
  const backupKey = await backupKeyFor(args, cfg, ctx, profile.name)
  const prefix = str(p, 'prefix') ?? loaded.config.backup.primaryPrefix ?? CONFIG_DEFAULTS.primaryPrefix
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
    ...tableOptions(p, chosen.databases),
    lockWaitTimeoutSeconds: s.lockWaitTimeout.value,
    excludeData: s.excludeData.value,
    excludeUser: s.excludeUser.value,
    captureGtid: s.captureGtid.value,
    // Not set by a flag or the config: the planner's default (several at once for many databases).
    ...(s.parallel.source === 'default' ? {} : { parallel: s.parallel.value }),
    cleanup: s.cleanup.enabled.value
      ? { retentionDays: s.cleanup.retentionDays.value, minBackups: s.cleanup.minBackups.value }
      : null,
    skipDiskCheck: p.values['skip-disk-check'] === true,
  })
  return { planned, backupKey }
}

/** --dump-arg and the table flags (table-flags.ts), for the run's chosen databases. */
function tableOptions(p: BackupArgs['parsed'], databases: string[]) {
  const dumpArgs = runDumpArgs(p)
  const tableRules = tableRulesFromFlags(p, databases)
  return {
    ...(dumpArgs.length > 0 ? { runDumpArgs: dumpArgs } : {}),
    ...(tableRules ? { tableRules } : {}),
  }
}

/** backup.output's sub-folder pattern and file modes (the schema allows only 0600 and 0640). */
function outputOptions(cfg: BackupConfig) {
  const { structurePattern, filePermissions, metadataPermissions } = cfg.loaded.config.backup
  return {
    ...(structurePattern ? { subFolderPattern: structurePattern } : {}),
    fileMode: backupFileMode(filePermissions),
    metadataMode: backupFileMode(metadataPermissions),
  }
}

/**
 * The backup key: none with --no-encrypt; else flag → env → keychain → the config file's key; when
 * encryption was turned on explicitly and none of them has a key, the prompt (or a usage error).
 */
async function backupKeyFor(
  args: BackupArgs,
  cfg: BackupConfig,
  ctx: CliContext,
  profile: string,
): Promise<BackupKeyChoice> {
  if (!cfg.settings.encrypt.value) return null
  const found = await resolveBackupKey(args.keyFlag, keySources(ctx), profile)
  const fromConfig = cfg.settings.configKey
  if (!('missing' in found)) return found
  if (fromConfig) return { key: fromConfig.key, source: fromConfig.source }
  // The built-in default (encrypt when a key is found) keeps writing unencrypted with a note.
  return cfg.settings.encrypt.source === 'default' ? found : askBackupKey(found.missing, cfg)
}
