/**
 * The one IPC contract between renderer and main: every channel maps to a zod request schema and a response
 * type. electron/main/ipc/handle.ts registers handlers only for these channels (sender check → parse →
 * call → Result); the preload builds window.sfdb for the same channels (electron/preload/sfdb-api.ts), and
 * the e2e harness builds the very same object in Chromium.
 *
 * The preload imports this module for types only: at runtime it would drag in zod, which a sandboxed
 * preload cannot require.
 */
import { z } from 'zod'
import {
  backupModeSchema,
  compressionTypeSchema,
  tlsModeSchema,
  type BackupMode,
  type BackupPlanView,
  type BackupProgress,
  type TargetResult,
  type TlsMode,
} from './backup-types.ts'
import { ANY_COMPRESSION_LEVEL } from './compression.ts'
import { MAX_RUN_DUMP_ARGS } from './dump-arg-policy.ts'
import { tableRulesSchema, type RecordedTableRules } from './table-rules.ts'
import type { JobEvent, VerifyProgress, VerifyView } from './job-protocol.ts'
import type { GroupedWarning } from './job-warnings.ts'
import type {
  RestoreItemResult,
  RestorePlanView,
  RestoreProgressView,
  RestoreTestReport,
} from './restore-types.ts'
import type { Advice, AppError, Result } from './result.ts'
import { scheduleSchema, type ScheduleInput } from './schedule.ts'
import {
  channelNameSchema,
  emailChannelSchema,
  presetNotifySchema,
  webhookChannelSchema,
  type EmailChannel,
  type WebhookChannel,
} from './notify.ts'
import {
  destinationNameSchema,
  destinationRetentionSchema,
  destinationSchema,
  type Destination,
  type OffsiteCopy,
  type RemoteBackupFile,
} from './destination.ts'
import type { DetectedProgram, RuntimeVersions } from './versions.ts'

export type { BackupPlanView, RestorePlanView, RestoreTestReport }

/** What the renderer learns about the running app. */
export interface AppInfo {
  /** Product name, e.g. "sfDBTools Desktop". */
  name: string
  /** The app's semantic version (package.json "version"). */
  version: string
  /** Node's process.platform of the main process: 'win32', 'darwin', 'linux', … */
  platform: string
  /** The main process's Node, Electron and Chromium versions (the About section). */
  versions: RuntimeVersions
  /** The dump binary and the SQL client found on PATH, or not (the About section). */
  programs: DetectedProgram[]
}

// ── Shared request pieces ─────────────────────────────────────────────────────────────────────────────

const name = z.string().trim().min(1).max(200)
const secret = z.string().min(1).max(4096)

/** A profile as the forms edit it. `password` / `ssh.password`: undefined = keep the stored one. */
export const profileInputSchema = z.object({
  name,
  host: z.string().trim().max(255),
  port: z.number().int().min(0).max(65535),
  user: z.string().max(255),
  password: z.string().max(4096).optional(),
  socket: z.string().max(4096).optional(),
  tls: z
    .object({
      mode: tlsModeSchema,
      ca: z.string().max(4096).optional(),
      cert: z.string().max(4096).optional(),
      key: z.string().max(4096).optional(),
    })
    .optional(),
  ssh: z
    .object({
      host: z.string().trim().min(1).max(255),
      port: z.number().int().min(1).max(65535),
      user: z.string().min(1).max(255),
      password: z.string().max(4096).optional(),
      identityFile: z.string().max(4096).optional(),
      localPort: z.number().int().min(0).max(65535),
    })
    .nullable()
    .optional(),
})
export type ProfileInput = z.infer<typeof profileInputSchema>

export const KEY_KINDS = ['profile-key', 'backup-key'] as const
export const keyKindSchema = z.enum(KEY_KINDS)
export type KeyKind = z.infer<typeof keyKindSchema>

/** Everything the New-backup form chooses; the main process turns it into a checked plan. */
/** A compression type and level (checked per type by the engine; here only the widest range). */
const compressionChoiceSchema = z.object({
  type: compressionTypeSchema,
  level: z.number().int().min(0).max(ANY_COMPRESSION_LEVEL.max),
})

