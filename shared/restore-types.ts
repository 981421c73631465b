/**
 * Restore: the plan a restore job runs, its progress, its result and the dry-run view. Shared by the engine
 * (electron/engine/restore), the CLI (`sfdbtools restore …`), the job process and the app. Plans hold
 * secrets (the connection's password, backup keys): they travel only over the job channel. Views, progress
 * and results never hold a secret.
 */
import { z } from 'zod'
import { compressionTypeSchema, errorSchema } from './backup-types.ts'
import { connectionSchema } from './connection.ts'
import { destinationSchema } from './destination.ts'
import { recordedTableRulesSchema } from './table-rules.ts'

/** `sfdbtools restore <mode>` (sfDBTools' db-restore modes, plus `test`). */
export const RESTORE_MODES = ['single', 'all', 'primary', 'secondary', 'selection', 'test'] as const
export const restoreModeSchema = z.enum(RESTORE_MODES)
export type RestoreMode = z.infer<typeof restoreModeSchema>

/** Backup files up to this size are read end to end before a restore touches the server. */
export const VERIFY_FIRST_MAX_BYTES = 256 * 1024 * 1024

/** Databases a restore of a combined/all file leaves out unless asked (as `backup all` does). */
export const SYSTEM_DATABASES = ['information_schema', 'mysql', 'performance_schema', 'sys'] as const

/**
 * A backup file on an offsite destination (a restore from it): read through the destination's session and
 * streamed into the restore, never copied to a local file. Holds the destination's secret: job channel only.
 */
export const remoteBackupSchema = z.object({
  destination: destinationSchema,
  /** The file's name on the destination (in its folder, or under its S3 prefix). */
  name: z.string().min(1),
  /** The SFTP password or S3 secret key, from the keychain; absent for a key login or a folder. */
  secret: z.object({ password: z.string().optional(), secretAccessKey: z.string().optional() }).optional(),
  /** SFTP host keys are checked against this known_hosts file (an unknown one is refused in a job). */
  knownHostsFile: z.string(),
  insecure: z.boolean(),
  /** The grants file beside it on the destination (`<dump>.users.sql`), applied after the data; or null. */
  grantsName: z.string().nullable(),
})
export type RemoteBackup = z.infer<typeof remoteBackupSchema>

/**
 * One backup file and where it goes.
 * - single/primary/secondary/selection/test: `target` is the ONE database the file is restored into (the
 *   dump's own database name is never written to; `USE`/`CREATE DATABASE` lines are pointed at the target).
 * - all: `target` is null; the file's sections (`USE db`) restore into their own names, minus
 *   `excludeDatabases`.
 */
export const restoreItemSchema = z.object({
  file: z.string().min(1),
  /** The backup key of an encrypted file; null for a file that is not encrypted. */
  key: z.string().nullable(),
  target: z.string().min(1).nullable(),
  /** all: databases of the file that are not restored (system ones unless included, --exclude-db). */
  excludeDatabases: z.array(z.string()),
  /** The database the backup was made from (metadata, else the file name), for the same-server check. */
  sourceDatabase: z.string().nullable(),
  /** From the metadata when it records them: progress is then a fraction of the SQL, and "tables of N". */
  totalSqlBytes: z.number().nullable(),
  totalTables: z.number().nullable(),
  /** Grants applied after the data (`<backup>.users.sql`, `--grants-file`), or null. */
  grantsFile: z.string().nullable(),
  /** The file is on an offsite destination; `file` is then its label `<destination>:<name>`. */
  remote: remoteBackupSchema.optional(),
})
export type RestoreItem = z.infer<typeof restoreItemSchema>

/** Where the pre-restore backups go and how they are written (the backup engine's own settings). */
export const preRestoreBackupSchema = z.object({
  outputDir: z.string().min(1),
  compression: z.object({ type: compressionTypeSchema, level: z.number().int() }),
  /** Encrypt the pre-restore backup with this key (the usual backup key), or null. */
  encryptionKey: z.string().nullable(),
  dumpBinary: z.string().nullable(),
})
export type PreRestoreBackup = z.infer<typeof preRestoreBackupSchema>

/** How the statements reach the server (see LoadOptions.loader). */
export const loaderSchema = z.enum(['native', 'client'])
export type Loader = z.infer<typeof loaderSchema>

