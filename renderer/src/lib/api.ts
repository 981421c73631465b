/**
 * The renderer's only door to the main process (lint forbids window.sfdb anywhere else). One typed function
 * per contract channel; every call resolves with a Result: a missing bridge or a failed IPC round trip
 * becomes an Internal error instead of an exception, so stores handle one shape.
 */
import type {
  AppEvent,
  AppInfo,
  AppPaths,
  ChannelInput,
  ChannelView,
  DestinationPrunePreview,
  DestinationView,
  SharedConfigView,
  BackupPlanView,
  BackupRequestInput,
  DumpBinaryView,
  HistoryDetails,
  HistoryEntry,
  IpcChannel,
  IpcRequest,
  IpcResponses,
  JobRecord,
  KeyKind,
  KeyStatus,
  ProfileInput,
  ProfileListEntry,
  ProfileTestReport,
  ProfileView,
  RestorePlanView,
  RestoreRequestInput,
  RestoreSourceView,
  RestoreTargetInfo,
  RestoreTestInput,
  RestoreTestReport,
  RunningJobView,
  RunningRestoreView,
  RunningVerifyView,
  ScheduleInput,
  SchedulePreview,
  SchedulesStatus,
  ServerDatabases,
  ServerTables,
  Settings,
  SfdbApi,
} from '../../../shared/ipc.ts'
import type { JobEvent } from '../../../shared/job-protocol.ts'
import type { Destination, DestinationRetention, RemoteBackupFile } from '../../../shared/destination.ts'
import { err } from '../../../shared/result.ts'
import type { Result } from '../../../shared/result.ts'

declare global {
  interface Window {
    /** Installed by the preload (electron/preload/index.ts); absent when the page runs outside the app. */
    readonly sfdb?: SfdbApi
  }
}

async function invoke<C extends IpcChannel>(
  channel: C,
  request: IpcRequest<C>,
): Promise<Result<IpcResponses[C]>> {
  const bridge = window.sfdb
  if (bridge === undefined) return err('Internal', 'The app bridge is missing: the preload did not run')
  try {
    return await bridge.invoke(channel, request)
  } catch (error) {
    return err('Internal', `The main process did not answer ${channel}`, String(error))
  }
}

// ── App ─────────────────────────────────────────────────────────────────────────────────────────────

/** Name, version and OS platform of the running app. */
export function fetchAppInfo(): Promise<Result<AppInfo>> {
  return invoke('app:info', {})
}

/** The app's folders: config, profiles, default output, logs. */
export function fetchAppPaths(): Promise<Result<AppPaths>> {
  return invoke('app:paths', {})
}

/** The command line's config file (`sfDBTools_config.yaml`) as the app applies it. */
export function fetchSharedConfig(): Promise<Result<SharedConfigView>> {
  return invoke('app:shared-config', {})
}

/** Finds the dump binary: the given path, or mariadb-dump / mysqldump on PATH when null. */
export function detectDumpBinary(path: string | null): Promise<Result<DumpBinaryView>> {
  return invoke('app:detect-dump-binary', { path })
}

/** Opens the OS file or folder chooser; the path is null when the user cancels. */
export function pickPath(
  kind: 'file' | 'folder',
  title: string,
  defaultPath?: string,
): Promise<Result<{ path: string | null }>> {
  return invoke('app:pick-path', { kind, title, ...(defaultPath ? { defaultPath } : {}) })
}

// ── Profiles ────────────────────────────────────────────────────────────────────────────────────────

/** Every profile file, opened or with the reason it could not be. */
export function listProfiles(): Promise<Result<ProfileListEntry[]>> {
  return invoke('profiles:list', {})
}

export function getProfile(name: string): Promise<Result<ProfileView>> {
  return invoke('profiles:get', { name })
}

export function createProfile(profile: ProfileInput): Promise<Result<ProfileView>> {
  return invoke('profiles:create', { profile })
}

/** Saves a profile under `name`; an undefined password keeps the stored one. */
export function updateProfile(name: string, profile: ProfileInput): Promise<Result<ProfileView>> {
  return invoke('profiles:update', { name, profile })
}

export function deleteProfile(name: string): Promise<Result<{ deleted: string }>> {
  return invoke('profiles:delete', { name })
}

export function cloneProfile(from: string, to: string): Promise<Result<ProfileView>> {
  return invoke('profiles:clone', { from, to })
}

/** Imports an sfDBTools .cnf.enc file opened with its key, re-encrypted with ours. */
export function importProfile(request: IpcRequest<'profiles:import'>): Promise<Result<ProfileView>> {
  return invoke('profiles:import', request)
}

/** Connects with a profile: server, binlog/GTID state, missing privileges. */
export function testProfile(name: string): Promise<Result<ProfileTestReport>> {
  return invoke('profiles:test', { name })
}

// ── Keys ────────────────────────────────────────────────────────────────────────────────────────────

/** Which keys are stored (never the keys themselves). */
export function fetchKeyStatus(): Promise<Result<KeyStatus>> {
  return invoke('keys:status', {})
}

