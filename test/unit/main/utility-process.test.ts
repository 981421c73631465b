import { EventEmitter } from 'node:events'
import { PassThrough } from 'node:stream'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { ForkOptions } from 'electron'
import { JOB_V8_FLAGS } from '../../../electron/engine/jobs/node-job-child.ts'
import { createProcessGoneTracker } from '../../../electron/main/jobs/process-gone.ts'
import {
  createUtilityProcessForker,
  JOB_SERVICE_NAME,
  jobServiceName,
  type UtilityProcessApi,
} from '../../../electron/main/jobs/utility-process.ts'
import { createJobSupervisor } from '../../../electron/main/jobs/supervisor.ts'
import { recordingLogger, result, testPlan } from './fake-job-child.ts'

/** Electron's UtilityProcess as far as the adapter sees it: an emitter with a pid, pipes, postMessage and kill. */
class FakeUtilityProcess extends EventEmitter {
  pid: number | undefined = 4242
  stdout = new PassThrough()
  stderr = new PassThrough()
  posted: unknown[] = []
  killed = 0
  postMessage(message: unknown): void {
    this.posted.push(message)
  }
  kill(): boolean {
    this.killed++
    return true
  }
}

function fakeUtilityProcess() {
  const forks: { modulePath: string; args: string[] | undefined; options: ForkOptions | undefined }[] = []
  const processes: FakeUtilityProcess[] = []
  const api: UtilityProcessApi = {
    fork(modulePath, args, options) {
      forks.push({ modulePath, args, options })
      const child = new FakeUtilityProcess()
      processes.push(child)
      return child
    },
  }
  return { api, forks, processes }
}

afterEach(() => vi.restoreAllMocks())

