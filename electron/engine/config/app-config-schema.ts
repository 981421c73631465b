import { z } from 'zod'
import { NAME_TOKENS, namePattern, type NAME_PRESETS } from '../backup/naming.ts'
import { parseSubFolderPattern, SUB_FOLDER_EXPECTED } from '../backup/sub-folder.ts'
import { COMPRESSION_TYPES, MAX_PARALLEL, type CompressionType } from '../../../shared/backup-types.ts'
import { ANY_COMPRESSION_LEVEL, describeCompressionLevels } from '../../../shared/compression.ts'

/**
 * What `sfDBTools_config.yaml` set, normalized. A value is `undefined` when the file did not set it, so
 * that flag > env > config > default can be decided later (see withDefaults and resolveBackupSettings).
 * Holds `backup.encryption.key` when the file has one: never print or serialize a whole AppConfig.
 */
export interface AppConfig {
  backup: {
    compression: { type?: CompressionType; level?: number }
    /** backup.output.base_directory (aliases backup.output_dir, backup.output.directory). */
    outputDir?: string
    /** Our file-name pattern ({db} {mode} {host} {date} {time} {ticket} {n}) or a preset name. */
    namePattern?: string
    /** The dated sub-folder under the output folder ({year}{month}{day}… see sub-folder.ts); '' for none. */
    structurePattern?: string
    /** Always true when set: the metadata cannot be turned off (the schema refuses false). */
    saveBackupInfo?: boolean
    /** The backup file's mode: 0600 or 0640. */
    filePermissions?: number
    /** The `.meta.json`'s mode: 0600 or 0640. */
    metadataPermissions?: number
    exclude: {
      user?: boolean
      systemDatabases?: boolean
      data?: boolean
      empty?: boolean
      databases?: string[]
      file?: string
    }
    include: {
      databases?: string[]
      file?: string
      includeDmart?: boolean
      includeTemp?: boolean
      includeArchive?: boolean
    }
    cleanup: { enabled?: boolean; retentionDays?: number; minBackups?: number }
    dumpBinary?: string
    /** backup.mysqldump_args split on whitespace, then backup.dump.extra_args. */
    extraDumpArgs?: string[]
    /** backup.dump.lock_wait_timeout: seconds a dump may wait for a table another session has locked. */
    lockWaitTimeout?: number
    encryption: { enabled?: boolean; key?: string }
    captureGtid?: boolean
    parallel?: number
    primaryPrefix?: string
  }
  profileDir?: string
  logDir?: string
  /** The SQL client a restore runs (`restore.client.binary`): a path or a name on PATH. */
  clientBinary?: string
}

export const emptyAppConfig = (): AppConfig => ({
  backup: { compression: {}, exclude: {}, include: {}, cleanup: {}, encryption: {} },
})

/** The tokens a file-name pattern may use, and the preset names it may be instead (the engine's own). */
export const NAME_PATTERN_TOKENS = NAME_TOKENS
export const NAME_PATTERN_PRESETS = [
  'default',
  'sfdbtools',
] as const satisfies readonly (keyof typeof NAME_PRESETS)[]

/** One config value: where it may be written (canonical name first, then aliases) and how to check it. */
export interface ConfigField {
  paths: readonly string[]
  /** What a valid value looks like, after "must be". */
  expected: string
  /** The same for one item of a list. */
  item?: string
  /** The value is never shown in a message. */
  secret?: boolean
  parse: (raw: unknown) => z.ZodSafeParseResult<unknown>
  assign: (config: AppConfig, value: unknown) => void
}

function field<T>(
  paths: string[],
  expected: string,
  schema: z.ZodType<T | undefined>,
  assign: (config: AppConfig['backup'], value: T, root: AppConfig) => void,
  extra: { item?: string; secret?: boolean } = {},
): ConfigField {
  return {
    paths,
    expected,
    ...extra,
    parse: (raw) => schema.safeParse(raw),
    assign: (config, value) => assign(config.backup, value as T, config),
  }
}

// A blank string means "not set", as Go's zero value does for sfDBTools.
const text = z.string().transform((s) => (s.trim() === '' ? undefined : s.trim()))
const bool = z.boolean()
const intFrom = (min: number, max = Number.MAX_SAFE_INTEGER) => z.int().min(min).max(max)
const names = z.array(z.string().trim().min(1))

const compressionType = z
  .string()
  .transform((s) => s.trim().toLowerCase())
  // sfDBTools treats an empty type as "compression off".
  .pipe(z.enum([...COMPRESSION_TYPES, '']))
  .transform((s): CompressionType => (s === '' ? 'none' : s))

