import { z } from 'zod'
import { ADVICE_CODES, ERROR_CODES, type AppError, type Notice } from './result.ts'

/** The most databases a backup writes at once (--parallel, backup.parallel). */
export const MAX_PARALLEL = 16

export const COMPRESSION_TYPES = ['gzip', 'pgzip', 'zlib', 'zstd', 'xz', 'none'] as const
export const compressionTypeSchema = z.enum(COMPRESSION_TYPES)
export type CompressionType = z.infer<typeof compressionTypeSchema>

/** TLS of a database connection, as MySQL's --ssl-mode names them. */
export const TLS_MODES = ['disabled', 'preferred', 'required', 'verify-ca', 'verify-identity'] as const
export const tlsModeSchema = z.enum(TLS_MODES)
export type TlsMode = z.infer<typeof tlsModeSchema>

export const BACKUP_MODES = ['single', 'filter', 'all', 'primary', 'secondary'] as const
export const backupModeSchema = z.enum(BACKUP_MODES)
export type BackupMode = z.infer<typeof backupModeSchema>

/**
 * What a file holds, in sfDBTools' words (metadata `backup_type`): `combined` is `filter --mode
 * single-file`, `separated` is `filter --mode multi-file`; the other modes keep their names.
 */
export const BACKUP_TYPES = ['single', 'all', 'combined', 'separated', 'primary', 'secondary'] as const
export const backupTypeSchema = z.enum(BACKUP_TYPES)
export type BackupType = z.infer<typeof backupTypeSchema>

/** Why a database was left out of a backup; `value` is the prefix, client code, instance or companion suffix. */
export const EXCLUSION_REASONS = [
  'system',
  'companion',
  'prefix',
  'notSecondary',
  'secondary',
  'clientCode',
  'instance',
  'excludeList',
  'empty',
] as const
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number]
export interface Exclusion {
  database: string
  reason: ExclusionReason
  value?: string
}

export const TARGET_STATUSES = ['success', 'success_with_warnings', 'failed', 'cancelled', 'skipped'] as const
export type TargetStatus = (typeof TARGET_STATUSES)[number]

export const adviceSchema = z.object({
  code: z.enum(ADVICE_CODES),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
})

export const errorSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  detail: z.string().optional(),
  advice: adviceSchema.optional(),
})

/** Replication coordinates of the dump's own snapshot, as recorded for a written file. */
export const gtidSchema = z.object({
  executed: z.string().nullable(),
  purged: z.string().nullable(),
  binlogFile: z.string().nullable(),
  binlogPosition: z.number().nullable(),
})
export type TargetGtid = z.infer<typeof gtidSchema>

/** The outcome of one output file (one database, or one combined file). */
export const targetResultSchema = z.object({
  databases: z.array(z.string()),
  status: z.enum(TARGET_STATUSES),
  file: z.string().nullable(),
  /** Bytes of the file on disk (compressed, encrypted). */
  bytes: z.number(),
  /** Bytes of SQL produced by the dump before compression. */
  sqlBytes: z.number(),
  sha256: z.string().nullable(),
  durationMs: z.number(),
  warnings: z.array(z.string()),
  error: errorSchema.nullable(),
  /** The snapshot's binlog/GTID position when it was captured (--capture-gtid), else null or absent. */
  gtid: gtidSchema.nullable().optional(),
})
export type TargetResult = z.infer<typeof targetResultSchema>

/** The target's file was written (with or without warnings). */
export const targetWritten = (target: { status: TargetStatus }): boolean =>
  target.status === 'success' || target.status === 'success_with_warnings'

/** What `--json` prints and what a job reports when it is done. */
export const backupResultSchema = z.object({
  ok: z.boolean(),
  mode: backupModeSchema,
  ticket: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  durationMs: z.number(),
  targets: z.array(targetResultSchema),
})
export type BackupResult = z.infer<typeof backupResultSchema>

