import { readFile } from 'node:fs/promises'
import { basename } from 'node:path'
import type { BackupType, CompressionType } from '../../../shared/backup-types.ts'
import { APP_NAME, APP_VERSION } from '../../../shared/app-version.ts'
import type { ResolvedTableRules } from '../../../shared/table-rules.ts'
import { writeFileAtomic, writePartFile } from '../fs/atomic-write.ts'
import { PART_SUFFIX } from './output-file.ts'

export const META_SUFFIX = '.meta.json'

/** The container we write: sfDBTools V3 (AES-256-GCM, 64 KiB chunks, PBKDF2-SHA256 600,000). */
export const ENCRYPTION_ALGORITHM = 'AES-256-GCM'
export const ENCRYPTION_FORMAT = 'sfdbtools-v3-chunked'

/**
 * `<backup file>.meta.json`: the user manual's fields (database_name, backup_date, backup_type,
 * compression, encryption, gtid_info, file_size, user_grants_file, ticket) plus what a catalog, verify and a
 * restore need. Never holds a secret: no password, no key, no defaults-file content.
 */
/**
 * Replication coordinates of the dump's own snapshot (read from the dump's header, not queried before it).
 * `executed` is the GTID set/position of the snapshot (MariaDB gtid_slave_pos / MySQL gtid_executed);
 * `purged` is MySQL's GTID_PURGED line when the dump wrote one.
 */
export interface GtidInfo {
  executed: string | null
  purged: string | null
  binlog_file: string | null
  binlog_position: number | null
}

export interface BackupMetadata {
  /** Identifies this layout for readers (sfDBTools' own layouts have no such field). */
  format: 'sfdbtools-desktop/1'
  database_name: string
  databases: string[]
  backup_date: string
  backup_type: BackupType
  ticket: string
  status: 'success' | 'success_with_warnings'
  compression: { enabled: boolean; type: CompressionType; level: number | null }
  encryption: { enabled: boolean; algorithm: string | null; format: string | null; kdf: string | null }
  gtid_info: GtidInfo | null
  file_size: number
  /** File name (same folder) of the `.users.sql` written with this backup, or null. */
  user_grants_file: string | null
  /** File name (same folder) of the `.gtid` file, or null. */
  gtid_file: string | null
  /** Databases the mode's filters left out of this run. */
  excluded_databases: string[]
  file: { name: string; sha256: string; size_bytes: number; sql_size_bytes: number }
  /**
   * The data size (information_schema) of the databases when this backup was planned: with `file.size_bytes`
   * it gives the next backup's disk-space estimate. Absent in metadata of earlier versions.
   */
  source_data_bytes?: number
  time: { start: string; end: string; duration_ms: number }
  server: { host: string; port: number; hostname: string; flavor: string; version: string }
  dump: {
    binary: string
    version: string
    args: string[]
    exclude_data: boolean
    /** Every dump of the file in order, when table rules made it more than one (`args` is the main one's). */
    passes?: string[][]
  }
  /**
   * The table rules of the file's databases (absent: every table whole). `excluded` holds every table left
   * out (also those `included` left out); `included` the tables asked for when only those were dumped.
   */
  table_rules?: Record<string, TableRulesMetadata>
  warnings: string[]
  generator: { name: string; version: string }
}

/** One database's table rules in the metadata. */
export interface TableRulesMetadata {
  excluded: string[]
  structure_only: string[]
  data_only: string[]
  included?: string[]
}

/** The metadata's `table_rules` from a target's resolved rules (undefined when there are none). */
export function tableRulesMetadata(
  rules: Record<string, ResolvedTableRules> | undefined,
): Record<string, TableRulesMetadata> | undefined {
  if (rules === undefined || Object.keys(rules).length === 0) return undefined
  const out: Record<string, TableRulesMetadata> = {}
  for (const [db, r] of Object.entries(rules))
    out[db] = {
      excluded: r.ignore,
      structure_only: r.structureOnly,
      data_only: r.dataOnly,
      ...(r.include === undefined ? {} : { included: r.include }),
    }
  return out
}

