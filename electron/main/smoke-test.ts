/**
 * `--smoke-test`: the packaged app proves it starts on this machine, and quits. The release workflow runs
 * it on every OS against the real installer's files:
 *
 *  1. window — the main window opens and its page (the built renderer, through the preload) loads;
 *  2. ipc    — the page asks 'app:info' over the real IPC (window.sfdb → preload → ipcMain → handler) and
 *              gets the app's own version back;
 *  3. job    — a job utility process starts (the built job entry) and answers `ping` with `pong`, then
 *              exits 0;
 *  4. tray   — the tray icon and its menu are created.
 *
 * Then one JSON line on stdout — { ok, window, ipc, job, tray, versions } — and exit 0, or exit 1 with the
 * step that failed and why (`failed`, `error`), also when the whole run outlasts its timeout.
 *
 * The Electron parts are injected (SmokeTestHost): index.ts passes the real window, webContents, utility
 * process and tray; the unit tests pass fakes of them.
 */
import { jobPongSchema, type JobPong } from '../../shared/job-protocol.ts'
import type { Result } from '../../shared/result.ts'
import type { AppInfo } from '../../shared/ipc.ts'
import type { RuntimeVersions } from '../../shared/versions.ts'
import type { JobChild } from '../engine/jobs/job-child.ts'

class StepFailure extends Error {}

/** The command line flag that turns the app into its smoke test. */
export const SMOKE_TEST_FLAG = '--smoke-test'

/** How long the whole smoke test may take (a first start on a busy CI runner is slow). */
export const SMOKE_TEST_TIMEOUT_MS = 90_000

/** What the page runs to ask the main process for 'app:info', exactly as the renderer's api.ts does. */
export const APP_INFO_SCRIPT = "window.sfdb.invoke('app:info', {})"

export const SMOKE_STEPS = ['window', 'ipc', 'job', 'tray'] as const
export type SmokeStep = (typeof SMOKE_STEPS)[number]

/** One step's outcome: how long it took and what it saw; null when it did not run (an earlier one failed). */
export interface StepReport {
  ok: boolean
  ms: number
  /** What the step learned: the version the page got over IPC, the job's pid and Node version. */
  detail?: Record<string, string | number>
}

export interface SmokeReport {
  ok: boolean
  window: StepReport | null
  ipc: StepReport | null
  job: StepReport | null
  tray: StepReport | null
  versions: RuntimeVersions & { app: string }
  /** The first step that failed, and why. */
  failed?: SmokeStep
  error?: string
}

/** The Electron side, injected: index.ts gives the real APIs, tests give fakes. */
export interface SmokeTestHost {
  /** The app's version (app.getVersion()): what 'app:info' must answer. */
  appVersion: string
  /** process.versions of the main process. */
  versions: RuntimeVersions
  /** Opens the main window and resolves once its page has loaded. */
  openWindow(): Promise<void>
  /** Runs a script in the window's page and resolves with its value (webContents.executeJavaScript). */
  runInPage(script: string): Promise<unknown>
  /** Starts a job process (a utility process of the built job entry). */
  forkJob(): JobChild
  /** Creates the tray icon and menu; returns false when there is none afterwards. */
  createTray(): boolean | Promise<boolean>
  /** A clock for the steps' durations (default: performance.now). */
  now?(): number
}

/** The part of Electron's WebContents that tells when the page has loaded. */
export interface LoadingPage {
  isLoading(): boolean
  once(event: 'did-finish-load', listener: () => void): unknown
  once(
    event: 'did-fail-load',
    listener: (event: unknown, errorCode: number, errorDescription: string, url: string) => void,
  ): unknown
}

/** Resolves once the page has loaded (at once when it is not loading), rejects when its load fails. */
export function whenPageLoaded(page: LoadingPage): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!page.isLoading()) return resolve()
    page.once('did-finish-load', () => resolve())
    page.once('did-fail-load', (_event, code, description, url) =>
      reject(new StepFailure(`the page ${url} did not load: ${description} (${code})`)),
    )
  })
}

/** True when the app was started with --smoke-test. */
export const isSmokeTest = (argv: readonly string[]): boolean => argv.includes(SMOKE_TEST_FLAG)