export const backupRequestSchema = z.object({
  profile: name,
  mode: backupModeSchema,
  /** single: one name; filter: the chosen names; ignored by all/primary/secondary. */
  databases: z.array(z.string().min(1)).max(10_000),
  filterMode: z.enum(['single-file', 'multi-file']).optional(),
  companions: z.array(z.enum(['_dmart', '_temp', '_archive'])).max(3),
  excludeDatabases: z.array(z.string().min(1)).max(10_000),
  excludeSystem: z.boolean(),
  excludeEmpty: z.boolean(),
  excludeData: z.boolean(),
  excludeUser: z.boolean(),
  captureGtid: z.boolean(),
  compression: compressionChoiceSchema,
  /** Encrypt with the backup key from the keychain (the profile's own, else the default). */
  encrypt: z.boolean(),
  outputDir: z.string().min(1).max(4096),
  namePattern: z.string().min(1).max(300),
  ticket: z.string().trim().min(1).max(200),
  parallel: z.number().int().min(1).max(16),
  prefix: z.string().max(200).optional(),
  clientCode: z.string().max(200).optional(),
  instance: z.string().max(200).optional(),
  /** Per database: tables left out, structure only, data only, or the only ones (single and filter). */
  tables: tableRulesSchema.optional(),
  /** Extra dump arguments of this run (after the config's); refused ones fail the plan (dump-arg-policy.ts). */
  dumpArgs: z.array(z.string().max(1000)).max(MAX_RUN_DUMP_ARGS).optional(),
  /** Offsite destinations (destinations.json) each written file is copied to after the run. */
  copyTo: z.array(destinationNameSchema).max(10).optional(),
})
export type BackupRequestInput = z.infer<typeof backupRequestSchema>

/** What the Restore wizard chooses; the main process turns it into the engine's RestorePlan. */
export const restoreRequestSchema = z.object({
  /** The backup file (absolute path). */
  file: z.string().min(1).max(4096),
  /** The target server. */
  profile: name,
  /** The database the file is restored into; null: an all/combined file restores each of its databases. */
  targetDatabase: z.string().trim().min(1).max(64).nullable(),
  /** auto: the backup's own grants file when there is one; skip: none; or this file. */
  grants: z.union([z.enum(['auto', 'skip']), z.object({ file: z.string().min(1).max(4096) }).strict()]),
  /** A pre-restore backup of a target that exists and has tables (to the default output folder). */
  preBackup: z.boolean(),
  /** Replace (drop) an existing target that has tables; without it such a target is refused. */
  dropTarget: z.boolean(),
  parallel: z.number().int().min(1).max(16),
  /** Go on past SQL errors and list them. */
  force: z.boolean(),
  ticket: z.string().trim().min(1).max(200),
  /** The backup key of an encrypted file, typed in the wizard (else the keychain's). */
  key: secret.optional(),
  /** The file is on this offsite destination (`file` is its name there): streamed from it, never copied. */
  destination: destinationNameSchema.optional(),
})
export type RestoreRequestInput = z.infer<typeof restoreRequestSchema>

/** What the Test-restore dialog chooses: a backup and the scratch server it is test-restored on. */
export const restoreTestInputSchema = z.object({
  file: z.string().min(1).max(4096),
  profile: name,
  ticket: z.string().trim().min(1).max(200),
  parallel: z.number().int().min(1).max(16).optional(),
  key: secret.optional(),
})
export type RestoreTestInput = z.infer<typeof restoreTestInputSchema>

export const presetSchema = z.object({
  id: z.string().min(1).max(100),
  label: z.string().trim().min(1).max(100),
  request: backupRequestSchema,
  /** When it runs by itself (shared/schedule.ts); absent in presets stored before schedules existed. */
  schedule: scheduleSchema.optional(),
  /** Who hears of its runs (channels of notifications.json) besides the desktop; absent in older presets. */
  notify: presetNotifySchema.optional(),
  /** The offsite destinations (destinations.json) each successful file is copied to; absent in older presets. */
  copyTo: z.array(destinationNameSchema).max(10).optional(),
})
export type QuickBackupPreset = z.infer<typeof presetSchema>

export const THEMES = ['light', 'dark', 'system'] as const
export const LANGUAGES = ['en', 'id'] as const

