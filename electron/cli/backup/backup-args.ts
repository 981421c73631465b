/**
 * `sfdbtools backup <mode>`: the flags (ours and sfDBTools' spellings), the usage checks that need no
 * server, and the effective settings (flag > environment > config file > default).
 */
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { BACKUP_MODES, MAX_PARALLEL, type BackupMode } from '../../../shared/backup-types.ts'
import { parseDatabaseList } from '../../../shared/name-list.ts'
import { type CompanionSuffix, type FilterFileMode } from '../../engine/backup/selection.ts'
import { validateCompression } from '../../engine/codecs/index.ts'
import { loadAppConfig, resolveBackupSettings, type BackupSettings } from '../../engine/config/index.ts'
import { EngineError } from '../../engine/errors.ts'
import { bool, intFlag, list, parseFlags, str, UsageError, type Parsed } from '../args.ts'
import type { CliContext } from '../context.ts'
import { runDestinations, type RunDestination } from '../offsite.ts'
import { checkTableFlagsMode } from './table-flags.ts'

export const BACKUP_FLAGS = {
  profile: { type: 'string', short: 'p' },
  'profile-key': { type: 'string', short: 'k' },
  ticket: { type: 'string', short: 't' },
  db: { type: 'string', multiple: true },
  database: { type: 'string', multiple: true },
  include: { type: 'string', multiple: true },
  'db-file': { type: 'string' },
  mode: { type: 'string' },
  'include-dmart': { type: 'boolean' },
  'include-temp': { type: 'boolean' },
  'include-archive': { type: 'boolean' },
  prefix: { type: 'string' },
  'client-code': { type: 'string' },
  instance: { type: 'string' },
  'exclude-system': { type: 'boolean', short: 'S' },
  'include-system': { type: 'boolean' },
  'exclude-db': { type: 'string', multiple: true },
  'exclude-db-file': { type: 'string' },
  'exclude-empty': { type: 'boolean', short: 'E' },
  'exclude-data': { type: 'boolean', short: 'x' },
  'exclude-user': { type: 'boolean' },
  'capture-gtid': { type: 'boolean' },
  parallel: { type: 'string' },
  'compress-type': { type: 'string', short: 'c' },
  compress: { type: 'string' },
  compression: { type: 'string' },
  'compression-type': { type: 'string' },
  'compress-level': { type: 'string', short: 'l' },
  'skip-compress': { type: 'boolean', short: 'C' },
  'encryption-key': { type: 'string', short: 'K' },
  'backup-key': { type: 'string' },
  encryption: { type: 'boolean' },
  'no-encrypt': { type: 'boolean' },
  'skip-encrypt': { type: 'boolean' },
  'output-dir': { type: 'string', short: 'o' },
  'backup-dir': { type: 'string' },
  filename: { type: 'string', short: 'f' },
  'name-pattern': { type: 'string' },
  'dump-binary': { type: 'string' },
  'dump-arg': { type: 'string', multiple: true },
  'exclude-table': { type: 'string', multiple: true },
  'include-table': { type: 'string', multiple: true },
  'structure-only': { type: 'string', multiple: true },
  'data-only': { type: 'string', multiple: true },
  'skip-disk-check': { type: 'boolean' },
  'ssh-insecure': { type: 'boolean' },
  'copy-to': { type: 'string', multiple: true },
  'dry-run': { type: 'boolean', short: 'd' },
  force: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  'log-level': { type: 'string' },
  json: { type: 'boolean' },
  'json-progress': { type: 'boolean' },
  notify: { type: 'string', multiple: true },
  'notify-on': { type: 'string' },
} as const

