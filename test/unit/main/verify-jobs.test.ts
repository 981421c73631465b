/**
 * Verify jobs under the app's supervisor with fake job processes: the request goes over the job channel,
 * progress and the report are relayed (stamped with the job's id and file), a cancel ends it cancelled —
 * asked, or killed after the grace — and a process that dies is JobCrashed with Electron's reason. And the
 * log: every line of a job is prefixed `[job <id> pid <n>]`, and its keys never reach it.
 */
import { describe, expect, it } from 'vitest'
import type { JobEvent } from '../../../shared/job-protocol.ts'
import { createJobSupervisor } from '../../../electron/main/jobs/supervisor.ts'
import { FakeJobChild, recordingLogger, result, testPlan, verifyView } from './fake-job-child.ts'

const FILE = '/backups/shop_20250101_000000_T1.sql.zst.enc'
const KEY = 'the verify key Ω 42'
const OTHER_KEY = 'an older backup key'

function setup(options: { cancelGraceMs?: number } = {}) {
  const children: FakeJobChild[] = []
  const forks: { jobId: string; kind: string }[] = []
  const events: JobEvent[] = []
  const { lines, log } = recordingLogger()
  const supervisor = createJobSupervisor({
    forkJob: (info) => {
      forks.push(info)
      const child = new FakeJobChild()
      children.push(child)
      return child
    },
    onEvent: (e) => events.push(e),
    log,
    ...options,
  })
  const child = (i = 0): FakeJobChild => children[i] as FakeJobChild
  return { supervisor, children, child, forks, events, lines }
}

describe('verify jobs', () => {
  it('runs in its own job process: the file and keys go over the job channel, progress and the report come back', async () => {
    const { supervisor, child, forks, events } = setup()
    const jobId = supervisor.startVerify({ file: FILE, keys: [KEY, OTHER_KEY] })
    expect(forks).toEqual([{ jobId, kind: 'verify' }])
    expect(child().sent).toEqual([{ type: 'verify', jobId, request: { file: FILE, keys: [KEY, OTHER_KEY] } }])

    child().verifyProgress(512, 2048)
    expect(supervisor.runningVerifies()).toEqual([
      expect.objectContaining({ jobId, file: FILE, progress: expect.objectContaining({ fraction: 0.25 }) }),
    ])
    // A verify is not a backup: the Jobs page, the tray and the close guard count backups only.
    expect(supervisor.running()).toEqual([])
    // Events are stamped with the job's own id and file, whatever the process says.
    child().post({
      type: 'verify-progress',
      jobId: 'someone-else',
      file: '/etc/passwd',
      progress: {
        bytesRead: 1024,
        totalBytes: 2048,
        fraction: 0.5,
        bytesPerSecond: 1,
        etaSeconds: 1,
        elapsedMs: 1,
      },
    })
    child().post({ type: 'progress', jobId, progress: {} }) // a backup's event: not this job's protocol
    child().finish({ type: 'verify-done', jobId, file: FILE, report: verifyView(FILE) })
    const end = await supervisor.whenVerified(jobId)

    expect(end?.outcome).toEqual({ kind: 'done', report: verifyView(FILE) })
    expect(end?.exit).toEqual({ code: 0, signal: null, crashed: false, killed: false })
    expect(events.map((e) => [e.type, e.jobId, 'file' in e ? e.file : null])).toEqual([
      ['verify-progress', jobId, FILE],
      ['verify-progress', jobId, FILE],
      ['verify-done', jobId, FILE],
    ])
    expect(supervisor.runningVerifies()).toEqual([])
  })

  it('a second verify of a file being verified is the same job', () => {
    const { supervisor, children } = setup()
    const first = supervisor.startVerify({ file: FILE, keys: [] })
    expect(supervisor.startVerify({ file: FILE, keys: [] })).toBe(first)
    expect(supervisor.startVerify({ file: `${FILE}.other`, keys: [] })).not.toBe(first)
    expect(children).toHaveLength(2)
  })

  it('cancel: the job is asked and ends verify-cancelled, without a kill', async () => {
    const { supervisor, child, events } = setup()
    const jobId = supervisor.startVerify({ file: FILE, keys: [] })
    child().verifyProgress(100, 2048)
    expect(supervisor.cancel(jobId)).toBe(true)
    expect(supervisor.runningVerifies()[0]?.cancelling).toBe(true)
    const end = await supervisor.whenVerified(jobId)
    expect(child().sent.map((m) => m.type)).toEqual(['verify', 'cancel'])
    expect(child().kills).toEqual([])
    expect(end?.outcome).toEqual({ kind: 'cancelled' })
    expect(events.at(-1)).toEqual({ type: 'verify-cancelled', jobId, file: FILE })
  })

  it('cancel → wait → kill when the job does not answer: still a cancel', async () => {
    const { supervisor, child, events } = setup({ cancelGraceMs: 20 })
    const jobId = supervisor.startVerify({ file: FILE, keys: [] })
    child().onCancel = 'ignore'
    supervisor.cancel(jobId)
    const end = await supervisor.whenVerified(jobId)
    expect(child().kills).toEqual(['SIGKILL'])
    expect(end?.outcome).toEqual({ kind: 'cancelled' })
    expect(end?.exit).toMatchObject({ signal: 'SIGKILL', crashed: true, killed: true })
    expect(events.at(-1)).toEqual({ type: 'verify-cancelled', jobId, file: FILE })
  })

  it('a job process that dies is JobCrashed, naming the reason Electron gave', async () => {
    const { supervisor, child, events } = setup()
    const jobId = supervisor.startVerify({ file: FILE, keys: [KEY] })
    child().gone(9, 'ran out of memory [oom]')
    const end = await supervisor.whenVerified(jobId)
    const error = {
      code: 'JobCrashed',
      message: 'the verify job process ended unexpectedly (ran out of memory [oom], exit code 9)',
    }
    expect(end?.outcome).toEqual({ kind: 'failed', error })
    expect(end?.exit).toEqual({
      code: 9,
      signal: null,
      crashed: true,
      killed: false,
      reason: 'ran out of memory [oom]',
    })
    expect(events).toEqual([{ type: 'verify-failed', jobId, file: FILE, error }])
  })

  it('a backup job that dies names the reason too', async () => {
    const { supervisor, child } = setup()
    const jobId = supervisor.start(testPlan('/nonexistent-out'), { profile: 'p', files: [] })
    child().gone(11, 'crashed [crashed]')
    const end = await supervisor.whenFinished(jobId)
    expect(end?.outcome).toEqual({
      kind: 'failed',
      error: {
        code: 'JobCrashed',
        message:
          'the backup job process ended unexpectedly (crashed [crashed], exit code 11); no partial file was kept',
      },
    })
  })

  it('cancelAll and whenIdle take the verifications along', async () => {
    const { supervisor } = setup()
    supervisor.startVerify({ file: FILE, keys: [] })
    supervisor.start(testPlan('/nonexistent-out'), { profile: 'p', files: [] })
    expect(supervisor.cancelAll()).toBe(2)
    await supervisor.whenIdle()
    expect(supervisor.runningVerifies()).toEqual([])
    expect(supervisor.running()).toEqual([])
  })
})

