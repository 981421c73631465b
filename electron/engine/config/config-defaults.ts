import type { CompressionType } from '../../../shared/backup-types.ts'
import { COMPRESSION_LEVELS } from '../../../shared/compression.ts'
import { DEFAULT_COMPRESSION } from '../codecs/index.ts'
import { DEFAULT_LOCK_WAIT_SECONDS } from '../backup/lock-watch.ts'
import type { AppConfig } from './app-config-schema.ts'

/** The values used when neither a flag, the environment nor the config file sets them. */
export const CONFIG_DEFAULTS = Object.freeze({
  compression: DEFAULT_COMPRESSION,
  encryptionEnabled: true,
  excludeSystem: true,
  excludeUser: false,
  excludeData: false,
  excludeEmpty: false,
  includeDmart: false,
  includeTemp: false,
  includeArchive: false,
  saveBackupInfo: true,
  filePermissions: 0o600,
  metadataPermissions: 0o600,
  cleanupEnabled: false,
  retentionDays: 0,
  minBackups: 3,
  captureGtid: false,
  parallel: 1,
  lockWaitTimeout: DEFAULT_LOCK_WAIT_SECONDS,
  namePattern: 'default',
  /** primary/secondary take only names with this prefix, as sfDBTools does (its manual's `dbsf_nbc_`). */
  primaryPrefix: 'dbsf_nbc_',
})

/** A backup or metadata file mode as the config allows it: 0640 when asked for, else 0600. */
export const backupFileMode = (mode: number | undefined): 0o600 | 0o640 => (mode === 0o640 ? 0o640 : 0o600)

/** The level used for `type` when nothing sets one (shared/compression.ts: zstd 3, none 0, the others 6). */
export const defaultLevel = (type: CompressionType): number => COMPRESSION_LEVELS[type].default

/** An AppConfig with every defaulted value filled in (paths and lists stay as the file set them). */
export interface EffectiveAppConfig {
  compression: { type: CompressionType; level: number }
  outputDir: string | undefined
  namePattern: string
  structurePattern: string | undefined
  saveBackupInfo: boolean
  filePermissions: number
  metadataPermissions: number
  exclude: {
    user: boolean
    systemDatabases: boolean
    data: boolean
    empty: boolean
    databases: string[]
    file: string | undefined
  }
  include: {
    databases: string[]
    file: string | undefined
    includeDmart: boolean
    includeTemp: boolean
    includeArchive: boolean
  }
  cleanup: { enabled: boolean; retentionDays: number; minBackups: number }
  dumpBinary: string | undefined
  extraDumpArgs: string[]
  encryption: { enabled: boolean; hasKey: boolean }
  captureGtid: boolean
  parallel: number
  /** backup.primary_prefix, else `dbsf_nbc_`; an empty string takes every name. */
  primaryPrefix: string
  profileDir: string | undefined
  logDir: string | undefined
}

/** The config's backup section with defaults applied (no key: only whether the file holds one). */
export function withDefaults(config: AppConfig): EffectiveAppConfig {
  const b = config.backup
  const d = CONFIG_DEFAULTS
  const type = b.compression.type ?? d.compression.type
  return {
    compression: { type, level: type === 'none' ? 0 : (b.compression.level ?? defaultLevel(type)) },
    outputDir: b.outputDir,
    namePattern: b.namePattern ?? d.namePattern,
    structurePattern: b.structurePattern,
    saveBackupInfo: b.saveBackupInfo ?? d.saveBackupInfo,
    filePermissions: b.filePermissions ?? d.filePermissions,
    metadataPermissions: b.metadataPermissions ?? d.metadataPermissions,
    exclude: {
      user: b.exclude.user ?? d.excludeUser,
      systemDatabases: b.exclude.systemDatabases ?? d.excludeSystem,
      data: b.exclude.data ?? d.excludeData,
      empty: b.exclude.empty ?? d.excludeEmpty,
      databases: b.exclude.databases ?? [],
      file: b.exclude.file,
    },
    include: {
      databases: b.include.databases ?? [],
      file: b.include.file,
      includeDmart: b.include.includeDmart ?? d.includeDmart,
      includeTemp: b.include.includeTemp ?? d.includeTemp,
      includeArchive: b.include.includeArchive ?? d.includeArchive,
    },
    cleanup: {
      enabled: b.cleanup.enabled ?? d.cleanupEnabled,
      retentionDays: b.cleanup.retentionDays ?? d.retentionDays,
      minBackups: b.cleanup.minBackups ?? d.minBackups,
    },
    dumpBinary: b.dumpBinary,
    extraDumpArgs: b.extraDumpArgs ?? [],
    encryption: {
      enabled: b.encryption.enabled ?? d.encryptionEnabled,
      hasKey: b.encryption.key !== undefined,
    },
    captureGtid: b.captureGtid ?? d.captureGtid,
    parallel: b.parallel ?? d.parallel,
    primaryPrefix: b.primaryPrefix ?? CONFIG_DEFAULTS.primaryPrefix,
    profileDir: config.profileDir,
    logDir: config.logDir,
  }
}
