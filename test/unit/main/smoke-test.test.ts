/**
 * The app's --smoke-test on plain Node: the steps' order and report, each step's failure, the timeout —
 * against FAKES of Electron (a fake window/page, a fake tray) and two kinds of job: a FAKE job child, and
 * the real job host (job-host.ts, the code of the job process) behind the CLI's in-process JobChild.
 */
import { describe, expect, it } from 'vitest'
import type { JobRequest } from '../../../shared/job-protocol.ts'
import { ok, err } from '../../../shared/result.ts'
import type { JobChild, JobExitListener } from '../../../electron/engine/jobs/job-child.ts'
import { inProcessJob } from '../../../electron/cli/job-in-process.ts'
import {
  APP_INFO_SCRIPT,
  isSmokeTest,
  pingJob,
  runSmokeTest,
  smokeExitCode,
  smokeReportLine,
  whenPageLoaded,
  type LoadingPage,
  type SmokeTestHost,
} from '../../../electron/main/smoke-test.ts'

const VERSIONS = { node: '22.20.0', electron: '45.4.1', chromium: '140.0.7339.249' }

/** A FAKE job process: answers ping with pong (or not), exits with the given code. */
class FakePingChild implements JobChild {
  pid = 777
  readonly sent: JobRequest[] = []
  private messageListeners: ((m: unknown) => void)[] = []
  private exitListeners: JobExitListener[] = []
  private readonly behaviour: 'pong' | 'silent-exit' | 'hang' | 'pong-then-fail'
  constructor(behaviour: FakePingChild['behaviour'] = 'pong') {
    this.behaviour = behaviour
  }
  send(message: JobRequest): void {
    this.sent.push(message)
    if (message.type !== 'ping') return
    queueMicrotask(() => {
      if (this.behaviour === 'hang') return
      if (this.behaviour !== 'silent-exit')
        for (const l of this.messageListeners)
          l({ type: 'pong', jobId: message.jobId, node: '22.20.0', pid: this.pid })
      const code = this.behaviour === 'pong-then-fail' ? 3 : this.behaviour === 'silent-exit' ? 1 : 0
      for (const l of this.exitListeners.splice(0)) l(code, null)
    })
  }
  onMessage(listener: (m: unknown) => void): void {
    this.messageListeners.push(listener)
  }
  onExit(listener: JobExitListener): void {
    this.exitListeners.push(listener)
  }
  onError(): void {}
  kills: string[] = []
  kill(signal: string): void {
    this.kills.push(signal)
  }
}

interface FakeElectron {
  host: SmokeTestHost
  calls: string[]
  children: FakePingChild[]
}

/** A FAKE Electron host: window, page, job fork and tray, each recording that it ran. */
function fakeElectron(overrides: Partial<SmokeTestHost> = {}, job: FakePingChild['behaviour'] = 'pong') {
  const calls: string[] = []
  const children: FakePingChild[] = []
  let clock = 0
  const host: SmokeTestHost = {
    appVersion: '0.1.0',
    versions: VERSIONS,
    openWindow: async () => void calls.push('openWindow'),
    runInPage: async (script) => {
      calls.push(`runInPage ${script}`)
      return ok({
        name: 'sfDBTools Desktop',
        version: '0.1.0',
        platform: 'linux',
        versions: VERSIONS,
        programs: [],
      })
    },
    forkJob: () => {
      calls.push('forkJob')
      const child = new FakePingChild(job)
      children.push(child)
      return child
    },
    createTray: () => {
      calls.push('createTray')
      return true
    },
    now: () => (clock += 5),
    ...overrides,
  }
  return { host, calls, children } satisfies FakeElectron
}