export interface MetadataInput {
  backupType: BackupType
  ticket: string
  databases: string[]
  file: { path: string; bytes: number; sqlBytes: number; sha256: string }
  warnings: string[]
  startedAt: Date
  finishedAt: Date
  compression: { type: CompressionType; level: number }
  encrypted: boolean
  server: { host: string; port: number; hostname: string; flavor: string; version: string }
  dump: { binary: string; version: string; args: string[]; excludeData: boolean; passes?: string[][] | null }
  /** The file's resolved table rules (plan target `tables`). */
  tableRules?: Record<string, ResolvedTableRules> | undefined
  excludedDatabases: string[]
  /** The databases' data size when planned (the plan's estimate). */
  sourceDataBytes: number
  gtid: GtidInfo | null
  grantsFile: string | null
  gtidFile: string | null
}

export function buildMetadata(input: MetadataInput): BackupMetadata {
  const compressed = input.compression.type !== 'none'
  return {
    format: 'sfdbtools-desktop/1',
    database_name: input.databases.join(','),
    databases: input.databases,
    backup_date: input.startedAt.toISOString(),
    backup_type: input.backupType,
    ticket: input.ticket,
    status: input.warnings.length > 0 ? 'success_with_warnings' : 'success',
    compression: {
      enabled: compressed,
      type: input.compression.type,
      level: compressed ? input.compression.level : null,
    },
    encryption: input.encrypted
      ? {
          enabled: true,
          algorithm: ENCRYPTION_ALGORITHM,
          format: ENCRYPTION_FORMAT,
          kdf: 'PBKDF2-SHA256/600000',
        }
      : { enabled: false, algorithm: null, format: null, kdf: null },
    gtid_info: input.gtid,
    file_size: input.file.bytes,
    user_grants_file: input.grantsFile,
    gtid_file: input.gtidFile,
    excluded_databases: input.excludedDatabases,
    file: {
      name: basename(input.file.path),
      sha256: input.file.sha256,
      size_bytes: input.file.bytes,
      sql_size_bytes: input.file.sqlBytes,
    },
    source_data_bytes: input.sourceDataBytes,
    time: {
      start: input.startedAt.toISOString(),
      end: input.finishedAt.toISOString(),
      duration_ms: input.finishedAt.getTime() - input.startedAt.getTime(),
    },
    server: input.server,
    dump: {
      binary: input.dump.binary,
      version: input.dump.version,
      args: input.dump.args,
      exclude_data: input.dump.excludeData,
      ...(input.dump.passes ? { passes: input.dump.passes } : {}),
    },
    ...(tableRulesMetadata(input.tableRules) ? { table_rules: tableRulesMetadata(input.tableRules) } : {}),
    warnings: input.warnings,
    generator: { name: APP_NAME, version: APP_VERSION },
  }
}

export const metadataPathOf = (backupPath: string): string => backupPath + META_SUFFIX

/**
 * Written atomically, never over an existing file, 0600 unless `mode` says 0640
 * (backup.output.metadata_permissions). With `part`, written as `<meta>.part`, to be committed with its
 * backup (`commitSet`).
 */
export async function writeMetadata(
  backupPath: string,
  meta: BackupMetadata,
  options: { part?: boolean; mode?: number } = {},
): Promise<string> {
  const path = metadataPathOf(backupPath) + (options.part ? PART_SUFFIX : '')
  const text = JSON.stringify(meta, null, 2) + '\n'
  if (options.part) await writePartFile(path, text, options.mode ?? 0o600)
  else await writeFileAtomic(path, text, { mode: options.mode ?? 0o600, noOverwrite: true })
  return path
}

/** The sha256 recorded for a backup, from our metadata or null when there is none we understand. */
export async function readRecordedSha256(
  backupPath: string,
): Promise<{ sha256: string | null; found: boolean }> {
  let text: string
  try {
    text = await readFile(metadataPathOf(backupPath), 'utf8')
  } catch {
    return { sha256: null, found: false }
  }
  try {
    const meta = JSON.parse(text) as Partial<BackupMetadata>
    const sha = meta.file?.sha256
    return { sha256: typeof sha === 'string' && /^[0-9a-f]{64}$/.test(sha) ? sha : null, found: true }
  } catch {
    return { sha256: null, found: true }
  }
}
