/**
 * The history domain: every backup found in the output folders, the filtered view of the History page,
 * the details drawer, and verification of files (shared with the result view). A verify runs as a job in
 * its own process: it is started here, its progress and report arrive as job events (job-event-bridge.ts),
 * and it can be cancelled.
 */
import { create } from 'zustand'
import type {
  HistoryDetails,
  HistoryEntry,
  JobRecord,
  LastVerification,
  VerifyProgress,
  VerifyView,
} from '../../../shared/ipc.ts'
import type { VerifyJobEvent } from '../../../shared/job-protocol.ts'
import type { RestoreTestReport } from '../../../shared/restore-types.ts'
import type { AppError, Result } from '../../../shared/result.ts'
import {
  cancelVerify,
  deleteBackup,
  fetchHistoryDetails,
  fetchJobHistory,
  fetchRestoreTests,
  fetchRunningVerifies,
  listHistory,
  showInFolder,
  verifyBackup,
} from '../lib/api.ts'
import type { HistoryQuery } from '../lib/api.ts'
import { DEFAULT_SORT, nextSort } from '../pages/history/history-sort.ts'
import type { HistorySort, HistorySortKey } from '../pages/history/history-sort.ts'

export interface HistoryFilters {
  profile: string
  database: string
  ticket: string
  status: string
  /** yyyy-mm-dd (a date input's value), '' for open. */
  from: string
  to: string
  /** How the runs came about (JOB_TRIGGERS); '' for every one. Applied here, from the job history. */
  trigger: string
}

export const EMPTY_FILTERS: HistoryFilters = {
  profile: '',
  database: '',
  ticket: '',
  status: '',
  from: '',
  to: '',
  trigger: '',
}

/** One file's verification: running (with its progress), or how it ended. */
export interface VerifyState {
  file: string
  running: boolean
  /** The verify job, once main said which (null while it is being started). */
  jobId: string | null
  progress: VerifyProgress | null
  cancelling: boolean
  /** It was cancelled: no report. */
  cancelled: boolean
  view: VerifyView | null
  /** It could not run (or could not be cancelled). */
  error: AppError | null
}

export interface DetailsState {
  metaPath: string
  loading: boolean
  data: HistoryDetails | null
  error: AppError | null
}

export interface HistoryState {
  /** Every backup, unfiltered (the dashboard and the result view use it). */
  all: HistoryEntry[]
  /** The History page's rows: `all` through the filters. */
  filtered: HistoryEntry[]
  /** The job history (failed and cancelled files have no metadata in the folders; the jobs do). */
  jobs: JobRecord[]
  problems: { path: string; message: string }[]
  filters: HistoryFilters
  /** The History table's order; kept while the filters change. */
  sort: HistorySort
  loaded: boolean
  loading: boolean
  error: AppError | null
  details: DetailsState | null
  verifications: Record<string, VerifyState>
  /** The last restore test of each backup that has one, by backup file. */
  restoreTests: Record<string, RestoreTestReport>
  load(): Promise<void>
  /** A restore test ended (from the push channel): it is now the backup's last one. */
  applyRestoreTest(report: RestoreTestReport): void
  setFilters(filters: HistoryFilters): Promise<void>
  /** A column header was clicked: sort by it, or turn its direction. */
  setSort(key: HistorySortKey): void
  openDetails(metaPath: string): Promise<void>
  closeDetails(): void
  /** Starts a verify job for the file; its progress and report arrive as job events. */
  verify(file: string): Promise<void>
  cancelVerify(file: string): Promise<void>
  /** A verify job's event (from the push channel). */
  applyVerifyEvent(event: VerifyJobEvent): void
  /** Picks up verify jobs that run already (after a reload of the window). */
  refreshVerifies(): Promise<void>
  showInFolder(file: string): Promise<AppError | null>
  remove(metaPath: string): Promise<Result<{ removed: string[] }>>
}

