import type { CompressionType } from '../../../../shared/backup-types.ts'
import type { CatalogBackupType } from '../../catalog/catalog-entry.ts'

/** What a restore learns of a backup file before it starts: from its metadata, its content and its name. */
export interface BackupSource {
  /** Absolute path of the dump. */
  file: string
  /** Its `.meta.json` (ours or sfDBTools', grouped or flat), or null when there is none. */
  metaPath: string | null
  /** The one database it holds (metadata, else parsed from the file name as sfDBTools does; null for all/combined). */
  sourceDatabase: string | null
  /** Every database the metadata names (all / combined dumps), else [sourceDatabase] or []. */
  databases: string[]
  type: CatalogBackupType
  totalSqlBytes: number | null
  totalTables: number | null
  encrypted: boolean
  compression: CompressionType | null
  /** metadata > the file's magic bytes (content) > the name; never the name alone when the content says otherwise. */
  compressionFrom: 'metadata' | 'content' | 'name' | null
  sizeBytes: number
  /** The grants file beside it: ours `<dump>.users.sql`, sfDBTools' `<base>_users.sql`; null when none exists. */
  grantsFile: string | null
  /** primary/secondary: the `_dmart` companion dump (metadata `database_details`, else beside the file). */
  dmartCompanion: string | null
  /** The server the backup was made from (metadata), for the same-server check. */
  host: string | null
  port: number | null
}

/** Describes a backup file for a restore. PROVISIONAL signature: implemented by the orchestrator work. */
export async function describeBackup(file: string): Promise<BackupSource> {
  throw new Error(`describeBackup(${file}): not implemented yet`)
}