/** Asks the page for 'app:info' over the real IPC and checks that the answer is this app's. */
async function askAppInfo(host: SmokeTestHost): Promise<Record<string, string>> {
  const answer = (await host.runInPage(APP_INFO_SCRIPT)) as Result<AppInfo> | null | undefined
  if (typeof answer !== 'object' || answer === null || !('ok' in answer)) {
    throw new StepFailure(`the page answered ${JSON.stringify(answer)} instead of a Result`)
  }
  if (!answer.ok) throw new StepFailure(`app:info failed: ${answer.error.code}: ${answer.error.message}`)
  if (answer.value.version !== host.appVersion) {
    throw new StepFailure(`app:info says version ${answer.value.version}, the app is ${host.appVersion}`)
  }
  return { version: answer.value.version, name: answer.value.name }
}

/** Starts a job process, sends `ping`, and waits for its `pong` and its exit with code 0. */
export function pingJob(child: JobChild, jobId = 'smoke-test'): Promise<JobPong> {
  return new Promise((resolve, reject) => {
    let pong: JobPong | null = null
    const output: string[] = []
    child.onOutput?.((stream, line) => output.push(`${stream}: ${line}`))
    child.onMessage((message) => {
      const parsed = jobPongSchema.safeParse(message)
      if (parsed.success && parsed.data.jobId === jobId) pong = parsed.data
    })
    child.onError((error) => output.push(`error: ${error.message}`))
    child.onExit((code, signal, reason) => {
      if (pong !== null && code === 0) return resolve(pong)
      const how = signal !== null ? `signal ${signal}` : `code ${String(code)}`
      const why = [
        pong === null ? `the job process exited (${how}) without answering ping` : `it exited with ${how}`,
        ...(reason ? [reason] : []),
        ...output.slice(-5),
      ]
      reject(new StepFailure(why.join('; ')))
    })
    child.send({ type: 'ping', jobId })
  })
}

/**
 * Runs the four steps in order, each only after the previous one passed, within `timeoutMs` for the
 * whole run. Never throws: every failure is in the report.
 */
export async function runSmokeTest(
  host: SmokeTestHost,
  { timeoutMs = SMOKE_TEST_TIMEOUT_MS }: { timeoutMs?: number } = {},
): Promise<SmokeReport> {
  const now = host.now ?? (() => performance.now())
  const report: SmokeReport = {
    ok: false,
    window: null,
    ipc: null,
    job: null,
    tray: null,
    versions: { app: host.appVersion, ...host.versions },
  }
  let current: SmokeStep = 'window'
  let started = now()
  let job: JobChild | null = null
  const step = async (
    name: SmokeStep,
    run: () => Promise<Record<string, string | number> | void>,
  ): Promise<void> => {
    current = name
    started = now()
    const detail = await run()
    report[name] = { ok: true, ms: Math.round(now() - started), ...(detail ? { detail } : {}) }
  }
  const steps = async (): Promise<void> => {
    await step('window', () => host.openWindow())
    await step('ipc', () => askAppInfo(host))
    await step('job', async () => {
      job = host.forkJob()
      const pong = await pingJob(job)
      return { pid: pong.pid, node: pong.node }
    })
    await step('tray', async () => {
      if (!(await host.createTray())) throw new StepFailure('no tray after creating it')
    })
  }
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new StepFailure(`timed out after ${timeoutMs} ms (at step ${current})`)),
      timeoutMs,
    )
  })
  try {
    await Promise.race([steps(), timeout])
    report.ok = true
  } catch (e) {
    report.failed = current
    report[current] = { ok: false, ms: Math.round(now() - started) }
    report.error = e instanceof Error ? e.message : String(e)
    // A job process that did not answer in time is not left behind.
    ;(job as JobChild | null)?.kill('SIGKILL')
  } finally {
    clearTimeout(timer)
  }
  return report
}

/** The report as printed: one JSON line. */
export const smokeReportLine = (report: SmokeReport): string => `${JSON.stringify(report)}\n`

/** The exit code of a report: 0 when every step passed, else 1. */
export const smokeExitCode = (report: SmokeReport): number => (report.ok ? 0 : 1)
