/**
 * The job process protocol: the parent (CLI under Node, the main process in Electron) starts one job per
 * process and may cancel it; the job answers with events and ends with exactly one final event. Two kinds
 * of job share the process entry and the supervision:
 *
 * - backup: `start` (a checked plan) → progress / log / target … → done | failed | cancelled
 * - verify: `verify` (a file and the keys to try) → verify-progress … → verify-done | verify-failed |
 *   verify-cancelled
 *
 * `cancel` asks either kind to stop; `ping` (the app's --smoke-test) is answered with `pong` and an exit.
 * Messages are validated on both sides with these schemas.
 */
import { z } from 'zod'
import {
  backupModeSchema,
  backupProgressSchema,
  backupResultSchema,
  backupTypeSchema,
  compressionTypeSchema,
  errorSchema,
  MAX_PARALLEL,
  targetResultSchema,
} from './backup-types.ts'
import { resolvedTableRulesSchema } from './table-rules.ts'
import { destinationNameSchema, destinationSchema } from './destination.ts'
import {
  restoreItemResultSchema,
  restorePlanSchema,
  restoreProgressSchema,
  restoreResultSchema,
  restoreTestReportSchema,
  restoreTestRequestSchema,
} from './restore-types.ts'

export { connectionSchema, type ConnectionSettings } from './connection.ts'
import { connectionSchema } from './connection.ts'

/** Where a backup job copies its files, and how it checks SFTP host keys (the app's known_hosts). */
export const offsitePlanSchema = z.object({
  destinations: z.array(destinationSchema).min(1).max(10),
  hostKeys: z.object({ knownHostsFile: z.string().min(1), insecure: z.boolean() }),
})
export type OffsitePlan = z.infer<typeof offsitePlanSchema>

export const planTargetSchema = z.object({
  databases: z.array(z.string()).min(1),
  /** Final file name inside outputDir (no directory part). */
  fileName: z.string().min(1),
  /** Size estimate (data + index) from information_schema, for progress and the dry-run. */
  estimatedBytes: z.number(),
  /** Whose grants go to `<file>.users.sql`: every account, the accounts of these databases, or none. */
  grants: z.enum(['all', 'databases', 'none']),
  /** Table rules of the file's databases, as the planner resolved them (shared/table-rules.ts); absent: none. */
  tables: z.record(z.string(), resolvedTableRulesSchema).optional(),
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
  /** The dump binary as the planner found it (path, version, file stamp): the job does not run `--version` again. */
  dumpFound: z
    .object({
      path: z.string(),
      flavor: z.enum(['mariadb', 'mysql']),
      version: z.string(),
      versionLine: z.string(),
      stamp: z.string().optional(),
    })
    .nullable()
    .optional(),
  /**
   * What the planner read of the server moments before (one inspection per run): the job uses it instead of
   * asking again, unless it cannot reach the server or GTID capture needs its own check.
   */
  inspected: z
    .object({
      server: z.object({
        flavor: z.enum(['mariadb', 'mysql']),
        version: z.string(),
        versionString: z.string(),
        hostname: z.string(),
        logBin: z.boolean(),
      }),
      /** Base tables by database, with their data size (for progress). */
      tables: z.record(z.string(), z.array(z.object({ table: z.string(), bytes: z.number() }))),
      /**
       * The planner's connection id: the job's dumps connect later, so their sessions are above it (the lock
       * watcher needs no connection of its own before the first dump).
       */
      connectionId: z.number().int().nonnegative().optional(),
      /** Databases that have views (mariadb-dump writes them in a second pass: such a database is dumped alone). */
      viewDatabases: z.array(z.string()).optional(),
    })
    .nullable()
    .optional(),
  extraDumpArgs: z.array(z.string()),
  excludeData: z.boolean(),
  compression: z.object({ type: compressionTypeSchema, level: z.number().int() }),
  encryptionKey: z.string().nullable(),
  outputDir: z.string(),
  /** The configured output folder when `outputDir` is a dated sub-folder of it: retention looks here. */
  outputRoot: z.string().optional(),
  /** The backup file's mode (backup.output.file_permissions); 0600 when absent. */
  fileMode: z.union([z.literal(0o600), z.literal(0o640)]).optional(),
  /** The `.meta.json`'s mode (backup.output.metadata_permissions); 0600 when absent. */
  metadataMode: z.union([z.literal(0o600), z.literal(0o640)]).optional(),
  targets: z.array(planTargetSchema).min(1),
  /** Databases the mode's filters left out (metadata `excluded_databases`). */
  excludedDatabases: z.array(z.string()),
  /** Replication coordinates of each dump's snapshot to `<file>.gtid` and the metadata. */
  captureGtid: z.boolean(),
  /** Targets written at once (1 = one after another). */
  parallel: z.number().int().min(1).max(MAX_PARALLEL),
  /**
   * How long a dump may wait for a table's metadata lock (another session's LOCK TABLES, ALTER …) before it
   * is stopped with LockTimeout; the server's own lock_wait_timeout is a day by default.
   */
  lockWaitTimeoutSeconds: z.number().int().min(1).default(300),
  /** Retention applied after a successful run, to the same databases and server. */
  cleanup: z
    .object({ retentionDays: z.number().int().min(0), minBackups: z.number().int().min(0) })
    .nullable(),
  /**
   * Offsite copies after the files are written (a preset's `copyTo`, the form's "Copy to"): each successful
   * file and its companions go to each destination; `cleanup` then runs after the copies and keeps a backup
   * without a verified copy. The destinations' secrets travel in the start request, never here.
   */
  offsite: offsitePlanSchema.nullable().optional(),
})
export type BackupPlan = z.infer<typeof backupPlanSchema>

