import { join } from 'node:path'
import type { CompressionType } from '../../../shared/backup-types.ts'
import { validateCompression } from '../codecs/index.ts'
import { EngineError } from '../errors.ts'
import { profileDir } from '../profiles/index.ts'
import { NAME_PATTERN_EXPECTED, namePatternSchema, type AppConfig } from './app-config-schema.ts'
import type { Env } from './app-config.ts'
import { CONFIG_DEFAULTS, defaultLevel } from './config-defaults.ts'

export type SettingSource = 'flag' | 'env' | 'config' | 'default'

/** An effective value and what set it. */
export interface Setting<T> {
  value: T
  source: SettingSource
  /** The flag (`--output-dir`), env var or config key that set it; 'default' for a default. */
  origin: string
}

/** The backup flags as the CLI parsed them: undefined when not given. */
export interface BackupFlags {
  outputDir?: string
  compressType?: string
  compressLevel?: number
  /** false for --no-encrypt / --skip-encrypt. */
  encrypt?: boolean
  profile?: string
  logLevel?: string
  quiet?: boolean
  excludeSystem?: boolean
  excludeUser?: boolean
  excludeData?: boolean
  excludeEmpty?: boolean
  captureGtid?: boolean
  parallel?: number
  namePattern?: string
  dumpBinary?: string
  extraDumpArgs?: string[]
  includeDatabases?: string[]
  includeFile?: string
  excludeDatabases?: string[]
  excludeFile?: string
  includeDmart?: boolean
  cleanupEnabled?: boolean
  retentionDays?: number
  minBackups?: number
}

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

export interface BackupSettings {
  outputDir: Setting<string>
  compression: { type: Setting<CompressionType>; level: Setting<number> }
  /** Whether a backup should be encrypted; the key itself is resolved by the caller's key chain. */
  encrypt: Setting<boolean>
  /** backup.encryption.key from the config file: the source after the env vars. Never print it. */
  configKey: { key: string; source: string } | null
  profile: Setting<string | undefined>
  profileDir: Setting<string>
  logLevel: Setting<LogLevel>
  quiet: Setting<boolean>
  excludeSystem: Setting<boolean>
  excludeUser: Setting<boolean>
  excludeData: Setting<boolean>
  excludeEmpty: Setting<boolean>
  captureGtid: Setting<boolean>
  parallel: Setting<number>
  namePattern: Setting<string>
  dumpBinary: Setting<string | undefined>
  extraDumpArgs: Setting<string[]>
  /** Seconds a dump may wait for a table lock another session holds (backup.dump.lock_wait_timeout). */
  lockWaitTimeout: Setting<number>
  includeDatabases: Setting<string[]>
  includeFile: Setting<string | undefined>
  excludeDatabases: Setting<string[]>
  excludeFile: Setting<string | undefined>
  includeDmart: Setting<boolean>
  cleanup: { enabled: Setting<boolean>; retentionDays: Setting<number>; minBackups: Setting<number> }
}

export interface SettingsInput {
  flags: BackupFlags
  env: Env
  config: AppConfig
  /** The config file's path, for the origin of config values. */
  configPath?: string
  /** The config folder: the default output and profile folders are inside it. */
  configDir: string
}

type BoolFlag = {
  [K in keyof BackupFlags]-?: BackupFlags[K] extends boolean | undefined ? K : never
}[keyof BackupFlags]

type Candidate<T> = readonly [SettingSource, string, T | undefined]

/** The first candidate that has a value, else the default. */
function pick<T>(candidates: readonly Candidate<T>[], fallback: T): Setting<T> {
  for (const [source, origin, value] of candidates) if (value !== undefined) return { value, source, origin }
  return { value: fallback, source: 'default', origin: 'default' }
}

const flagName = (name: keyof BackupFlags): string =>
  `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`

/** An env var's value, with a blank one meaning "not set". */
const envValue = (env: Env, name: string): string | undefined => (env[name]?.trim() ? env[name] : undefined)

const TRUE = ['1', 'true', 'yes', 'on']
const FALSE = ['0', 'false', 'no', 'off']

function envBool(env: Env, name: string): boolean | undefined {
  const raw = envValue(env, name)
  if (raw === undefined) return undefined
  const v = raw.trim().toLowerCase()
  if (TRUE.includes(v)) return true
  if (FALSE.includes(v)) return false
  throw new EngineError('InvalidInput', `${name} must be 1/true or 0/false (got ${JSON.stringify(raw)})`)
}