/** The app's settings (a 0600 JSON file in the config folder). */
export const settingsSchema = z.object({
  defaults: z.object({
    compression: compressionChoiceSchema,
    outputDir: z.string().min(1).max(4096),
    namePattern: z.string().min(1).max(300),
    encrypt: z.boolean(),
  }),
  /** null = auto-detect (mariadb-dump, else mysqldump on PATH). */
  dumpBinary: z.string().max(4096).nullable(),
  retention: z.object({
    enabled: z.boolean(),
    retentionDays: z.number().int().min(0).max(36_500),
    minBackups: z.number().int().min(0).max(10_000),
  }),
  theme: z.enum(THEMES),
  language: z.enum(LANGUAGES),
  /** Folders the history scans besides the default output folder. */
  historyFolders: z.array(z.string().min(1).max(4096)).max(100),
  presets: z.array(presetSchema).max(100),
  /** Start the app when the user logs in, hidden in the tray (its scheduler runs the presets' schedules). */
  startAtLogin: z.boolean().default(false),
})
export type Settings = z.infer<typeof settingsSchema>

// ── Responses ─────────────────────────────────────────────────────────────────────────────────────────

/** A profile without its secrets: never a password, only whether one is stored. */
export interface ProfileView {
  name: string
  path: string
  host: string
  port: number
  user: string
  hasPassword: boolean
  socket: string | null
  tls: { mode: TlsMode; ca: string | null; cert: string | null; key: string | null } | null
  ssh: {
    host: string
    port: number
    user: string
    hasPassword: boolean
    identityFile: string | null
    localPort: number
  } | null
  /** Whether a per-profile backup key is in the keychain. */
  backupKeyStored: boolean
}

/** One row of the profile list: opened, or why it could not be (no key, wrong key, damaged file). */
export type ProfileListEntry =
  | { name: string; path: string; status: 'ok'; profile: ProfileView }
  | { name: string; path: string; status: 'locked' | 'damaged'; error: AppError }

export interface ProfileTestReport {
  ok: boolean
  server: { flavor: string; version: string; hostname: string }
  binlog: boolean
  gtid: string
  account: string
  missingPrivileges: string[]
  /** One GRANT that adds every missing privilege, or null. */
  fix: string | null
  /** Options a backup can ask for whose privilege the account lacks (GTID capture, the grants export). */
  options: { option: 'captureGtid' | 'grantsExport'; privilege: string; fix: string }[]
}

export interface KeyStatus {
  /** reason: the system's words (English); advice: what it means and what to do, phrased by the app. */
  keychain: { available: boolean; reason: string | null; advice: Advice | null }
  profileKey: { stored: boolean; session: boolean; env: boolean }
  backupKey: { stored: boolean; env: boolean }
  /** Per-profile backup keys in the keychain, by profile name. */
  profileBackupKeys: Record<string, boolean>
}

export interface DatabaseRow {
  name: string
  sizeBytes: number
  tables: number
  rows: number
  system: boolean
}

/** One table or view of a database, for the New-backup form's table picker (sizes are estimates). */
export interface TableRow {
  name: string
  kind: 'table' | 'view'
  dataBytes: number
  indexBytes: number
  /** InnoDB's estimate (shown as ≈). */
  rows: number
}

export interface ServerTables {
  database: string
  tables: TableRow[]
}

export interface ServerDatabases {
  server: { hostname: string; flavor: string; version: string }
  databases: DatabaseRow[]
}

/** The real dry-run: what a run of this request would do. */

export interface RunningJobView {
  jobId: string
  profile: string
  mode: BackupMode
  ticket: string
  startedAt: string
  files: string[]
  progress: BackupProgress | null
  cancelling: boolean
  /** The quick backup preset it runs, when it runs one. */
  presetId?: string
  /** A scheduled run: when it was due and whether it runs late. */
  schedule?: ScheduledRunInfo
}

/** One backup found in the output folders (ours or sfDBTools'), from its metadata. */
export interface HistoryEntry {
  metaPath: string
  backupFile: string
  fileName: string
  source: 'ours' | 'sfdbtools-grouped' | 'sfdbtools-flat'
  databases: string[]
  type: string
  status: string
  startedAt: string | null
  durationMs: number | null
  host: string | null
  hostname: string | null
  ticket: string | null
  sizeBytes: number | null
  sha256: string | null
  compression: { type: string; level: number | null } | null
  encrypted: boolean
  /** The GTID position of the dump's snapshot; binlog: its binary log coordinates (`file:position`). */
  gtid: string | null
  binlog: string | null
  fileExists: boolean | null
  companions: string[]
  /** The table rules its metadata records, by database; null or absent: every table whole. */
  tableRules?: Record<string, RecordedTableRules> | null
  /** Profile whose host/port matches the backup's server, when one does. */
  profile: string | null
  /** The app's last verification of this file (kept in the config folder across restarts); null: never. */
  lastVerified?: LastVerification | null
  /** The verified offsite copies its metadata records (a restore can read them); absent: none. */
  copies?: OffsiteCopy[]
}

