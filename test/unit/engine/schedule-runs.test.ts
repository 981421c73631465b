import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { QuickBackupPreset } from '../../../shared/ipc.ts'
import { scheduleSchema, type ScheduleInput } from '../../../shared/schedule.ts'
import { EngineError } from '../../../electron/engine/errors.ts'
import { dueRuns } from '../../../electron/engine/schedule/due-runs.ts'
import { checkCronExpression, nextRuns } from '../../../electron/engine/schedule/next-runs.ts'
import { acquirePresetLock, lockHolder, lockPath } from '../../../electron/engine/schedule/preset-lock.ts'
import {
  emptyScheduleState,
  markHandled,
  readScheduleState,
  scheduleStatePath,
  writeScheduleState,
} from '../../../electron/engine/schedule/schedule-state.ts'
import { backupRequest } from '../../harness/backup-request.ts'

const s = (input: ScheduleInput) => scheduleSchema.parse(input)
const iso = (dates: Date[]): string[] => dates.map((d) => d.toISOString())
const BERLIN = 'Europe/Berlin'
const NEW_YORK = 'America/New_York'

describe('nextRuns: daily, weekly, hourly and cron across DST changes (injected clock and time zone)', () => {
  it('daily 02:30 in Berlin: the spring-forward day runs at 03:30 CEST, the fall-back day once', () => {
    expect(
      iso(nextRuns(s({ kind: 'daily', time: '02:30' }), new Date('2025-03-28T12:00:00Z'), 4, BERLIN)),
    ).toEqual([
      '2025-03-29T01:30:00.000Z', // 02:30 CET
      '2025-03-30T01:30:00.000Z', // 02:30 does not exist: 03:30 CEST
      '2025-03-31T00:30:00.000Z', // 02:30 CEST
      '2025-04-01T00:30:00.000Z',
    ])
    expect(
      iso(nextRuns(s({ kind: 'daily', time: '02:30' }), new Date('2025-10-25T12:00:00Z'), 3, BERLIN)),
    ).toEqual([
      '2025-10-26T00:30:00.000Z', // the first 02:30 (CEST) only, not the second (CET)
      '2025-10-27T01:30:00.000Z',
      '2025-10-28T01:30:00.000Z',
    ])
  })

  it('weekly mon,thu 01:30 in New York across the November fall-back', () => {
    const runs = nextRuns(
      s({ kind: 'weekly', days: [4, 1], time: '01:30' }),
      new Date('2025-10-30T00:00:00Z'),
      4,
      NEW_YORK,
    )
    expect(iso(runs)).toEqual([
      '2025-10-30T05:30:00.000Z', // Thu 01:30 EDT
      '2025-11-03T06:30:00.000Z', // Mon 01:30 EST
      '2025-11-06T06:30:00.000Z',
      '2025-11-10T06:30:00.000Z',
    ])
  })

  it('every 6 hours in Berlin over the fall-back night keeps wall-clock hours 0, 6, 12, 18', () => {
    const runs = nextRuns(s({ kind: 'hourly', every: 6 }), new Date('2025-10-25T18:00:00Z'), 5, BERLIN)
    expect(iso(runs)).toEqual([
      '2025-10-25T22:00:00.000Z', // 00:00 CEST
      '2025-10-26T05:00:00.000Z', // 06:00 CET (7 h later: the night had 25 hours)
      '2025-10-26T11:00:00.000Z',
      '2025-10-26T17:00:00.000Z',
      '2025-10-26T23:00:00.000Z',
    ])
  })

  it('a cron expression in New York across the March spring-forward', () => {
    const runs = nextRuns(
      s({ kind: 'cron', expression: '30 2 * * 0' }),
      new Date('2025-03-01T00:00:00Z'),
      3,
      NEW_YORK,
    )
    expect(iso(runs)).toEqual([
      '2025-03-02T07:30:00.000Z', // Sun 02:30 EST
      '2025-03-09T07:30:00.000Z', // 02:30 does not exist that Sunday: 03:30 EDT
      '2025-03-16T06:30:00.000Z', // Sun 02:30 EDT
    ])
  })

  it('an invalid cron expression is InvalidInput naming the bad field, with advice', () => {
    const fail = (expression: string): EngineError => {
      try {
        checkCronExpression(expression)
      } catch (e) {
        return e as EngineError
      }
      throw new Error(`accepted ${expression}`)
    }
    const hour = fail('0 25 * * *')
    expect(hour).toBeInstanceOf(EngineError)
    expect(hour.code).toBe('InvalidInput')
    expect(hour.message).toContain("hour field '25'")
    expect(hour.advice).toEqual({
      code: 'scheduleInvalid',
      params: { field: 'hour', value: '25', expression: '0 25 * * *' },
    })
    expect(fail('61 * * * *').message).toContain("minute field '61'")
    expect(fail('0 0 * * funday').message).toContain("day-of-week field 'funday'")
    expect(fail('0 0 32 * *').message).toContain("day-of-month field '32'")
    expect(fail('0 0 * 13 *').message).toContain("month field '13'")
    expect(fail('* * * *').message).toContain('it needs 5')
    expect(fail('0 * * * * *').message).toContain('it needs 5')
    expect(checkCronExpression('  0   3 * *  mon-fri ')).toBe('0 3 * * mon-fri')
  })
})