function logLevel(value: string | undefined, origin: string): LogLevel | undefined {
  if (value === undefined) return undefined
  const known = LOG_LEVELS.find((l) => l === value.trim().toLowerCase())
  if (known !== undefined) return known
  throw new EngineError(
    'InvalidInput',
    `${origin} must be one of ${LOG_LEVELS.join(', ')} (got ${JSON.stringify(value)})`,
  )
}

function checkInt(value: number | undefined, min: number, name: keyof BackupFlags): number | undefined {
  if (value === undefined || (Number.isInteger(value) && value >= min)) return value
  throw new EngineError('InvalidInput', `${flagName(name)} must be an integer ≥ ${min} (got ${value})`)
}

function checkNamePattern(value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  const parsed = namePatternSchema.safeParse(value)
  if (parsed.success) return parsed.data
  throw new EngineError(
    'InvalidInput',
    `${flagName('namePattern')} must be ${NAME_PATTERN_EXPECTED} (got ${JSON.stringify(value)})`,
  )
}

/** Type and level may come from different places; together they must still be valid. */
function resolveCompression(flags: BackupFlags, config: AppConfig): BackupSettings['compression'] {
  const c = config.backup.compression
  const type = pick<string>(
    [
      ['flag', '--compress-type', flags.compressType],
      ['config', 'backup.compression.type', c.type],
    ],
    CONFIG_DEFAULTS.compression.type,
  )
  // Level 1 suits every type: this checks the type alone and normalizes its spelling.
  const known = validateCompression(type.value, 1).type
  if (known === 'none') return { type: { ...type, value: known }, level: { ...type, value: 0 } }
  const level = pick<number>(
    [
      ['flag', '--compress-level', flags.compressLevel],
      ['config', 'backup.compression.level', c.level],
    ],
    defaultLevel(known),
  )
  try {
    validateCompression(known, level.value)
  } catch (e) {
    if (!(e instanceof EngineError) || type.source === level.source) throw e
    throw new EngineError(
      'InvalidInput',
      `${e.message} (type from ${type.origin}, level from ${level.origin})`,
    )
  }
  return { type: { ...type, value: known }, level }
}

/** Flags checked the way the config's values are: numbers in range, a valid name pattern. */
function checkedFlags(f: BackupFlags): BackupFlags {
  return {
    ...f,
    parallel: checkInt(f.parallel, 1, 'parallel'),
    retentionDays: checkInt(f.retentionDays, 0, 'retentionDays'),
    minBackups: checkInt(f.minBackups, 0, 'minBackups'),
    namePattern: checkNamePattern(f.namePattern),
  }
}

/** The candidates one input offers, named for messages. */
function sourcesOf(flags: BackupFlags, env: Env) {
  const flag = <K extends keyof BackupFlags>(name: K): Candidate<NonNullable<BackupFlags[K]>> => [
    'flag',
    flagName(name),
    flags[name] ?? undefined,
  ]
  const conf = <T>(key: string, value: T | undefined): Candidate<T> => ['config', key, value]
  return {
    flag,
    conf,
    env: (name: string): Candidate<string> => ['env', name, envValue(env, name)],
    bool: (name: BoolFlag, key: string, value: boolean | undefined, fallback: boolean): Setting<boolean> =>
      pick<boolean>([flag(name), conf(key, value)], fallback),
  }
}
type Sources = ReturnType<typeof sourcesOf>

/** Where things are and how the run behaves. */
function resolveRun(input: SettingsInput, s: Sources, flags: BackupFlags) {
  const { env, config } = input
  return {
    outputDir: pick<string>(
      [
        s.flag('outputDir'),
        s.env('SFDB_OUTPUT_DIR'),
        s.conf('backup.output.base_directory', config.backup.outputDir),
      ],
      join(input.configDir, 'backup'),
    ),
    profile: pick<string | undefined>(
      [s.flag('profile'), s.env('SFDB_PROFILE_PATH'), s.env('SFDB_SOURCE_PROFILE')],
      undefined,
    ),
    profileDir: pick<string>(
      [s.conf('config_dir.database_profile', config.profileDir)],
      profileDir(input.configDir),
    ),
    logLevel: pick<LogLevel>(
      [
        ['flag', '--log-level', logLevel(flags.logLevel, '--log-level')],
        ['env', 'SFDB_LOG_LEVEL', logLevel(envValue(env, 'SFDB_LOG_LEVEL'), 'SFDB_LOG_LEVEL')],
      ],
      'info',
    ),
    quiet: pick<boolean>([s.flag('quiet'), ['env', 'SFDB_QUIET', envBool(env, 'SFDB_QUIET')]], false),
    parallel: pick<number>(
      [s.flag('parallel'), s.conf('backup.parallel', config.backup.parallel)],
      CONFIG_DEFAULTS.parallel,
    ),
  }
}

