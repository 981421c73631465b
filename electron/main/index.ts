/**
 * Entry of the main process: one instance, a hardened session, the IPC handlers over the real platform,
 * and the main window. Kept thin: the logic lives in modules that are tested without Electron.
 */
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { app, BrowserWindow, session } from 'electron'
import { CONTENT_SECURITY_POLICY } from './csp.ts'
import { registerIpcHandlers } from './ipc/handle.ts'
import { createHandlers } from './ipc/handlers/create-handlers.ts'
import type { Platform } from './ipc/handlers/platform.ts'
import { createSenderPolicy } from './ipc/sender-policy.ts'
import { hardenSession, hardenWebContents } from './security.ts'
import { createMainWindow } from './window.ts'

const electronPlatform: Platform = {
  appName: () => app.getName(),
  appVersion: () => app.getVersion(),
  osPlatform: () => process.platform,
}

// electron-vite dev sets ELECTRON_RENDERER_URL; a packaged app never trusts it.
const devServerUrl = app.isPackaged ? undefined : process.env['ELECTRON_RENDERER_URL']
const rendererUrl = devServerUrl ?? pathToFileURL(join(import.meta.dirname, '../renderer/index.html')).href

let mainWindow: BrowserWindow | null = null

function openMainWindow(): void {
  mainWindow = createMainWindow({
    preloadPath: join(import.meta.dirname, '../preload/index.cjs'),
    rendererUrl,
    devTools: !app.isPackaged,
  })
  mainWindow.on('closed', () => {
    mainWindow = null
  })
}

function focusMainWindow(): void {
  if (mainWindow === null) return
  if (mainWindow.isMinimized()) mainWindow.restore()
  mainWindow.focus()
}

if (!app.requestSingleInstanceLock()) {
  // A second launch hands over to the first (its 'second-instance' focuses the window) and leaves.
  app.quit()
} else {
  app.enableSandbox()
  app.on('second-instance', focusMainWindow)
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents))
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  app.on('activate', () => {
    if (app.isReady() && BrowserWindow.getAllWindows().length === 0) openMainWindow()
  })
  void app.whenReady().then(() => {
    hardenSession(session.defaultSession, devServerUrl === undefined ? CONTENT_SECURITY_POLICY : null)
    registerIpcHandlers(createHandlers(electronPlatform), {
      isTrustedSender: createSenderPolicy(rendererUrl),
    })
    openMainWindow()
  })
}