/** Stores a key in the OS keychain; `profile` makes a backup key that profile's own. */
export function storeKey(kind: KeyKind, secret: string, profile?: string): Promise<Result<{ stored: true }>> {
  return invoke('keys:set', profile === undefined ? { kind, secret } : { kind, secret, profile })
}

export function deleteKey(kind: KeyKind, profile?: string): Promise<Result<{ deleted: boolean }>> {
  return invoke('keys:delete', profile === undefined ? { kind } : { kind, profile })
}

/** Keeps the profile key in the main process for this session only. */
export function unlockProfiles(secret: string): Promise<Result<{ unlocked: true }>> {
  return invoke('keys:unlock', { secret })
}

// ── Servers and backups ─────────────────────────────────────────────────────────────────────────────

/** The databases of a profile's server with sizes, tables and rows. */
export function fetchServerDatabases(profile: string): Promise<Result<ServerDatabases>> {
  return invoke('servers:databases', { profile })
}

/** The tables and views of one database with sizes and row estimates (the table picker). */
export function fetchServerTables(profile: string, database: string): Promise<Result<ServerTables>> {
  return invoke('servers:tables', { profile, database })
}

/** The real dry-run of a request: files, exclusions, warnings, dump arguments. Creates nothing. */
export function planBackup(request: BackupRequestInput): Promise<Result<BackupPlanView>> {
  return invoke('backups:plan', { request })
}

/** Starts a backup job (of a quick backup: its copies and notifications apply); progress arrives as events. */
export function startBackup(
  request: BackupRequestInput,
  presetId?: string,
): Promise<Result<{ jobId: string }>> {
  return invoke('backups:start', { request, ...(presetId === undefined ? {} : { presetId }) })
}

export function cancelBackup(jobId: string): Promise<Result<{ cancelling: boolean }>> {
  return invoke('backups:cancel', { jobId })
}

export function fetchRunningJobs(): Promise<Result<RunningJobView[]>> {
  return invoke('backups:running', {})
}

/** Runs what a finished backup job did not write (its failed, cancelled or skipped files) as a new job. */
export function retryBackup(jobId: string): Promise<Result<{ jobId: string }>> {
  return invoke('backups:retry', { jobId })
}

// ── Job history ─────────────────────────────────────────────────────────────────────────────────────

/** Every finished backup and restore job the app kept (it survives restarts), newest first. */
export function fetchJobHistory(): Promise<Result<{ records: JobRecord[] }>> {
  return invoke('jobs:history', {})
}

/** A finished job's log (null when the history has none). */
export function fetchJobLog(jobId: string): Promise<Result<{ jobId: string; text: string | null }>> {
  return invoke('jobs:log', { jobId })
}

/** Saves a finished job's log where the user chooses (null: the chooser was cancelled). */
export function saveJobLog(jobId: string, title: string): Promise<Result<{ saved: string | null }>> {
  return invoke('jobs:save-log', { jobId, title })
}

// ── History ─────────────────────────────────────────────────────────────────────────────────────────

/** Filters of the history list; empty fields are left out. */
export type HistoryQuery = IpcRequest<'history:list'>

export function listHistory(
  query: HistoryQuery,
): Promise<Result<{ entries: HistoryEntry[]; problems: { path: string; message: string }[] }>> {
  return invoke('history:list', query)
}

export function fetchHistoryDetails(metaPath: string): Promise<Result<HistoryDetails>> {
  return invoke('history:details', { metaPath })
}

/**
 * Starts reading a backup file end to end (decrypt, decompress, checksum, dump trailer) in a job process;
 * its progress and report arrive as job events.
 */
export function verifyBackup(file: string): Promise<Result<{ jobId: string }>> {
  return invoke('history:verify', { file })
}

export function cancelVerify(jobId: string): Promise<Result<{ cancelling: boolean }>> {
  return invoke('history:verify-cancel', { jobId })
}

/** The verify jobs that run now. */
export function fetchRunningVerifies(): Promise<Result<RunningVerifyView[]>> {
  return invoke('history:verifying', {})
}

export function showInFolder(file: string): Promise<Result<{ opened: string }>> {
  return invoke('history:open-folder', { file })
}

/** Deletes a backup with its companions (metadata, grants, GTID files). */
export function deleteBackup(metaPath: string): Promise<Result<{ removed: string[] }>> {
  return invoke('history:delete', { metaPath })
}

/** The last restore test of each of these backups that has one. */
export function fetchRestoreTests(
  files: string[],
): Promise<Result<{ tests: Record<string, RestoreTestReport> }>> {
  return invoke('history:restore-tests', { files })
}

// ── Restore ─────────────────────────────────────────────────────────────────────────────────────────

/** What a backup file holds (database, layers, grants file), for the wizard's defaults. */
/** What a backup holds: a local file, or with `destination` the file of that name on the destination. */
export function describeRestoreSource(
  file: string,
  destination?: string,
): Promise<Result<RestoreSourceView>> {
  return invoke('restore:describe', { file, ...(destination === undefined ? {} : { destination }) })
}

