/**
 * Runs the real, built renderer in Debian's Chromium with window.sfdb bound to the real handler layer in
 * this process (see docs/architecture.md, "Tests without an Electron binary").
 *
 *   await withApp(async ({ page, consoleErrors, screenshot }) => {
 *     await page.getByRole('navigation', { name: 'Main' }).waitFor()
 *     await screenshot('my-flow')
 *     expect(consoleErrors).toEqual([])
 *   })
 */
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import type { BrowserContext, Page } from 'playwright-core'
import { createIpcDispatch } from '../../../electron/main/ipc/dispatch.ts'
import type { IpcHandlers } from '../../../electron/main/ipc/dispatch.ts'
import { createHandlers } from '../../../electron/main/ipc/handlers/create-handlers.ts'
import type { Platform } from '../../../electron/main/ipc/handlers/platform.ts'
import { createSenderPolicy } from '../../../electron/main/ipc/sender-policy.ts'
import type { AppEvent } from '../../../shared/ipc.ts'
import type { JobEvent } from '../../../shared/job-protocol.ts'
import { createTestJobs, type TestJobs } from '../../harness/app-jobs.ts'
import { createNodePlatform } from './node-platform.ts'
import { CHROMIUM_PATH, RENDERER_DIR, SCREENSHOT_DIR } from './paths.ts'
import { emitAppEvent, emitJobEvent, installSfdbBridge } from './sfdb-bridge.ts'
import type { IpcCall } from './sfdb-bridge.ts'
import { serveDirectory } from './static-server.ts'

// Without the background-networking flags Chromium floods the closed network with refused connections.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** What a flow gets to drive and inspect the app. */
export interface AppSession {
  page: Page
  context: BrowserContext
  /** URL the page was loaded from (the renderer's index.html). */
  url: string
  /** console.error messages and uncaught page errors, in order. */
  consoleErrors: string[]
  /** Every window.sfdb request that reached the main-process side, with its answer. */
  ipcCalls: IpcCall[]
  /** Saves a full-page screenshot to test-results/screenshots/<name>.png and returns its path. */
  screenshot(name: string): Promise<string>
  /** Pushes a job event to the page, as the main process does on 'jobs:event'. */
  emitJobEvent(event: JobEvent): Promise<void>
  /** Pushes a navigation request, as the main process does when a notification is clicked. */
  emitAppEvent(event: AppEvent): Promise<void>
  /** The session's own config folder (profiles, settings, default output), removed afterwards. */
  configDir: string
  /** Paths the handlers asked to show in the file manager, in order. */
  shownInFolder: string[]
  /** Answers of the next OS file/folder choosers (null = cancelled). */
  pickAnswers: (string | null)[]
  /** The real job supervisor (forked job processes); their events are pushed to the page. */
  jobs: TestJobs
}

/** How to set up the app for one flow. */
export interface WithAppOptions {
  /** Replaces parts of the Node platform the real handlers run on. */
  platform?: Partial<Platform>
  /** The environment the key lookup sees (default: none of the developer's variables). */
  env?: Record<string, string | undefined>
  /** Replaces single handlers of the real map (for error paths the real services cannot produce). */
  handlers?: Partial<IpcHandlers>
  /** Name of the screenshot saved when the flow fails (default 'failure'). */
  name?: string
  colorScheme?: 'light' | 'dark'
  viewport?: { width: number; height: number }
}

/**
 * Opens the built renderer in a fresh Chromium profile, runs the flow, and always closes the browser,
 * the server and the profile — also when the flow throws (after saving a screenshot of the failure).
 */
export async function withApp<T>(
  run: (app: AppSession) => Promise<T>,
  options: WithAppOptions = {},
): Promise<T> {
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) {
    throw new Error(`${RENDERER_DIR}/index.html is missing: build first (npm run build)`)
  }
  const server = await serveDirectory(RENDERER_DIR)
  const profileDir = await mkdtemp(join(tmpdir(), 'sfdb-e2e-'))
  const configDir = await mkdtemp(join(tmpdir(), 'sfdb-e2e-config-'))
  let context: BrowserContext | undefined
  // Job events reach the page once it exists, as the main process pushes them on 'jobs:event'.
  let eventPage: Page | undefined
  // The app's job history in the session's config folder, as electron/main/index.ts keeps it.
  const jobs = createTestJobs(
    (event) => {
      if (eventPage) void emitJobEvent(eventPage, event).catch(() => undefined)
    },
    { journalIn: configDir },
  )
  try {
    const url = `${server.origin}/index.html`
    const platform = createNodePlatform(
      { configDir, jobs, ...(options.env ? { env: options.env } : {}) },
      options.platform,
    )
    const handlers = { ...createHandlers(platform), ...options.handlers }
    const dispatch = createIpcDispatch(handlers, { isTrustedSender: createSenderPolicy(url) })
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: options.viewport ?? { width: 1200, height: 780 },
      colorScheme: options.colorScheme ?? 'light',
    })
    const ipcCalls = await installSfdbBridge(context, dispatch)
    const page = context.pages()[0] ?? (await context.newPage())
    eventPage = page
    const consoleErrors: string[] = []
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text())
    })
    page.on('pageerror', (error) => consoleErrors.push(`uncaught: ${error.message}`))
    await page.goto(url)

    const session: AppSession = {
      page,
      context,
      url,
      consoleErrors,
      ipcCalls,
      screenshot: async (name) => {
        await mkdir(SCREENSHOT_DIR, { recursive: true })
        const path = join(SCREENSHOT_DIR, `${name}.png`)
        await page.screenshot({ path, fullPage: true })
        return path
      },
      emitJobEvent: (event) => emitJobEvent(page, event),
      emitAppEvent: (event) => emitAppEvent(page, event),
      configDir,
      shownInFolder: platform.shownInFolder,
      pickAnswers: platform.pickAnswers,
      jobs,
    }
    try {
      return await run(session)
    } catch (error) {
      await session.screenshot(options.name ?? 'failure').catch(() => undefined)
      throw error
    }
  } finally {
    eventPage = undefined
    await jobs.dispose()
    await context?.close().catch(() => undefined)
    await server.close()
    await rm(profileDir, { recursive: true, force: true })
    await rm(configDir, { recursive: true, force: true })
  }
}
