import { stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Settings } from '../../../shared/ipc.ts'
import { useHandlerSession } from './handler-session.ts'

describe('settings and app handlers (a sandbox config folder)', () => {
  const s = useHandlerSession()
  const file = (): string => join(s.configDir, 'desktop-settings.json')

  it('app:paths names the config, profile, default output and log folders', async () => {
    expect(await s.value('app:paths', {})).toEqual({
      configDir: s.configDir,
      profileDir: join(s.configDir, 'database_profile'),
      defaultOutputDir: join(s.configDir, 'backup'),
      logDir: join(s.configDir, 'logs'),
    })
  })

  it('app:detect-dump-binary finds mariadb-dump on PATH and refuses a path that is no binary', async () => {
    const found = await s.value('app:detect-dump-binary', { path: null })
    expect(found.path).toMatch(/mariadb-dump$/)
    expect(found.flavor).toBe('mariadb')
    expect(found.version).toMatch(/^\d+\.\d+\.\d+$/)
    expect(await s.value('app:detect-dump-binary', { path: found.path })).toEqual(found)
    const missing = await s.failure('app:detect-dump-binary', { path: join(s.tmp, 'no-such-dump') })
    expect(missing.code).toBe('DumpBinaryMissing')
  })

  it('settings:get gives the defaults while no file exists, and creates none', async () => {
    expect(await s.value('settings:get', {})).toEqual({
      defaults: {
        compression: { type: 'zstd', level: 3 },
        outputDir: join(s.configDir, 'backup'),
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
    } satisfies Settings)
    await expect(stat(file())).rejects.toThrow(/ENOENT/)
  })

  it('settings:update persists (0600) and a restarted app reads the same', async () => {
    const current = await s.value('settings:get', {})
    const next: Settings = {
      ...current,
      defaults: { ...current.defaults, compression: { type: 'gzip', level: 9 }, encrypt: false },
      retention: { enabled: true, retentionDays: 30, minBackups: 5 },
      theme: 'dark',
      language: 'id',
      historyFolders: [join(s.tmp, 'old-backups')],
    }
    expect(await s.value('settings:update', { settings: next })).toEqual(next)
    expect((await stat(file())).mode & 0o777).toBe(0o600)
    s.restart()
    expect(await s.value('settings:get', {})).toEqual(next)
  })

  it('settings:update refuses what the schema or the codecs refuse, and keeps the stored settings', async () => {
    const stored = await s.value('settings:get', {})
    const relative = await s.failure('settings:update', {
      settings: { ...stored, defaults: { ...stored.defaults, outputDir: 'backups' } },
    })
    expect(relative).toMatchObject({ code: 'InvalidInput', message: expect.stringContaining('absolute') })
    const level = await s.failure('settings:update', {
      settings: { ...stored, defaults: { ...stored.defaults, compression: { type: 'gzip', level: 15 } } },
    })
    expect(level).toMatchObject({ code: 'InvalidInput', message: expect.stringContaining('from 1 to 9') })
    // The dispatcher's schema check: a theme the contract does not know.
    const theme = await s.call('settings:update', {
      settings: { ...stored, theme: 'neon' as Settings['theme'] },
    })
    expect(theme).toMatchObject({ ok: false, error: { code: 'InvalidInput' } })
    expect(await s.value('settings:get', {})).toEqual(stored)
  })

  it('a damaged settings file reads as the defaults (the next save replaces it)', async () => {
    await writeFile(file(), '{ "theme": "dark", ', { mode: 0o600 })
    const settings = await s.value('settings:get', {})
    expect(settings.theme).toBe('system')
    // An older file without newer fields keeps what it has and takes defaults for the rest.
    await writeFile(file(), JSON.stringify({ theme: 'light', defaults: { encrypt: false } }), { mode: 0o600 })
    const merged = await s.value('settings:get', {})
    expect(merged).toMatchObject({
      theme: 'light',
      language: 'en',
      defaults: { encrypt: false, namePattern: 'default' },
    })
  })
})