/** How the last verify job of a backup ended (a cancelled one is no verification and is not kept). */
export interface LastVerification {
  /** When it ended (ISO). */
  at: string
  /** Every check passed. */
  ok: boolean
  /** Why it failed, when it did. */
  error: AppError | null
}

/** What a retention policy would remove now from a folder (the real cleanup's engine, in a dry run). */
export interface RetentionPreview {
  folder: string
  /** The backups it would remove, oldest first, each with its files (the dump first, then its companions). */
  backups: {
    backupFile: string
    databases: string[]
    startedAt: string | null
    files: { path: string; bytes: number; role: 'backup' | 'companion' }[]
  }[]
  /** Files it would remove (dumps and companions). */
  files: number
  bytesFreed: number
  /** Backups of the folder it would keep. */
  kept: number
  problems: { path: string; message: string }[]
}

export interface HistoryDetails {
  entry: HistoryEntry
  /** The metadata file's JSON as stored (it never holds a secret). */
  metadata: unknown
}

export type { VerifyProgress, VerifyView }

/** A verify job running now (for a window that was reloaded while it ran). */
export interface RunningVerifyView {
  jobId: string
  file: string
  startedAt: string
  progress: VerifyProgress | null
  cancelling: boolean
}

/** What the Restore wizard learns of a backup file before it asks anything (no secret). */
export interface RestoreSourceView {
  file: string
  /** The one database it holds (null for an all/combined file). */
  sourceDatabase: string | null
  databases: string[]
  type: string
  encrypted: boolean
  compression: string | null
  sizeBytes: number
  totalSqlBytes: number | null
  grantsFile: string | null
  host: string | null
  port: number | null
  /** The profile whose server the backup came from, when one matches. */
  profile: string | null
  /** Whether a backup key is at hand for it (the environment, the keychain): else the wizard asks for one. */
  keyAvailable: boolean
  /**
   * The table rules its metadata records, by database (null: every table whole). Data-only tables restore
   * only into a database where they exist.
   */
  tableRules?: Record<string, RecordedTableRules> | null
  /** The offsite destination it is read from (`file` is then `<destination>:<name>`); absent: a local file. */
  destination?: string | null
}

/** A target database as it is now on the target server (the wizard shows it as the name is typed). */
export interface RestoreTargetInfo {
  profile: string
  database: string
  exists: boolean
  sizeBytes: number
  tables: number
}

/** How a job came to run. */
export const JOB_TRIGGERS = ['manual', 'retry', 'scheduled'] as const
export type JobTrigger = (typeof JOB_TRIGGERS)[number]

/** How a finished job ended, as the job history keeps it. */
export const JOB_RECORD_STATUSES = ['success', 'success_with_warnings', 'failed', 'cancelled'] as const
export type JobRecordStatus = (typeof JOB_RECORD_STATUSES)[number]

/** What one item of a finished restore did (the job history keeps no more of it). */
export interface JobRecordItem {
  file: string
  databases: string[]
  status: string
  error: AppError | null
}

/**
 * A finished job as the job history keeps it across restarts (electron/main/jobs/job-journal.ts): what was
 * asked, how it ended, per file; its log is read with 'jobs:log'.
 */
export interface JobRecord {
  jobId: string
  kind: 'backup' | 'restore' | 'restore-test'
  trigger: JobTrigger
  profile: string
  mode: BackupMode | null
  ticket: string
  startedAt: string
  finishedAt: string
  status: JobRecordStatus
  /** Why the job as a whole could not run; a file's own error is in its target. */
  error: AppError | null
  /** A backup's files, one per target, failures included. */
  targets: TargetResult[]
  /** A restore's items. */
  items: JobRecordItem[]
  /** Each distinct warning once, with the files (or databases) it was seen for. */
  warnings: GroupedWarning[]
  /** The backup request as the form sent it (never a secret): what "Retry failed" reruns. */
  request: BackupRequestInput | null
  /** The job this one retried. */
  retryOf: string | null
  /** The quick backup preset it ran (a scheduled run, or one chosen in the tray); absent in older records. */
  presetId?: string
  /** A scheduled run: the time it was due (ISO), and whether it ran late (caught up after a sleep or a quit). */
  schedule?: ScheduledRunInfo
  /** Lines in the job's log. */
  logLines: number
}

/** When a scheduled run was due, and whether it ran late (a catch-up). */
export interface ScheduledRunInfo {
  dueAt: string
  late: boolean
}