/** The backups on a destination a restore can read. */
export function fetchDestinationFiles(
  name: string,
): Promise<Result<{ destination: string; files: RemoteBackupFile[] }>> {
  return invoke('destinations:files', { name })
}

/** A target database as it is now on the profile's server: exists, size, tables. */
export function fetchRestoreTarget(profile: string, database: string): Promise<Result<RestoreTargetInfo>> {
  return invoke('restore:target', { profile, database })
}

/** The real dry-run of a restore: what exists, what is backed up, dropped, created; refusals. Creates nothing. */
export function planRestore(request: RestoreRequestInput): Promise<Result<RestorePlanView>> {
  return invoke('restore:plan', { request })
}

/** Starts a restore job; its progress and result arrive as job events. */
export function startRestore(request: RestoreRequestInput): Promise<Result<{ jobId: string }>> {
  return invoke('restore:start', { request })
}

/** Starts a restore-test job (a throwaway database on a scratch server). */
export function startRestoreTest(request: RestoreTestInput): Promise<Result<{ jobId: string }>> {
  return invoke('restore:test', { request })
}

export function cancelRestore(jobId: string): Promise<Result<{ cancelling: boolean }>> {
  return invoke('restore:cancel', { jobId })
}

/** The restores and restore tests that run now. */
export function fetchRunningRestores(): Promise<Result<RunningRestoreView[]>> {
  return invoke('restore:running', {})
}

// ── Settings ────────────────────────────────────────────────────────────────────────────────────────

export function fetchSettings(): Promise<Result<Settings>> {
  return invoke('settings:get', {})
}

export function saveSettings(settings: Settings): Promise<Result<Settings>> {
  return invoke('settings:update', { settings })
}

/** What a retention policy (not saved yet) would remove now from a folder; removes nothing. */
export function previewRetention(
  request: IpcRequest<'settings:retention-preview'>,
): Promise<Result<IpcResponses['settings:retention-preview']>> {
  return invoke('settings:retention-preview', request)
}

// ── Schedules ───────────────────────────────────────────────────────────────────────────────────────

/** The next five runs of a schedule being edited, in the machine's time zone (an invalid one is refused). */
export function previewSchedule(schedule: ScheduleInput): Promise<Result<SchedulePreview>> {
  return invoke('schedules:preview', { schedule })
}

/** Per quick backup: its next scheduled run and how its last one went. */
export function fetchScheduleStatus(): Promise<Result<SchedulesStatus>> {
  return invoke('schedules:status', {})
}

// ── Offsite destinations and notification channels ────────────────────────────────────────────────────

export function listDestinations(): Promise<Result<{ destinations: DestinationView[] }>> {
  return invoke('destinations:list', {})
}

/** Saves a destination; `secret` (a password, an S3 secret key) goes to the keychain, undefined keeps it. */
export function saveDestination(
  destination: Destination,
  secret: string | undefined,
  replace: boolean,
): Promise<Result<DestinationView>> {
  return invoke('destinations:save', { destination, replace, ...(secret === undefined ? {} : { secret }) })
}

export function removeDestination(name: string): Promise<Result<{ removed: boolean }>> {
  return invoke('destinations:remove', { name })
}

/** Writes, verifies and removes a probe file on the destination. */
export function testDestination(name: string): Promise<Result<{ url: string }>> {
  return invoke('destinations:test', { name })
}

/** What an edited retention of a destination would remove there now (removes nothing). */
export function previewDestinationPrune(
  name: string,
  retention: DestinationRetention,
): Promise<Result<DestinationPrunePreview>> {
  return invoke('destinations:prune-preview', { name, retention })
}

export function listChannels(): Promise<Result<{ channels: ChannelView[] }>> {
  return invoke('notify:list', {})
}

/** Saves a channel; `password` (SMTP) goes to the keychain, undefined keeps it. */
export function saveChannel(
  channel: ChannelInput,
  password: string | undefined,
  replace: boolean,
): Promise<Result<ChannelView>> {
  return invoke('notify:save', { channel, replace, ...(password === undefined ? {} : { password }) })
}

export function removeChannel(name: string): Promise<Result<{ removed: boolean }>> {
  return invoke('notify:remove', { name })
}

/** Sends a test message to the channel now. */
export function testChannel(name: string): Promise<Result<{ sent: true }>> {
  return invoke('notify:test', { name })
}

// ── Push events ─────────────────────────────────────────────────────────────────────────────────────

/** Subscribes to job events pushed by the main process; returns the function that unsubscribes. */
export function onJobEvent(listener: (event: JobEvent) => void): () => void {
  const bridge = window.sfdb
  if (bridge === undefined) return () => {}
  return bridge.onJobEvent(listener)
}

/**
 * Subscribes to the main process's requests to show something (a notification or the tray was clicked);
 * returns the function that unsubscribes.
 */
export function onAppEvent(listener: (event: AppEvent) => void): () => void {
  const bridge = window.sfdb
  // An older preload has no app events: nothing will ever ask, so there is nothing to follow.
  if (bridge === undefined || typeof bridge.onAppEvent !== 'function') return () => {}
  return bridge.onAppEvent(listener)
}