/** "0600", "600", "0o600"; also 0600 written without quotes (YAML reads it as the number 600). */
const octalMode = z.union([z.string(), z.int().nonnegative()]).transform((v, ctx) => {
  const s = String(v).trim().replace(/^0o/i, '')
  if (/^0?[0-7]{3}$/.test(s)) return parseInt(s, 8)
  ctx.addIssue({ code: 'custom', message: 'not an octal mode' })
  return z.NEVER
})

/** A file-name pattern: known {tokens}, no path separators; a preset name is lower-cased. */
export const namePatternSchema = z
  .string()
  .trim()
  .refine((s) => {
    // The engine's own check (naming.ts), so the config accepts exactly what a backup can use.
    try {
      namePattern((NAME_PATTERN_PRESETS as readonly string[]).includes(s.toLowerCase()) ? s.toLowerCase() : s)
      return true
    } catch {
      return false
    }
  })
  .transform((s) =>
    (NAME_PATTERN_PRESETS as readonly string[]).includes(s.toLowerCase()) ? s.toLowerCase() : s,
  )

/** A backup holds every row of its databases: owner read-write, group read at most, never others. */
const backupMode = octalMode.refine((m) => m === 0o600 || m === 0o640)

/** sfDBTools' sub-folder pattern, checked as the engine renders it. */
const subFolderPattern = z
  .string()
  .refine((s) => parseSubFolderPattern(s).ok)
  .transform((s) => s.trim())

const splitArgs = z.string().transform((s) => s.split(/\s+/).filter((a) => a !== ''))

export const NAME_PATTERN_EXPECTED =
  `a file name using {${NAME_PATTERN_TOKENS.join('} {')}} (no '/', '\\' or '..'), ` +
  `or ${NAME_PATTERN_PRESETS.join(' or ')}`
const BACKUP_MODE =
  '"0600" or "0640" (an octal mode in quotes): a backup holds every row of its databases, so the owner ' +
  'reads and writes it, the group may read it, others never'
const PATH = 'a path'

