/** The app's scheduling glue: checks at start, on saved settings and on resume; start at login applied. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Settings } from '../../../shared/ipc.ts'
import {
  defaultSettings,
  readSettings,
  settingsPath,
} from '../../../electron/main/services/settings-store.ts'
import { startAppScheduling, type AppScheduling } from '../../../electron/main/scheduler/app-scheduling.ts'
import { HIDDEN_FLAG, nodeLoginItemFs } from '../../../electron/main/scheduler/login-item.ts'

describe('app scheduling', () => {
  let dir: string
  let scheduling: AppScheduling | undefined
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sfdb-app-scheduling-'))
  })
  afterEach(async () => {
    scheduling?.stop()
    await rm(dir, { recursive: true, force: true })
  })

  it('checks at start, after every save and on resume; applies start at login when it changes', async () => {
    const listeners = new Set<(saved: Settings) => void>()
    let resume = (): void => {}
    let checks = 0
    const loginCalls: unknown[] = []
    const stored: Settings = { ...defaultSettings(dir), startAtLogin: true }
    scheduling = startAppScheduling({
      configDir: dir,
      backups: { start: () => Promise.reject(new Error('nothing is due')) },
      settings: {
        get: async () => stored,
        subscribe: (listener) => {
          listeners.add(listener)
          return () => void listeners.delete(listener)
        },
      },
      jobs: { whenFinished: () => null, running: () => [] },
      log: { info: () => {}, warn: (m) => expect.fail(m) },
      onResume: (listener) => void (resume = listener),
      loginItem: {
        platform: 'win32',
        env: {},
        home: dir,
        execPath: 'C:\\Apps\\sfdbtools.exe',
        appName: 'sfDBTools Desktop',
        app: {
          setLoginItemSettings: (s) => void loginCalls.push(s),
          getLoginItemSettings: () => ({ openAtLogin: false }),
        },
        fs: nodeLoginItemFs,
      },
      onNextRun: () => {},
      onRunFailed: () => {},
      scheduler: {
        presets: async () => {
          checks++
          return []
        },
      },
    })
    const { scheduler } = scheduling
    await scheduler.settled()
    expect(checks).toBe(1)
    await expect
      .poll(() => loginCalls)
      .toEqual([{ openAtLogin: true, path: 'C:\\Apps\\sfdbtools.exe', args: [HIDDEN_FLAG] }])

    const save = (settings: Settings) => {
      for (const l of listeners) l(settings)
    }
    save(stored)
    await scheduler.settled()
    expect(checks).toBe(2)
    save({ ...stored, startAtLogin: false })
    await scheduler.settled()
    expect(checks).toBe(3)
    expect(loginCalls).toHaveLength(2)
    expect(loginCalls[1]).toMatchObject({ openAtLogin: false })

    resume()
    await scheduler.settled()
    expect(checks).toBe(4)

    scheduling.stop()
    save({ ...stored, startAtLogin: true })
    await scheduler.settled()
    expect(checks).toBe(4)
    expect(loginCalls).toHaveLength(2)
  })

  it('a settings file from before start at login existed reads with it off', async () => {
    const { startAtLogin: _none, ...old } = { ...defaultSettings(dir), theme: 'dark' as const }
    await writeFile(settingsPath(dir), JSON.stringify(old))
    const read = await readSettings(dir, (m) => expect.fail(m))
    expect(read).toMatchObject({ theme: 'dark', startAtLogin: false })
  })
})