/** A restore or restore-test job running now (for the Jobs page, also after a reload). */
export interface RunningRestoreView {
  jobId: string
  kind: 'restore' | 'restore-test'
  profile: string
  ticket: string
  /** The backup files restored. */
  files: string[]
  /** The target databases (empty for an all/combined file; a restore test's is made up by the job). */
  targets: string[]
  startedAt: string
  progress: RestoreProgressView | null
  /** The items that ended so far. */
  items: RestoreItemResult[]
  cancelling: boolean
}

/**
 * The command line's config file (`sfDBTools_config.yaml`) as the app applies it: the keys that shape a
 * run and have no control in the app's Settings. Read again for every plan, so an edit applies to the next run.
 */
export interface SharedConfigView {
  /** The file, found as the CLI finds it (SFDB_CONFIG_PATH, SFDB_APPS_CONFIG, else the config folder). */
  path: string
  /** false: no file there, every value below is the default. */
  found: boolean
  /** backup.dump.lock_wait_timeout: seconds a dump may wait for a table another session locked. */
  lockWaitTimeoutSeconds: number
  /** backup.output.structure.pattern: the dated sub-folder under the output folder; null for none. */
  subFolderPattern: string | null
  /** backup.output.file_permissions / metadata_permissions (0600 or 0640). */
  fileMode: number
  metadataMode: number
  /** backup.mysqldump_args and backup.dump.extra_args, as the dump gets them. */
  extraDumpArgs: string[]
  /** backup.primary_prefix (default `dbsf_nbc_`): primary/secondary take only names with it; '' every name. */
  primaryPrefix: string
  /** config_dir.database_profile, else `<config dir>/database_profile`. */
  profileDir: string
  /** log.output.file.dir, else `<config dir>/logs`: each backup's run log is written under `backup/`. */
  logDir: string
  /** restore.client.binary: restores load through this client instead of the built-in loader; null: built-in. */
  clientBinary: string | null
  /** What the file said that the app noted (e.g. a key file other users may read). */
  warnings: string[]
}

export interface AppPaths {
  configDir: string
  profileDir: string
  defaultOutputDir: string
  logDir: string
}

export interface DumpBinaryView {
  path: string
  flavor: string
  version: string
  versionLine: string
}

/** The next runs of a schedule: ISO times (five), computed in the machine's time zone. */
export interface SchedulePreview {
  timeZone: string
  runs: string[]
}

/** How a preset's last scheduled run went: ran on time, ran late, skipped (still running) or missed. */
export const SCHEDULE_OUTCOMES = ['ran', 'late', 'skipped', 'missed'] as const
export type ScheduleOutcome = (typeof SCHEDULE_OUTCOMES)[number]

/** Per preset: its next scheduled run (null: no schedule, or disabled) and its last one. */
export interface SchedulesStatus {
  presets: {
    presetId: string
    nextRun: string | null
    last: {
      at: string
      outcome: ScheduleOutcome
      jobId: string | null
      /** How that job ended, from the job history; null while it runs, or with no job. */
      status: JobRecordStatus | null
    } | null
  }[]
}

export type { ScheduleInput }

/** An offsite destination as Settings shows it: never its secret, only whether one is in the keychain. */
export type DestinationView = Destination & { secretStored: boolean }

/**
 * A notification channel as Settings shows it: never the SMTP password (only whether one is stored), and of
 * a webhook only its origin (the address's path may hold its token).
 */
export type ChannelView =
  (EmailChannel & { passwordStored: boolean }) | (Omit<WebhookChannel, 'url'> & { origin: string })

/** A channel as the form saves it: a webhook without `url` keeps the stored address. */
export const channelInputSchema = z.discriminatedUnion('kind', [
  emailChannelSchema,
  webhookChannelSchema.extend({ url: webhookChannelSchema.shape.url.optional() }),
])
export type ChannelInput = z.infer<typeof channelInputSchema>

/** What a destination's retention (edited, not yet saved) would remove there now; removes nothing. */
export interface DestinationPrunePreview {
  destination: string
  /** Sets made before this may go (ISO); null when the policy keeps everything. */
  cutoff: string | null
  remove: { dump: string; files: string[]; bytes: number; date: string | null; reason: string }[]
  /** Backup sets that stay. */
  kept: number
  bytes: number
  /** `.meta.json` files there that are not ours: never touched. */
  ignored: { name: string; reason: string }[]
}

// ── The contract ──────────────────────────────────────────────────────────────────────────────────────