/** What is dumped and how the files are named. */
function resolveSelection(config: AppConfig, s: Sources) {
  const b = config.backup
  const d = CONFIG_DEFAULTS
  return {
    excludeSystem: s.bool(
      'excludeSystem',
      'backup.exclude.system_databases',
      b.exclude.systemDatabases,
      d.excludeSystem,
    ),
    excludeUser: s.bool('excludeUser', 'backup.exclude.user', b.exclude.user, d.excludeUser),
    excludeData: s.bool('excludeData', 'backup.exclude.data', b.exclude.data, d.excludeData),
    excludeEmpty: s.bool('excludeEmpty', 'backup.exclude.empty', b.exclude.empty, d.excludeEmpty),
    captureGtid: s.bool('captureGtid', 'backup.replication.capture_gtid', b.captureGtid, d.captureGtid),
    includeDmart: s.bool(
      'includeDmart',
      'backup.include.include_dmart',
      b.include.includeDmart,
      d.includeDmart,
    ),
    includeDatabases: pick<string[]>(
      [s.flag('includeDatabases'), s.conf('backup.include.databases', b.include.databases)],
      [],
    ),
    includeFile: pick<string | undefined>(
      [s.flag('includeFile'), s.conf('backup.include.file', b.include.file)],
      undefined,
    ),
    excludeDatabases: pick<string[]>(
      [s.flag('excludeDatabases'), s.conf('backup.exclude.databases', b.exclude.databases)],
      [],
    ),
    excludeFile: pick<string | undefined>(
      [s.flag('excludeFile'), s.conf('backup.exclude.file', b.exclude.file)],
      undefined,
    ),
    namePattern: pick<string>(
      [s.flag('namePattern'), s.conf('backup.output.name_pattern', b.namePattern)],
      d.namePattern,
    ),
    dumpBinary: pick<string | undefined>(
      [s.flag('dumpBinary'), s.conf('backup.dump.binary', b.dumpBinary)],
      undefined,
    ),
    extraDumpArgs: pick<string[]>(
      [s.flag('extraDumpArgs'), s.conf('backup.mysqldump_args', b.extraDumpArgs)],
      [],
    ),
    lockWaitTimeout: pick<number>(
      [s.conf('backup.dump.lock_wait_timeout', b.lockWaitTimeout)],
      d.lockWaitTimeout,
    ),
  }
}

function resolveCleanup(config: AppConfig, s: Sources): BackupSettings['cleanup'] {
  const c = config.backup.cleanup
  const d = CONFIG_DEFAULTS
  return {
    enabled: s.bool('cleanupEnabled', 'backup.cleanup.enabled', c.enabled, d.cleanupEnabled),
    retentionDays: pick<number>(
      [s.flag('retentionDays'), s.conf('backup.cleanup.retention_days', c.retentionDays)],
      d.retentionDays,
    ),
    minBackups: pick<number>(
      [s.flag('minBackups'), s.conf('backup.cleanup.min_backups', c.minBackups)],
      d.minBackups,
    ),
  }
}

/**
 * The effective backup settings: flag > env > config > default, each with where it came from. Pure:
 * reads nothing but its input.
 * @throws EngineError('InvalidInput') for an invalid flag or env value (SFDB_LOG_LEVEL, SFDB_QUIET, …),
 *   or a compression type and level that do not fit together.
 */
export function resolveBackupSettings(input: SettingsInput): BackupSettings {
  const flags = checkedFlags(input.flags)
  const s = sourcesOf(flags, input.env)
  const { encryption } = input.config.backup
  return {
    ...resolveRun(input, s, flags),
    ...resolveSelection(input.config, s),
    compression: resolveCompression(flags, input.config),
    encrypt: s.bool(
      'encrypt',
      'backup.encryption.enabled',
      encryption.enabled,
      CONFIG_DEFAULTS.encryptionEnabled,
    ),
    configKey:
      encryption.key === undefined
        ? null
        : {
            key: encryption.key,
            source: `backup.encryption.key in ${input.configPath ?? 'the config file'}`,
          },
    cleanup: resolveCleanup(input.config, s),
  }
}