/** Everything a restore job needs to run without asking anything. Holds secrets: job channel only. */
export const restorePlanSchema = z.object({
  mode: restoreModeSchema,
  ticket: z.string().min(1),
  profileName: z.string(),
  connection: connectionSchema,
  /** A configured SQL client (path or name); null: `mariadb`, then `mysql` on PATH. */
  clientBinary: z.string().nullable(),
  /** native: the engine speaks the protocol; client: `mariadb`/`mysql` processes; null: client when clientBinary is set. */
  loader: loaderSchema.nullable().optional(),
  items: z.array(restoreItemSchema).min(1),
  /** Drop an existing target that has tables (after its pre-restore backup). Without it such a target is refused. */
  dropTarget: z.boolean(),
  /** null: --skip-backup (no pre-restore backup). */
  preBackup: preRestoreBackupSchema.nullable(),
  /** Connections loading one file at once (1 = the client reads the file in order). */
  parallel: z.number().int().min(1).max(16),
  /** Go on past SQL errors (as `mysql --force`) and list them. */
  force: z.boolean(),
  /** Do not apply grants files. */
  skipGrants: z.boolean(),
  /**
   * Read every file end to end (container, compression, trailer, recorded sha256) before the server is
   * touched. Files up to VERIFY_FIRST_MAX_BYTES are always checked first; larger ones only when asked.
   */
  verifyFirst: z.boolean(),
  /** Where `<backup>.restore-<ts>.json` goes when the backup's folder is read-only. */
  logDir: z.string(),
})
export type RestorePlan = z.infer<typeof restorePlanSchema>

/** A restore test: one backup into a throwaway database on a scratch server, checked, then dropped. */
export const restoreTestRequestSchema = z.object({
  ticket: z.string().min(1),
  profileName: z.string(),
  connection: connectionSchema,
  clientBinary: z.string().nullable(),
  loader: loaderSchema.nullable().optional(),
  file: z.string().min(1),
  key: z.string().nullable(),
  /** The database the backup holds (metadata, else the file name): part of the throwaway name. */
  sourceDatabase: z.string().nullable(),
  totalSqlBytes: z.number().nullable(),
  parallel: z.number().int().min(1).max(16),
  /** Where `<backup>.restore-test.json` goes when the backup's folder is read-only (the config dir). */
  logDir: z.string().optional(),
})
export type RestoreTestRequest = z.infer<typeof restoreTestRequestSchema>

/** Where a restore stands (at most 10 events a second plus a final one). */
export const restoreProgressSchema = z.object({
  itemIndex: z.number(),
  itemCount: z.number(),
  /** What is happening now. */
  phase: z.enum(['inspect', 'pre-backup', 'drop', 'load', 'grants', 'check', 'cleanup', 'done']),
  database: z.string().nullable(),
  table: z.string().nullable(),
  tablesDone: z.number(),
  tablesTotal: z.number().nullable(),
  /** SQL bytes applied (read and given to the server) of this item. */
  sqlBytes: z.number(),
  totalSqlBytes: z.number().nullable(),
  /** 0..1 of this item, null when nothing is known of its size. */
  fraction: z.number().nullable(),
  bytesPerSecond: z.number(),
  etaSeconds: z.number().nullable(),
  elapsedMs: z.number(),
  final: z.boolean(),
})
export type RestoreProgressView = z.infer<typeof restoreProgressSchema>

/** One SQL error of a restore: the first stops it; with `force` all are collected. */
export const restoreSqlErrorSchema = z.object({
  /** 1-based number of the statement in the file (null when the client did not say). */
  statement: z.number().nullable(),
  /** The line of the file the statement starts on. */
  line: z.number().nullable(),
  /** The first 200 characters of the statement. */
  text: z.string(),
  errno: z.number().nullable(),
  message: z.string(),
})
export type RestoreSqlError = z.infer<typeof restoreSqlErrorSchema>

export const RESTORE_STATUSES = [
  'success',
  'success_with_warnings',
  'success_with_errors',
  'failed',
  'cancelled',
  'skipped',
] as const
export type RestoreStatus = (typeof RESTORE_STATUSES)[number]

export const restoreItemResultSchema = z.object({
  file: z.string(),
  /** The databases written (one for single-database modes; the sections restored for `all`). */
  databases: z.array(z.string()),
  status: z.enum(RESTORE_STATUSES),
  /** The target was changed and the restore did not finish: it holds part of the backup. */
  partlyRestored: z.boolean(),
  /** Databases the restore created (they did not exist). */
  createdDatabases: z.array(z.string()),
  /** Databases dropped before loading (after their pre-restore backup). */
  droppedDatabases: z.array(z.string()),
  /** The pre-restore backup of the targets as they were, or null (none existed, or skipped). */
  preRestoreBackup: z.string().nullable(),
  /** How to undo: the command that restores the pre-restore backup (null without one). */
  undo: z.string().nullable(),
  tables: z.number(),
  /** Rows the dump inserted (counted while streaming); null when they were not counted. */
  rows: z.number().nullable(),
  sqlBytes: z.number(),
  durationMs: z.number(),
  bytesPerSecond: z.number(),
  compression: compressionTypeSchema.nullable(),
  encrypted: z.boolean(),
  grants: z
    .object({
      file: z.string(),
      createdAccounts: z.array(z.string()),
      existingAccounts: z.array(z.string()),
      appliedGrants: z.number(),
    })
    .nullable(),
  /** SQL errors: one (the one that stopped it), or every one with `force`. */
  sqlErrors: z.array(restoreSqlErrorSchema),
  warnings: z.array(z.string()),
  error: errorSchema.nullable(),
})
export type RestoreItemResult = z.infer<typeof restoreItemResultSchema>