describe('job log lines', () => {
  it('start, output and end of a verify, each prefixed [job <id> pid <n>]; its keys never appear', async () => {
    const { supervisor, child, lines } = setup()
    const jobId = supervisor.startVerify({ file: FILE, keys: [KEY, OTHER_KEY] })
    child().output('stderr', `(node:1) Warning: something about ${KEY}`)
    child().output('stdout', 'a line on stdout')
    child().finish({ type: 'verify-done', jobId, file: FILE, report: verifyView(FILE, false) })
    await supervisor.whenVerified(jobId)

    const prefix = `[job ${jobId} pid 4321]`
    expect(lines).toEqual([
      `INFO ${prefix} verify started: ${FILE} (2 key(s) to try)`,
      `WARN ${prefix} stderr: (node:1) Warning: something about ***`,
      `INFO ${prefix} stdout: a line on stdout`,
      `WARN ${prefix} verify verification failed: [IncompleteDump] the SQL does not end with the trailer (exit code 0)`,
    ])
    const text = lines.join('\n')
    expect(text).not.toContain(KEY)
    expect(text).not.toContain(OTHER_KEY)
  })

  it('a backup: start, its warnings, targets and end; the backup key and passwords are masked', async () => {
    const { supervisor, child, lines } = setup()
    const plan = testPlan('/out')
    plan.encryptionKey = 'backup key of the plan'
    const jobId = supervisor.start(plan, { profile: 'local', files: ['/out/shop.sql.gz'] })
    child().post({ type: 'log', jobId, level: 'warn', message: 'the table shop.t has no primary key' })
    child().post({ type: 'log', jobId, level: 'debug', message: 'not for the log' })
    child().output('stderr', 'dump said: --password=secret and backup key of the plan')
    child().finish({ type: 'done', jobId, result: result(true, '/out/shop.sql.gz') })
    await supervisor.whenFinished(jobId)

    const prefix = `[job ${jobId} pid 4321]`
    expect(lines).toEqual([
      `INFO ${prefix} backup started: profile local, mode single, ticket T-1, 1 file(s): /out/shop.sql.gz`,
      `WARN ${prefix} the table shop.t has no primary key`,
      `WARN ${prefix} stderr: dump said: --password=*** and ***`,
      `INFO ${prefix} backup done: 1 file(s) written, 0 failed in 5000 ms (exit code 0)`,
    ])
  })

  it('a crash is logged as an error with how the process ended', async () => {
    const { supervisor, child, lines } = setup()
    const jobId = supervisor.start(testPlan('/nonexistent-out'), { profile: 'p', files: [] })
    child().gone(9, 'ran out of memory [oom]')
    await supervisor.whenFinished(jobId)
    expect(lines.at(-1)).toBe(
      `ERROR [job ${jobId} pid 4321] backup failed: [JobCrashed] the backup job process ended unexpectedly ` +
        '(ran out of memory [oom], exit code 9); no partial file was kept ' +
        '(exit code 9, ran out of memory [oom], no final event)',
    )
  })
})
