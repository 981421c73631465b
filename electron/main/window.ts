/** The main window: sandboxed, context-isolated, no Node in the page, our preload as the only bridge. */
import { BrowserWindow } from 'electron'
import { DEFAULT_WINDOW_SIZE, MIN_WINDOW_SIZE } from './window-state.ts'

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
  /** Size and position to open with (see window-state.ts restoreBounds); no x/y lets the OS place it. */
  bounds?: { x?: number; y?: number; width: number; height: number }
  /** Opens maximized (the normal bounds above stay what un-maximizing returns to). */
  maximized?: boolean
}

/** Opens the main window and loads the renderer; it shows itself once the first frame is ready. */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: DEFAULT_WINDOW_SIZE.width,
    height: DEFAULT_WINDOW_SIZE.height,
    ...options.bounds,
    minWidth: MIN_WINDOW_SIZE.width,
    minHeight: MIN_WINDOW_SIZE.height,
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
  window.once('ready-to-show', () => (options.maximized ? window.maximize() : window.show()))
  void window.loadURL(options.rendererUrl)
  return window
}