/**
 * The secrets of a plan's destinations, by destination name (an SFTP password, an S3 secret access key),
 * read from the keychain by the parent: sent over the process channel with `start` only.
 */
export const offsiteSecretsSchema = z.record(
  destinationNameSchema,
  z.object({ password: z.string().optional(), secretAccessKey: z.string().optional() }).strict(),
)
export type OffsiteSecrets = z.infer<typeof offsiteSecretsSchema>

/**
 * What a verify job reads: one backup file, and the backup keys to try on it, in order, until one is not
 * refused as the wrong key (none for an unencrypted file). Holds secrets: over the process channel only.
 */
export const verifyJobRequestSchema = z.object({
  file: z.string().min(1),
  keys: z.array(z.string().min(1)).max(16),
})
export type VerifyJobRequest = z.infer<typeof verifyJobRequestSchema>

/** The kinds of job a job process runs. */
export const JOB_KINDS = ['backup', 'verify', 'restore', 'restore-test'] as const
export type JobKind = (typeof JOB_KINDS)[number]

export const jobRequestSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('start'),
    jobId: z.string(),
    plan: backupPlanSchema,
    offsiteSecrets: offsiteSecretsSchema.optional(),
  }),
  z.object({ type: z.literal('verify'), jobId: z.string(), request: verifyJobRequestSchema }),
  z.object({ type: z.literal('restore'), jobId: z.string(), plan: restorePlanSchema }),
  z.object({ type: z.literal('restore-test'), jobId: z.string(), request: restoreTestRequestSchema }),
  z.object({ type: z.literal('cancel') }),
  /** The app's --smoke-test: the process answers `pong` and exits 0, running nothing. */
  z.object({ type: z.literal('ping'), jobId: z.string() }),
])
export type JobRequest = z.infer<typeof jobRequestSchema>

/** A job process's answer to `ping`: it runs, loaded the job code and reads its requests. */
export const jobPongSchema = z.object({
  type: z.literal('pong'),
  jobId: z.string(),
  /** The Node version of the job process (Electron's own Node in a utility process). */
  node: z.string(),
  pid: z.number().int(),
})
export type JobPong = z.infer<typeof jobPongSchema>

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const

