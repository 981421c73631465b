/**
 * The backup history: every backup described by metadata in the default output folder and the extra
 * history folders (ours and sfDBTools'), read by the engine's catalog. Verify, show and delete act only on
 * files inside those folders, and delete removes only what the metadata names. A verify reads the whole
 * file, so it runs as a job in its own process (with progress and cancel), never in the main process.
 */
import { readFile, realpath, stat } from 'node:fs/promises'
import { dirname, isAbsolute, relative, resolve } from 'node:path'
import type { HistoryDetails, HistoryEntry, LastVerification, Settings } from '../../../shared/ipc.ts'
import { detectLayers } from '../../engine/backup/backup-reader.ts'
import { META_SUFFIX } from '../../engine/backup/metadata.ts'
import { backupDate, type CatalogEntry } from '../../engine/catalog/catalog-entry.ts'
import { readBackupMetadata } from '../../engine/catalog/read-metadata.ts'
import { scanBackups } from '../../engine/catalog/scan.ts'
import { advice, EngineError, errno, toEngineError } from '../../engine/errors.ts'
import { applyRetention } from '../../engine/retention/apply-retention.ts'
import type { JobSupervisorApi } from '../jobs/types.ts'
import type { KeyService } from './key-service.ts'
import type { ProfileEndpoint } from './profile-service.ts'

export interface HistoryServiceDeps {
  settings(): Promise<Settings>
  /** Where each profile connects, to name the profile of a backup. */
  endpoints(): Promise<ProfileEndpoint[]>
  keys: KeyService
  showInFolder(path: string): Promise<void>
  /** Runs the verify jobs. */
  jobs(): JobSupervisorApi
  /** The last verification of each file by its absolute path (verify-records.ts); none when absent. */
  verifications?(): Promise<Map<string, LastVerification>>
}

export interface HistoryFilter {
  profile?: string
  database?: string
  /** A part of the ticket, case aside. */
  ticket?: string
  status?: string
  from?: string
  to?: string
}

/** The folders the history reads: the default output folder first, then the extra ones. */
export const historyFolders = (settings: Settings): string[] => [
  ...new Set([settings.defaults.outputDir, ...settings.historyFolders].map((d) => resolve(d))),
]

const isInside = (path: string, root: string): boolean => {
  const rel = relative(root, path)
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))
}

/**
 * Refuses a path outside the history folders. Symbolic links are resolved on both sides, so a link inside
 * a history folder cannot lead the app to a file elsewhere.
 */
async function assertInHistory(path: string, roots: string[]): Promise<string> {
  if (!isAbsolute(path)) throw new EngineError('InvalidInput', `give an absolute path, got '${path}'`)
  const target = resolve(path)
  const folder = await realpath(dirname(target)).catch(() => dirname(target))
  for (const root of roots) {
    if (isInside(folder, await realpath(root).catch(() => root))) return target
  }
  throw new EngineError(
    'InvalidInput',
    `${target} is not in a history folder (${roots.join(', ')}): add its folder to the history folders in Settings`,
  )
}

async function assertFile(path: string): Promise<void> {
  const info = await stat(path).catch((e: unknown) => {
    if (errno(e) === 'ENOENT') throw new EngineError('InvalidInput', `${path} does not exist (any more)`)
    throw toEngineError(e, path)
  })
  if (!info.isFile()) throw new EngineError('InvalidInput', `${path} is not a file`)
}

const sameHost = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase()

/** The profile whose host and port match the backup's server, else the one whose host is its @@hostname. */
export function profileOf(entry: CatalogEntry, endpoints: ProfileEndpoint[]): string | null {
  const byAddress = endpoints.find(
    (p) => entry.host !== null && sameHost(entry.host, p.host) && (entry.port ?? 3306) === p.port,
  )
  const byHostname = endpoints.find((p) => entry.hostname !== null && sameHost(entry.hostname, p.host))
  return (byAddress ?? byHostname)?.name ?? null
}

export function toHistoryEntry(entry: CatalogEntry, profile: string | null): HistoryEntry {
  return {
    metaPath: entry.metaPath,
    backupFile: entry.backupFile,
    fileName: entry.fileName,
    source: entry.source,
    databases: entry.databases,
    type: entry.type,
    status: entry.status,
    startedAt: entry.startedAt?.toISOString() ?? null,
    durationMs: entry.durationMs,
    host: entry.host,
    hostname: entry.hostname,
    ticket: entry.ticket,
    sizeBytes: entry.sizeBytes,
    sha256: entry.sha256,
    compression: entry.compression,
    encrypted: entry.encrypted,
    gtid: entry.gtid,
    binlog: entry.binlog,
    fileExists: entry.fileExists,
    companions: entry.companions,
    tableRules: entry.tableRules ?? null,
    profile,
    ...(entry.copies && entry.copies.length > 0 ? { copies: entry.copies } : {}),
  }
}

/** A filter bound: a whole day for `YYYY-MM-DD` (local time, as the metadata's times), else a timestamp. */
function bound(value: string | undefined, endOfDay: boolean): number | null {
  if (value === undefined || value.trim() === '') return null
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim())
  const date = day
    ? new Date(Number(day[1]), Number(day[2]) - 1, Number(day[3]) + (endOfDay ? 1 : 0))
    : new Date(value)
  if (Number.isNaN(date.getTime()))
    throw new EngineError('InvalidInput', `'${value}' is not a date (use YYYY-MM-DD or an ISO timestamp)`)
  // The end of a day is the start of the next one, exclusive.
  return day && endOfDay ? date.getTime() - 1 : date.getTime()
}

