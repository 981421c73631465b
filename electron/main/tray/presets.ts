/**
 * The tray's quick-backup presets: read from the settings file at start (leniently: a file that fails
 * elsewhere still gives its presets), then pushed by the settings service whenever the settings are saved
 * — the app is the file's only writer, so it never needs to watch it.
 */
import { readFile } from 'node:fs/promises'
import { z } from 'zod'
import { presetSchema, type QuickBackupPreset } from '../../../shared/ipc.ts'
import { settingsPath, type SettingsService } from '../services/settings-store.ts'

// Only the presets are read here: a settings file that fails elsewhere still gives its presets.
const presetsOnly = z.object({ presets: z.array(z.unknown()) })

/** The valid presets of the settings file; none when it is missing or unreadable (the tray stays usable). */
export async function readQuickBackupPresets(configDir: string): Promise<QuickBackupPreset[]> {
  let raw: unknown
  try {
    raw = JSON.parse(await readFile(settingsPath(configDir), 'utf8'))
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
 * Calls `onChange` with the presets now (from the file) and after every save of the settings whose presets
 * differ from the last ones given. Returns the function that stops.
 */
export function followQuickBackupPresets(
  configDir: string,
  settings: Pick<SettingsService, 'subscribe'>,
  onChange: (presets: QuickBackupPreset[]) => void,
  read: (configDir: string) => Promise<QuickBackupPreset[]> = readQuickBackupPresets,
): () => void {
  let last: string | null = null
  let saved = false
  const give = (presets: QuickBackupPreset[]): void => {
    const key = JSON.stringify(presets)
    if (key === last) return
    last = key
    onChange(presets)
  }
  const unsubscribe = settings.subscribe((next) => {
    saved = true
    give(next.presets)
  })
  void read(configDir).then((presets) => {
    // A save that came first is newer than what the file said when it was read.
    if (!saved) give(presets)
  })
  return unsubscribe
}