export const backupJobEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('progress'), jobId: z.string(), progress: backupProgressSchema }),
  z.object({ type: z.literal('log'), jobId: z.string(), level: z.enum(LOG_LEVELS), message: z.string() }),
  z.object({ type: z.literal('target'), jobId: z.string(), target: targetResultSchema }),
  z.object({ type: z.literal('done'), jobId: z.string(), result: backupResultSchema }),
  z.object({ type: z.literal('failed'), jobId: z.string(), error: errorSchema }),
  z.object({ type: z.literal('cancelled'), jobId: z.string(), result: backupResultSchema }),
  /** Upload progress of one file to one destination (at most 4 a second per file, and its end). */
  z.object({
    type: z.literal('copy-progress'),
    jobId: z.string(),
    destination: z.string(),
    file: z.string(),
    bytes: z.number(),
    total: z.number(),
  }),
])
/** An event of a backup job. */
export type BackupJobEvent = z.infer<typeof backupJobEventSchema>
export type LogLevel = (typeof LOG_LEVELS)[number]

const checkStateSchema = z.enum(['ok', 'failed', 'skipped'])

/** The outcome of reading a backup end to end (the History's and the result view's verify report). */
export const verifyViewSchema = z.object({
  ok: z.boolean(),
  file: z.string(),
  checks: z.record(z.string(), checkStateSchema),
  /** Bytes of the file read. */
  bytes: z.number(),
  /** Bytes of SQL it holds. */
  sqlBytes: z.number(),
  sha256: z.string().nullable(),
  notes: z.array(z.string()),
  error: errorSchema.nullable(),
})
export type VerifyView = z.infer<typeof verifyViewSchema>

/** How far a verify is: bytes of the file read of its size, throughput and time left. */
export const verifyProgressSchema = z.object({
  bytesRead: z.number(),
  totalBytes: z.number(),
  /** 0..1, null for an empty file. */
  fraction: z.number().nullable(),
  bytesPerSecond: z.number(),
  /** null until the rate is known. */
  etaSeconds: z.number().nullable(),
  elapsedMs: z.number(),
})
export type VerifyProgress = z.infer<typeof verifyProgressSchema>

/** Events of a verify job; each names its file, so an event that beats the start's answer finds its row. */
export const verifyJobEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('verify-progress'),
    jobId: z.string(),
    file: z.string(),
    progress: verifyProgressSchema,
  }),
  /** The file was read to its end or to the check that failed: `report.ok` says which. */
  z.object({ type: z.literal('verify-done'), jobId: z.string(), file: z.string(), report: verifyViewSchema }),
  /** The verification could not run (or its process died): no report. */
  z.object({ type: z.literal('verify-failed'), jobId: z.string(), file: z.string(), error: errorSchema }),
  z.object({ type: z.literal('verify-cancelled'), jobId: z.string(), file: z.string() }),
])
export type VerifyJobEvent = z.infer<typeof verifyJobEventSchema>

/**
 * Events of a restore job and of a restore-test job (one file into a throwaway database). Both report
 * `restore-progress` and `restore-log`; a restore reports each item as it ends, then exactly one of
 * restore-done | restore-failed | restore-cancelled; a restore test ends with restore-test-done (the report
 * says pass or fail; also after a cancel, with the Cancelled error) or restore-failed (it could not run).
 */
export const restoreJobEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('restore-progress'), jobId: z.string(), progress: restoreProgressSchema }),
  z.object({
    type: z.literal('restore-log'),
    jobId: z.string(),
    level: z.enum(LOG_LEVELS),
    message: z.string(),
  }),
  z.object({ type: z.literal('restore-item'), jobId: z.string(), item: restoreItemResultSchema }),
  z.object({ type: z.literal('restore-done'), jobId: z.string(), result: restoreResultSchema }),
  z.object({ type: z.literal('restore-cancelled'), jobId: z.string(), result: restoreResultSchema }),
  z.object({ type: z.literal('restore-failed'), jobId: z.string(), error: errorSchema }),
  z.object({ type: z.literal('restore-test-done'), jobId: z.string(), report: restoreTestReportSchema }),
])
export type RestoreJobEvent = z.infer<typeof restoreJobEventSchema>

/** Every event of every kind of job: what the main process pushes to the window on 'jobs:event'. */
export const jobEventSchema = z.union([backupJobEventSchema, verifyJobEventSchema, restoreJobEventSchema])
export type JobEvent = BackupJobEvent | VerifyJobEvent | RestoreJobEvent
