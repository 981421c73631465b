import { mkdtemp, readdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { JobEvent } from '../../../shared/job-protocol.ts'
import type { JobOutcome } from '../../../electron/engine/jobs/supervise-job.ts'
import { createJobJournal, readJobJournal, readJobLog } from '../../../electron/main/jobs/job-journal.ts'
import { createJobSupervisor, type JobFinishedInfo } from '../../../electron/main/jobs/supervisor.ts'
import { FakeJobChild, progress, result, testPlan } from './fake-job-child.ts'

function setup(options: { cancelGraceMs?: number } = {}) {
  const children: FakeJobChild[] = []
  const events: JobEvent[] = []
  const finished: { jobId: string; outcome: JobOutcome; info: JobFinishedInfo }[] = []
  let changes = 0
  const supervisor = createJobSupervisor({
    forkJob: () => {
      const child = new FakeJobChild()
      children.push(child)
      return child
    },
    onEvent: (e) => events.push(e),
    onFinished: (jobId, outcome, info) => finished.push({ jobId, outcome, info }),
    onChange: () => changes++,
    ...options,
  })
  return { supervisor, children, events, finished, changes: () => changes }
}

const outDir = () => mkdtemp(join(tmpdir(), 'sfdb-supervisor-'))

describe('job supervisor', () => {
  it('starts a job with its plan, relays its valid events and reports it done', async () => {
    const { supervisor, children, events, finished } = setup()
    const dir = await outDir()
    const plan = testPlan(dir)
    const jobId = supervisor.start(plan, { profile: 'local', files: [join(dir, 'shop.sql.gz')] })
    const child = children[0] as FakeJobChild
    expect(child.sent).toEqual([{ type: 'start', jobId, plan }])

    child.progress(0.5)
    child.post({ type: 'progress', jobId, progress: { nonsense: true } }) // invalid: dropped
    child.post('garbage')
    expect(supervisor.running()).toEqual([
      expect.objectContaining({
        jobId,
        profile: 'local',
        mode: 'single',
        ticket: 'T-1',
        files: [join(dir, 'shop.sql.gz')],
        progress: progress(0.5),
        cancelling: false,
      }),
    ])
    child.finish({ type: 'done', jobId, result: result(true, join(dir, 'shop.sql.gz')) })
    const end = await supervisor.whenFinished(jobId)

    expect(events.map((e) => [e.type, e.jobId])).toEqual([
      ['progress', jobId],
      ['done', jobId],
    ])
    expect(end?.outcome).toEqual({ kind: 'done', result: result(true, join(dir, 'shop.sql.gz')) })
    expect(finished[0]?.info.exit).toEqual({ code: 0, signal: null, crashed: false, killed: false })
    expect(supervisor.running()).toEqual([])
  })

  it('stamps events with the job id it gave (the job answers an unreadable start with an empty one)', async () => {
    const { supervisor, children, events } = setup()
    const jobId = supervisor.start(testPlan(await outDir()), { profile: 'p', files: [] })
    children[0]?.finish({
      type: 'failed',
      jobId: '',
      error: { code: 'InvalidInput', message: 'invalid job request' },
    })
    await supervisor.whenFinished(jobId)
    expect(events).toEqual([
      { type: 'failed', jobId, error: { code: 'InvalidInput', message: 'invalid job request' } },
    ])
  })

  it('runs many jobs at once, each with its own id and progress', async () => {
    const { supervisor, children } = setup()
    const dir = await outDir()
    const a = supervisor.start(testPlan(dir, ['a.sql']), { profile: 'a', files: [join(dir, 'a.sql')] })
    const b = supervisor.start(testPlan(dir, ['b.sql']), { profile: 'b', files: [join(dir, 'b.sql')] })
    expect(a).not.toBe(b)
    children[0]?.progress(0.2)
    children[1]?.progress(0.7)
    expect(supervisor.running().map((j) => [j.profile, j.progress?.fraction])).toEqual([
      ['a', 0.2],
      ['b', 0.7],
    ])
    children[0]?.finish({ type: 'done', jobId: a, result: result(true) })
    await supervisor.whenFinished(a)
    expect(supervisor.running().map((j) => j.jobId)).toEqual([b])
  })

  it('refuses a second job that would write a file a running job writes', async () => {
    const { supervisor } = setup()
    const dir = await outDir()
    const file = join(dir, 'shop.sql.gz')
    supervisor.start(testPlan(dir), { profile: 'p', files: [file] })
    expect(() => supervisor.start(testPlan(dir), { profile: 'p', files: [file] })).toThrow(
      expect.objectContaining({ code: 'FileExists' }),
    )
  })

  it('cancels: the job is asked, shows as cancelling, and ends cancelled without being killed', async () => {
    const { supervisor, children, finished } = setup()
    const jobId = supervisor.start(testPlan(await outDir()), { profile: 'p', files: [] })
    expect(supervisor.cancel(jobId)).toBe(true)
    expect(supervisor.running()[0]?.cancelling).toBe(true)
    const end = await supervisor.whenFinished(jobId)
    expect(children[0]?.sent.map((m) => m.type)).toEqual(['start', 'cancel'])
    expect(children[0]?.kills).toEqual([])
    expect(end?.outcome.kind).toBe('cancelled')
    expect(finished[0]?.info.exit).toMatchObject({ crashed: false, killed: false })
  })

  it('cancel → wait → kill when the job ignores the cancel; its .part files are removed', async () => {
    const { supervisor, children, events } = setup({ cancelGraceMs: 30 })
    const dir = await outDir()
    const plan = testPlan(dir, ['one.sql.gz', 'two.sql.gz'])
    await writeFile(join(dir, 'one.sql.gz.part'), 'half a dump')
    await writeFile(join(dir, 'unrelated.part'), 'not ours')
    const jobId = supervisor.start(plan, { profile: 'p', files: [] })
    const child = children[0] as FakeJobChild
    child.onCancel = 'ignore'
    supervisor.cancel(jobId)
    expect(child.kills).toEqual([])
    const end = await supervisor.whenFinished(jobId)
    expect(child.kills).toEqual(['SIGKILL'])
    expect(end?.info.exit).toEqual({ code: null, signal: 'SIGKILL', crashed: true, killed: true })
    // Asked to stop and stopped: a cancel, never a failure.
    expect(end?.outcome.kind).toBe('cancelled')
    expect(events.at(-1)).toMatchObject({ type: 'cancelled', jobId })
    expect(await readdir(dir)).toEqual(['unrelated.part'])
  })

  it('a job that dies without a final event is JobCrashed, its .part is removed, and a failed event says so', async () => {
    const { supervisor, children, events } = setup()
    const dir = await outDir()
    await writeFile(join(dir, 'shop.sql.gz.part'), 'half a dump')
    const jobId = supervisor.start(testPlan(dir), { profile: 'p', files: [join(dir, 'shop.sql.gz')] })
    children[0]?.progress(0.4)
    children[0]?.crash('SIGSEGV')
    const end = await supervisor.whenFinished(jobId)
    expect(end?.outcome).toEqual({
      kind: 'failed',
      error: {
        code: 'JobCrashed',
        message: 'the backup job process ended unexpectedly (signal SIGSEGV); no partial file was kept',
      },
    })
    expect(end?.info.exit).toEqual({ code: null, signal: 'SIGSEGV', crashed: true, killed: false })
    expect(events.map((e) => e.type)).toEqual(['progress', 'failed'])
    expect(await readdir(dir)).toEqual([])
  })

  it('a non-zero exit after the final event is not a crash: the reported outcome stands', async () => {
    const { supervisor, children } = setup()
    const jobId = supervisor.start(testPlan(await outDir()), { profile: 'p', files: [] })
    children[0]?.post({ type: 'done', jobId, result: result(true) })
    children[0]?.exit(3, null)
    const end = await supervisor.whenFinished(jobId)
    expect(end?.outcome.kind).toBe('done')
    expect(end?.info.exit).toMatchObject({ code: 3, crashed: false })
  })

  it('a job process that cannot start is JobCrashed with the reason', async () => {
    const { supervisor, children } = setup()
    const jobId = supervisor.start(testPlan(await outDir()), { profile: 'p', files: [] })
    children[0]?.failToStart('spawn ENOENT')
    const end = await supervisor.whenFinished(jobId)
    expect(end?.outcome).toEqual({
      kind: 'failed',
      error: { code: 'JobCrashed', message: 'cannot start the job process: spawn ENOENT' },
    })
  })

  it('nothing follows a final event: later events are dropped', async () => {
    const { supervisor, children, events } = setup({ cancelGraceMs: 20 })
    const jobId = supervisor.start(testPlan(await outDir()), { profile: 'p', files: [] })
    const child = children[0] as FakeJobChild
    child.post({ type: 'done', jobId, result: result(true) })
    child.progress(0.9)
    child.post({ type: 'failed', jobId, error: { code: 'Internal', message: 'late' } })
    // A job that lingers after its final event is killed after the grace; the outcome stays done.
    const end = await supervisor.whenFinished(jobId)
    expect(events.map((e) => e.type)).toEqual(['done'])
    expect(end?.outcome.kind).toBe('done')
    expect(end?.info.exit.killed).toBe(true)
  })

  it('cancel of an unknown job is false; cancelAll and whenIdle stop everything', async () => {
    const { supervisor } = setup()
    expect(supervisor.cancel('job-nope')).toBe(false)
    const dir = await outDir()
    supervisor.start(testPlan(dir, ['a.sql']), { profile: 'a', files: [join(dir, 'a.sql')] })
    supervisor.start(testPlan(dir, ['b.sql']), { profile: 'b', files: [join(dir, 'b.sql')] })
    expect(supervisor.cancelAll()).toBe(2)
    await supervisor.whenIdle()
    expect(supervisor.running()).toEqual([])
  })
})

describe('job supervisor: the job history', () => {
  it("records a job's end and its log, secrets masked, before whenFinished settles", async () => {
    const configDir = await outDir()
    const supervisor = createJobSupervisor({
      forkJob: () => {
        const child = new FakeJobChild()
        children.push(child)
        return child
      },
      onEvent: () => {},
      journal: createJobJournal(configDir, (m) => {
        throw new Error(m)
      }),
    })
    const children: FakeJobChild[] = []
    const dir = await outDir()
    const jobId = supervisor.start(testPlan(dir), {
      profile: 'local',
      files: [join(dir, 'shop.sql.gz')],
      trigger: 'retry',
      retryOf: 'job-earlier',
    })
    const child = children[0] as FakeJobChild
    child.post({ type: 'log', jobId, level: 'warn', message: 'connecting as bk with password secret' })
    child.finish({ type: 'done', jobId, result: result(false, join(dir, 'shop.sql.gz')) })
    await supervisor.whenFinished(jobId)

    const [record] = await readJobJournal(configDir)
    expect(record).toMatchObject({
      jobId,
      kind: 'backup',
      trigger: 'retry',
      retryOf: 'job-earlier',
      profile: 'local',
    })
    const log = (await readJobLog(configDir, jobId)) ?? ''
    expect(log).toContain('WARN connecting as bk with password ***')
    expect(log).not.toContain('secret')
    expect(log).toMatch(/backup done with errors/)
  })
})
