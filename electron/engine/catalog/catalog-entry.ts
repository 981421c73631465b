import type { OffsiteCopy } from '../../../shared/destination.ts'
import type { RecordedTableRules } from '../../../shared/table-rules.ts'

/** Which writer produced a `.meta.json`: us, sfDBTools' grouped layout (≥ 2025-12-11), or its older flat one. */
export type MetadataSource = 'ours' | 'sfdbtools-grouped' | 'sfdbtools-flat'

export const CATALOG_BACKUP_TYPES = [
  'single',
  'all',
  'combined',
  'separated',
  'primary',
  'secondary',
  'unknown',
] as const
export type CatalogBackupType = (typeof CATALOG_BACKUP_TYPES)[number]

/**
 * One backup as the catalog sees it, whoever wrote its metadata. Paths are absolute; every file of a
 * backup lives in the folder of its `.meta.json`, whatever path the metadata recorded (folders get moved).
 */
export interface CatalogEntry {
  source: MetadataSource
  metaPath: string
  /** The metadata path without `.meta.json`: the dump the metadata describes. */
  backupFile: string
  fileName: string
  /** The dump path as the metadata recorded it (sfDBTools records where it wrote it), or null. */
  recordedFile: string | null
  databases: string[]
  type: CatalogBackupType
  /** `success`, `success_with_warnings`, or whatever else the writer recorded (`unknown` when absent). */
  status: string
  startedAt: Date | null
  durationMs: number | null
  host: string | null
  port: number | null
  hostname: string | null
  ticket: string | null
  /** The dump's size on disk when it exists, else the size the metadata recorded. */
  sizeBytes: number | null
  sha256: string | null
  compression: { type: string; level: number | null } | null
  encrypted: boolean
  /** The GTID position of the dump's snapshot. */
  gtid: string | null
  /** Its binary log coordinates, `file:position`. */
  binlog: string | null
  /**
   * Files that belong to this backup besides the dump: the `.meta.json` itself, grants, GTID files and the
   * other dumps of an sfDBTools primary/secondary package. From `parseBackupMetadata` these are the files the
   * metadata names; from `readBackupMetadata` the ones that exist on disk (named or found by convention).
   */
  companions: string[]
  /** The table rules its metadata records, by database (ours only); null or absent: every table whole. */
  tableRules?: Record<string, RecordedTableRules> | null
  /** The verified offsite copies its metadata records (`copies`, ours only); absent or empty: none. */
  copies?: OffsiteCopy[]
  /** Whether the dump exists; null when nobody looked (`parseBackupMetadata` alone). */
  fileExists: boolean | null
  /** mtime of the dump (or of the metadata when the dump is gone); null when nobody looked. */
  modifiedAt: Date | null
}

export const isSuccessful = (e: CatalogEntry): boolean =>
  e.status === 'success' || e.status === 'success_with_warnings'

/** When the backup was made: the recorded start, else the file's mtime. */
export const backupDate = (e: CatalogEntry): Date | null => e.startedAt ?? e.modifiedAt
