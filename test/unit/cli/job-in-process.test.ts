/**
 * The CLI's jobs run in its own process (job-in-process.ts) behind the JobChild interface a job process has:
 * requests and events cross as copies on a later turn, the job's exit follows its final event, and a kill
 * ends the job at once as its supervisor sees it. Real parts: the job host and the engine's verify (of a
 * file that does not exist, so it reports at once).
 */
import { execFileSync } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { JobRequest } from '../../../shared/job-protocol.ts'
import { inProcessJob } from '../../../electron/cli/job-in-process.ts'

const IN_PROCESS = fileURLToPath(new URL('../../../electron/cli/job-in-process.ts', import.meta.url))

describe('the CLI runs its job in its own process', () => {
  let dir = ''
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sfdb-inproc-'))
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('delivers a request as a copy, on a later turn; the exit follows the final event', async () => {
    const child = inProcessJob()
    // No pid of its own: a supervisor must not sweep the CLI's own credential folders after it.
    expect(child.pid).toBeUndefined()
    const seen: string[] = []
    const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      child.onExit((code, signal) => resolve([code, signal])),
    )
    child.onMessage((m) => seen.push((m as { type: string }).type))
    const request = {
      type: 'verify',
      jobId: 'v1',
      request: { file: join(dir, 'missing.sql.zst'), keys: [] },
    } satisfies JobRequest
    child.send(request)
    // Sent, not yet received: the job sees it on a later turn, and its own copy.
    request.request.file = join(dir, 'changed-after-send.sql')
    expect(seen).toEqual([])
    expect(await exited).toEqual([0, null])
    expect(seen.at(-1)).toBe('verify-done')
    // A late listener still hears of the exit.
    await new Promise<void>((resolve) => child.onExit(() => resolve()))
  })

  it('the events carry what the job saw, not what the sender changed afterwards', async () => {
    const child = inProcessJob()
    const events: { type: string; file?: string; error?: { message: string } }[] = []
    const exited = new Promise<void>((resolve) => child.onExit(() => resolve()))
    child.onMessage((m) => events.push(m as (typeof events)[number]))
    const request = {
      type: 'verify' as const,
      jobId: 'v2',
      request: { file: join(dir, 'first.sql.zst'), keys: [] as string[] },
    }
    child.send(request)
    request.request.file = join(dir, 'second.sql.zst')
    await exited
    expect(events.at(-1)?.type).toBe('verify-done')
    expect(events.at(-1)?.file).toBe(join(dir, 'first.sql.zst'))
  })

  it('a kill ends the job at once for its supervisor, before the job could answer', async () => {
    const child = inProcessJob()
    const events: unknown[] = []
    child.onMessage((m) => events.push(m))
    const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      child.onExit((code, signal) => resolve([code, signal])),
    )
    child.send({ type: 'verify', jobId: 'v3', request: { file: join(dir, 'x.sql.zst'), keys: [] } })
    child.kill('SIGKILL')
    expect(await exited).toEqual([null, 'SIGKILL'])
    expect(events).toEqual([])
  })

  it('a rejection nothing handled while the job runs ends the job as a crash, not the command', () => {
    // A process of its own: the test runner reports every unhandled rejection of its own process.
    const script = `
      import { inProcessJob } from ${JSON.stringify(IN_PROCESS)}
      const before = process.listenerCount('unhandledRejection')
      const child = inProcessJob()
      child.onExit((code, signal, reason) => {
        const after = process.listenerCount('unhandledRejection')
        console.log(JSON.stringify({ code, signal, reason, listenersBack: after === before }))
      })
      void Promise.reject(new Error('boom in the engine'))`
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })
    expect(JSON.parse(out)).toEqual({
      code: 1,
      signal: null,
      reason: 'an internal error: boom in the engine',
      listenersBack: true,
    })
  })
})