/** What the command line asked for, checked as far as it can be without the server. */
export interface BackupArgs {
  mode: BackupMode
  parsed: Parsed
  /** undefined when left out: asked on a terminal (backup-prompts.ts), else a usage error. */
  ticket: string | undefined
  json: boolean
  jsonProgress: boolean
  dryRun: boolean
  force: boolean
  /** --db / --database, in order (the lines of --db-file are added when the plan is made). */
  databases: string[]
  dbFile: string | undefined
  filterMode: FilterFileMode | undefined
  /** --encryption-key / --backup-key. */
  keyFlag: string | undefined
  /** --parallel, checked against 1..MAX_PARALLEL. */
  parallel: number | undefined
  compressLevel: number | undefined
}

/** The package documentation's `backup combined` / `backup separated`: filter with its file mode set. */
const MODE_ALIASES: Record<string, FilterFileMode> = { combined: 'single-file', separated: 'multi-file' }

/** The first of several spellings of one flag (ours, then sfDBTools'). */
export const either = (p: Parsed, ...names: string[]): string | undefined =>
  names.map((n) => str(p, n)).find((v) => v !== undefined)
/** true when given, undefined when not: a flag left out lets env, config or the default decide. */
const flagBool = (p: Parsed, name: string): boolean | undefined => (bool(p, name) ? true : undefined)

/** Parses the flags of `backup <mode>` and refuses what contradicts itself before anything is asked. */
export function parseBackupArgs(modeArg: string, rest: string[]): BackupArgs {
  const aliasMode = MODE_ALIASES[modeArg]
  if (!(BACKUP_MODES as readonly string[]).includes(modeArg) && aliasMode === undefined)
    throw new UsageError(
      `unknown backup mode '${modeArg}'; use one of: ${BACKUP_MODES.join(', ')} (or combined, separated)`,
    )
  const mode: BackupMode = aliasMode === undefined ? (modeArg as BackupMode) : 'filter'
  const p = parseFlags(rest, BACKUP_FLAGS)
  const ticket = str(p, 'ticket')
  const databases = [...list(p, 'db', 'database'), ...commaList(list(p, 'include'))]
  const dbFile = str(p, 'db-file')
  // None is picked from a list on a terminal (backup-prompts.ts).
  if (mode === 'single' && databases.length > 1) throw new UsageError('backup single needs one --db')
  if (mode !== 'single' && mode !== 'filter' && (databases.length || dbFile))
    throw new UsageError(`--db, --include and --db-file belong to modes single and filter, not ${mode}`)
  const filterMode = fileModeOf(p, modeArg, aliasMode)
  checkTableFlagsMode(p, mode)
  if (mode !== 'filter' && filterMode !== undefined) throw new UsageError('--mode belongs to backup filter')
  const keyFlag = either(p, 'encryption-key', 'backup-key')
  const noEncrypt = bool(p, 'no-encrypt') || bool(p, 'skip-encrypt')
  if (noEncrypt && keyFlag !== undefined)
    throw new UsageError('--no-encrypt and --encryption-key contradict each other')
  if (noEncrypt && bool(p, 'encryption'))
    throw new UsageError('--no-encrypt and --encryption contradict each other')
  return {
    mode,
    parsed: p,
    ticket,
    json: bool(p, 'json'),
    jsonProgress: bool(p, 'json-progress'),
    dryRun: bool(p, 'dry-run'),
    force: bool(p, 'force'),
    databases,
    dbFile,
    filterMode,
    keyFlag,
    parallel: parallelOf(p),
    compressLevel: intFlag(p, 'compress-level'),
  }
}

/** `--include a,b,c` (repeatable): one database per comma-separated item. */
const commaList = (values: string[]): string[] =>
  values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '')

/** --mode, or the file mode `combined`/`separated` stand for (a --mode that contradicts it is refused). */
function fileModeOf(
  p: Parsed,
  modeArg: string,
  aliasMode: FilterFileMode | undefined,
): FilterFileMode | undefined {
  const given = str(p, 'mode')
  if (given !== undefined && given !== 'single-file' && given !== 'multi-file')
    throw new UsageError(`--mode must be single-file or multi-file, got '${given}'`)
  if (aliasMode !== undefined && given !== undefined && given !== aliasMode)
    throw new UsageError(`backup ${modeArg} is --mode ${aliasMode}; it contradicts --mode ${given}`)
  return aliasMode ?? given
}

