/**
 * The app's settings: `<config dir>/desktop-settings.json`, 0600, written atomically and validated with the
 * contract's schema. A missing file means the defaults; a damaged one too (logged, and replaced by the
 * next save), so a bad file never locks the user out of the Settings page. The settings service is the one
 * writer in the app: whoever cares about a change (the tray's quick backups) subscribes to its saves.
 */
import { readFile } from 'node:fs/promises'
import { isAbsolute, join } from 'node:path'
import { settingsSchema, type Settings } from '../../../shared/ipc.ts'
import { DEFAULT_COMPRESSION, validateCompression } from '../../engine/codecs/index.ts'
import { EngineError, errno, toEngineError } from '../../engine/errors.ts'
import { writeFileAtomic } from '../../engine/fs/atomic-write.ts'

export const SETTINGS_FILE = 'desktop-settings.json'

export const settingsPath = (configDir: string): string => join(configDir, SETTINGS_FILE)

/** The default output folder: `<config dir>/backup`, as the CLI's. */
export const defaultOutputDir = (configDir: string): string => join(configDir, 'backup')

export function defaultSettings(configDir: string): Settings {
  return {
    defaults: {
      compression: { ...DEFAULT_COMPRESSION },
      outputDir: defaultOutputDir(configDir),
      namePattern: 'default',
      encrypt: true,
    },
    dumpBinary: null,
    retention: { enabled: false, retentionDays: 14, minBackups: 3 },
    theme: 'system',
    language: 'en',
    historyFolders: [],
    presets: [],
    startAtLogin: false,
  }
}

const asObject = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {}

/**
 * Reads the settings. Fields the file lacks (written by an older version) take their defaults; a file
 * that is not JSON or fails the schema gives the defaults and a warning through `warn`.
 */
export async function readSettings(
  configDir: string,
  warn: (message: string) => void = console.warn,
): Promise<Settings> {
  const defaults = defaultSettings(configDir)
  const path = settingsPath(configDir)
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (e) {
    if (errno(e) === 'ENOENT') return defaults
    throw toEngineError(e, `reading the settings ${path}`)
  }
  let stored: Record<string, unknown>
  try {
    stored = asObject(JSON.parse(text))
  } catch (e) {
    warn(`settings ${path} are not valid JSON (${(e as Error).message}); using the defaults`)
    return defaults
  }
  const parsed = settingsSchema.safeParse({
    ...defaults,
    ...stored,
    defaults: { ...defaults.defaults, ...asObject(stored.defaults) },
    retention: { ...defaults.retention, ...asObject(stored.retention) },
  })
  if (!parsed.success) {
    warn(`settings ${path} do not match the schema (${parsed.error.message}); using the defaults`)
    return defaults
  }
  return parsed.data
}

/** Checks what the schema cannot: absolute folders and a compression level the codec accepts. */
function checkSettings(settings: Settings): Settings {
  const absolute = (path: string, what: string): void => {
    if (!isAbsolute(path))
      throw new EngineError('InvalidInput', `${what} must be an absolute path, got '${path}'`)
  }
  absolute(settings.defaults.outputDir, 'the default output folder')
  for (const folder of settings.historyFolders) absolute(folder, 'a history folder')
  if (settings.dumpBinary !== null && settings.dumpBinary.trim() === '')
    throw new EngineError('InvalidInput', 'the dump binary path is empty: leave it unset to auto-detect')
  const { type, level } = settings.defaults.compression
  return {
    ...settings,
    defaults: { ...settings.defaults, compression: validateCompression(type, level) },
  }
}

/** Saves the settings (0600, atomic) and returns what was stored. */
export async function writeSettings(configDir: string, settings: Settings): Promise<Settings> {
  const checked = checkSettings(settings)
  const path = settingsPath(configDir)
  try {
    await writeFileAtomic(path, JSON.stringify(checked, null, 2) + '\n', { mode: 0o600 })
  } catch (e) {
    throw toEngineError(e, `saving the settings ${path}`)
  }
  return checked
}

/** The settings as the app uses them: read, saved, and every save announced to the subscribers. */
export interface SettingsService {
  get(): Promise<Settings>
  /** Checks and saves; the subscribers then hear of what was stored. */
  update(settings: Settings): Promise<Settings>
  /** Calls `listener` with the stored settings after each save; returns the function that unsubscribes. */
  subscribe(listener: (saved: Settings) => void): () => void
}

export function createSettingsService(
  configDir: () => string,
  warn: (message: string) => void = console.warn,
): SettingsService {
  const listeners = new Set<(saved: Settings) => void>()
  return {
    get: () => readSettings(configDir(), warn),
    async update(settings) {
      const saved = await writeSettings(configDir(), settings)
      for (const listener of [...listeners]) {
        // A subscriber's bug must not turn a save that happened into an error.
        try {
          listener(saved)
        } catch (e) {
          warn(`a settings subscriber failed: ${(e as Error).message}`)
        }
      }
      return saved
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
  }
}
