/**
 * Entry of the main process: one instance, a hardened session, the log file, the IPC handlers over the real
 * platform, the job supervisor (one utility process per backup or verify), the tray, notifications, the
 * menu and the main window. Kept thin: the logic lives in modules that are tested without Electron.
 */
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import {
  app,
  type BrowserWindow,
  dialog,
  Menu,
  nativeImage,
  Notification,
  powerMonitor,
  screen,
  session,
  shell,
  Tray,
  utilityProcess,
  type NativeImage,
  type OpenDialogOptions,
} from 'electron'
import { APP_EVENT_CHANNEL, JOB_EVENT_CHANNEL, type AppEvent } from '../../shared/ipc.ts'
import { runtimeVersions } from '../../shared/versions.ts'
import type { JobEvent } from '../../shared/job-protocol.ts'
import { sweepCredentialFolders } from '../engine/dump/defaults-file.ts'
import { configDir } from '../engine/profiles/config-dir.ts'
import { osKeychain } from '../engine/secrets/keychain.ts'
import { CONTENT_SECURITY_POLICY } from './csp.ts'
import { registerIpcHandlers } from './ipc/handle.ts'
import { createHandlers } from './ipc/handlers/create-handlers.ts'
import type { Platform } from './ipc/handlers/platform.ts'
import { createServices, type Services } from './ipc/handlers/services.ts'
import type { IpcHandlers } from './ipc/dispatch.ts'
import { createSenderPolicy } from './ipc/sender-policy.ts'
import { closeChoiceOf, closePrompt, createCloseGuard } from './jobs/close-guard.ts'
import { createProcessGoneTracker } from './jobs/process-gone.ts'
import { createJobJournal } from './jobs/job-journal.ts'
import { createJobSupervisor } from './jobs/supervisor.ts'
import { appPresetNotifier } from './services/preset-notify.ts'
import { createUtilityProcessForker, JOB_ENTRY_FILE } from './jobs/utility-process.ts'
import { createFileLogger, logDir } from './logging/logger.ts'
import { cliInstallAction, cliInstallPlatform, nodeCliInstallFs } from './cli-install.ts'
import { folderActions, installAppMenu } from './menu.ts'
import { createJobNotifier } from './notifications.ts'
import { startAppScheduling, type AppScheduling } from './scheduler/app-scheduling.ts'
import { nodeLoginItemFs, startsHidden } from './scheduler/login-item.ts'
import { hardenSession, hardenWebContents } from './security.ts'
import { isSmokeTest, runSmokeTest, smokeExitCode, smokeReportLine, whenPageLoaded } from './smoke-test.ts'
import { followQuickBackupPresets, readQuickBackupPresets } from './tray/presets.ts'
import { trayIconPath } from './tray/tray-icons.ts'
import { createTrayService, type TrayService } from './tray/tray-service.ts'
import { readWindowState, restoreBounds, trackWindowState } from './window-state.ts'
import { createMainWindow } from './window.ts'

const configDirectory = configDir(process.env)
const keychain = osKeychain()

// <config dir>/logs/desktop.log, rotated; in development also on the terminal.
const log = createFileLogger({
  dir: logDir(configDirectory),
  ...(app.isPackaged ? {} : { echo: (line: string) => void process.stdout.write(line) }),
})
log.info(
  `${app.getName()} ${app.getVersion()} starting (Electron ${process.versions.electron}, ${process.platform} ` +
    `${process.arch}, pid ${process.pid}); config folder ${configDirectory}`,
)
// Seen, not handled: Electron's own handling of an uncaught error stays as it is.
process.on('uncaughtExceptionMonitor', (error, origin) => log.error(`main process: ${origin}`, error))

