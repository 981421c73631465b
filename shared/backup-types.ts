import { z } from 'zod'
import { ERROR_CODES } from './result.ts'

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

export const TARGET_STATUSES = ['success', 'success_with_warnings', 'failed', 'cancelled', 'skipped'] as const
export type TargetStatus = (typeof TARGET_STATUSES)[number]

export const errorSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  detail: z.string().optional(),
})

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
})
export type TargetResult = z.infer<typeof targetResultSchema>

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
})
export type BackupProgress = z.infer<typeof backupProgressSchema>