/** What `restore --json` prints and a restore job reports at its end. */
export const restoreResultSchema = z.object({
  ok: z.boolean(),
  status: z.enum(RESTORE_STATUSES),
  mode: restoreModeSchema,
  ticket: z.string(),
  profile: z.string(),
  server: z.object({ host: z.string(), port: z.number(), version: z.string().nullable() }),
  startedAt: z.string(),
  finishedAt: z.string(),
  durationMs: z.number(),
  parallel: z.number(),
  items: z.array(restoreItemResultSchema),
  /** The `<backup>.restore-<ts>.json` log written (null when it could not be written). */
  logFile: z.string().nullable(),
})
export type RestoreResult = z.infer<typeof restoreResultSchema>

/** What the dry-run says of one target database. */
export const restoreTargetViewSchema = z.object({
  database: z.string(),
  exists: z.boolean(),
  sizeBytes: z.number(),
  tables: z.number(),
  /**
   * create: does not exist; load: exists without tables (loaded as is); replace: has tables and
   * --drop-target (pre-backup, drop, load); refuse: has tables and no --drop-target.
   */
  action: z.enum(['create', 'load', 'replace', 'refuse']),
  /** The pre-restore backup file name it gets (null: none needed, or skipped). */
  preRestoreBackup: z.string().nullable(),
  /**
   * The file's data-only tables of this database (rows without CREATE TABLE): they exist in the target and
   * their rows are added to the rows already there (plain INSERTs). Absent when the file has none.
   */
  dataOnly: z.array(z.string()).optional(),
})
export type RestoreTargetView = z.infer<typeof restoreTargetViewSchema>

/** The dry-run of a restore (CLI `restore --dry-run [--json]`, the app's last wizard step). No secret. */
export const restorePlanViewSchema = z.object({
  mode: restoreModeSchema,
  ticket: z.string(),
  profile: z.string(),
  server: z.object({ host: z.string(), port: z.number(), version: z.string().nullable() }),
  /** The backup was made from this server (same host and port) and restores into its own database. */
  sameServer: z.boolean(),
  items: z.array(
    z.object({
      file: z.string(),
      encrypted: z.boolean(),
      compression: compressionTypeSchema.nullable(),
      /** Where the compression was learned: metadata, the file's magic bytes, or its name. */
      compressionFrom: z.enum(['metadata', 'content', 'name']).nullable(),
      sizeBytes: z.number(),
      totalSqlBytes: z.number().nullable(),
      sourceDatabase: z.string().nullable(),
      targets: z.array(restoreTargetViewSchema),
      /** all: databases of the file left out, with why. */
      skipped: z.array(z.object({ database: z.string(), reason: z.enum(['system', 'excluded']) })),
      grantsFile: z.string().nullable(),
      /** The table rules the file's metadata records, by database (null or absent: every table whole). */
      tableRules: z.record(z.string(), recordedTableRulesSchema).nullable().optional(),
      /** The offsite destination the file is read from (streamed, never copied locally); absent: a local file. */
      destination: z.string().optional(),
    }),
  ),
  dropTarget: z.boolean(),
  preBackupDir: z.string().nullable(),
  parallel: z.number(),
  force: z.boolean(),
  /** The client command as it will run, without secrets (credentials live in a 0600 defaults file). */
  clientCommand: z.string(),
  /** Refusals: the run would not start (e.g. a non-empty target without --drop-target). */
  problems: z.array(errorSchema),
  warnings: z.array(z.string()),
})
export type RestorePlanView = z.infer<typeof restorePlanViewSchema>

/** `<backup>.restore-test.json`: the outcome of a restore test. */
export const restoreTestReportSchema = z.object({
  ok: z.boolean(),
  file: z.string(),
  ticket: z.string(),
  profile: z.string(),
  server: z.object({ host: z.string(), port: z.number(), version: z.string().nullable() }),
  /** The throwaway database (dropped at the end). */
  database: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  durationMs: z.number(),
  sqlBytes: z.number(),
  /** Per table: rows the dump inserts and rows found. */
  tables: z.array(z.object({ name: z.string(), expectedRows: z.number(), rows: z.number().nullable() })),
  /** Views, routines, triggers and events named in the dump, and whether each exists after the load. */
  objects: z.array(
    z.object({
      kind: z.enum(['table', 'view', 'procedure', 'function', 'trigger', 'event']),
      name: z.string(),
      found: z.boolean(),
    }),
  ),
  /** What failed, in words ("table t: 10 rows, the dump inserts 12"); empty when ok. */
  failures: z.array(z.string()),
  /** The throwaway database was dropped (false only when dropping it failed: its name is then in failures). */
  cleanedUp: z.boolean(),
  error: errorSchema.nullable(),
})
export type RestoreTestReport = z.infer<typeof restoreTestReportSchema>
