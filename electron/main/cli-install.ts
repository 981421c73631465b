/**
 * "Install Command Line Tool…" (app menu): puts `sfdbtools` on the user's PATH where no installer does — the
 * AppImage and macOS (as VS Code does for `code`). The deb and rpm packages install /usr/bin/sfdbtools and the
 * Windows installer sfdbtools.cmd themselves (docs/packaging.md).
 *
 * The command is a small shell script in ~/.local/bin (no administrator rights needed; /usr/local/bin would
 * need them, which is out of scope) that runs the app's own binary as Node (ELECTRON_RUN_AS_NODE) on the CLI
 * inside the app's archive. An AppImage is mounted at a new place each run, so its script starts the AppImage
 * file and finds the CLI next to the binary it runs. A file of that name that this app did not write is
 * never replaced. Platform, environment and file system are injected: tested on plain Node.
 */
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

/** The first lines of every script this module writes: how it recognizes its own file. */
export const CLI_SCRIPT_MARK = '# sfdbtools — written by sfDBTools Desktop (Install Command Line Tool…)'

export interface CliInstallPlatform {
  platform: string
  env: Record<string, string | undefined>
  home: string
  /** The app's binary (process.execPath in the main process). */
  execPath: string
  /** process.resourcesPath: where app.asar is. */
  resourcesPath: string
  /** app.isPackaged: in development there is no packed CLI to point at. */
  packaged: boolean
}

export interface CliInstallFs {
  mkdir(path: string, options: { recursive: true; mode: number }): Promise<unknown>
  /** The file's text, or null when there is none. */
  readText(path: string): Promise<string | null>
  writeFile(path: string, data: string, options: { mode: number }): Promise<void>
  rename(from: string, to: string): Promise<void>
  chmod(path: string, mode: number): Promise<void>
}

export interface CliInstallResult {
  ok: boolean
  /** The script's path (also when refused). */
  file: string
  /** What to tell the user. */
  message: string
}

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`

/** True where the menu item is offered: a packaged app on macOS, or run as an AppImage on Linux. */
export function cliInstallOffered(p: CliInstallPlatform): boolean {
  return p.packaged && (p.platform === 'darwin' || (p.platform === 'linux' && (p.env.APPIMAGE ?? '') !== ''))
}

/** Where the script goes: ~/.local/bin/sfdbtools. */
export function cliInstallTarget(p: CliInstallPlatform): { dir: string; file: string } {
  const dir = join(p.home, '.local', 'bin')
  return { dir, file: join(dir, 'sfdbtools') }
}

/**
 * The script's text. macOS: the binary inside the .app, the CLI in its archive. AppImage: the AppImage file
 * itself, with Node's `-e` finding the CLI beside the binary it became (the mount point changes every run)
 * and going back to the folder the command was typed in (OWD, set by the AppImage runtime); `sfdbtools`
 * fills argv[1] as a script's name would.
 */
export function cliWrapperScript(p: CliInstallPlatform): string {
  const head = ['#!/bin/sh', CLI_SCRIPT_MARK, 'ELECTRON_RUN_AS_NODE=1', 'export ELECTRON_RUN_AS_NODE']
  const appImage = p.env.APPIMAGE ?? ''
  if (p.platform === 'linux' && appImage !== '') {
    const find =
      'const p = require("node:path"); if (process.env.OWD) process.chdir(process.env.OWD); ' +
      'import(require("node:url").pathToFileURL(p.join(p.dirname(process.execPath), "resources", "app.asar", ' +
      '"out", "main", "cli.js")).href)'
    return [...head, `exec ${quote(appImage)} -e ${quote(find)} sfdbtools "$@"`, ''].join('\n')
  }
  const cli = join(p.resourcesPath, 'app.asar', 'out', 'main', 'cli.js')
  return [...head, `exec ${quote(p.execPath)} ${quote(cli)} "$@"`, ''].join('\n')
}

/** Writes (or rewrites) the script; refuses a file of that name that is not one of ours. */
export async function installCommandLineTool(
  p: CliInstallPlatform,
  fs: CliInstallFs,
): Promise<CliInstallResult> {
  const { dir, file } = cliInstallTarget(p)
  if (!cliInstallOffered(p))
    return { ok: false, file, message: 'The command line tool is installed with the app’s package here.' }
  try {
    const existing = await fs.readText(file)
    if (existing !== null && !existing.includes(CLI_SCRIPT_MARK))
      return {
        ok: false,
        file,
        message: `${file} exists and was not written by this app: it is left as it is.`,
      }
    await fs.mkdir(dir, { recursive: true, mode: 0o755 })
    const part = `${file}.part-${process.pid}`
    await fs.writeFile(part, cliWrapperScript(p), { mode: 0o755 })
    await fs.chmod(part, 0o755)
    await fs.rename(part, file)
  } catch (e) {
    return {
      ok: false,
      file,
      message: `Could not write ${file}: ${e instanceof Error ? e.message : String(e)}`,
    }
  }
  const onPath = (p.env.PATH ?? '').split(':').includes(dir)
  const moved = p.env.APPIMAGE ? ' Run this again after moving the AppImage.' : ''
  return {
    ok: true,
    file,
    message: onPath
      ? `Installed ${file}: run \`sfdbtools --help\` in a new terminal.${moved}`
      : `Installed ${file}. ${dir} is not on your PATH: add \`export PATH="$HOME/.local/bin:$PATH"\` to your ` +
        `shell's profile (~/.zshrc on macOS, ~/.bashrc or ~/.profile on Linux), then open a new terminal.${moved}`,
  }
}

/** What the menu item needs from Electron: its dialog's message box. */
export interface CliInstallUi {
  showMessageBox(options: { type: 'info' | 'warning'; message: string; detail: string }): Promise<unknown>
}

/** This process's platform, in the packaged app or in development (`app`: Electron's). */
export function cliInstallPlatform(app: {
  getPath(name: 'home'): string
  isPackaged: boolean
}): CliInstallPlatform {
  return {
    platform: process.platform,
    env: process.env,
    home: app.getPath('home'),
    execPath: process.execPath,
    resourcesPath: process.resourcesPath,
    packaged: app.isPackaged,
  }
}

/**
 * The menu's action, when offered here: `{ installCommandLine }` to spread into the menu's actions, else `{}`.
 */
export function cliInstallAction(
  p: CliInstallPlatform,
  fs: CliInstallFs,
  ui: CliInstallUi,
): { installCommandLine?: () => void } {
  if (!cliInstallOffered(p)) return {}
  return {
    installCommandLine: () =>
      void installCommandLineTool(p, fs).then((result) =>
        ui.showMessageBox({
          type: result.ok ? 'info' : 'warning',
          message: result.ok
            ? 'The sfdbtools command is installed'
            : 'The sfdbtools command was not installed',
          detail: result.message,
        }),
      ),
  }
}

/** The real file system, for the app. */
export const nodeCliInstallFs: CliInstallFs = {
  mkdir: (path, options) => mkdir(path, options),
  readText: (path) => readFile(path, 'utf8').catch(() => null),
  writeFile: (path, data, options) => writeFile(path, data, options),
  rename: (from, to) => rename(from, to),
  chmod: (path, mode) => chmod(path, mode),
}