describe('smoke test', () => {
  it('is asked for with --smoke-test', () => {
    expect(isSmokeTest(['/opt/app/sfdbtools-desktop', '--smoke-test'])).toBe(true)
    expect(isSmokeTest(['/opt/app/sfdbtools-desktop'])).toBe(false)
  })

  it('runs window, IPC, job and tray in order and reports each with the versions', async () => {
    const { host, calls, children } = fakeElectron()
    const report = await runSmokeTest(host)
    expect(calls).toEqual(['openWindow', `runInPage ${APP_INFO_SCRIPT}`, 'forkJob', 'createTray'])
    expect(children[0]?.sent).toEqual([{ type: 'ping', jobId: 'smoke-test' }])
    expect(report).toEqual({
      ok: true,
      window: { ok: true, ms: 5 },
      ipc: { ok: true, ms: 5, detail: { version: '0.1.0', name: 'sfDBTools Desktop' } },
      job: { ok: true, ms: 5, detail: { pid: 777, node: '22.20.0' } },
      tray: { ok: true, ms: 5 },
      versions: { app: '0.1.0', ...VERSIONS },
    })
    expect(smokeExitCode(report)).toBe(0)
    // One JSON line on stdout, parseable as it is.
    const line = smokeReportLine(report)
    expect(line.endsWith('\n')).toBe(true)
    expect(line.trim().includes('\n')).toBe(false)
    expect(JSON.parse(line)).toEqual(report)
  })

  it('stops at a window that does not load, and names it', async () => {
    const { host, calls } = fakeElectron({
      openWindow: () => Promise.reject(new Error('the page did not load: ERR_FILE_NOT_FOUND (-6)')),
    })
    const report = await runSmokeTest(host)
    expect(calls).toEqual([])
    expect(report).toMatchObject({
      ok: false,
      failed: 'window',
      error: 'the page did not load: ERR_FILE_NOT_FOUND (-6)',
      window: { ok: false },
      ipc: null,
      job: null,
      tray: null,
    })
    expect(smokeExitCode(report)).toBe(1)
  })

  it('fails the IPC step when app:info fails, is not a Result, or is another version', async () => {
    const failing = await runSmokeTest(
      fakeElectron({ runInPage: async () => err('Internal', 'no handler') }).host,
    )
    expect(failing).toMatchObject({
      ok: false,
      failed: 'ipc',
      error: 'app:info failed: Internal: no handler',
    })
    expect(failing.job).toBeNull()

    // window.sfdb missing: executeJavaScript rejects.
    const noBridge = await runSmokeTest(
      fakeElectron({ runInPage: () => Promise.reject(new Error('window.sfdb is undefined')) }).host,
    )
    expect(noBridge).toMatchObject({ failed: 'ipc', error: 'window.sfdb is undefined' })

    const notResult = await runSmokeTest(fakeElectron({ runInPage: async () => 'hello' }).host)
    expect(notResult).toMatchObject({ failed: 'ipc', error: 'the page answered "hello" instead of a Result' })

    const other = await runSmokeTest(
      fakeElectron({
        runInPage: async () =>
          ok({ name: 'x', version: '9.9.9', platform: 'linux', versions: VERSIONS, programs: [] }),
      }).host,
    )
    expect(other).toMatchObject({ failed: 'ipc', error: 'app:info says version 9.9.9, the app is 0.1.0' })
  })

  it('fails the job step when the job process exits without pong or with a non-zero code', async () => {
    const silent = await runSmokeTest(fakeElectron({}, 'silent-exit').host)
    expect(silent).toMatchObject({
      ok: false,
      failed: 'job',
      error: 'the job process exited (code 1) without answering ping',
      tray: null,
    })
    const failed = await runSmokeTest(fakeElectron({}, 'pong-then-fail').host)
    expect(failed).toMatchObject({ failed: 'job', error: 'it exited with code 3' })
  })

  it('fails the tray step when no tray exists afterwards, or creating it throws', async () => {
    expect(await runSmokeTest(fakeElectron({ createTray: () => false }).host)).toMatchObject({
      ok: false,
      failed: 'tray',
      error: 'no tray after creating it',
      job: { ok: true },
    })
    const throwing = fakeElectron({
      createTray: () => {
        throw new Error('tray icon not found')
      },
    })
    expect(await runSmokeTest(throwing.host)).toMatchObject({ failed: 'tray', error: 'tray icon not found' })
  })

  it('times out at the step that hangs, and kills a job process that does not answer', async () => {
    const { host, children } = fakeElectron({}, 'hang')
    const report = await runSmokeTest(host, { timeoutMs: 50 })
    expect(report).toMatchObject({
      ok: false,
      failed: 'job',
      error: 'timed out after 50 ms (at step job)',
      window: { ok: true },
      ipc: { ok: true },
      job: { ok: false },
      tray: null,
    })
    expect(children[0]?.kills).toEqual(['SIGKILL'])

    const stuckWindow = await runSmokeTest(fakeElectron({ openWindow: () => new Promise(() => {}) }).host, {
      timeoutMs: 30,
    })
    expect(stuckWindow).toMatchObject({ failed: 'window', error: 'timed out after 30 ms (at step window)' })
  })

  it('pings the real job host (job-host.ts) and gets pong with its pid and Node version', async () => {
    const pong = await pingJob(inProcessJob(), 'job-42')
    expect(pong).toEqual({ type: 'pong', jobId: 'job-42', node: process.versions.node, pid: process.pid })
  })
})

describe('whenPageLoaded (a FAKE WebContents)', () => {
  function fakePage(loading: boolean) {
    const listeners = new Map<string, (...args: never[]) => void>()
    const page: LoadingPage = {
      isLoading: () => loading,
      once: (event: string, listener: (...args: never[]) => void) => listeners.set(event, listener),
    }
    const emit = (event: string, ...args: unknown[]): void =>
      (listeners.get(event) as ((...a: unknown[]) => void) | undefined)?.(...args)
    return { page, emit }
  }

  it('resolves at once for a page that has loaded, and on did-finish-load otherwise', async () => {
    await expect(whenPageLoaded(fakePage(false).page)).resolves.toBeUndefined()
    const { page, emit } = fakePage(true)
    const loaded = whenPageLoaded(page)
    emit('did-finish-load')
    await expect(loaded).resolves.toBeUndefined()
  })

  it('rejects with the reason of did-fail-load', async () => {
    const { page, emit } = fakePage(true)
    const loaded = whenPageLoaded(page)
    emit('did-fail-load', {}, -6, 'ERR_FILE_NOT_FOUND', 'file:///app/out/renderer/index.html')
    await expect(loaded).rejects.toThrow(
      'the page file:///app/out/renderer/index.html did not load: ERR_FILE_NOT_FOUND (-6)',
    )
  })
})
