/** The tables of a database (with sizes and row estimates) for the New-backup table picker, by profile. */
import { create } from 'zustand'
import type { ServerTables } from '../../../shared/ipc.ts'
import type { AppError } from '../../../shared/result.ts'
import { fetchServerTables } from '../lib/api.ts'

export interface DatabaseTablesState {
  loading: boolean
  data: ServerTables | null
  error: AppError | null
}

export interface TablesState {
  /** By `profile` NUL `database`. */
  byDatabase: Record<string, DatabaseTablesState>
  /** Reads a database's tables; `force` asks the server again (the list stays on screen meanwhile). */
  load(profile: string, database: string, force?: boolean): Promise<void>
}

export const tablesKey = (profile: string, database: string): string => `${profile}\u0000${database}`

export const useTablesStore = create<TablesState>()((set, get) => ({
  byDatabase: {},
  load: async (profile, database, force = false) => {
    const key = tablesKey(profile, database)
    const current = get().byDatabase[key]
    if (current?.loading || (current?.data && !force)) return
    const put = (state: DatabaseTablesState): void =>
      set({ byDatabase: { ...get().byDatabase, [key]: state } })
    put({ loading: true, data: current?.data ?? null, error: null })
    const result = await fetchServerTables(profile, database)
    put(
      result.ok
        ? { loading: false, data: result.value, error: null }
        : { loading: false, data: null, error: result.error },
    )
  },
}))