// Why a utility process died: Electron says it here, the job's adapter asks for it (jobs/process-gone.ts).
const gone = createProcessGoneTracker()
app.on('child-process-gone', (_event, details) => {
  gone.record(details)
  log.warn(
    `child process gone: ${details.type}${details.name ? ` "${details.name}"` : ''}, ` +
      `reason ${details.reason}, exit code ${details.exitCode}`,
  )
})
app.on('render-process-gone', (_event, _contents, details) =>
  log.error(`the window's renderer process is gone: reason ${details.reason}, exit code ${details.exitCode}`),
)

// electron-vite dev sets ELECTRON_RENDERER_URL; a packaged app never trusts it.
const devServerUrl = app.isPackaged ? undefined : process.env['ELECTRON_RENDERER_URL']
const rendererUrl = devServerUrl ?? pathToFileURL(join(import.meta.dirname, '../renderer/index.html')).href

let mainWindow: BrowserWindow | null = null
let tray: TrayService | null = null
let handlers: IpcHandlers | null = null
let scheduling: AppScheduling | null = null

function sendToWindow(event: JobEvent): void {
  const contents = mainWindow?.webContents
  if (contents && !contents.isDestroyed()) contents.send(JOB_EVENT_CHANNEL, event)
}

/** Shows the window and asks the UI to open a job's result, the Jobs page, or a quick backup's ticket. */
function openInWindow(event: AppEvent): void {
  showMainWindow()
  const contents = mainWindow?.webContents
  if (!contents || contents.isDestroyed()) return
  // A window opened just now hears it once its page (and its listener) is there.
  if (contents.isLoading()) contents.once('did-finish-load', () => contents.send(APP_EVENT_CHANNEL, event))
  else contents.send(APP_EVENT_CHANNEL, event)
}

const notifier = createJobNotifier({
  createNotification: (content) => new Notification(content),
  isSupported: () => Notification.isSupported(),
  openResult: (jobId) =>
    openInWindow(jobId === null ? { type: 'open-jobs' } : { type: 'open-result', jobId }),
})

const journal = createJobJournal(configDirectory, (message) => log.warn(message))
const presetNotifier = appPresetNotifier({ configDir: configDirectory, keychain, journal, log })

// The built job entry sits next to this bundle (out/main/backup-job.js).
const jobs = createJobSupervisor({
  forkJob: createUtilityProcessForker(utilityProcess, join(import.meta.dirname, JOB_ENTRY_FILE), { gone }),
  log,
  journal,
  onEvent: sendToWindow,
  onChange: () => tray?.setJobs(jobs.running()),
  onRestoreFinished(jobId, outcome, info) {
    notifier.restoreFinished(jobId, outcome, info)
    const problem =
      outcome.kind === 'failed'
        ? outcome.error.message
        : outcome.kind === 'done' && !outcome.result.ok
          ? (outcome.result.items.find((i) => i.error !== null)?.error?.message ?? 'a restore failed')
          : null
    if (problem !== null) tray?.jobFailed({ jobId, profile: info.profile, message: problem })
  },
  onFinished(jobId, outcome, info) {
    notifier.jobFinished(jobId, outcome, info)
    // A preset's e-mail and webhook channels; a failure is a warning in the job's log, never a failed job.
    void presetNotifier.jobFinished(jobId, outcome, info)
    const problem =
      outcome.kind === 'failed'
        ? outcome.error.message
        : outcome.kind === 'done' && !outcome.result.ok
          ? (outcome.result.targets.find((t) => t.error !== null)?.error?.message ?? 'a file failed')
          : null
    if (problem !== null) tray?.jobFailed({ jobId, profile: info.profile, message: problem })
  },
})

