/**
 * The job process protocol: the parent (CLI under Node, the main process in Electron) starts one backup job
 * per process and may cancel it; the job answers with events and ends with exactly one of done / failed /
 * cancelled. Messages are validated on both sides with these schemas.
 */
import { z } from 'zod'
import {
  backupModeSchema,
  backupProgressSchema,
  backupResultSchema,
  backupTypeSchema,
  compressionTypeSchema,
  errorSchema,
  targetResultSchema,
  tlsModeSchema,
} from './backup-types.ts'

export const connectionSchema = z.object({
  host: z.string(),
  port: z.number().int().min(0).max(65535),
  user: z.string(),
  password: z.string(),
  socket: z.string().optional(),
  /** The database is reached through this SSH server (host/port above are as seen from it). */
  ssh: z
    .object({
      host: z.string(),
      port: z.number().int(),
      user: z.string(),
      password: z.string(),
      identityFile: z.string(),
      localPort: z.number().int(),
      knownHostsFile: z.string(),
      /** Skip the host key check (an explicit choice, never a default). */
      insecure: z.boolean(),
    })
    .optional(),
  /** PEM files are given as paths; the job reads them. */
  tls: z
    .object({
      mode: tlsModeSchema,
      ca: z.string().optional(),
      cert: z.string().optional(),
      key: z.string().optional(),
    })
    .optional(),
})
export type ConnectionSettings = z.infer<typeof connectionSchema>

export const planTargetSchema = z.object({
  databases: z.array(z.string()).min(1),
  /** Final file name inside outputDir (no directory part). */
  fileName: z.string().min(1),
  /** Size estimate (data + index) from information_schema, for progress and the dry-run. */
  estimatedBytes: z.number(),
  /** Whose grants go to `<file>.users.sql`: every account, the accounts of these databases, or none. */
  grants: z.enum(['all', 'databases', 'none']),
})
export type PlanTarget = z.infer<typeof planTargetSchema>

/**
 * Everything a job needs to run without asking anything. Holds secrets (password, key): it travels only
 * over the process channel, never in argv, a log or a file.
 */
export const backupPlanSchema = z.object({
  mode: backupModeSchema,
  backupType: backupTypeSchema,
  ticket: z.string().min(1),
  profileName: z.string(),
  connection: connectionSchema,
  dumpBinary: z.string().nullable(),
  extraDumpArgs: z.array(z.string()),
  excludeData: z.boolean(),
  compression: z.object({ type: compressionTypeSchema, level: z.number().int() }),
  encryptionKey: z.string().nullable(),
  outputDir: z.string(),
  targets: z.array(planTargetSchema).min(1),
  /** Databases the mode's filters left out (metadata `excluded_databases`). */
  excludedDatabases: z.array(z.string()),
  /** Replication coordinates of each dump's snapshot to `<file>.gtid` and the metadata. */
  captureGtid: z.boolean(),
  /** Targets written at once (1 = one after another). */
  parallel: z.number().int().min(1).max(16),
  /** Retention applied after a successful run, to the same databases and server. */
  cleanup: z
    .object({ retentionDays: z.number().int().min(0), minBackups: z.number().int().min(0) })
    .nullable(),
})
export type BackupPlan = z.infer<typeof backupPlanSchema>

export const jobRequestSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('start'), jobId: z.string(), plan: backupPlanSchema }),
  z.object({ type: z.literal('cancel') }),
])
export type JobRequest = z.infer<typeof jobRequestSchema>

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const

export const jobEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('progress'), jobId: z.string(), progress: backupProgressSchema }),
  z.object({ type: z.literal('log'), jobId: z.string(), level: z.enum(LOG_LEVELS), message: z.string() }),
  z.object({ type: z.literal('target'), jobId: z.string(), target: targetResultSchema }),
  z.object({ type: z.literal('done'), jobId: z.string(), result: backupResultSchema }),
  z.object({ type: z.literal('failed'), jobId: z.string(), error: errorSchema }),
  z.object({ type: z.literal('cancelled'), jobId: z.string(), result: backupResultSchema }),
])
export type JobEvent = z.infer<typeof jobEventSchema>
export type LogLevel = (typeof LOG_LEVELS)[number]
