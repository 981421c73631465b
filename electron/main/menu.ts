/**
 * The application menu: File, Edit, View, Window, Help (and the app menu on macOS). The template is a pure
 * function of the platform and the build; reload and the developer tools exist only in development.
 */
import type { Menu, MenuItemConstructorOptions } from 'electron'

export interface AppMenuOptions {
  appName: string
  platform: string
  /** Not packaged: reload and the developer tools are offered. */
  development: boolean
  actions: {
    /** Shows the main window. */
    openWindow(): void
    /** Opens the folder of the error logs in the file manager. */
    openLogFolder(): void
    /** Opens the config folder (profiles, settings) in the file manager. */
    openConfigFolder(): void
  }
}

export function appMenuTemplate(options: AppMenuOptions): MenuItemConstructorOptions[] {
  const mac = options.platform === 'darwin'
  const { actions } = options
  const template: MenuItemConstructorOptions[] = []
  if (mac) {
    template.push({
      label: options.appName,
      submenu: [
        { role: 'about' },
        { type: 'separator' },
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