const electronPlatform: Platform = {
  appName: () => app.getName(),
  appVersion: () => app.getVersion(),
  osPlatform: () => process.platform,
  configDir: () => configDirectory,
  env: () => process.env,
  keychain: () => keychain,
  jobs: () => jobs,
  showInFolder: async (path) => shell.showItemInFolder(path),
  pickPath: async ({ kind, title, defaultPath }) => {
    const options: OpenDialogOptions = {
      title,
      ...(defaultPath ? { defaultPath } : {}),
      properties: kind === 'folder' ? ['openDirectory', 'createDirectory'] : ['openFile', 'showHiddenFiles'],
    }
    const picked = mainWindow
      ? await dialog.showOpenDialog(mainWindow, options)
      : await dialog.showOpenDialog(options)
    return picked.canceled ? null : (picked.filePaths[0] ?? null)
  },
  pickSavePath: async ({ title, defaultPath }) => {
    const picked = mainWindow
      ? await dialog.showSaveDialog(mainWindow, { title, defaultPath })
      : await dialog.showSaveDialog({ title, defaultPath })
    return picked.canceled || !picked.filePath ? null : picked.filePath
  },
}

const closeGuard = createCloseGuard({
  // A restore stopped half-way leaves a partly restored database: it counts like a running backup.
  runningJobs: () => jobs.running().length + jobs.runningRestores().length,
  async ask(running) {
    const parent = mainWindow?.isVisible() ? mainWindow : null
    const answer = parent
      ? await dialog.showMessageBox(parent, closePrompt(running))
      : await dialog.showMessageBox(closePrompt(running))
    return closeChoiceOf(answer.response)
  },
  hideWindow: () => mainWindow?.hide(),
  async stopJobs() {
    jobs.cancelAll()
    await jobs.whenIdle()
  },
  quit: () => app.quit(),
  closeQuits: process.platform !== 'darwin',
})

/**
 * A quick backup chosen in the tray asks for its ticket in the window, as the dashboard does (a run never
 * silently reuses the last change number); the run then takes the renderer's 'backups:start' path, and the
 * tray shows it among the running jobs.
 */
async function runPreset(presetId: string): Promise<string | null> {
  const preset = (await readQuickBackupPresets(configDirectory)).find((p) => p.id === presetId)
  if (preset === undefined) {
    log.warn(`quick backup ${presetId} did not start: the preset no longer exists`)
    notifier.notice({ title: `Quick backup did not start: ${presetId}`, body: 'the preset no longer exists' })
    return null
  }
  openInWindow({ type: 'run-preset', presetId })
  return null
}

function openMainWindow(): void {
  const restored = restoreBounds(readWindowState(configDirectory), screen)
  const { maximized, ...bounds } = restored
  const window = createMainWindow({
    preloadPath: join(import.meta.dirname, '../preload/index.cjs'),
    rendererUrl,
    devTools: !app.isPackaged,
    bounds,
    maximized,
  })
  trackWindowState(window, configDirectory)
  window.on('close', (event) => closeGuard.onWindowClose(event))
  window.on('focus', () => tray?.clearFailure())
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null
  })
  mainWindow = window
}

function showMainWindow(): void {
  if (mainWindow === null) return openMainWindow()
  if (mainWindow.isMinimized()) mainWindow.restore()
  mainWindow.show()
  mainWindow.focus()
}

const trayDir = app.isPackaged
  ? join(process.resourcesPath, 'tray')
  : join(app.getAppPath(), 'resources', 'tray')

function startTray(services: Services): void {
  const service = createTrayService<NativeImage, Menu>({
    // Electron loads the @2x file next to each image, and treats "…Template.png" as a macOS template image.
    createTray: (icon) => new Tray(icon),
    buildMenu: (items) => Menu.buildFromTemplate(items),
    loadIcon: (name) => nativeImage.createFromPath(trayIconPath(trayDir, name, process.platform)),
    actions: {
      runPreset,
      cancelJob: (jobId) => void jobs.cancel(jobId),
      open: () => showMainWindow(),
      quit: () => app.quit(),
    },
    openOnClick: process.platform === 'win32',
  })
  tray = service
  // Saved settings are pushed by the settings service; nothing watches the file the app itself writes.
  const stopFollowing = followQuickBackupPresets(configDirectory, services.settings, (presets) =>
    service.setPresets(presets),
  )
  app.once('will-quit', () => {
    stopFollowing()
    service.destroy()
  })
}