/** The request of a filter set: the end date includes its whole day. */
export function historyQuery(filters: HistoryFilters): HistoryQuery {
  const query: HistoryQuery = {}
  if (filters.profile) query.profile = filters.profile
  if (filters.database.trim()) query.database = filters.database.trim()
  if (filters.ticket.trim()) query.ticket = filters.ticket.trim()
  if (filters.status) query.status = filters.status
  if (filters.from) query.from = new Date(`${filters.from}T00:00:00`).toISOString()
  if (filters.to) query.to = new Date(`${filters.to}T23:59:59.999`).toISOString()
  return query
}

/** No filter main applies (the trigger is applied here, from the job history). */
const isEmpty = (filters: HistoryFilters): boolean =>
  Object.entries(filters).every(([name, value]) => name === 'trigger' || value === '')

const startedVerify = (file: string, jobId: string | null): VerifyState => ({
  file,
  running: true,
  jobId,
  progress: null,
  cancelling: false,
  cancelled: false,
  view: null,
  error: null,
})

/** Newest first; entries without a start time last. */
const newestFirst = (entries: HistoryEntry[]): HistoryEntry[] =>
  [...entries].sort((a, b) => (b.startedAt ?? '').localeCompare(a.startedAt ?? ''))

/** What main keeps as a file's last verification when this event ends its verify (a cancel is none). */
export function lastVerificationOf(event: VerifyJobEvent): LastVerification | null {
  const at = new Date().toISOString()
  if (event.type === 'verify-done')
    return { at, ok: event.report.ok, error: event.report.ok ? null : event.report.error }
  if (event.type === 'verify-failed' && event.error.code !== 'Cancelled')
    return { at, ok: false, error: event.error }
  return null
}

/** The lists and the open details with a file's new last verification (as main now has it on disk). */
function withLastVerification(
  state: HistoryState,
  file: string,
  last: LastVerification,
): Pick<HistoryState, 'all' | 'filtered' | 'details'> {
  const put = (entries: HistoryEntry[]): HistoryEntry[] =>
    entries.some((e) => e.backupFile === file)
      ? entries.map((e) => (e.backupFile === file ? { ...e, lastVerified: last } : e))
      : entries
  const { details } = state
  const data = details?.data
  return {
    all: put(state.all),
    filtered: put(state.filtered),
    details:
      details && data && data.entry.backupFile === file
        ? { ...details, data: { ...data, entry: { ...data.entry, lastVerified: last } } }
        : details,
  }
}

/** The reports of `known` that are newer than the one `read` has for the same file. */
function newerTests(
  known: Record<string, RestoreTestReport>,
  read: Record<string, RestoreTestReport>,
): Record<string, RestoreTestReport> {
  return Object.fromEntries(
    Object.entries(known).filter(([file, r]) => (read[file]?.finishedAt ?? '') < r.finishedAt),
  )
}

