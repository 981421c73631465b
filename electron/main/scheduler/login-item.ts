/**
 * "Start at login, hidden in the tray" (Settings → startAtLogin): the app starts with the user's session,
 * without a window, so its scheduler runs the presets' schedules.
 *
 * - Windows: a login item (app.setLoginItemSettings) that starts the app's binary with `--hidden`.
 * - macOS: a login item of the app (macOS passes no arguments: a start at login is told by
 *   app.getLoginItemSettings().wasOpenedAtLogin).
 * - Linux: an XDG autostart entry, `$XDG_CONFIG_HOME/autostart/sfdbtools-desktop.desktop` (else
 *   `~/.config/autostart/…`), whose Exec is the app's binary (the AppImage file when run as one) with
 *   `--hidden`; turned off, the file is removed.
 *
 * Electron, the environment and the file system are injected: tested on plain Node.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'

/** The argument of a start at login: no window, only the tray. */
export const HIDDEN_FLAG = '--hidden'
export const AUTOSTART_FILE = 'sfdbtools-desktop.desktop'

/** The part of Electron's app the login item needs. */
export interface LoginItemApp {
  setLoginItemSettings(settings: { openAtLogin: boolean; path?: string; args?: string[] }): void
  getLoginItemSettings(): { openAtLogin: boolean; wasOpenedAtLogin?: boolean }
}

export interface LoginItemFs {
  mkdir(path: string, options: { recursive: true; mode: number }): Promise<unknown>
  writeFile(path: string, data: string, options: { mode: number }): Promise<void>
  rm(path: string, options: { force: true }): Promise<void>
}

export const nodeLoginItemFs: LoginItemFs = { mkdir, writeFile, rm }

export interface LoginItemPlatform {
  platform: string
  env: Readonly<Record<string, string | undefined>>
  home: string
  /** The app's binary (process.execPath in the main process). */
  execPath: string
  /** Product name, e.g. "sfDBTools Desktop" (the autostart entry's Name). */
  appName: string
  app: LoginItemApp
  fs: LoginItemFs
}

/** Where the Linux autostart entry goes. */
export function autostartPath(env: LoginItemPlatform['env'], home: string): string {
  const config = env.XDG_CONFIG_HOME?.trim()
  // The spec: a relative XDG_CONFIG_HOME is invalid and ignored.
  const base = config && config.startsWith('/') ? config : join(home, '.config')
  return join(base, 'autostart', AUTOSTART_FILE)
}

/**
 * One argument of a desktop entry's Exec (Desktop Entry spec, "The Exec key"): quoted when it holds a
 * reserved character, `"` `` ` `` `$` `\` escaped inside the quotes, `%` doubled; then the string escape of
 * the file doubles every backslash.
 */
export function execArgument(arg: string): string {
  if (/[\n\r\t]/.test(arg)) throw new Error(`an autostart command cannot hold a line break or tab: ${arg}`)
  const percent = arg.replace(/%/g, '%%')
  const quoted = /[ "'\\><~|&;$*?#()`]/.test(percent)
    ? `"${percent.replace(/["`$\\]/g, (c) => `\\${c}`)}"`
    : percent
  return quoted.replace(/\\/g, '\\\\')
}

/** The binary a start at login runs: the AppImage file when run as one (its mount point changes). */
export function loginExecutable(p: Pick<LoginItemPlatform, 'env' | 'execPath'>): string {
  const appImage = p.env.APPIMAGE?.trim()
  return appImage ? appImage : p.execPath
}

/** The autostart entry's text. */
export function autostartEntry(p: Pick<LoginItemPlatform, 'env' | 'execPath' | 'appName'>): string {
  const exec = [loginExecutable(p), HIDDEN_FLAG].map(execArgument).join(' ')
  return [
    '[Desktop Entry]',
    'Type=Application',
    `Name=${p.appName.replace(/[\n\r]/g, ' ')}`,
    'Comment=Runs the scheduled backups from the tray',
    `Exec=${exec}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n')
}

/** Turns the start at login on or off (idempotent: applied at every start, and when the setting is saved). */
export async function applyStartAtLogin(enabled: boolean, p: LoginItemPlatform): Promise<void> {
  if (p.platform === 'linux') {
    const file = autostartPath(p.env, p.home)
    if (!enabled) return p.fs.rm(file, { force: true })
    await p.fs.mkdir(dirname(file), { recursive: true, mode: 0o700 })
    await p.fs.writeFile(file, autostartEntry(p), { mode: 0o644 })
    return
  }
  if (p.platform === 'win32') {
    // Windows knows the item by its path and arguments: the same ones turn it off.
    p.app.setLoginItemSettings({ openAtLogin: enabled, path: p.execPath, args: [HIDDEN_FLAG] })
    return
  }
  if (p.platform === 'darwin') p.app.setLoginItemSettings({ openAtLogin: enabled })
}

/** Whether this start shows no window (only the tray): `--hidden`, or a macOS start at login. */
export function startsHidden(
  argv: readonly string[],
  platform: string,
  app: Pick<LoginItemApp, 'getLoginItemSettings'>,
): boolean {
  if (argv.includes(HIDDEN_FLAG)) return true
  return platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin === true
}
