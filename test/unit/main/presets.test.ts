/**
 * The tray's quick backups follow the settings through the settings service: a save (Settings page,
 * a remembered output folder) pushes the presets to the tray; nothing watches the file the app writes, and
 * the settings file's name is defined once.
 */
import { readdir, readFile } from 'node:fs/promises'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import type { BackupRequestInput, QuickBackupPreset, Settings } from '../../../shared/ipc.ts'
import { createHandlers } from '../../../electron/main/ipc/handlers/create-handlers.ts'
import type { Platform } from '../../../electron/main/ipc/handlers/platform.ts'
import { createServices } from '../../../electron/main/ipc/handlers/services.ts'
import {
  createSettingsService,
  defaultSettings,
  SETTINGS_FILE,
  settingsPath,
} from '../../../electron/main/services/settings-store.ts'
import { followQuickBackupPresets } from '../../../electron/main/tray/presets.ts'
import { backupRequest } from '../../harness/backup-request.ts'

const request: BackupRequestInput = backupRequest({ ticket: 'NIGHTLY' })
const preset = (id: string, label: string): QuickBackupPreset => ({ id, label, request })

const configDir = () => mkdtemp(join(tmpdir(), 'sfdb-presets-'))

/** A platform for the settings handlers only (nothing else is called). */
const platformOf = (dir: string): Platform =>
  ({ configDir: () => dir, env: () => ({}) }) as Partial<Platform> as Platform

describe('settings service', () => {
  it('announces each save with what was stored; a failed save announces nothing', async () => {
    const dir = await configDir()
    const settings = createSettingsService(() => dir)
    const heard: Settings[] = []
    const stop = settings.subscribe((s) => heard.push(s))
    const next = { ...defaultSettings(dir), presets: [preset('n', 'Nightly')] }
    const saved = await settings.update(next)
    expect(heard).toEqual([saved])
    expect(JSON.parse(await readFile(settingsPath(dir), 'utf8'))).toEqual(saved)
    await expect(settings.update({ ...next, historyFolders: ['relative'] })).rejects.toThrow(/absolute/)
    expect(heard).toHaveLength(1)
    stop()
    await settings.update(next)
    expect(heard).toHaveLength(1)
  })

  it('a subscriber that throws does not undo a save', async () => {
    const dir = await configDir()
    const warn = vi.fn()
    const settings = createSettingsService(() => dir, warn)
    settings.subscribe(() => {
      throw new Error('tray gone')
    })
    await expect(settings.update(defaultSettings(dir))).resolves.toMatchObject({ theme: 'system' })
    expect(warn).toHaveBeenCalledWith('a settings subscriber failed: tray gone')
  })
})

describe("the tray's quick backups", () => {
  it('start with the presets of the file, then follow every save through settings:update', async () => {
    const dir = await configDir()
    await writeFile(
      settingsPath(dir),
      JSON.stringify({ ...defaultSettings(dir), theme: 'dark', presets: [preset('n', 'Nightly')] }),
    )
    const services = createServices(platformOf(dir))
    const handlers = createHandlers(platformOf(dir), services)
    const pushed: string[][] = []
    const stop = followQuickBackupPresets(dir, services.settings, (presets) =>
      pushed.push(presets.map((p) => p.label)),
    )
    await vi.waitFor(() => expect(pushed).toEqual([['Nightly']]))

    const current = await handlers['settings:get']({})
    if (!current.ok) throw new Error(current.error.message)
    const withWeekly = { ...current.value, presets: [...current.value.presets, preset('w', 'Weekly')] }
    expect((await handlers['settings:update']({ settings: withWeekly })).ok).toBe(true)
    // Pushed at once, by the save itself: no file watch, no delay.
    expect(pushed).toEqual([['Nightly'], ['Nightly', 'Weekly']])
    // A save that leaves the presets as they were does not bother the tray.
    expect((await handlers['settings:update']({ settings: { ...withWeekly, theme: 'light' } })).ok).toBe(true)
    expect(pushed).toHaveLength(2)
    stop()
    await handlers['settings:update']({ settings: { ...withWeekly, presets: [] } })
    expect(pushed).toHaveLength(2)
  })

  it('a save announced before the file was read wins over what the file said', async () => {
    let announce: (saved: Settings) => void = () => {}
    const settings = { subscribe: (l: (saved: Settings) => void) => ((announce = l), () => {}) }
    let fileSays: (presets: QuickBackupPreset[]) => void = () => {}
    const read = new Promise<QuickBackupPreset[]>((resolve) => (fileSays = resolve))
    const pushed: string[][] = []
    followQuickBackupPresets(
      '/config',
      settings,
      (presets) => pushed.push(presets.map((p) => p.label)),
      () => read,
    )
    announce({ ...defaultSettings('/config'), presets: [preset('new', 'New')] })
    expect(pushed).toEqual([['New']])
    // The file's (older) presets, read after the save was announced, are not given.
    fileSays([preset('old', 'Old')])
    await read
    await Promise.resolve()
    expect(pushed).toEqual([['New']])
  })

  it('the settings file is named once, and nothing in the main process watches it', async () => {
    expect(SETTINGS_FILE).toBe('desktop-settings.json')
    const root = join(import.meta.dirname, '../../../electron/main')
    const files = (await readdir(root, { recursive: true })).filter((f) => f.endsWith('.ts'))
    const naming: string[] = []
    for (const file of files) {
      const text = await readFile(join(root, file), 'utf8')
      if (/['"`]desktop-settings\.json['"`]/.test(text)) naming.push(file)
      expect(text, file).not.toMatch(/\bfs\.watch\b|\bwatch\(|from 'node:fs'.*\bwatch\b/)
    }
    expect(naming).toEqual(['services/settings-store.ts'])
  })
})