const empty = z.object({}).strict()

/** Request schemas per channel. Requests are objects so a channel can grow fields without a new shape. */
export const ipcContract = {
  'app:info': { request: empty },
  'app:paths': { request: empty },
  /** The command line's config file as the app applies it (fails InvalidConfig on a broken file). */
  'app:shared-config': { request: empty },
  'app:detect-dump-binary': { request: z.object({ path: z.string().max(4096).nullable() }).strict() },
  /** The OS file or folder chooser; answers null when the user cancels. */
  'app:pick-path': {
    request: z
      .object({
        kind: z.enum(['file', 'folder']),
        title: z.string().max(200),
        defaultPath: z.string().max(4096).optional(),
      })
      .strict(),
  },

  'profiles:list': { request: empty },
  'profiles:get': { request: z.object({ name }).strict() },
  'profiles:create': { request: z.object({ profile: profileInputSchema }).strict() },
  'profiles:update': { request: z.object({ name, profile: profileInputSchema }).strict() },
  'profiles:delete': { request: z.object({ name }).strict() },
  'profiles:clone': { request: z.object({ from: name, to: name }).strict() },
  'profiles:import': {
    request: z
      .object({ path: z.string().min(1).max(4096), key: secret, name: name.optional(), force: z.boolean() })
      .strict(),
  },
  'profiles:test': { request: z.object({ name }).strict() },

  'keys:status': { request: empty },
  /** Stores a key in the OS keychain (`profile` for a per-profile backup key). Secrets only travel this way. */
  'keys:set': { request: z.object({ kind: keyKindSchema, profile: name.optional(), secret }).strict() },
  'keys:delete': { request: z.object({ kind: keyKindSchema, profile: name.optional() }).strict() },
  /** Keeps the profile key in the main process's memory for this session only. */
  'keys:unlock': { request: z.object({ secret }).strict() },

  'servers:databases': { request: z.object({ profile: name }).strict() },
  /** The tables and views of one database with their sizes and row estimates (the table picker). */
  'servers:tables': { request: z.object({ profile: name, database: z.string().min(1).max(64) }).strict() },

  'backups:plan': { request: z.object({ request: backupRequestSchema }).strict() },
  /** `presetId`: the quick backup it runs (its copies and notifications apply). */
  'backups:start': {
    request: z
      .object({ request: backupRequestSchema, presetId: z.string().min(1).max(100).optional() })
      .strict(),
  },
  'backups:cancel': { request: z.object({ jobId: z.string().min(1).max(100) }).strict() },
  'backups:running': { request: empty },
  /** Runs a finished job's failed files again, with the same options (a new job). */
  'backups:retry': { request: z.object({ jobId: z.string().min(1).max(100) }).strict() },

  /** The job history: every finished backup and restore job, newest first (it survives restarts). */
  'jobs:history': { request: empty },
  /** A finished job's log, as the job history kept it. */
  'jobs:log': { request: z.object({ jobId: z.string().min(1).max(100) }).strict() },
  /** Saves a finished job's log to a file the user chooses. */
  'jobs:save-log': {
    /** `title`: the "save as" chooser's, in the UI's language. */
    request: z.object({ jobId: z.string().min(1).max(100), title: z.string().max(200) }).strict(),
  },

  'history:list': {
    request: z
      .object({
        profile: z.string().max(200).optional(),
        database: z.string().max(200).optional(),
        ticket: z.string().max(200).optional(),
        status: z.string().max(50).optional(),
        from: z.string().max(40).optional(),
        to: z.string().max(40).optional(),
      })
      .strict(),
  },
  'history:details': { request: z.object({ metaPath: z.string().min(1).max(4096) }).strict() },
  /** Starts a verify job (its own process); progress and the report arrive as job events. */
  'history:verify': { request: z.object({ file: z.string().min(1).max(4096) }).strict() },
  'history:verify-cancel': { request: z.object({ jobId: z.string().min(1).max(100) }).strict() },
  'history:verifying': { request: empty },
  'history:open-folder': { request: z.object({ file: z.string().min(1).max(4096) }).strict() },
  'history:delete': { request: z.object({ metaPath: z.string().min(1).max(4096) }).strict() },
  /** The last restore test of each of these backups (`<backup>.restore-test.json`). */
  'history:restore-tests': {
    request: z.object({ files: z.array(z.string().min(1).max(4096)).max(10_000) }).strict(),
  },

  /** What a backup file holds (metadata, content, name), for the Restore wizard's defaults. */
  'restore:describe': {
    /** With `destination`: `file` is the backup's name on that destination. */
    request: z
      .object({ file: z.string().min(1).max(4096), destination: destinationNameSchema.optional() })
      .strict(),
  },
  /** A target database as it is now: exists, size, tables. */
  'restore:target': {
    request: z.object({ profile: name, database: z.string().trim().min(1).max(64) }).strict(),
  },
  /** The real dry-run of a restore (connects, inspects the targets; creates nothing). */
  'restore:plan': { request: z.object({ request: restoreRequestSchema }).strict() },
  /** Plans again (refusals stop it here), then starts a restore job. */
  'restore:start': { request: z.object({ request: restoreRequestSchema }).strict() },
  /** Starts a restore-test job (a throwaway database on a scratch server). */
  'restore:test': { request: z.object({ request: restoreTestInputSchema }).strict() },
  'restore:cancel': { request: z.object({ jobId: z.string().min(1).max(100) }).strict() },
  'restore:running': { request: empty },

  'settings:get': { request: empty },
  'settings:update': { request: z.object({ settings: settingsSchema }).strict() },
  /** What a retention policy (edited, not yet saved) would remove now from a folder; removes nothing. */
  'settings:retention-preview': {
    request: z
      .object({
        outputDir: z.string().min(1).max(4096),
        retentionDays: settingsSchema.shape.retention.shape.retentionDays,
        minBackups: settingsSchema.shape.retention.shape.minBackups,
      })
      .strict(),
  },

  /**
   * The next five runs of a schedule being edited. The schedule is checked by the handler, so that an
   * invalid one answers InvalidInput with the advice scheduleInvalid naming the bad field.
   */
  'schedules:preview': {
    request: z
      .object({
        schedule: z.custom<ScheduleInput>((v) => typeof v === 'object' && v !== null && !Array.isArray(v)),
      })
      .strict(),
  },
  /** Per preset: its next scheduled run and how its last one went. */
  'schedules:status': { request: empty },

  /** The offsite destinations (destinations.json, shared with the CLI). */
  'destinations:list': { request: empty },
  /**
   * Adds (or with `replace` changes) a destination; `secret` (an SFTP password, an S3 secret access key) goes
   * to the keychain — absent: the stored one stays. Never answered back.
   */
  'destinations:save': {
    request: z
      .object({ destination: destinationSchema, secret: secret.optional(), replace: z.boolean() })
      .strict(),
  },
  /** Removes a destination and its secret (and from the presets that copy to it). */
  'destinations:remove': { request: z.object({ name: destinationNameSchema }).strict() },
  /** Writes, verifies and removes a probe file on the destination (as `sfdbtools destination test`). */
  'destinations:test': { request: z.object({ name: destinationNameSchema }).strict() },
  /** What an edited retention of a destination would remove there now (a dry run; removes nothing). */
  'destinations:prune-preview': {
    request: z.object({ name: destinationNameSchema, retention: destinationRetentionSchema }).strict(),
  },
  /** The backups on a destination a restore can read (as `sfdbtools destination files`). */
  'destinations:files': { request: z.object({ name: destinationNameSchema }).strict() },
  /** The notification channels (notifications.json, shared with the CLI). */
  'notify:list': { request: empty },
  /** Adds (or with `replace` changes) a channel; `password` (SMTP) goes to the keychain, never back. */
  'notify:save': {
    request: z
      .object({ channel: channelInputSchema, password: secret.optional(), replace: z.boolean() })
      .strict(),
  },
  /** Removes a channel and its SMTP password (and from the presets that notify it). */
  'notify:remove': { request: z.object({ name: channelNameSchema }).strict() },
  /** Sends a test message to the channel now. */
  'notify:test': { request: z.object({ name: channelNameSchema }).strict() },
} as const satisfies Record<string, { request: z.ZodType }>