const preset = (id: string, schedule: ScheduleInput): QuickBackupPreset => ({
  id,
  label: `Preset ${id}`,
  request: backupRequest(),
  schedule: s(schedule),
})

describe('dueRuns: on time, caught up after sleep, missed, no overlap (pure, injected clock)', () => {
  const daily = preset('nightly', { kind: 'daily', time: '02:30' })
  const opts = { timeZone: BERLIN }
  const handled = (at: string) => markHandled(emptyScheduleState(), 'nightly', new Date(at))

  it('runs on time at the scheduled minute and not again after it', () => {
    const state = handled('2025-06-01T12:00:00Z')
    const [due] = dueRuns([daily], state, new Date('2025-06-02T00:30:20Z'), opts) // 02:30:20 CEST
    expect(due?.decision).toMatchObject({ kind: 'run', late: false })
    expect(due?.handledUntil.toISOString()).toBe('2025-06-02T00:30:00.000Z')
    const after = markHandled(state, 'nightly', due!.handledUntil)
    expect(dueRuns([daily], after, new Date('2025-06-02T00:35:00Z'), opts)[0]?.decision).toEqual({
      kind: 'idle',
      next: new Date('2025-06-03T00:30:00Z'),
    })
  })

  it('catches up once after sleep, recorded late, when within the window', () => {
    // Asleep from the evening before; awake at 09:00: three nights? one: the 02:30 of today, 6.5 h late.
    const state = handled('2025-06-01T18:00:00Z')
    const [due] = dueRuns([daily], state, new Date('2025-06-02T07:00:00Z'), opts)
    expect(due?.decision).toEqual({
      kind: 'run',
      scheduledFor: new Date('2025-06-02T00:30:00Z'),
      late: true,
      lateByMs: 6.5 * 3_600_000,
    })
  })

  it('many missed times run once (the newest)', () => {
    const hourly = preset('h', { kind: 'hourly', every: 1 })
    const state = markHandled(emptyScheduleState(), 'h', new Date('2025-06-02T00:00:00Z'))
    const [due] = dueRuns([hourly], state, new Date('2025-06-02T05:10:00Z'), opts)
    expect(due?.decision).toMatchObject({
      kind: 'run',
      late: true,
      scheduledFor: new Date('2025-06-02T05:00:00Z'),
    })
  })

  it('a time older than the catch-up window is missed, not run; the window is configurable', () => {
    const state = handled('2025-06-01T18:00:00Z')
    const now = new Date('2025-06-02T16:00:00Z') // 13.5 h after 02:30 CEST
    expect(dueRuns([daily], state, now, opts)[0]?.decision).toEqual({
      kind: 'missed',
      scheduledFor: new Date('2025-06-02T00:30:00Z'),
    })
    const wide = preset('nightly', { kind: 'daily', time: '02:30', catchUpHours: 24 })
    expect(dueRuns([wide], state, now, opts)[0]?.decision).toMatchObject({ kind: 'run', late: true })
    const none = preset('nightly', { kind: 'daily', time: '02:30', catchUpHours: 0 })
    expect(dueRuns([none], state, new Date('2025-06-02T00:40:00Z'), opts)[0]?.decision.kind).toBe('missed')
    expect(dueRuns([none], state, new Date('2025-06-02T00:32:00Z'), opts)[0]?.decision).toMatchObject({
      kind: 'run',
      late: false,
    })
  })

  it('catch-up across the spring-forward night: the 03:30 CEST run is found by walking forwards', () => {
    const state = handled('2025-03-29T12:00:00Z')
    const [due] = dueRuns([daily], state, new Date('2025-03-30T06:00:00Z'), opts)
    expect(due?.decision).toMatchObject({
      kind: 'run',
      late: true,
      scheduledFor: new Date('2025-03-30T01:30:00Z'),
    })
  })

  it('a preset whose run is still going is skipped (and the time counts as dealt with)', () => {
    const state = handled('2025-06-01T12:00:00Z')
    const [due] = dueRuns([daily], state, new Date('2025-06-02T00:30:05Z'), {
      ...opts,
      running: new Set(['nightly']),
    })
    expect(due?.decision).toEqual({
      kind: 'skip',
      scheduledFor: new Date('2025-06-02T00:30:00Z'),
      reason: 'running',
    })
    expect(due?.handledUntil.toISOString()).toBe('2025-06-02T00:30:00.000Z')
  })

  it('without state only a time within the on-time margin runs; disabled and unscheduled presets are left out', () => {
    const now = new Date('2025-06-02T00:31:00Z')
    expect(dueRuns([daily], emptyScheduleState(), now, opts)[0]?.decision).toMatchObject({
      kind: 'run',
      late: false,
    })
    expect(
      dueRuns([daily], emptyScheduleState(), new Date('2025-06-02T09:00:00Z'), opts)[0]?.decision,
    ).toEqual({
      kind: 'start',
    })
    const off = preset('off', { kind: 'daily', time: '02:30', enabled: false })
    const plain: QuickBackupPreset = { id: 'p', label: 'P', request: backupRequest() }
    expect(dueRuns([off, plain], emptyScheduleState(), now, opts)).toEqual([])
  })
})