export function createHistoryService(deps: HistoryServiceDeps) {
  const roots = async (): Promise<string[]> => historyFolders(await deps.settings())
  const verified = async (): Promise<Map<string, LastVerification>> =>
    (await deps.verifications?.()) ?? new Map<string, LastVerification>()
  const withVerification = (view: HistoryEntry, last: Map<string, LastVerification>): HistoryEntry => ({
    ...view,
    lastVerified: last.get(resolve(view.backupFile)) ?? null,
  })

  async function list(
    filter: HistoryFilter,
  ): Promise<{ entries: HistoryEntry[]; problems: { path: string; message: string }[] }> {
    const from = bound(filter.from, false)
    const to = bound(filter.to, true)
    const settings = await deps.settings()
    const folders = historyFolders(settings)
    // The default output folder appears with the first backup: its absence is no problem to report.
    const defaultDir = resolve(settings.defaults.outputDir)
    const present = await stat(defaultDir).then(
      () => true,
      () => false,
    )
    const scanned = await scanBackups(present ? folders : folders.filter((f) => f !== defaultDir))
    const endpoints = await deps.endpoints()
    const last = await verified()
    const database = filter.database?.trim().toLowerCase()
    const ticket = filter.ticket?.trim().toLowerCase()
    const entries = scanned.entries
      .map((e) => ({ catalog: e, view: toHistoryEntry(e, profileOf(e, endpoints)) }))
      .filter(({ catalog, view }) => {
        if (filter.profile && view.profile !== filter.profile) return false
        // A part of the name finds it ("globex" finds dbsf_nbc_globex), case aside.
        if (database && !view.databases.some((d) => d.toLowerCase().includes(database))) return false
        if (ticket && !(view.ticket ?? '').toLowerCase().includes(ticket)) return false
        if (filter.status && view.status !== filter.status) return false
        const when = backupDate(catalog)?.getTime() ?? null
        if (from !== null && (when === null || when < from)) return false
        if (to !== null && (when === null || when > to)) return false
        return true
      })
      .map(({ view }) => withVerification(view, last))
    return { entries, problems: scanned.problems }
  }

  async function details(metaPath: string): Promise<HistoryDetails> {
    const path = await assertInHistory(metaPath, await roots())
    const entry = await readBackupMetadata(path)
    const metadata: unknown = JSON.parse((await readFile(path, 'utf8')).replace(/^\uFEFF/, ''))
    const view = toHistoryEntry(entry, profileOf(entry, await deps.endpoints()))
    return { entry: withVerification(view, await verified()), metadata }
  }

  /**
   * Starts a verify job for a backup of the history folders; an encrypted one with each backup key that
   * may open it (the environment's, its profile's own, the default), tried in that order by the job until
   * one is not refused as the wrong key. Without any key it does not start: MissingKey says how to give one.
   */
  async function verify(file: string): Promise<{ jobId: string }> {
    const path = await assertInHistory(file, await roots())
    await assertFile(path)
    let keys: string[] = []
    if ((await detectLayers(path)).encrypted) {
      const entry = await readBackupMetadata(path + META_SUFFIX).catch(() => null)
      const profile = entry ? profileOf(entry, await deps.endpoints()) : null
      keys = await deps.keys.backupKeyCandidates(profile)
      if (keys.length === 0) {
        throw new EngineError('MissingKey', `${path} is encrypted and no backup key is available`, {
          advice: advice('backupKeyRequired', { file: path }),
        })
      }
    }
    return { jobId: deps.jobs().startVerify({ file: path, keys }) }
  }

  const cancelVerify = (jobId: string): { cancelling: boolean } => {
    const running = deps
      .jobs()
      .runningVerifies()
      .some((v) => v.jobId === jobId)
    return { cancelling: running && deps.jobs().cancel(jobId) }
  }

  async function openFolder(file: string): Promise<{ opened: string }> {
    const path = await assertInHistory(file, await roots())
    await assertFile(path)
    await deps.showInFolder(path)
    return { opened: path }
  }

  /** Deletes one backup: its dump, the companions its metadata names or that follow its naming, the metadata. */
  async function remove(metaPath: string): Promise<{ removed: string[] }> {
    const folders = await roots()
    const path = await assertInHistory(metaPath, folders)
    const entry = await readBackupMetadata(path)
    const result = await applyRetention(
      {
        remove: [entry],
        keep: [],
        reasons: new Map([[entry.metaPath, 'deleted from the history']]),
        cutoff: null,
      },
      { dryRun: false, roots: folders },
    )
    const removed = result.backups.flatMap((b) => b.files.map((f) => f.path))
    if (result.errors.length > 0) {
      throw new EngineError(
        'PermissionDenied',
        `the backup was not deleted completely: ${result.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
        { detail: removed.length ? `removed: ${removed.join(', ')}` : 'nothing was removed' },
      )
    }
    return { removed }
  }

  return {
    list,
    details,
    verify,
    cancelVerify,
    verifying: () => deps.jobs().runningVerifies(),
    openFolder,
    remove,
  }
}

export type HistoryService = ReturnType<typeof createHistoryService>
