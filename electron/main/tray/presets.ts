/**
 * The tray's quick-backup presets, read from the settings file the IPC handlers write
 * (`<configDir>/desktop-settings.json`, settingsSchema) and watched, so a preset saved in Settings shows up
 * in the tray at once.
 */
import { watch, type FSWatcher } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { presetSchema, type QuickBackupPreset } from '../../../shared/ipc.ts'

export const SETTINGS_FILE = 'desktop-settings.json'

// Only the presets are read here: a settings file that fails elsewhere still gives its presets.
const presetsOnly = z.object({ presets: z.array(z.unknown()) })

/** The valid presets of the settings file; none when it is missing or unreadable (the tray stays usable). */
export async function readQuickBackupPresets(configDir: string): Promise<QuickBackupPreset[]> {
  let raw: unknown
  try {
    raw = JSON.parse(await readFile(join(configDir, SETTINGS_FILE), 'utf8'))
  } catch {
    return []
  }
  const parsed = presetsOnly.safeParse(raw)
  if (!parsed.success) return []
  return parsed.data.presets.flatMap((p) => {
    const preset = presetSchema.safeParse(p)
    return preset.success ? [preset.data] : []
  })
}

/**
 * Calls `onChange` with the presets whenever the settings file changes. The folder is watched, not the
 * file: an atomic write replaces the file, which ends a watch on the file itself. Returns the stop function.
 */
export function watchQuickBackupPresets(
  configDir: string,
  onChange: (presets: QuickBackupPreset[]) => void,
): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined
  let watcher: FSWatcher | null = null
  const reload = (): void => {
    clearTimeout(timer)
    // A write is a burst of events (temp file, rename): read once it has settled.
    timer = setTimeout(() => void readQuickBackupPresets(configDir).then(onChange), 100)
  }
  try {
    watcher = watch(configDir, (_event, name) => {
      if (name === null || name === SETTINGS_FILE) reload()
    })
    watcher.on('error', () => watcher?.close())
  } catch {
    // No config folder yet: the presets are re-read when a job finishes or the app starts again.
  }
  reload()
  return () => {
    clearTimeout(timer)
    watcher?.close()
  }
}
