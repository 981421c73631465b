/** Start at login, hidden in the tray: over a fake Electron app and a real temp folder (Linux autostart). */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  applyStartAtLogin,
  autostartEntry,
  autostartPath,
  execArgument,
  HIDDEN_FLAG,
  nodeLoginItemFs,
  startsHidden,
  type LoginItemApp,
  type LoginItemPlatform,
} from '../../../electron/main/scheduler/login-item.ts'

/** Electron's app as the login item drives it: every setLoginItemSettings call, in order. */
function fakeApp(wasOpenedAtLogin = false): LoginItemApp & { calls: unknown[] } {
  const calls: unknown[] = []
  return {
    calls,
    setLoginItemSettings: (settings) => void calls.push(settings),
    getLoginItemSettings: () => ({ openAtLogin: false, wasOpenedAtLogin }),
  }
}

describe('start at login', () => {
  let home: string
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'sfdb-login-'))
  })
  afterEach(async () => {
    await rm(home, { recursive: true, force: true })
  })
  const platform = (
    name: string,
    env: Record<string, string | undefined> = {},
    app = fakeApp(),
  ): LoginItemPlatform & { app: ReturnType<typeof fakeApp> } => ({
    platform: name,
    env,
    home,
    execPath: '/opt/sfDBTools Desktop/sfdbtools-desktop',
    appName: 'sfDBTools Desktop',
    app,
    fs: nodeLoginItemFs,
  })

  it('Linux: writes the XDG autostart entry (Exec: the binary with --hidden), and removes it again', async () => {
    const p = platform('linux')
    const file = join(home, '.config', 'autostart', 'sfdbtools-desktop.desktop')
    expect(autostartPath(p.env, home)).toBe(file)
    await applyStartAtLogin(true, p)
    const text = await readFile(file, 'utf8')
    expect(text.split('\n')).toEqual([
      '[Desktop Entry]',
      'Type=Application',
      'Name=sfDBTools Desktop',
      'Comment=Runs the scheduled backups from the tray',
      'Exec="/opt/sfDBTools Desktop/sfdbtools-desktop" --hidden',
      'Terminal=false',
      'X-GNOME-Autostart-enabled=true',
      '',
    ])
    expect((await stat(file)).mode & 0o777).toBe(0o644)
    // Applied again at every start: the same file, no error.
    await applyStartAtLogin(true, p)
    await applyStartAtLogin(false, p)
    await expect(stat(file)).rejects.toThrow(/ENOENT/)
    // Off when it is off already: nothing to remove, no error.
    await applyStartAtLogin(false, p)
    expect(p.app.calls).toEqual([])
  })

  it('Linux: respects XDG_CONFIG_HOME (an absolute one), and starts the AppImage file when run as one', async () => {
    const config = join(home, 'xdg')
    const p = platform('linux', { XDG_CONFIG_HOME: config, APPIMAGE: '/home/u/Apps/sfDBTools.AppImage' })
    await applyStartAtLogin(true, p)
    const text = await readFile(join(config, 'autostart', 'sfdbtools-desktop.desktop'), 'utf8')
    expect(text).toContain('\nExec=/home/u/Apps/sfDBTools.AppImage --hidden\n')
    expect(autostartPath({ XDG_CONFIG_HOME: 'relative/dir' }, home)).toBe(
      join(home, '.config', 'autostart', 'sfdbtools-desktop.desktop'),
    )
  })

  it('quotes an Exec argument as the Desktop Entry spec asks', () => {
    expect(execArgument('/usr/bin/app')).toBe('/usr/bin/app')
    expect(execArgument('/a b/app')).toBe('"/a b/app"')
    expect(execArgument('/50%/app')).toBe('/50%%/app')
    // Inside quotes `"` `$` `\` are escaped; the file's string escape then doubles each backslash.
    expect(execArgument('/a "b"/$x\\y')).toBe('"/a \\\\"b\\\\"/\\\\$x\\\\\\\\y"')
    expect(() => execArgument('/a\nb')).toThrow(/line break/)
    expect(autostartEntry({ env: {}, execPath: '/x', appName: 'A\nB' })).toContain('\nName=A B\n')
  })

  it('Windows: a login item of the binary with --hidden; off with the same path and arguments', async () => {
    const p = platform('win32')
    await applyStartAtLogin(true, p)
    await applyStartAtLogin(false, p)
    expect(p.app.calls).toEqual([
      { openAtLogin: true, path: p.execPath, args: [HIDDEN_FLAG] },
      { openAtLogin: false, path: p.execPath, args: [HIDDEN_FLAG] },
    ])
  })

  it('macOS: a login item of the app; a start at login shows no window', async () => {
    const p = platform('darwin')
    await applyStartAtLogin(true, p)
    await applyStartAtLogin(false, p)
    expect(p.app.calls).toEqual([{ openAtLogin: true }, { openAtLogin: false }])
    expect(startsHidden(['/Applications/x'], 'darwin', fakeApp(true))).toBe(true)
    expect(startsHidden(['/Applications/x'], 'darwin', fakeApp(false))).toBe(false)
  })

  it('--hidden starts without a window on every platform; a plain start shows it', () => {
    for (const name of ['linux', 'win32', 'darwin']) {
      expect(startsHidden(['app', HIDDEN_FLAG], name, fakeApp())).toBe(true)
      expect(startsHidden(['app'], name, fakeApp())).toBe(false)
    }
    // Only macOS tells a start at login itself.
    expect(startsHidden(['app'], 'linux', fakeApp(true))).toBe(false)
  })
})
