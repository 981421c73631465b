/**
 * The in-app scheduler over an injected clock (time moves only when the test says; a "sleep" moves it
 * without firing a timer), a fake job starter and the real state file and preset locks in a temp folder.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { JobRecordStatus, QuickBackupPreset } from '../../../shared/ipc.ts'
import type { ScheduleInput } from '../../../shared/schedule.ts'
import { scheduleSchema } from '../../../shared/schedule.ts'
import { lockPath } from '../../../electron/engine/schedule/preset-lock.ts'
import {
  markHandled,
  readScheduleState,
  writeScheduleState,
  emptyScheduleState,
} from '../../../electron/engine/schedule/schedule-state.ts'
import type { BackupStartHow } from '../../../electron/main/services/backup-service.ts'
import {
  createAppScheduler,
  startThroughSupervisor,
  type AppScheduler,
  type NextScheduledRun,
  type SchedulerClock,
} from '../../../electron/main/scheduler/app-scheduler.ts'
import { backupRequest } from '../../harness/backup-request.ts'

const MIN = 60_000
const HOUR = 60 * MIN
/** 2026-01-12 (a Monday) at hh:mm UTC; the scheduler runs in UTC here. */
const at = (hh: number, mm = 0, ss = 0): number => Date.UTC(2026, 0, 12, hh, mm, ss)
const iso = (t: number): string => new Date(t).toISOString()

/** A clock whose timers fire only when the test moves time on with `advanceTo`. */
class FakeClock implements SchedulerClock {
  private timers = new Map<number, { at: number; run: () => void }>()
  private ids = 0
  t: number
  constructor(t: number) {
    this.t = t
  }
  now = (): Date => new Date(this.t)
  setTimeout = (run: () => void, ms: number): number => {
    const id = ++this.ids
    this.timers.set(id, { at: this.t + ms, run })
    return id
  }
  clearTimeout = (id: unknown): void => void this.timers.delete(id as number)
  /** When the one armed timer fires (the scheduler keeps exactly one). */
  armedAt(): number | null {
    const all = [...this.timers.values()]
    expect(all.length).toBeLessThanOrEqual(1)
    return all[0]?.at ?? null
  }
  /** Moves time to `target`, firing each timer due on the way and letting its check finish. */
  async advanceTo(target: number, settle: () => Promise<void>): Promise<void> {
    for (;;) {
      const due = [...this.timers.entries()]
        .filter(([, t]) => t.at <= target)
        .sort((a, b) => a[1].at - b[1].at)[0]
      if (due === undefined) break
      this.timers.delete(due[0])
      this.t = due[1].at
      due[1].run()
      await settle()
    }
    this.t = target
  }
  /** The machine sleeps: time passes and no timer fires. */
  sleepUntil(target: number): void {
    this.t = target
  }
}

interface Started {
  presetId: string
  how: BackupStartHow
  ticket: string
  end(status: JobRecordStatus): void
}

const preset = (id: string, schedule: ScheduleInput): QuickBackupPreset => ({
  id,
  label: `Preset ${id}`,
  request: backupRequest({ ticket: `TICKET-${id}` }),
  schedule: scheduleSchema.parse(schedule),
})

