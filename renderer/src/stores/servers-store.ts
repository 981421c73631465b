/** The servers domain: the database list of each profile's server, fetched when a form needs it. */
import { create } from 'zustand'
import type { ServerDatabases } from '../../../shared/ipc.ts'
import type { AppError } from '../../../shared/result.ts'
import { fetchServerDatabases } from '../lib/api.ts'

export interface ServerDatabasesState {
  loading: boolean
  data: ServerDatabases | null
  error: AppError | null
}

export interface ServersState {
  byProfile: Record<string, ServerDatabasesState>
  /** Loads a profile's databases once; `force` asks the server again. */
  load(profile: string, force?: boolean): Promise<void>
}

export const useServersStore = create<ServersState>()((set, get) => ({
  byProfile: {},
  load: async (profile, force = false) => {
    const current = get().byProfile[profile]
    if (current?.loading || (current?.data && !force)) return
    const put = (state: ServerDatabasesState): void =>
      set({ byProfile: { ...get().byProfile, [profile]: state } })
    put({ loading: true, data: current?.data ?? null, error: null })
    const result = await fetchServerDatabases(profile)
    put(
      result.ok
        ? { loading: false, data: result.value, error: null }
        : { loading: false, data: null, error: result.error },
    )
  },
}))
