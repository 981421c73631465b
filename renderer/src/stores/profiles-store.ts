/** The profiles domain: the profile list, the selected profile and connection tests. */
import { create } from 'zustand'
import type {
  IpcRequest,
  ProfileInput,
  ProfileListEntry,
  ProfileTestReport,
  ProfileView,
} from '../../../shared/ipc.ts'
import type { AppError, Result } from '../../../shared/result.ts'
import {
  cloneProfile,
  createProfile,
  deleteProfile,
  importProfile,
  listProfiles,
  testProfile,
  updateProfile,
} from '../lib/api.ts'

/** A connection test of one profile: running, or its report or error. */
export interface ProfileTestState {
  running: boolean
  report: ProfileTestReport | null
  error: AppError | null
}

export interface ProfilesState {
  entries: ProfileListEntry[]
  loaded: boolean
  loading: boolean
  error: AppError | null
  selected: string | null
  tests: Record<string, ProfileTestState>
  load(): Promise<void>
  select(name: string | null): void
  /** Creates (`name` null) or updates a profile and selects it; the error is for the form to show. */
  save(name: string | null, input: ProfileInput): Promise<Result<ProfileView>>
  remove(name: string): Promise<AppError | null>
  clone(from: string, to: string): Promise<AppError | null>
  importFile(request: IpcRequest<'profiles:import'>): Promise<Result<ProfileView>>
  test(name: string): Promise<void>
}

/** The opened profiles of a list (locked and damaged ones left out). */
export const openedProfiles = (entries: ProfileListEntry[]): ProfileView[] =>
  entries.flatMap((entry) => (entry.status === 'ok' ? [entry.profile] : []))

export const useProfilesStore = create<ProfilesState>()((set, get) => {
  /** Reloads the list after a change and selects `name`. */
  const afterChange = async (name: string | null): Promise<void> => {
    await get().load()
    set({ selected: name })
  }

  return {
    entries: [],
    loaded: false,
    loading: false,
    error: null,
    selected: null,
    tests: {},

    load: async () => {
      set({ loading: true })
      const result = await listProfiles()
      if (result.ok) {
        const names = new Set(result.value.map((entry) => entry.name))
        const selected = get().selected
        set({
          entries: result.value,
          loaded: true,
          loading: false,
          error: null,
          selected: selected !== null && names.has(selected) ? selected : null,
        })
      } else {
        set({ loading: false, loaded: true, error: result.error })
      }
    },

    select: (name) => set({ selected: name }),

    save: async (name, input) => {
      const result = name === null ? await createProfile(input) : await updateProfile(name, input)
      if (result.ok) {
        const { [name ?? '']: _stale, ...tests } = get().tests
        set({ tests })
        await afterChange(result.value.name)
      }
      return result
    },

    remove: async (name) => {
      const result = await deleteProfile(name)
      if (!result.ok) return result.error
      await afterChange(null)
      return null
    },

    clone: async (from, to) => {
      const result = await cloneProfile(from, to)
      if (!result.ok) return result.error
      await afterChange(result.value.name)
      return null
    },

    importFile: async (request) => {
      const result = await importProfile(request)
      if (result.ok) await afterChange(result.value.name)
      return result
    },

    test: async (name) => {
      const setTest = (state: ProfileTestState): void => set({ tests: { ...get().tests, [name]: state } })
      setTest({ running: true, report: null, error: null })
      const result = await testProfile(name)
      setTest(
        result.ok
          ? { running: false, report: result.value, error: null }
          : { running: false, report: null, error: result.error },
      )
    },
  }
})