export const useHistoryStore = create<HistoryState>()((set, get) => ({
  all: [],
  filtered: [],
  jobs: [],
  problems: [],
  filters: EMPTY_FILTERS,
  sort: DEFAULT_SORT,
  loaded: false,
  loading: false,
  error: null,
  details: null,
  verifications: {},
  restoreTests: {},

  applyRestoreTest: (report) => set({ restoreTests: { ...get().restoreTests, [report.file]: report } }),

  load: async () => {
    set({ loading: true })
    const { filters } = get()
    const [all, filtered, jobs] = await Promise.all([
      listHistory({}),
      isEmpty(filters) ? null : listHistory(historyQuery(filters)),
      fetchJobHistory(),
    ])
    if (jobs.ok) set({ jobs: jobs.value.records })
    if (!all.ok) {
      set({ loading: false, loaded: true, error: all.error })
      return
    }
    const entries = newestFirst(all.value.entries)
    set({
      all: entries,
      filtered: filtered === null ? entries : filtered.ok ? newestFirst(filtered.value.entries) : [],
      problems: all.value.problems,
      loading: false,
      loaded: true,
      error: filtered !== null && !filtered.ok ? filtered.error : null,
    })
    const tests = await fetchRestoreTests(entries.map((e) => e.backupFile))
    // A test that ended while this was read is newer than the file it read.
    if (tests.ok)
      set({ restoreTests: { ...tests.value.tests, ...newerTests(get().restoreTests, tests.value.tests) } })
  },

  setFilters: async (filters) => {
    set({ filters })
    await get().load()
  },

  setSort: (key) => set({ sort: nextSort(get().sort, key) }),

  openDetails: async (metaPath) => {
    set({ details: { metaPath, loading: true, data: null, error: null } })
    const result = await fetchHistoryDetails(metaPath)
    if (get().details?.metaPath !== metaPath) return
    set({
      details: result.ok
        ? { metaPath, loading: false, data: result.value, error: null }
        : { metaPath, loading: false, data: null, error: result.error },
    })
  },

  closeDetails: () => set({ details: null }),

  verify: async (file) => {
    const put = (state: VerifyState): void =>
      set({ verifications: { ...get().verifications, [file]: state } })
    if (get().verifications[file]?.running === true) return
    put(startedVerify(file, null))
    const result = await verifyBackup(file)
    const current = get().verifications[file]
    // Its events may have come first (a small file can be read before the answer arrives).
    if (current === undefined || !current.running || (current.jobId !== null && result.ok)) return
    put(
      result.ok
        ? { ...current, jobId: result.value.jobId }
        : { ...current, running: false, error: result.error },
    )
  },

  cancelVerify: async (file) => {
    const put = (state: VerifyState): void =>
      set({ verifications: { ...get().verifications, [file]: state } })
    const state = get().verifications[file]
    if (state === undefined || !state.running || state.jobId === null || state.cancelling) return
    put({ ...state, cancelling: true })
    const result = await cancelVerify(state.jobId)
    const current = get().verifications[file]
    if (current?.running !== true || current.jobId !== state.jobId) return
    // Not running any more by main's account: its final event is on its way.
    if (!result.ok) put({ ...current, cancelling: false, error: result.error })
  },

  applyVerifyEvent: (event) => {
    const { file } = event
    const state = get().verifications[file]
    // An event of an earlier verify of this file, or of one that has ended here already.
    if (state !== undefined && state.jobId !== null && state.jobId !== event.jobId) return
    if (state !== undefined && !state.running) return
    const current = state ?? startedVerify(file, event.jobId)
    const next: VerifyState = ((): VerifyState => {
      switch (event.type) {
        case 'verify-progress':
          return { ...current, jobId: event.jobId, progress: event.progress }
        case 'verify-done':
          return { ...current, jobId: event.jobId, running: false, view: event.report }
        case 'verify-failed':
          return { ...current, jobId: event.jobId, running: false, error: event.error }
        case 'verify-cancelled':
          return { ...current, jobId: event.jobId, running: false, cancelled: true }
      }
    })()
    set({ verifications: { ...get().verifications, [file]: next } })
    const last = lastVerificationOf(event)
    if (last !== null) set(withLastVerification(get(), file, last))
  },

  refreshVerifies: async () => {
    const result = await fetchRunningVerifies()
    if (!result.ok) return
    const verifications = { ...get().verifications }
    for (const running of result.value) {
      const known = verifications[running.file]
      if (known?.running === true && known.jobId !== null) continue
      verifications[running.file] = {
        ...startedVerify(running.file, running.jobId),
        progress: running.progress,
        cancelling: running.cancelling,
      }
    }
    set({ verifications })
  },

  showInFolder: async (file) => {
    const result = await showInFolder(file)
    return result.ok ? null : result.error
  },

  remove: async (metaPath) => {
    const result = await deleteBackup(metaPath)
    if (result.ok) {
      if (get().details?.metaPath === metaPath) set({ details: null })
      await get().load()
    }
    return result
  },
}))