/** A request/response channel (renderer → main, answered with a Result). */
export type IpcChannel = keyof typeof ipcContract

/** The response type of each channel: the value inside the Result. */
export interface IpcResponses {
  'app:info': AppInfo
  'app:paths': AppPaths
  'app:detect-dump-binary': DumpBinaryView
  'app:pick-path': { path: string | null }
  'app:shared-config': SharedConfigView
  'profiles:list': ProfileListEntry[]
  'profiles:get': ProfileView
  'profiles:create': ProfileView
  'profiles:update': ProfileView
  'profiles:delete': { deleted: string }
  'profiles:clone': ProfileView
  'profiles:import': ProfileView
  'profiles:test': ProfileTestReport
  'keys:status': KeyStatus
  'keys:set': { stored: true }
  'keys:delete': { deleted: boolean }
  'keys:unlock': { unlocked: true }
  'servers:databases': ServerDatabases
  'servers:tables': ServerTables
  'backups:plan': BackupPlanView
  'backups:start': { jobId: string }
  'backups:cancel': { cancelling: boolean }
  'backups:running': RunningJobView[]
  'backups:retry': { jobId: string }
  'jobs:history': { records: JobRecord[] }
  'jobs:log': { jobId: string; text: string | null }
  'jobs:save-log': { saved: string | null }
  'history:list': { entries: HistoryEntry[]; problems: { path: string; message: string }[] }
  'history:details': HistoryDetails
  'history:verify': { jobId: string }
  'history:verify-cancel': { cancelling: boolean }
  'history:verifying': RunningVerifyView[]
  'history:open-folder': { opened: string }
  'history:delete': { removed: string[] }
  'history:restore-tests': { tests: Record<string, RestoreTestReport> }
  'restore:describe': RestoreSourceView
  'restore:target': RestoreTargetInfo
  'restore:plan': RestorePlanView
  'restore:start': { jobId: string }
  'restore:test': { jobId: string }
  'restore:cancel': { cancelling: boolean }
  'restore:running': RunningRestoreView[]
  'settings:get': Settings
  'settings:update': Settings
  'settings:retention-preview': RetentionPreview
  'schedules:preview': SchedulePreview
  'schedules:status': SchedulesStatus
  'destinations:list': { destinations: DestinationView[] }
  'destinations:save': DestinationView
  'destinations:remove': { removed: boolean }
  'destinations:test': { url: string }
  'destinations:prune-preview': DestinationPrunePreview
  'destinations:files': { destination: string; files: RemoteBackupFile[] }
  'notify:list': { channels: ChannelView[] }
  'notify:save': ChannelView
  'notify:remove': { removed: boolean }
  'notify:test': { sent: true }
}