describe('app scheduler', () => {
  let dir: string
  let clock: FakeClock
  let presets: QuickBackupPreset[]
  let started: Started[]
  let supervisorRuns: string[]
  let scheduler: AppScheduler
  let nextRuns: (NextScheduledRun | null)[]
  let failures: string[]
  let failStart: Error | null
  const OTHER_PID = 999_999

  const make = (options: { maxSleepMs?: number } = {}): AppScheduler => {
    scheduler = createAppScheduler({
      configDir: dir,
      presets: async () => presets,
      startJob: async (request, how) => {
        if (failStart) throw failStart
        let end!: (status: JobRecordStatus) => void
        const ended = new Promise<JobRecordStatus>((resolve) => (end = resolve))
        const jobId = `job-${started.length + 1}`
        started.push({ presetId: how.presetId ?? '', how, ticket: request.ticket, end })
        return { jobId, ended }
      },
      runningPresets: () => supervisorRuns,
      clock,
      pid: process.pid,
      // The test's own process, and a pretend `sfdbtools schedule run-due` that holds a lock.
      alive: (pid) => pid === process.pid || pid === OTHER_PID,
      timeZone: 'UTC',
      ...options,
      onNextRun: (next) => nextRuns.push(next),
      onRunFailed: (p, message) => failures.push(`${p.id}: ${message}`),
    })
    return scheduler
  }
  const settle = (): Promise<void> => scheduler.settled()
  const runsEnded = (): Promise<void> => scheduler.runsEnded()
  const state = () => readScheduleState(dir)
  const history = async () => (await state()).history
  /** The scheduler's check has run (start() checks at once). */
  const started_ = async (s: AppScheduler): Promise<void> => {
    s.start()
    await s.settled()
  }

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sfdb-app-scheduler-'))
    presets = []
    started = []
    supervisorRuns = []
    nextRuns = []
    failures = []
    failStart = null
  })
  afterEach(async () => {
    scheduler?.stop()
    await rm(dir, { recursive: true, force: true })
  })

  it('runs a preset when it is due: trigger scheduled, its stored ticket, its lock until the job ends', async () => {
    clock = new FakeClock(at(1, 59, 30))
    presets = [preset('nightly', { kind: 'daily', time: '02:00' })]
    await started_(make())
    // Nothing due yet; a first check only starts the schedule from now on.
    expect(started).toEqual([])
    expect((await state()).presets.nightly?.handledUntil).toBe(iso(at(1, 59, 30)))
    expect(scheduler.nextRun()).toEqual({ presetId: 'nightly', label: 'Preset nightly', at: new Date(at(2)) })
    expect(nextRuns.at(-1)?.at).toEqual(new Date(at(2)))
    expect(clock.armedAt()).toBe(at(2))

    await clock.advanceTo(at(2), settle)
    expect(started).toHaveLength(1)
    expect(started[0]).toMatchObject({
      presetId: 'nightly',
      ticket: 'TICKET-nightly',
      how: { trigger: 'scheduled', presetId: 'nightly', schedule: { dueAt: iso(at(2)), late: false } },
    })
    expect(scheduler.running()).toEqual(['nightly'])
    expect((await readFile(lockPath(dir, 'nightly'), 'utf8')).trim()).toBe(String(process.pid))
    expect((await state()).presets.nightly?.handledUntil).toBe(iso(at(2)))
    expect(await history()).toEqual([])

    clock.t = at(2, 10)
    started[0]?.end('success_with_warnings')
    await runsEnded()
    expect(existsSync(lockPath(dir, 'nightly'))).toBe(false)
    expect(scheduler.running()).toEqual([])
    expect(await history()).toEqual([
      {
        presetId: 'nightly',
        label: 'Preset nightly',
        trigger: 'scheduled',
        scheduledFor: iso(at(2)),
        at: iso(at(2)),
        finishedAt: iso(at(2, 10)),
        outcome: 'success',
        late: false,
        jobId: 'job-1',
      },
    ])
    // The next day's run is the next one; the timer re-checks at most every minute by default.
    expect(scheduler.nextRun()?.at).toEqual(new Date(at(26)))
    expect(clock.armedAt()).toBe(at(2) + MIN)
  })

  it('a run missed while the machine slept runs once at resume, recorded late', async () => {
    clock = new FakeClock(at(1))
    presets = [preset('nightly', { kind: 'daily', time: '02:00' })]
    await started_(make())
    clock.sleepUntil(at(7, 30))
    await scheduler.check()
    expect(started).toHaveLength(1)
    expect(started[0]?.how.schedule).toEqual({ dueAt: iso(at(2)), late: true })
    started[0]?.end('failed')
    await runsEnded()
    expect(await history()).toMatchObject([
      { scheduledFor: iso(at(2)), at: iso(at(7, 30)), outcome: 'failed', late: true, lateByMs: 5.5 * HOUR },
    ])
    // Caught up once: a second check runs nothing more.
    await scheduler.check()
    expect(started).toHaveLength(1)
  })

  it('several missed times of a preset run once, the newest of them', async () => {
    clock = new FakeClock(at(0, 30))
    presets = [preset('hourly', { kind: 'hourly', every: 1 })]
    await started_(make())
    clock.sleepUntil(at(4, 20))
    await scheduler.check()
    expect(started.map((s) => s.how.schedule)).toEqual([{ dueAt: iso(at(4)), late: true }])
  })

  it('a run missed for longer than the catch-up window is recorded missed and not run', async () => {
    clock = new FakeClock(at(1))
    presets = [preset('nightly', { kind: 'daily', time: '02:00', catchUpHours: 2 })]
    await started_(make())
    clock.sleepUntil(at(7))
    await scheduler.check()
    expect(started).toEqual([])
    expect(await history()).toMatchObject([
      { presetId: 'nightly', scheduledFor: iso(at(2)), at: iso(at(7)), outcome: 'missed', late: true },
    ])
  })

  it('the app closed over a due time: at start, a recent one runs late, an old one is missed', async () => {
    // The state of an earlier session (or of `schedule run-due`), then the app starts again.
    await writeScheduleState(
      dir,
      markHandled(markHandled(emptyScheduleState(), 'recent', new Date(at(1))), 'old', new Date(at(1))),
    )
    clock = new FakeClock(at(9))
    presets = [
      preset('recent', { kind: 'daily', time: '06:00' }),
      preset('old', { kind: 'daily', time: '02:00', catchUpHours: 3 }),
    ]
    await started_(make())
    expect(started.map((s) => [s.presetId, s.how.schedule])).toEqual([
      ['recent', { dueAt: iso(at(6)), late: true }],
    ])
    expect((await history()).map((h) => [h.presetId, h.outcome])).toEqual([['old', 'missed']])
  })

  it('a due time whose previous run still goes is skipped and recorded, and runs again after it ended', async () => {
    clock = new FakeClock(at(1, 59))
    presets = [preset('hourly', { kind: 'hourly', every: 1 })]
    await started_(make())
    await clock.advanceTo(at(2), settle)
    expect(started).toHaveLength(1)
    await clock.advanceTo(at(3), settle)
    expect(started).toHaveLength(1)
    expect(await history()).toMatchObject([
      { scheduledFor: iso(at(3)), at: iso(at(3)), outcome: 'skipped', late: false },
    ])
    started[0]?.end('success')
    await runsEnded()
    await clock.advanceTo(at(4), settle)
    expect(started.map((s) => s.how.schedule?.dueAt)).toEqual([iso(at(2)), iso(at(4))])
    expect((await history()).map((h) => h.outcome)).toEqual(['skipped', 'success'])
  })

  it('a preset whose lock another live process holds, or whose job runs in the supervisor, is skipped', async () => {
    clock = new FakeClock(at(1, 59))
    presets = [preset('a', { kind: 'daily', time: '02:00' }), preset('b', { kind: 'daily', time: '02:00' })]
    await started_(make())
    // `schedule run-due` (another process) runs a; a quick backup of b runs in the app's supervisor.
    await mkdir(join(dir, 'schedule', 'locks'), { recursive: true })
    await writeFile(lockPath(dir, 'a'), `${OTHER_PID}\n`)
    supervisorRuns = ['b']
    await clock.advanceTo(at(2), settle)
    expect(started).toEqual([])
    expect((await history()).map((h) => [h.presetId, h.outcome])).toEqual([
      ['a', 'skipped'],
      ['b', 'skipped'],
    ])
    // The other process's lock is left as it is.
    expect((await readFile(lockPath(dir, 'a'), 'utf8')).trim()).toBe(String(OTHER_PID))
  })

  it('a time another process already ran is neither run again nor recorded skipped', async () => {
    clock = new FakeClock(at(1, 59))
    presets = [preset('a', { kind: 'daily', time: '02:00' })]
    await started_(make())
    // `run-due` took the lock and marked 02:00 as dealt with, and still runs it.
    await mkdir(join(dir, 'schedule', 'locks'), { recursive: true })
    await writeFile(lockPath(dir, 'a'), `${OTHER_PID}\n`)
    await writeScheduleState(dir, markHandled(await state(), 'a', new Date(at(2))))
    await clock.advanceTo(at(2, 0, 30), settle)
    await scheduler.check()
    expect(started).toEqual([])
    expect(await history()).toEqual([])
  })

  it('a stale lock (its process is gone) is taken over', async () => {
    clock = new FakeClock(at(1, 59))
    presets = [preset('a', { kind: 'daily', time: '02:00' })]
    await started_(make())
    await mkdir(join(dir, 'schedule', 'locks'), { recursive: true })
    await writeFile(lockPath(dir, 'a'), '123456\n')
    await clock.advanceTo(at(2), settle)
    expect(started).toHaveLength(1)
    expect((await readFile(lockPath(dir, 'a'), 'utf8')).trim()).toBe(String(process.pid))
  })

  it('a run that cannot start is recorded failed, told, and its lock released', async () => {
    clock = new FakeClock(at(1, 59))
    presets = [preset('a', { kind: 'daily', time: '02:00' })]
    await started_(make())
    failStart = new Error('the server is unreachable')
    await clock.advanceTo(at(2), settle)
    expect(failures).toEqual(['a: the server is unreachable'])
    expect(existsSync(lockPath(dir, 'a'))).toBe(false)
    expect(scheduler.running()).toEqual([])
    expect(await history()).toMatchObject([
      { presetId: 'a', outcome: 'failed', message: 'the server is unreachable', late: false },
    ])
    expect((await history())[0]?.jobId).toBeUndefined()
  })

  it('re-arms its timer when the settings change, and runs the new time', async () => {
    clock = new FakeClock(at(1))
    presets = [preset('a', { kind: 'daily', time: '05:00' })]
    await started_(make({ maxSleepMs: 24 * HOUR }))
    expect(clock.armedAt()).toBe(at(5))
    presets = [preset('a', { kind: 'daily', time: '02:00' })]
    await scheduler.check()
    expect(clock.armedAt()).toBe(at(2))
    expect(scheduler.nextRun()?.at).toEqual(new Date(at(2)))
    await clock.advanceTo(at(2), settle)
    expect(started.map((s) => s.how.schedule?.dueAt)).toEqual([iso(at(2))])
  })

  it('a disabled schedule runs nothing, and enabled again it starts afresh (no catch-up of the time off)', async () => {
    clock = new FakeClock(at(1))
    presets = [preset('a', { kind: 'daily', time: '02:00' })]
    await started_(make())
    presets = [preset('a', { kind: 'daily', time: '02:00', enabled: false })]
    await scheduler.check()
    expect((await state()).presets.a).toBeUndefined()
    expect(scheduler.nextRun()).toBeNull()
    await clock.advanceTo(at(3), settle)
    expect(started).toEqual([])
    presets = [preset('a', { kind: 'daily', time: '02:00' })]
    await scheduler.check()
    expect(started).toEqual([])
    expect(scheduler.nextRun()?.at).toEqual(new Date(at(26)))
  })

  it('stop() disarms the timer', async () => {
    clock = new FakeClock(at(1, 59))
    presets = [preset('a', { kind: 'daily', time: '02:00' })]
    await started_(make())
    scheduler.stop()
    expect(clock.armedAt()).toBeNull()
    await clock.advanceTo(at(3), settle)
    expect(started).toEqual([])
  })

  it('startThroughSupervisor asks for the job end while the job runs, before start settles', async () => {
    const order: string[] = []
    const whenFinished = vi.fn((jobId: string) => {
      order.push(`whenFinished ${jobId}`)
      return Promise.resolve<JobRecordStatus>('success')
    })
    const startJob = startThroughSupervisor(async (_request, how) => {
      how.onStarted?.('job-7')
      order.push('remember the folder')
      return { jobId: 'job-7' }
    }, whenFinished)
    const job = await startJob(backupRequest(), { trigger: 'scheduled', presetId: 'a' })
    expect(order).toEqual(['whenFinished job-7', 'remember the folder'])
    expect(job.jobId).toBe('job-7')
    await expect(job.ended).resolves.toBe('success')
  })
})
