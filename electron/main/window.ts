/** The main window: sandboxed, context-isolated, no Node in the page, our preload as the only bridge. */
import { BrowserWindow } from 'electron'

/** Where the window's code comes from and what it may do. */
export interface MainWindowOptions {
  /** Absolute path of the built preload (out/preload/index.cjs). */
  preloadPath: string
  /** file:// URL of the built index.html, or the dev server URL. */
  rendererUrl: string
  /** Devtools only in development: a packaged app has no console for the user to paste into. */
  devTools: boolean
  /** Window icon (Linux and Windows; macOS takes the bundle's icon). */
  iconPath?: string
}

/** Opens the main window and loads the renderer; it shows itself once the first frame is ready. */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1200,
    height: 780,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'sfDBTools Desktop',
    ...(options.iconPath === undefined ? {} : { icon: options.iconPath }),
    webPreferences: {
      preload: options.preloadPath,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      devTools: options.devTools,
    },
  })
  // Showing on ready-to-show avoids a white flash before the first paint.
  window.once('ready-to-show', () => window.show())
  void window.loadURL(options.rendererUrl)
  return window
}