describe('utility-process adapter', () => {
  it('forks the built job entry as a utility process named after its job, with piped output and the job flags', () => {
    const { api, forks } = fakeUtilityProcess()
    const fork = createUtilityProcessForker(api, '/app/out/main/backup-job.js')
    fork({ jobId: 'job-1', kind: 'backup' })
    fork({ jobId: 'verify-2', kind: 'verify' })
    fork()
    expect(forks.map((f) => f.options?.serviceName)).toEqual([
      'sfDBTools backup job job-1',
      'sfDBTools verify job verify-2',
      JOB_SERVICE_NAME,
    ])
    expect(forks[0]).toEqual({
      modulePath: '/app/out/main/backup-job.js',
      args: [],
      options: {
        serviceName: 'sfDBTools backup job job-1',
        stdio: 'pipe',
        execArgv: [...JOB_V8_FLAGS],
        env: expect.any(Object),
      },
    })
  })

  it('gives the job no key of the app’s environment (its keys come in the plan)', () => {
    const saved = process.env.SFDB_PROFILE_KEY
    process.env.SFDB_PROFILE_KEY = 'app-env-profile-key'
    try {
      const { api, forks } = fakeUtilityProcess()
      createUtilityProcessForker(api, '/job.js')()
      const env = { ...forks[0]?.options?.env } as Record<string, string | undefined>
      expect(env.SFDB_PROFILE_KEY).toBeUndefined()
      expect(env.PATH).toBe(process.env.PATH)
    } finally {
      if (saved === undefined) delete process.env.SFDB_PROFILE_KEY
      else process.env.SFDB_PROFILE_KEY = saved
    }
  })

  it('relays its stdout and stderr line by line, joining partial writes', async () => {
    const { api, processes } = fakeUtilityProcess()
    const child = createUtilityProcessForker(api, '/job.js')()
    const lines: string[] = []
    child.onOutput?.((stream, line) => lines.push(`${stream}: ${line}`))
    const fake = processes[0] as FakeUtilityProcess
    fake.stderr.write('FATAL ERROR: Reached heap limit')
    fake.stderr.write(' Allocation failed\n\nsecond line\r\n')
    fake.stdout.end('last words without a break')
    fake.stderr.end()
    await new Promise((resolve) => setImmediate(resolve))
    expect(lines).toEqual([
      'stderr: FATAL ERROR: Reached heap limit Allocation failed',
      'stderr: second line',
      'stdout: last words without a break',
    ])
  })

  it('knows its pid once spawned and says when', () => {
    const { api, processes } = fakeUtilityProcess()
    const child = createUtilityProcessForker(api, '/job.js')()
    const spawned: (number | undefined)[] = []
    child.onSpawn?.(() => spawned.push(child.pid))
    processes[0]?.emit('spawn')
    expect(spawned).toEqual([4242])
  })

  it('posts requests, relays messages and reports the exit, also to a late listener', async () => {
    const { api, processes } = fakeUtilityProcess()
    const child = createUtilityProcessForker(api, '/job.js')()
    const fake = processes[0] as FakeUtilityProcess
    const messages: unknown[] = []
    child.onMessage((m) => messages.push(m))
    child.send({ type: 'cancel' })
    fake.emit('message', { type: 'log' })
    fake.emit('exit', 0)
    child.send({ type: 'cancel' }) // gone: not posted
    const late = await new Promise((resolve) =>
      child.onExit((code, signal, reason) => resolve([code, signal, reason])),
    )
    expect(fake.posted).toEqual([{ type: 'cancel' }])
    expect(messages).toEqual([{ type: 'log' }])
    expect(late).toEqual([0, null, undefined])
  })

  it('SIGTERM is UtilityProcess.kill(); SIGKILL goes to the pid', () => {
    const { api, processes } = fakeUtilityProcess()
    const kill = vi.spyOn(process, 'kill').mockImplementation(() => true)
    const child = createUtilityProcessForker(api, '/job.js')()
    child.kill('SIGTERM')
    child.kill('SIGKILL')
    expect(processes[0]?.killed).toBe(1)
    expect(kill).toHaveBeenCalledWith(4242, 'SIGKILL')
  })

  it("a V8 fatal error reaches onError; 'exit' still ends the job", () => {
    const { api, processes } = fakeUtilityProcess()
    const child = createUtilityProcessForker(api, '/job.js')()
    const errors: string[] = []
    child.onError((e) => errors.push(e.message))
    processes[0]?.emit('error', 'FatalError', 'v8::heap', '{}')
    expect(errors).toEqual(['FatalError at v8::heap'])
  })

  it('carries a whole job under the supervisor: start posted, events relayed, crash reported', async () => {
    const { api, processes } = fakeUtilityProcess()
    const events: unknown[] = []
    const supervisor = createJobSupervisor({
      forkJob: createUtilityProcessForker(api, '/job.js'),
      onEvent: (e) => events.push(e.type),
    })
    const plan = testPlan('/nonexistent-out')
    const ok = supervisor.start(plan, { profile: 'p', files: [] })
    expect(processes[0]?.posted).toEqual([{ type: 'start', jobId: ok, plan }])
    processes[0]?.emit('message', { type: 'done', jobId: ok, result: result(true) })
    processes[0]?.emit('exit', 0)
    expect((await supervisor.whenFinished(ok))?.outcome.kind).toBe('done')

    const crashing = supervisor.start(plan, { profile: 'p', files: [] })
    processes[1]?.emit('exit', 139)
    const end = await supervisor.whenFinished(crashing)
    expect(end?.outcome).toMatchObject({ kind: 'failed', error: { code: 'JobCrashed' } })
    expect(end?.info.exit).toMatchObject({ code: 139, crashed: true })
    expect(events).toEqual(['done', 'failed'])
  })

  it("a death: the exit waits for Electron's reason ('child-process-gone' before or after 'exit')", async () => {
    const { api, processes } = fakeUtilityProcess()
    const gone = createProcessGoneTracker()
    const fork = createUtilityProcessForker(api, '/job.js', { gone })
    const exitOf = (child: ReturnType<typeof fork>) =>
      new Promise((resolve) => child.onExit((code, signal, reason) => resolve([code, signal, reason])))

    // The reason first, then the exit.
    const first = fork({ jobId: 'job-a', kind: 'backup' })
    gone.record({
      type: 'Utility',
      reason: 'oom',
      exitCode: 9,
      name: jobServiceName({ jobId: 'job-a', kind: 'backup' }),
    })
    processes[0]?.emit('exit', 9)
    expect(await exitOf(first)).toEqual([9, null, 'ran out of memory [oom]'])

    // The exit first: its listeners hear of it once the reason is there.
    const second = fork({ jobId: 'job-b', kind: 'verify' })
    let heard: unknown = null
    second.onExit((...args) => (heard = args))
    processes[1]?.emit('exit', 11)
    await Promise.resolve()
    expect(heard).toBeNull()
    // Another process's reason (the GPU's, another job's) is not this job's.
    gone.record({ type: 'GPU', reason: 'crashed', exitCode: 11 })
    gone.record({ type: 'Utility', reason: 'killed', exitCode: 11, name: 'sfDBTools verify job job-other' })
    gone.record({ type: 'Utility', reason: 'crashed', exitCode: 11, name: 'sfDBTools verify job job-b' })
    expect(await exitOf(second)).toEqual([11, null, 'crashed [crashed]'])
    expect(heard).toEqual([11, null, 'crashed [crashed]'])

    // A clean exit does not wait for a reason.
    const third = fork({ jobId: 'job-c', kind: 'backup' })
    processes[2]?.emit('exit', 0)
    expect(await exitOf(third)).toEqual([0, null, undefined])
  })

  it('no reason within the wait: the exit code alone', async () => {
    const { api, processes } = fakeUtilityProcess()
    const fork = createUtilityProcessForker(api, '/job.js', {
      gone: createProcessGoneTracker(),
      goneWaitMs: 5,
    })
    const child = fork({ jobId: 'job-d', kind: 'backup' })
    processes[0]?.emit('exit', 1)
    expect(await new Promise((resolve) => child.onExit((...args) => resolve(args)))).toEqual([
      1,
      null,
      undefined,
    ])
  })

  it("under the supervisor: the JobCrashed message and the log name the reason, with the job's pid", async () => {
    const { api, processes } = fakeUtilityProcess()
    const gone = createProcessGoneTracker()
    const { lines, log } = recordingLogger()
    const supervisor = createJobSupervisor({
      forkJob: createUtilityProcessForker(api, '/job.js', { gone }),
      onEvent: () => {},
      log,
    })
    const jobId = supervisor.startVerify({ file: '/b/x.sql', keys: [] })
    const fake = processes[0] as FakeUtilityProcess
    fake.emit('spawn')
    fake.stderr.write('<--- Last few GCs --->\n')
    processes[0]?.emit('exit', 133)
    gone.record({ type: 'Utility', reason: 'oom', exitCode: 133, name: `sfDBTools verify job ${jobId}` })
    const end = await supervisor.whenVerified(jobId)
    expect(end?.outcome).toEqual({
      kind: 'failed',
      error: {
        code: 'JobCrashed',
        message: 'the verify job process ended unexpectedly (ran out of memory [oom], exit code 133)',
      },
    })
    expect(lines).toEqual([
      `INFO [job ${jobId} pid 4242] verify started: /b/x.sql (0 key(s) to try)`,
      `WARN [job ${jobId} pid 4242] stderr: <--- Last few GCs --->`,
      `WARN [job ${jobId} pid 4242] verify could not run: [JobCrashed] the verify job process ended unexpectedly ` +
        '(ran out of memory [oom], exit code 133) (exit code 133, ran out of memory [oom], no final event)',
    ])
  })
})