/** The in-app scheduler (scheduler/app-scheduler.ts): runs the presets' schedules while the app or its tray runs. */
function startScheduling(services: Services): void {
  scheduling = startAppScheduling({
    configDir: configDirectory,
    backups: services.backups,
    settings: services.settings,
    jobs,
    log,
    onResume: (listener) => powerMonitor.on('resume', listener),
    loginItem: app.isPackaged
      ? {
          platform: process.platform,
          env: process.env,
          home: app.getPath('home'),
          execPath: process.execPath,
          appName: app.getName(),
          app,
          fs: nodeLoginItemFs,
        }
      : null,
    onNextRun: (next) => tray?.setNextRun(next),
    onRunFailed: (preset, message) =>
      notifier.notice({ title: `Scheduled backup did not start: ${preset.label}`, body: message }),
  })
  tray?.setNextRun(scheduling.scheduler.nextRun())
  app.once('will-quit', () => scheduling?.stop())
}

/**
 * --smoke-test (smoke-test.ts): the real window and IPC, a job utility process and the tray, then a JSON
 * report on stdout and the exit code. Not a second instance: it does not hand over to a running app.
 */
const smokeTest = isSmokeTest(process.argv)
function runSmoke(services: Services): void {
  void runSmokeTest({
    appVersion: app.getVersion(),
    versions: runtimeVersions(process.versions),
    openWindow: async () => {
      openMainWindow()
      if (mainWindow) await whenPageLoaded(mainWindow.webContents)
    },
    runInPage: async (script) => mainWindow?.webContents.executeJavaScript(script),
    forkJob: () =>
      createUtilityProcessForker(utilityProcess, join(import.meta.dirname, JOB_ENTRY_FILE), { gone })(),
    createTray: () => {
      startTray(services)
      return tray !== null
    },
  }).then((report) => process.stdout.write(smokeReportLine(report), () => app.exit(smokeExitCode(report))))
}

if (!smokeTest && !app.requestSingleInstanceLock()) {
  // A second launch hands over to the first (its 'second-instance' shows the window) and leaves.
  app.quit()
} else {
  app.enableSandbox()
  app.on('second-instance', showMainWindow)
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents))
  app.on('before-quit', (event) => closeGuard.onBeforeQuit(event))
  app.on('will-quit', () => log.info('quitting'))
  app.on('window-all-closed', () => {
    // With a schedule to run, the app lives on in the tray (Quit there ends it).
    if (process.platform !== 'darwin' && !scheduling?.scheduler.nextRun()) app.quit()
  })
  app.on('activate', () => {
    if (app.isReady()) showMainWindow()
  })
  void app.whenReady().then(() => {
    // What jobs of processes that no longer run left behind (a job killed before it could clean up).
    void sweepCredentialFolders()
    hardenSession(session.defaultSession, devServerUrl === undefined ? CONTENT_SECURITY_POLICY : null)
    const services = createServices(electronPlatform)
    handlers = createHandlers(electronPlatform, services)
    registerIpcHandlers(handlers, {
      isTrustedSender: createSenderPolicy(rendererUrl),
      logError: (message, error) => log.error(message, error),
    })
    installAppMenu(
      {
        appName: app.getName(),
        platform: process.platform,
        development: !app.isPackaged,
        actions: {
          openWindow: showMainWindow,
          ...folderActions(configDirectory, { openPath: (path) => shell.openPath(path), log }),
          ...cliInstallAction(cliInstallPlatform(app), nodeCliInstallFs, dialog),
        },
      },
      Menu,
    )
    if (smokeTest) return runSmoke(services)
    startTray(services)
    startScheduling(services)
    // --hidden (a start at login): only the tray, no window.
    if (startsHidden(process.argv, process.platform, app)) log.info('started hidden in the tray')
    else openMainWindow()
  })
}