/** A dump waiting for a table's metadata lock, and who holds it when the server can tell. */
export const lockWaitSchema = z.object({
  database: z.string(),
  table: z.string(),
  /** The session holding the lock (from information_schema.METADATA_LOCK_INFO), null when unknown. */
  holder: z.object({ id: z.number(), user: z.string(), host: z.string() }).nullable(),
  seconds: z.number(),
})
export type LockWait = z.infer<typeof lockWaitSchema>

/** Counters of a running backup; the engine throttles these to at most 10 a second plus a final one. */
export const backupProgressSchema = z.object({
  /** Index of the target being written, in plan order. */
  targetIndex: z.number(),
  targetCount: z.number(),
  database: z.string().nullable(),
  table: z.string().nullable(),
  tablesDone: z.number(),
  tablesTotal: z.number(),
  /** SQL bytes read from the dump so far (this target). */
  sqlBytes: z.number(),
  /** Bytes written to the output file so far (this target). */
  outBytes: z.number(),
  /** Estimated SQL size of this target from information_schema (data + index), 0 when unknown. */
  estimatedBytes: z.number(),
  /** 0..1, or null when no estimate exists. */
  fraction: z.number().nullable(),
  bytesPerSecond: z.number(),
  etaSeconds: z.number().nullable(),
  elapsedMs: z.number(),
  final: z.boolean(),
  /** Seconds since the last byte of SQL, when that is long enough to call it a stall (rate 0, no ETA). */
  stalledSeconds: z.number().optional(),
  /** The dump is waiting for a table's metadata lock held by another session (null/absent: it is not). */
  lockWait: lockWaitSchema.nullable().optional(),
})
export type BackupProgress = z.infer<typeof backupProgressSchema>

/**
 * How a dry-run's size estimate was made (electron/engine/backup/size-estimate.ts): each file from the
 * output/data ratio of the last few backups of its databases with the same compression in the output
 * folder, else from a conservative default ratio.
 */
export interface PlanEstimate {
  files: number
  /** Files estimated from earlier backups. */
  learnedFiles: number
  /** Earlier backups whose ratios were used, over all files (up to 3 per file). */
  backups: number
}

/**
 * The dry-run: what a backup will do, built once by the engine (electron/engine/backup/plan-view.ts) for
 * the CLI's `backup --dry-run [--json]` and the app's last wizard step. Never holds a secret.
 */
export interface BackupPlanView {
  mode: BackupMode
  backupType: BackupType
  ticket: string
  profile: string
  server: { hostname: string; flavor: string; version: string }
  outputDir: string
  files: {
    file: string
    databases: { name: string; sizeBytes: number; tables: number; rows: number }[]
    estimatedSqlBytes: number
    /** The files written next to this one: metadata always, grants unless left out, GTID when captured. */
    companions: string[]
    /** Table rules of the file's databases (tables left out, structure only, data only); absent: none. */
    tables?: {
      database: string
      excluded: string[]
      structureOnly: string[]
      dataOnly: string[]
      /** The tables asked for when only those were dumped (the others are in `excluded`). */
      included?: string[]
    }[]
  }[]
  excluded: Exclusion[]
  unknown: string[]
  estimatedOutputBytes: number
  /** How `estimatedOutputBytes` was estimated (absent in views of older versions). */
  estimate?: PlanEstimate
  options: {
    compression: { type: CompressionType; level: number }
    encrypted: boolean
    excludeData: boolean
    grants: 'all' | 'databases' | 'none'
    captureGtid: boolean
    parallel: number
    cleanup: { retentionDays: number; minBackups: number } | null
    namePattern: string
  }
  /** Dump binary and arguments without secrets, or why the binary was not found. */
  dump:
    | {
        binary: string
        version: string
        /** The first dump's arguments (several databases when small ones share it). */
        args: string[]
        /** Dump processes the run starts: fewer than files when small databases share one (batch-dump.ts). */
        dumps: number
        /**
         * Per file (in `files` order): every dump command of a file whose table rules change it (more than one
         * when tables are data only: they follow in the same file), else null. Absent: no table rules.
         */
        fileCommands?: (string[][] | null)[]
      }
    | { error: AppError }
  warnings: Notice[]
}
