/**
 * The backups on each offsite destination a restore can read (`destinations:files`, as `sfdbtools
 * destination files`), for the Restore wizard's "On a destination" source: asked when a destination is
 * chosen, kept per destination until asked again.
 */
import { create } from 'zustand'
import type { RemoteBackupFile } from '../../../shared/destination.ts'
import type { AppError } from '../../../shared/result.ts'
import { fetchDestinationFiles } from '../lib/api.ts'

export interface DestinationFiles {
  loading: boolean
  files: RemoteBackupFile[]
  error: AppError | null
}

export interface DestinationFilesState {
  byDestination: Record<string, DestinationFiles>
  /** Lists the destination's backups (again). */
  load(destination: string): Promise<void>
}

export const useDestinationFilesStore = create<DestinationFilesState>()((set, get) => ({
  byDestination: {},
  async load(destination) {
    const put = (state: DestinationFiles): void =>
      set({ byDestination: { ...get().byDestination, [destination]: state } })
    put({ loading: true, files: get().byDestination[destination]?.files ?? [], error: null })
    const result = await fetchDestinationFiles(destination)
    put(
      result.ok
        ? { loading: false, files: result.value.files, error: null }
        : { loading: false, files: [], error: result.error },
    )
  },
}))
