/**
 * The history domain: every backup found in the output folders, the filtered view of the History page,
 * the details drawer, and verification of files (shared with the result view).
 */
import { create } from 'zustand'
import type { HistoryDetails, HistoryEntry, VerifyView } from '../../../shared/ipc.ts'
import type { AppError, Result } from '../../../shared/result.ts'
import { deleteBackup, fetchHistoryDetails, listHistory, showInFolder, verifyBackup } from '../lib/api.ts'
import type { HistoryQuery } from '../lib/api.ts'

export interface HistoryFilters {
  profile: string
  database: string
  status: string
  /** yyyy-mm-dd (a date input's value), '' for open. */
  from: string
  to: string
}

export const EMPTY_FILTERS: HistoryFilters = { profile: '', database: '', status: '', from: '', to: '' }

export interface VerifyState {
  running: boolean
  view: VerifyView | null
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
  problems: { path: string; message: string }[]
  filters: HistoryFilters
  loaded: boolean
  loading: boolean
  error: AppError | null
  details: DetailsState | null
  verifications: Record<string, VerifyState>
  load(): Promise<void>
  setFilters(filters: HistoryFilters): Promise<void>
  openDetails(metaPath: string): Promise<void>
  closeDetails(): void
  verify(file: string): Promise<void>
  showInFolder(file: string): Promise<AppError | null>
  remove(metaPath: string): Promise<Result<{ removed: string[] }>>
}

/** The request of a filter set: the end date includes its whole day. */
export function historyQuery(filters: HistoryFilters): HistoryQuery {
  const query: HistoryQuery = {}
  if (filters.profile) query.profile = filters.profile
  if (filters.database.trim()) query.database = filters.database.trim()
  if (filters.status) query.status = filters.status
  if (filters.from) query.from = new Date(`${filters.from}T00:00:00`).toISOString()
  if (filters.to) query.to = new Date(`${filters.to}T23:59:59.999`).toISOString()
  return query
}

const isEmpty = (filters: HistoryFilters): boolean => Object.values(filters).every((value) => value === '')

/** Newest first; entries without a start time last. */
const newestFirst = (entries: HistoryEntry[]): HistoryEntry[] =>
  [...entries].sort((a, b) => (b.startedAt ?? '').localeCompare(a.startedAt ?? ''))

export const useHistoryStore = create<HistoryState>()((set, get) => ({
  all: [],
  filtered: [],
  problems: [],
  filters: EMPTY_FILTERS,
  loaded: false,
  loading: false,
  error: null,
  details: null,
  verifications: {},

  load: async () => {
    set({ loading: true })
    const { filters } = get()
    const [all, filtered] = await Promise.all([
      listHistory({}),
      isEmpty(filters) ? null : listHistory(historyQuery(filters)),
    ])
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
  },

  setFilters: async (filters) => {
    set({ filters })
    await get().load()
  },

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
    put({ running: true, view: null, error: null })
    const result = await verifyBackup(file)
    put(
      result.ok
        ? { running: false, view: result.value, error: null }
        : { running: false, view: null, error: result.error },
    )
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