/** Fails to compile when a channel lacks a response type or a response type names no channel. */
type _ResponsesCoverChannels = AssertNever<
  Exclude<IpcChannel, keyof IpcResponses> | Exclude<keyof IpcResponses, IpcChannel>
>
type AssertNever<T extends never> = T

/** What the renderer sends on a channel. */
export type IpcRequest<C extends IpcChannel> = z.input<(typeof ipcContract)[C]['request']>

/** What a handler receives after the main process parsed the request. */
export type IpcParsedRequest<C extends IpcChannel> = z.output<(typeof ipcContract)[C]['request']>

/** Every request/response channel of the contract. */
export const IPC_CHANNELS = Object.keys(ipcContract) as IpcChannel[]

/** The one push channel (main → renderer): progress, logs and outcomes of backup and verify jobs. */
export const JOB_EVENT_CHANNEL = 'jobs:event'

/** The second push channel (main → renderer): the main process asks the UI to show something. */
export const APP_EVENT_CHANNEL = 'app:navigate'

/** What the main process can ask the UI to show (a notification or the tray was clicked). */
export type AppEvent =
  | { type: 'open-result'; jobId: string }
  | { type: 'open-jobs' }
  /** A quick backup chosen in the tray: the window asks for its ticket, then runs it. */
  | { type: 'run-preset'; presetId: string }

/** The object exposed to the renderer as window.sfdb. Nothing else crosses the bridge. */
export interface SfdbApi {
  /** Calls a contract channel. Resolves with a Result; an unknown channel resolves with InvalidInput. */
  invoke<C extends IpcChannel>(channel: C, request: IpcRequest<C>): Promise<Result<IpcResponses[C]>>
  /** Subscribes to job events pushed on 'jobs:event'; returns the function that unsubscribes. */
  onJobEvent(listener: (event: JobEvent) => void): () => void
  /** Subscribes to the main process's navigation requests on 'app:navigate'; returns the unsubscriber. */
  onAppEvent(listener: (event: AppEvent) => void): () => void
}

/** How an SfdbApi reaches the main process: ipcRenderer in the preload, Playwright bindings in e2e tests. */
export interface SfdbTransport {
  invoke(channel: IpcChannel, request: unknown): Promise<unknown>
  subscribeJobEvents(listener: (event: unknown) => void): () => void
  subscribeAppEvents(listener: (event: unknown) => void): () => void
}
