import { describe, expect, it } from 'vitest'
import type { JobRecord, QuickBackupPreset, RunningJobView } from '../../../shared/ipc.ts'
import { scheduleSchema, type ScheduleInput } from '../../../shared/schedule.ts'
import { EngineError } from '../../../electron/engine/errors.ts'
import {
  emptyScheduleState,
  recordRun,
  type ScheduleHistoryEntry,
} from '../../../electron/engine/schedule/schedule-state.ts'
import { previewSchedule, scheduleStatus } from '../../../electron/main/scheduler/schedule-status.ts'
import { backupRequest } from '../../harness/backup-request.ts'

const NOW = new Date('2026-01-12T10:15:00Z')

const adviceOf = (run: () => unknown) => {
  try {
    run()
  } catch (e) {
    expect(e).toBeInstanceOf(EngineError)
    return (e as EngineError).toAppError()
  }
  throw new Error('it did not fail')
}

describe('schedules:preview (previewSchedule)', () => {
  it('gives the next five runs in the time zone it names', () => {
    expect(previewSchedule({ kind: 'daily', time: '02:30' }, NOW, 'UTC')).toEqual({
      timeZone: 'UTC',
      runs: [13, 14, 15, 16, 17].map((d) => `2026-01-${d}T02:30:00.000Z`),
    })
    expect(previewSchedule({ kind: 'hourly', every: 6 }, NOW, 'UTC').runs).toEqual([
      '2026-01-12T12:00:00.000Z',
      '2026-01-12T18:00:00.000Z',
      '2026-01-13T00:00:00.000Z',
      '2026-01-13T06:00:00.000Z',
      '2026-01-13T12:00:00.000Z',
    ])
    // 02:30 in Jakarta is 19:30 UTC the day before.
    expect(previewSchedule({ kind: 'weekly', days: [1], time: '02:30' }, NOW, 'Asia/Jakarta').runs[0]).toBe(
      '2026-01-18T19:30:00.000Z',
    )
  })

  it('names the bad field of a cron expression', () => {
    const error = adviceOf(() => previewSchedule({ kind: 'cron', expression: '0 25 * * *' }, NOW, 'UTC'))
    expect(error).toMatchObject({
      code: 'InvalidInput',
      advice: { code: 'scheduleInvalid', params: { field: 'hour', value: '25', expression: '0 25 * * *' } },
    })
  })

  it('names the bad field of a form schedule', () => {
    expect(adviceOf(() => previewSchedule({ kind: 'daily', time: '24:10' }, NOW, 'UTC'))).toMatchObject({
      code: 'InvalidInput',
      advice: { code: 'scheduleInvalid', params: { field: 'time', value: '24:10', expression: 'daily' } },
    })
    expect(
      adviceOf(() => previewSchedule({ kind: 'weekly', days: [], time: '02:00' }, NOW, 'UTC')),
    ).toMatchObject({ advice: { params: { field: 'days', value: '[]' } } })
    expect(adviceOf(() => previewSchedule({ kind: 'monthly' }, NOW, 'UTC'))).toMatchObject({
      advice: { params: { field: 'kind', value: 'monthly' } },
    })
  })
})

describe('schedules:status (scheduleStatus)', () => {
  const preset = (id: string, schedule?: ScheduleInput): QuickBackupPreset => ({
    id,
    label: id,
    request: backupRequest(),
    ...(schedule ? { schedule: scheduleSchema.parse(schedule) } : {}),
  })
  const entry = (presetId: string, more: Partial<ScheduleHistoryEntry>): ScheduleHistoryEntry => ({
    presetId,
    label: presetId,
    trigger: 'scheduled',
    scheduledFor: '2026-01-12T02:00:00.000Z',
    at: '2026-01-12T02:00:05.000Z',
    outcome: 'success',
    late: false,
    ...more,
  })
  const record = (jobId: string, status: JobRecord['status']): JobRecord =>
    ({ jobId, status }) as unknown as JobRecord
  const running = (jobId: string, presetId: string, late: boolean): RunningJobView => ({
    jobId,
    profile: 'prod',
    mode: 'single',
    ticket: 'T',
    startedAt: '2026-01-12T10:00:01.000Z',
    files: [],
    progress: null,
    cancelling: false,
    presetId,
    schedule: { dueAt: '2026-01-12T10:00:00.000Z', late },
  })

  it('per preset: the next run and how the last scheduled one went', () => {
    let state = emptyScheduleState()
    for (const e of [
      entry('ran', { outcome: 'failed', jobId: 'job-old' }),
      entry('ran', { outcome: 'success', jobId: 'job-1', late: false }),
      entry('late', { outcome: 'success', jobId: 'job-2', late: true, at: '2026-01-12T07:00:00.000Z' }),
      entry('skipped', { outcome: 'skipped' }),
      entry('missed', { outcome: 'missed', late: true, at: '2026-01-12T09:00:00.000Z' }),
      entry('cli', { outcome: 'failed' }),
    ])
      state = recordRun(state, e)
    const status = scheduleStatus({
      presets: [
        preset('ran', { kind: 'daily', time: '02:00' }),
        preset('late', { kind: 'daily', time: '02:00' }),
        preset('skipped', { kind: 'hourly', every: 1 }),
        preset('missed', { kind: 'daily', time: '02:00', enabled: false }),
        preset('cli', { kind: 'daily', time: '02:00' }),
        preset('none'),
        preset('going', { kind: 'hourly', every: 1 }),
      ],
      state,
      journal: [record('job-1', 'success_with_warnings'), record('job-2', 'cancelled')],
      running: [running('job-9', 'going', true), { ...running('job-8', 'none', false), schedule: undefined }],
      now: NOW,
      timeZone: 'UTC',
    })
    expect(status.presets).toEqual([
      {
        presetId: 'ran',
        nextRun: '2026-01-13T02:00:00.000Z',
        last: {
          at: '2026-01-12T02:00:05.000Z',
          outcome: 'ran',
          jobId: 'job-1',
          status: 'success_with_warnings',
        },
      },
      {
        presetId: 'late',
        nextRun: '2026-01-13T02:00:00.000Z',
        last: { at: '2026-01-12T07:00:00.000Z', outcome: 'late', jobId: 'job-2', status: 'cancelled' },
      },
      {
        presetId: 'skipped',
        nextRun: '2026-01-12T11:00:00.000Z',
        last: { at: '2026-01-12T02:00:00.000Z', outcome: 'skipped', jobId: null, status: null },
      },
      // Disabled: no next run; its last one is still told.
      {
        presetId: 'missed',
        nextRun: null,
        last: { at: '2026-01-12T02:00:00.000Z', outcome: 'missed', jobId: null, status: null },
      },
      // A run of `schedule run-due` has no job of the app: its recorded outcome.
      {
        presetId: 'cli',
        nextRun: '2026-01-13T02:00:00.000Z',
        last: { at: '2026-01-12T02:00:05.000Z', outcome: 'ran', jobId: null, status: 'failed' },
      },
      // A job of the preset that no schedule started is no scheduled run.
      { presetId: 'none', nextRun: null, last: null },
      {
        presetId: 'going',
        nextRun: '2026-01-12T11:00:00.000Z',
        last: { at: '2026-01-12T10:00:01.000Z', outcome: 'late', jobId: 'job-9', status: null },
      },
    ])
  })
})
