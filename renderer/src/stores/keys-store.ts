/** The keys domain: which keys the keychain holds. Secrets go to main and are never kept or shown here. */
import { create } from 'zustand'
import type { KeyKind, KeyStatus } from '../../../shared/ipc.ts'
import type { AppError } from '../../../shared/result.ts'
import { deleteKey, fetchKeyStatus, storeKey, unlockProfiles } from '../lib/api.ts'
import { useProfilesStore } from './profiles-store.ts'

export interface KeysState {
  status: KeyStatus | null
  loading: boolean
  error: AppError | null
  load(): Promise<void>
  /** Stores a key; the profile list is reloaded since a profile key may open locked profiles. */
  store(kind: KeyKind, secret: string, profile?: string): Promise<AppError | null>
  remove(kind: KeyKind, profile?: string): Promise<AppError | null>
  /** Keeps the profile key in main's memory for this session. */
  unlock(secret: string): Promise<AppError | null>
}

export const useKeysStore = create<KeysState>()((set, get) => {
  const refresh = async (reloadProfiles: boolean): Promise<void> => {
    await get().load()
    if (reloadProfiles) await useProfilesStore.getState().load()
  }

  return {
    status: null,
    loading: false,
    error: null,

    load: async () => {
      set({ loading: true })
      const result = await fetchKeyStatus()
      if (result.ok) set({ status: result.value, loading: false, error: null })
      else set({ loading: false, error: result.error })
    },

    store: async (kind, secret, profile) => {
      const result = await storeKey(kind, secret, profile)
      if (!result.ok) return result.error
      await refresh(kind === 'profile-key' || profile !== undefined)
      return null
    },

    remove: async (kind, profile) => {
      const result = await deleteKey(kind, profile)
      if (!result.ok) return result.error
      await refresh(kind === 'profile-key' || profile !== undefined)
      return null
    },

    unlock: async (secret) => {
      const result = await unlockProfiles(secret)
      if (!result.ok) return result.error
      await refresh(true)
      return null
    },
  }
})
