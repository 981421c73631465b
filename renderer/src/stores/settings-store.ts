/**
 * The settings domain: the app's settings as main stores them, with the appearance (theme, language)
 * applied at once and the quick-backup presets.
 */
import { create } from 'zustand'
import type { QuickBackupPreset, Settings } from '../../../shared/ipc.ts'
import type { AppError } from '../../../shared/result.ts'
import { fetchSettings, saveSettings } from '../lib/api.ts'

/** Used until main answered (and if it never does): what a fresh install has, minus the output folder. */
export const FALLBACK_SETTINGS: Settings = {
  defaults: { compression: { type: 'zstd', level: 3 }, outputDir: '', namePattern: 'default', encrypt: true },
  dumpBinary: null,
  retention: { enabled: false, retentionDays: 30, minBackups: 3 },
  theme: 'system',
  language: 'en',
  historyFolders: [],
  presets: [],
  startAtLogin: false,
}

export interface SettingsState {
  settings: Settings
  /** True once main answered settings:get. */
  loaded: boolean
  loading: boolean
  loadError: AppError | null
  load(): Promise<void>
  /** Saves the whole settings object; resolves with the error to show where the user saved, or null. */
  save(next: Settings): Promise<AppError | null>
  /** Applies at once and saves when the stored settings are known (appearance never waits for a form). */
  setAppearance(change: Pick<Partial<Settings>, 'theme' | 'language'>): Promise<AppError | null>
  addPreset(preset: QuickBackupPreset): Promise<AppError | null>
  removePreset(id: string): Promise<AppError | null>
  /** Replaces a preset (its request, e.g. the ticket of its last run). */
  updatePreset(preset: QuickBackupPreset): Promise<AppError | null>
}

export const useSettingsStore = create<SettingsState>()((set, get) => ({
  settings: FALLBACK_SETTINGS,
  loaded: false,
  loading: false,
  loadError: null,

  load: async () => {
    if (get().loading) return
    set({ loading: true, loadError: null })
    const result = await fetchSettings()
    if (result.ok) set({ settings: result.value, loaded: true, loading: false })
    else set({ loading: false, loadError: result.error })
  },

  save: async (next) => {
    const result = await saveSettings(next)
    if (!result.ok) return result.error
    set({ settings: result.value, loaded: true, loadError: null })
    return null
  },

  setAppearance: async (change) => {
    const next = { ...get().settings, ...change }
    set({ settings: next })
    // Without the stored settings a save would overwrite them with the fallback: keep it local.
    if (!get().loaded) return null
    return get().save(next)
  },

  addPreset: (preset) => {
    const current = get().settings
    return get().save({ ...current, presets: [...current.presets, preset] })
  },

  updatePreset: (preset) => {
    const current = get().settings
    return get().save({ ...current, presets: current.presets.map((p) => (p.id === preset.id ? preset : p)) })
  },
  removePreset: (id) => {
    const current = get().settings
    return get().save({ ...current, presets: current.presets.filter((preset) => preset.id !== id) })
  },
}))