describe('state file and per-preset lock', () => {
  it('the state is JSON, 0600, and a damaged one starts afresh', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sched-'))
    const state = markHandled(emptyScheduleState(), 'a', new Date('2025-06-02T00:30:00Z'))
    await writeScheduleState(dir, state)
    expect((await stat(scheduleStatePath(dir))).mode & 0o777).toBe(0o600)
    expect(await readScheduleState(dir)).toEqual(state)
    await writeFile(scheduleStatePath(dir), '{broken')
    const warnings: string[] = []
    expect(await readScheduleState(dir, (m) => warnings.push(m))).toEqual(emptyScheduleState())
    expect(warnings[0]).toContain('damaged')
  })

  it('one holder at a time; a lock whose pid is gone is taken over', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sched-'))
    const first = await acquirePresetLock(dir, 'p1')
    expect(first).not.toBeNull()
    expect((await stat(lockPath(dir, 'p1'))).mode & 0o777).toBe(0o600)
    expect(await lockHolder(dir, 'p1')).toBe(process.pid)
    expect(await acquirePresetLock(dir, 'p1', 4242)).toBeNull()
    await first!.release()
    expect(await lockHolder(dir, 'p1')).toBeNull()
    // A crashed run's lock: its pid no longer exists.
    await writeFile(lockPath(dir, 'p1'), '999999999\n')
    const taken = await acquirePresetLock(dir, 'p1', 777, (pid) => pid === 777)
    expect(taken).not.toBeNull()
    expect((await readFile(lockPath(dir, 'p1'), 'utf8')).trim()).toBe('777')
    await taken!.release()
  })
})
