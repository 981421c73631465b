/** The app domain store: facts about the running app (name, version, platform, folders) loaded over IPC. */
import { create } from 'zustand'
import type { AppPaths } from '../../../shared/ipc.ts'
import type { AppError } from '../../../shared/result.ts'
import type { DetectedProgram, RuntimeVersions } from '../../../shared/versions.ts'
import { fetchAppInfo, fetchAppPaths } from '../lib/api.ts'

/** State and actions of the app store. */
export interface AppState {
  name: string | null
  version: string | null
  platform: string | null
  /** The main process's Node, Electron and Chromium versions; null until known. */
  versions: RuntimeVersions | null
  /** The dump binary and SQL client found on the main process's PATH (the About section). */
  programs: DetectedProgram[] | null
  loading: boolean
  error: AppError | null
  /** The app's folders; null until known (or when main cannot tell). */
  paths: AppPaths | null
  /** Fetches the app info; a second call while one is in flight does nothing. */
  load(): Promise<void>
  /** Fetches the folders once. */
  loadPaths(): Promise<void>
}

/** The app store hook (zustand). */
export const useAppStore = create<AppState>()((set, get) => ({
  name: null,
  version: null,
  platform: null,
  versions: null,
  programs: null,
  loading: false,
  error: null,
  paths: null,
  load: async () => {
    // React's StrictMode runs effects twice in development: one request is enough.
    if (get().loading) return
    set({ loading: true, error: null })
    const result = await fetchAppInfo()
    if (result.ok) {
      const { name, version, platform, versions, programs } = result.value
      set({ name, version, platform, versions, programs, loading: false })
    } else {
      set({ loading: false, error: result.error })
    }
  },
  loadPaths: async () => {
    if (get().paths !== null) return
    const result = await fetchAppPaths()
    if (result.ok) set({ paths: result.value })
  },
}))
