/**
 * The quick backup presets as the command line reads and changes them: in the app's settings file
 * (`<config dir>/desktop-settings.json`, electron/main/services/settings-store.ts), so the app and
 * `sfdbtools schedule` share one list. Only a preset's `schedule` is changed; every other field of the file
 * is written back as it was read (0600, atomically), so the CLI never resets a setting it does not know.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { presetSchema, type QuickBackupPreset } from '../../../shared/ipc.ts'
import type { Schedule } from '../../../shared/schedule.ts'
import { EngineError, errno, toEngineError } from '../errors.ts'
import { writeFileAtomic } from '../fs/atomic-write.ts'

/** The app's settings file (the same name as settings-store.ts's SETTINGS_FILE). */
export const PRESETS_FILE = 'desktop-settings.json'

export const presetsPath = (configDir: string): string => join(configDir, PRESETS_FILE)

async function readRaw(configDir: string): Promise<Record<string, unknown> | null> {
  const path = presetsPath(configDir)
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (e) {
    if (errno(e) === 'ENOENT') return null
    throw toEngineError(e, `reading the presets in ${path}`)
  }
  try {
    const raw: unknown = JSON.parse(text)
    if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) return raw as Record<string, unknown>
  } catch {
    // below
  }
  throw new EngineError('InvalidConfig', `the settings file ${path} is not a JSON object`)
}

/** The valid presets (an invalid one is told through `warn` and left out); none without a settings file. */
export async function readPresets(
  configDir: string,
  warn: (message: string) => void = () => {},
): Promise<QuickBackupPreset[]> {
  const raw = await readRaw(configDir)
  const list = raw?.presets
  if (!Array.isArray(list)) return []
  return list.flatMap((p: unknown, i) => {
    const parsed = presetSchema.safeParse(p)
    if (parsed.success) return [parsed.data]
    warn(`preset ${i + 1} of ${presetsPath(configDir)} is not valid and is ignored: ${parsed.error.message}`)
    return []
  })
}

/** The preset named by its id, or else by its label (case-insensitive); a clear error when none is. */
export function findPreset(presets: readonly QuickBackupPreset[], ref: string): QuickBackupPreset {
  const found =
    presets.find((p) => p.id === ref) ?? presets.find((p) => p.label.toLowerCase() === ref.toLowerCase())
  if (found) return found
  const known = presets.map((p) => `${p.id} (${p.label})`).join(', ')
  throw new EngineError(
    'InvalidInput',
    presets.length === 0
      ? `no quick backup preset '${ref}': there are no presets (save one in the app's New backup, "Save as quick backup")`
      : `no quick backup preset '${ref}'; the presets are: ${known}`,
  )
}

/** Sets (or with null removes) the schedule of the preset `id`; returns the preset as stored. */
export async function setPresetSchedule(
  configDir: string,
  id: string,
  schedule: Schedule | null,
): Promise<QuickBackupPreset> {
  const raw = (await readRaw(configDir)) ?? {}
  const list: unknown[] = Array.isArray(raw.presets) ? [...(raw.presets as unknown[])] : []
  const index = list.findIndex(
    (p) => typeof p === 'object' && p !== null && (p as Record<string, unknown>).id === id,
  )
  if (index < 0) throw new EngineError('InvalidInput', `no quick backup preset with id '${id}'`)
  const { schedule: _old, ...rest } = list[index] as Record<string, unknown>
  const next = schedule === null ? rest : { ...rest, schedule }
  const stored = presetSchema.parse(next)
  list[index] = next
  const path = presetsPath(configDir)
  try {
    await writeFileAtomic(path, JSON.stringify({ ...raw, presets: list }, null, 2) + '\n', { mode: 0o600 })
  } catch (e) {
    throw toEngineError(e, `saving the presets in ${path}`)
  }
  return stored
}