/** --parallel: a whole number from 1 to MAX_PARALLEL, checked where it is parsed. */
function parallelOf(p: Parsed): number | undefined {
  const n = intFlag(p, 'parallel')
  if (n !== undefined && (n < 1 || n > MAX_PARALLEL))
    throw new UsageError(`--parallel must be between 1 and ${MAX_PARALLEL}, got ${n}`)
  return n
}

/** The effective settings of a run and the config file they came from. */
export interface BackupConfig {
  loaded: Awaited<ReturnType<typeof loadAppConfig>>
  settings: BackupSettings
  /** '' when no flag, variable or config key names one: asked on a terminal (backup-prompts.ts). */
  profileRef: string
  outputDir: string
  compression: ReturnType<typeof validateCompression>
  companions: CompanionSuffix[]
  quiet: boolean
  /** --copy-to: the offsite destinations (an unknown name fails here, before the run). */
  destinations: RunDestination[]
}

/** Flags over environment over the config file over defaults, for every backup setting. */
export async function backupConfig(args: BackupArgs, ctx: CliContext): Promise<BackupConfig> {
  const p = args.parsed
  const loaded = await loadAppConfig(ctx.env, ctx.configDir)
  const noEncrypt = bool(p, 'no-encrypt') || bool(p, 'skip-encrypt')
  const settings = resolveBackupSettings({
    flags: {
      outputDir: either(p, 'output-dir', 'backup-dir'),
      compressType: bool(p, 'skip-compress')
        ? 'none'
        : either(p, 'compress-type', 'compress', 'compression', 'compression-type'),
      compressLevel: args.compressLevel,
      encrypt: noEncrypt ? false : flagBool(p, 'encryption'),
      profile: str(p, 'profile'),
      quiet: flagBool(p, 'quiet'),
      logLevel: str(p, 'log-level'),
      excludeSystem: bool(p, 'include-system') ? false : flagBool(p, 'exclude-system'),
      excludeUser: flagBool(p, 'exclude-user'),
      excludeData: flagBool(p, 'exclude-data'),
      excludeEmpty: flagBool(p, 'exclude-empty'),
      captureGtid: flagBool(p, 'capture-gtid'),
      parallel: args.parallel,
      namePattern: str(p, 'name-pattern'),
      dumpBinary: str(p, 'dump-binary'),
      excludeDatabases: list(p, 'exclude-db').length ? list(p, 'exclude-db') : undefined,
      excludeFile: str(p, 'exclude-db-file'),
      includeDmart: flagBool(p, 'include-dmart'),
    },
    env: ctx.env,
    config: loaded.config,
    configPath: loaded.path,
    configDir: ctx.configDir,
  })
  const profileRef = settings.profile.value ?? ''
  const include = loaded.config.backup.include
  return {
    loaded,
    settings,
    profileRef,
    outputDir: resolve(settings.outputDir.value),
    compression: validateCompression(settings.compression.type.value, settings.compression.level.value),
    companions: [
      ...(settings.includeDmart.value ? (['_dmart'] as const) : []),
      ...(bool(p, 'include-temp') || include.includeTemp ? (['_temp'] as const) : []),
      ...(bool(p, 'include-archive') || include.includeArchive ? (['_archive'] as const) : []),
    ],
    quiet: settings.quiet.value || args.json,
    destinations: await runDestinations(list(p, 'copy-to'), ctx),
  }
}

/** A list file (--db-file, --exclude-db-file): one name a line, `#` comments. */
export async function readListFile(path: string, what: string): Promise<string[]> {
  try {
    return parseDatabaseList(await readFile(path, 'utf8'))
  } catch (e) {
    throw new EngineError('InvalidInput', `cannot read the ${what} ${path}: ${(e as Error).message}`)
  }
}