/** Every key the loader reads. Lookups are case-insensitive; paths here are lower case. */
export const CONFIG_FIELDS: readonly ConfigField[] = [
  field(['backup.compression.type'], `one of ${COMPRESSION_TYPES.join(', ')}`, compressionType, (b, v) => {
    b.compression.type = v
  }),
  // The range depends on the type (shared/compression.ts): checked again once the type is known.
  field(
    ['backup.compression.level'],
    `an integer ${describeCompressionLevels()}`,
    intFrom(ANY_COMPRESSION_LEVEL.min, ANY_COMPRESSION_LEVEL.max),
    (b, v) => {
      b.compression.level = v
    },
  ),
  field(['backup.compression.enabled'], 'true or false', bool, (b, v) => {
    if (!v) b.compression.type = 'none'
  }),
  field(
    ['backup.output.base_directory', 'backup.output_dir', 'backup.output.directory'],
    PATH,
    text,
    (b, v) => {
      b.outputDir = v
    },
  ),
  field(['backup.output.name_pattern'], NAME_PATTERN_EXPECTED, namePatternSchema, (b, v) => {
    b.namePattern = v
  }),
  field(['backup.output.structure.pattern'], SUB_FOLDER_EXPECTED, subFolderPattern, (b, v) => {
    b.structurePattern = v
  }),
  // Without the metadata, verify cannot prove the sha256, and restore, cleanup and the history lose the
  // file's databases, server and date: refused rather than silently kept.
  field(
    ['backup.output.save_backup_info'],
    'true: the .meta.json cannot be turned off, because verify, restore, cleanup and the history read it ' +
      'and its sha256 proves the file whole; remove the key',
    z.literal(true),
    (b, v) => {
      b.saveBackupInfo = v
    },
  ),
  field(['backup.output.file_permissions'], BACKUP_MODE, backupMode, (b, v) => {
    b.filePermissions = v
  }),
  field(['backup.output.metadata_permissions'], BACKUP_MODE, backupMode, (b, v) => {
    b.metadataPermissions = v
  }),
  field(['backup.exclude.user'], 'true or false', bool, (b, v) => {
    b.exclude.user = v
  }),
  field(['backup.exclude.system_databases'], 'true or false', bool, (b, v) => {
    b.exclude.systemDatabases = v
  }),
  field(['backup.exclude.data'], 'true or false', bool, (b, v) => {
    b.exclude.data = v
  }),
  field(['backup.exclude.empty'], 'true or false', bool, (b, v) => {
    b.exclude.empty = v
  }),
  field(
    ['backup.exclude.databases'],
    'a list of database names',
    names,
    (b, v) => {
      b.exclude.databases = v
    },
    { item: 'a database name' },
  ),
  field(['backup.exclude.file'], PATH, text, (b, v) => {
    b.exclude.file = v
  }),
  field(
    ['backup.include.databases'],
    'a list of database names',
    names,
    (b, v) => {
      b.include.databases = v
    },
    { item: 'a database name' },
  ),
  field(['backup.include.file'], PATH, text, (b, v) => {
    b.include.file = v
  }),
  field(['backup.include.include_dmart', 'backup.include_dmart'], 'true or false', bool, (b, v) => {
    b.include.includeDmart = v
  }),
  field(['backup.include.include_temp', 'backup.include_temp'], 'true or false', bool, (b, v) => {
    b.include.includeTemp = v
  }),
  field(['backup.include.include_archive', 'backup.include_archive'], 'true or false', bool, (b, v) => {
    b.include.includeArchive = v
  }),
  field(['backup.cleanup.enabled'], 'true or false', bool, (b, v) => {
    b.cleanup.enabled = v
  }),
  field(['backup.cleanup.retention_days', 'backup.cleanup.days'], 'an integer ≥ 0', intFrom(0), (b, v) => {
    b.cleanup.retentionDays = v
  }),
  field(['backup.cleanup.min_backups'], 'an integer ≥ 0', intFrom(0), (b, v) => {
    b.cleanup.minBackups = v
  }),
  field(['backup.dump.binary', 'backup.mysqldump_path'], PATH, text, (b, v) => {
    b.dumpBinary = v
  }),
  field(['backup.mysqldump_args'], 'text (options separated by spaces)', splitArgs, (b, v) => {
    b.extraDumpArgs = [...v, ...(b.extraDumpArgs ?? [])]
  }),
  field(
    ['backup.dump.extra_args'],
    'a list of options',
    names,
    (b, v) => {
      b.extraDumpArgs = [...(b.extraDumpArgs ?? []), ...v]
    },
    { item: 'an option (text)' },
  ),
  field(['backup.dump.lock_wait_timeout'], 'a number of seconds ≥ 1', intFrom(1), (b, v) => {
    b.lockWaitTimeout = v
  }),
  field(['backup.encryption.enabled'], 'true or false', bool, (b, v) => {
    b.encryption.enabled = v
  }),
  field(
    ['backup.encryption.key'],
    'text in quotes',
    text,
    (b, v) => {
      b.encryption.key = v
    },
    { secret: true },
  ),
  field(['backup.replication.capture_gtid'], 'true or false', bool, (b, v) => {
    b.captureGtid = v
  }),
  field(['backup.parallel'], `an integer from 1 to ${MAX_PARALLEL}`, intFrom(1, MAX_PARALLEL), (b, v) => {
    b.parallel = v
  }),
  // An empty prefix is kept: it takes every name instead of the default `dbsf_nbc_`.
  field(
    ['backup.primary_prefix'],
    'text',
    z.string().transform((s) => s.trim()),
    (b, v) => {
      b.primaryPrefix = v
    },
  ),
  field(['config_dir.database_profile'], PATH, text, (_b, v, root) => {
    root.profileDir = v
  }),
  field(['log.output.file.dir'], PATH, text, (_b, v, root) => {
    root.logDir = v
  }),
  field(['restore.client.binary'], PATH, text, (_b, v, root) => {
    root.clientBinary = v
  }),
]

/** Keys of sfDBTools that we accept and ignore, inside the sections we check for typos. */
export const IGNORED_KEYS: readonly string[] = [
  'backup.scheduler',
  'backup.verification',
  'backup.cleanup.schedule',
  'backup.output.cleanup_temp',
  'backup.output.structure.create_subdirs',
  'backup.replication.replication_user',
  'backup.replication.replication_password',
]

/** Sections whose unknown keys are likely typos (warned about); anywhere else unknown keys are fine. */
export const OWNED_SECTIONS: readonly string[] = [
  'backup',
  'backup.compression',
  'backup.output',
  'backup.output.structure',
  'backup.exclude',
  'backup.include',
  'backup.cleanup',
  'backup.dump',
  'backup.encryption',
  'backup.replication',
]
