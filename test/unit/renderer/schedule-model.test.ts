/** The schedule editor's model: form ↔ schedule, the fields' problems, the words the UI shows. */
import { describe, expect, it } from 'vitest'
import { translator } from '../../../renderer/src/i18n/messages.ts'
import { adviceText } from '../../../renderer/src/i18n/phrase.ts'
import {
  DEFAULT_CATCH_UP,
  engineProblemField,
  formatRunTime,
  MAX_CATCH_UP,
  readScheduleForm,
  scheduledTag,
  scheduleForm,
  scheduleText,
  toggleDay,
  weekdayName,
} from '../../../renderer/src/pages/dashboard/schedule-model.ts'
import type { ScheduleForm } from '../../../renderer/src/pages/dashboard/schedule-model.ts'
import {
  DEFAULT_CATCH_UP_HOURS,
  MAX_CATCH_UP_HOURS,
  scheduleSchema,
  type Schedule,
} from '../../../shared/schedule.ts'

const en = translator('en')
const id = translator('id')
const form = (change: Partial<ScheduleForm>): ScheduleForm => ({ ...scheduleForm(), ...change })
const fields = (f: ScheduleForm, stored?: Schedule): string[] =>
  readScheduleForm(f, stored).problems.map((p) => p.field)

describe('schedule editor model', () => {
  it('copies the shared schema’s bounds', () => {
    expect(DEFAULT_CATCH_UP).toBe(DEFAULT_CATCH_UP_HOURS)
    expect(MAX_CATCH_UP).toBe(MAX_CATCH_UP_HOURS)
  })

  it('a new preset starts off, with defaults for every kind', () => {
    expect(scheduleForm()).toEqual({
      choice: 'off',
      time: '02:00',
      days: [1, 2, 3, 4, 5],
      every: '6',
      expression: '0 2 * * 1-5',
      catchUpHours: '12',
    })
    expect(readScheduleForm(scheduleForm())).toEqual({ schedule: undefined, problems: [] })
  })

  it('each kind becomes the schedule the shared schema accepts', () => {
    const cases: [Partial<ScheduleForm>, Schedule][] = [
      [
        { choice: 'daily', time: '23:59' },
        { kind: 'daily', time: '23:59', enabled: true, catchUpHours: 12 },
      ],
      [
        { choice: 'weekly', days: [4, 1, 1], time: '07:05', catchUpHours: '0' },
        { kind: 'weekly', days: [1, 4], time: '07:05', enabled: true, catchUpHours: 0 },
      ],
      [
        { choice: 'hourly', every: ' 4 ', catchUpHours: '168' },
        { kind: 'hourly', every: 4, enabled: true, catchUpHours: 168 },
      ],
      [
        { choice: 'cron', expression: '  0   3 * *  1-5 ' },
        { kind: 'cron', expression: '0 3 * * 1-5', enabled: true, catchUpHours: 12 },
      ],
    ]
    for (const [change, expected] of cases) {
      const reading = readScheduleForm(form(change))
      expect(reading).toEqual({ schedule: expected, problems: [] })
      expect(scheduleSchema.parse(reading.schedule)).toEqual(expected)
    }
  })

  it('names the field that cannot be used, with its message', () => {
    expect(readScheduleForm(form({ choice: 'daily', time: '24:00' })).problems).toEqual([
      { field: 'time', message: 'schedule.problem.time' },
    ])
    expect(fields(form({ choice: 'daily', time: '' }))).toEqual(['time'])
    expect(fields(form({ choice: 'weekly', days: [] }))).toEqual(['days'])
    expect(fields(form({ choice: 'weekly', days: [], time: '7:5' }))).toEqual(['days', 'time'])
    for (const every of ['0', '24', '2.5', '', 'x', '-1'])
      expect(fields(form({ choice: 'hourly', every }))).toEqual(['every'])
    expect(fields(form({ choice: 'cron', expression: '   ' }))).toEqual(['expression'])
    expect(fields(form({ choice: 'cron', expression: '* '.repeat(101) }))).toEqual(['expression'])
    expect(readScheduleForm(form({ choice: 'daily', catchUpHours: '169' })).problems).toEqual([
      { field: 'catchUpHours', message: 'schedule.problem.catchUp', values: { max: 168 } },
    ])
    expect(fields(form({ choice: 'hourly', every: '0', catchUpHours: '' }))).toEqual([
      'every',
      'catchUpHours',
    ])
    // With a problem there is nothing to store.
    expect(readScheduleForm(form({ choice: 'daily', time: '9' })).schedule).toBeUndefined()
    // Only the chosen kind is checked: another kind's leftovers do not matter.
    expect(fields(form({ choice: 'daily', every: 'x', expression: '', days: [] }))).toEqual([])
  })

  it('off keeps a stored schedule, paused; a paused one opens as off with its values', () => {
    const stored: Schedule = { kind: 'weekly', days: [6], time: '05:30', enabled: true, catchUpHours: 3 }
    expect(readScheduleForm(form({ choice: 'off', catchUpHours: 'x' }), stored)).toEqual({
      schedule: { ...stored, enabled: false },
      problems: [],
    })
    const paused = scheduleForm({ ...stored, enabled: false })
    expect(paused).toMatchObject({ choice: 'off', days: [6], time: '05:30', catchUpHours: '3' })
    expect(readScheduleForm({ ...paused, choice: 'weekly' }, stored).schedule).toEqual(stored)
  })

  it('a stored schedule fills its own fields, the others keep their defaults', () => {
    expect(scheduleForm({ kind: 'hourly', every: 3, enabled: true, catchUpHours: 1 })).toMatchObject({
      choice: 'hourly',
      every: '3',
      time: '02:00',
      catchUpHours: '1',
    })
    expect(
      scheduleForm({ kind: 'cron', expression: '5 4 * * *', enabled: true, catchUpHours: 12 }),
    ).toMatchObject({ choice: 'cron', expression: '5 4 * * *' })
  })

  it('ticks and clears weekdays, keeping them sorted and single', () => {
    expect(toggleDay([1, 5], 3, true)).toEqual([1, 3, 5])
    expect(toggleDay([1, 3, 5], 3, true)).toEqual([1, 3, 5])
    expect(toggleDay([1, 3, 5], 1, false)).toEqual([3, 5])
  })

  it('describes a schedule in both languages', () => {
    const weekly: Schedule = {
      kind: 'weekly',
      days: [0, 1, 4],
      time: '02:30',
      enabled: true,
      catchUpHours: 12,
    }
    expect(scheduleText(en, 'en', undefined)).toBe('Not scheduled')
    expect(scheduleText(en, 'en', { kind: 'daily', time: '02:30', enabled: true, catchUpHours: 12 })).toBe(
      'Daily at 02:30',
    )
    // Monday first, Sunday last.
    expect(scheduleText(en, 'en', weekly)).toBe('Mon, Thu, Sun at 02:30')
    expect(scheduleText(id, 'id', weekly)).toBe('Sen, Kam, Min pukul 02:30')
    expect(scheduleText(en, 'en', { kind: 'hourly', every: 1, enabled: true, catchUpHours: 12 })).toBe(
      'Every hour',
    )
    expect(scheduleText(en, 'en', { kind: 'hourly', every: 6, enabled: true, catchUpHours: 12 })).toBe(
      'Every 6 hours',
    )
    expect(scheduleText(id, 'id', { kind: 'hourly', every: 6, enabled: true, catchUpHours: 12 })).toBe(
      'Setiap 6 jam',
    )
    expect(
      scheduleText(en, 'en', { kind: 'cron', expression: ' 0  3 * * 1-5', enabled: false, catchUpHours: 12 }),
    ).toBe('Cron 0 3 * * 1-5 (paused)')
    expect(scheduleText(id, 'id', { kind: 'daily', time: '01:00', enabled: false, catchUpHours: 12 })).toBe(
      'Setiap hari pukul 01:00 (dijeda)',
    )
    expect([0, 6].map((d) => weekdayName(d, 'en'))).toEqual(['Sun', 'Sat'])
    expect(scheduledTag(en, { late: false })).toBe('Scheduled')
    expect(scheduledTag(en, { late: true })).toBe('Scheduled, ran late')
    expect(scheduledTag(id, { late: true })).toBe('Terjadwal, terlambat')
  })

  it('shows a run in the preview’s time zone, in 24-hour time', () => {
    expect(formatRunTime('2026-03-02T01:30:00.000Z', 'en', 'UTC')).toBe('Mon, 2 Mar 2026, 01:30')
    expect(formatRunTime('2026-03-02T01:30:00.000Z', 'en', 'Asia/Jakarta')).toBe('Mon, 2 Mar 2026, 08:30')
    expect(formatRunTime('not a date', 'en')).toBe('not a date')
  })

  it('ties the engine’s refusal of a cron expression to its field, phrased with the field’s name', () => {
    const error = {
      code: 'InvalidInput' as const,
      message: "the hour field '25' of the cron expression '0 25 * * *' is invalid",
      advice: {
        code: 'scheduleInvalid' as const,
        params: { field: 'hour', value: '25', expression: '0 25 * * *' },
      },
    }
    expect(engineProblemField(error)).toBe('expression')
    const schemaField = (field: string) => ({ ...error, advice: { ...error.advice, params: { field } } })
    expect(engineProblemField(schemaField('days.0'))).toBe('days')
    expect(engineProblemField(schemaField('catchUpHours'))).toBe('catchUpHours')
    expect(engineProblemField(schemaField('count of'))).toBe('expression')
    expect(engineProblemField({ code: 'Internal', message: 'x' })).toBeNull()
    expect(engineProblemField({ code: 'InvalidInput', message: 'x' })).toBeNull()
    expect(adviceText(en, 'en', error.advice)).toContain('Fix the hour field “25” of 0 25 * * *')
    expect(adviceText(id, 'id', error.advice)).toContain('Perbaiki kolom jam “25” dari 0 25 * * *')
    const count = {
      code: 'scheduleInvalid' as const,
      params: { field: 'count of', value: '3', expression: '0 2 *' },
    }
    expect(adviceText(id, 'id', count)).toContain('kolom jumlah “3”')
  })
})
