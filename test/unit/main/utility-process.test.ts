import { EventEmitter } from 'node:events'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { ForkOptions } from 'electron'
import {
  createUtilityProcessForker,
  JOB_SERVICE_NAME,
  type UtilityProcessApi,
} from '../../../electron/main/jobs/utility-process.ts'
import { createJobSupervisor } from '../../../electron/main/jobs/supervisor.ts'
import { result, testPlan } from './fake-job-child.ts'

/** Electron's UtilityProcess as far as the adapter sees it: an emitter with a pid, postMessage and kill. */
class FakeUtilityProcess extends EventEmitter {
  pid: number | undefined = 4242
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
  it('forks the built job entry as a named utility process with the job flags', () => {
    const { api, forks } = fakeUtilityProcess()
    createUtilityProcessForker(api, '/app/out/main/backup-job.js')()
    expect(forks).toEqual([
      {
        modulePath: '/app/out/main/backup-job.js',
        args: [],
        options: {
          serviceName: JOB_SERVICE_NAME,
          stdio: 'inherit',
          execArgv: ['--external-memory-accounted-in-global-limit'],
        },
      },
    ])
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
    const late = await new Promise((resolve) => child.onExit((code, signal) => resolve([code, signal])))
    expect(fake.posted).toEqual([{ type: 'cancel' }])
    expect(messages).toEqual([{ type: 'log' }])
    expect(late).toEqual([0, null])
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
})
