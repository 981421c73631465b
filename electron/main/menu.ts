/**
 * The application menu: File, Edit, View, Window, Help (and the app menu on macOS). The template is a pure
 * function of the platform and the build; reload and the developer tools exist only in development. The
 * folder items open the log folder (the app's `desktop.log` and the CLI's error logs) and the config
 * folder through an injected shell (Electron's shell.openPath in the app).
 */
import { mkdir } from 'node:fs/promises'
import type { Menu, MenuItemConstructorOptions } from 'electron'
import { logDir, type Logger } from './logging/logger.ts'

export interface AppMenuOptions {
  appName: string
  platform: string
  /** Not packaged: reload and the developer tools are offered. */
  development: boolean
  actions: {
    /** Shows the main window. */
    openWindow(): void
    /** Opens the log folder (desktop.log, the CLI's error logs) in the file manager. */
    openLogFolder(): void
    /** Opens the config folder (profiles, settings) in the file manager. */
    openConfigFolder(): void
    /** Puts `sfdbtools` on the PATH (cli-install.ts); offered only where no installer does it. */
    installCommandLine?: () => void
  }
}

export function appMenuTemplate(options: AppMenuOptions): MenuItemConstructorOptions[] {
  const mac = options.platform === 'darwin'
  const { actions } = options
  const template: MenuItemConstructorOptions[] = []
  const installCli: MenuItemConstructorOptions[] = actions.installCommandLine
    ? [{ label: 'Install Command Line Tool…', click: actions.installCommandLine }, { type: 'separator' }]
    : []
  if (mac) {
    template.push({
      label: options.appName,
      submenu: [
        { role: 'about' },
        { type: 'separator' },
        ...installCli,
        { role: 'services' },
        { type: 'separator' },
        { role: 'hide' },
        { role: 'hideOthers' },
        { role: 'unhide' },
        { type: 'separator' },
        { role: 'quit' },
      ],
    })
  }
  template.push(
    {
      label: 'File',
      submenu: [
        { label: 'Open Main Window', accelerator: 'CmdOrCtrl+0', click: () => actions.openWindow() },
        { label: 'Open Config Folder', click: () => actions.openConfigFolder() },
        { type: 'separator' },
        ...(mac ? [] : installCli),
        mac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    {
      label: 'Edit',
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'delete' },
        { type: 'separator' },
        { role: 'selectAll' },
      ],
    },
    {
      label: 'View',
      submenu: [
        ...(options.development
          ? ([
              { role: 'reload' },
              { role: 'forceReload' },
              { role: 'toggleDevTools' },
              { type: 'separator' },
            ] satisfies MenuItemConstructorOptions[])
          : []),
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    {
      label: 'Window',
      submenu: mac
        ? [{ role: 'minimize' }, { role: 'zoom' }, { type: 'separator' }, { role: 'front' }]
        : [{ role: 'minimize' }, { role: 'close' }],
    },
    {
      role: 'help',
      submenu: [
        { label: 'Open Log Folder', click: () => actions.openLogFolder() },
        ...(mac ? [] : ([{ type: 'separator' }, { role: 'about' }] satisfies MenuItemConstructorOptions[])),
      ],
    },
  )
  return template
}

/** The part of Electron's Menu used to install the template. */
export interface MenuApi {
  buildFromTemplate(template: MenuItemConstructorOptions[]): Menu
  setApplicationMenu(menu: Menu | null): void
}

export function installAppMenu(options: AppMenuOptions, menu: MenuApi): void {
  menu.setApplicationMenu(menu.buildFromTemplate(appMenuTemplate(options)))
}

/** What opening a folder needs: Electron's shell.openPath (resolves with an error text, '' on success). */
export interface FolderShell {
  openPath(path: string): Promise<string>
  /** Creates the folder first (default: mkdir -p), so a folder that has nothing yet still opens. */
  makeDir?(path: string): Promise<unknown>
  log: Logger
}

/** Opens `dir` in the file manager, creating it first; a folder that does not open is logged. */
export async function openFolder(dir: string, shell: FolderShell): Promise<void> {
  const makeDir = shell.makeDir ?? ((path: string) => mkdir(path, { recursive: true, mode: 0o700 }))
  try {
    await makeDir(dir)
    const problem = await shell.openPath(dir)
    if (problem !== '') shell.log.warn(`cannot open ${dir}: ${problem}`)
  } catch (e) {
    shell.log.error(`cannot open ${dir}`, e)
  }
}

/** The menu's folder actions: the log folder (`<config dir>/logs`) and the config folder. */
export function folderActions(
  configDir: string,
  shell: FolderShell,
): Pick<AppMenuOptions['actions'], 'openLogFolder' | 'openConfigFolder'> {
  return {
    openLogFolder: () => void openFolder(logDir(configDir), shell),
    openConfigFolder: () => void openFolder(configDir, shell),
  }
}
