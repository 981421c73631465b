/**
 * A quick backup preset's schedule (issue 15): daily at a time, on chosen weekdays, every N hours, or a
 * 5-field cron expression, in the machine's time zone. Every kind becomes a cron expression
 * (`scheduleCron`), and the engine computes its runs with a maintained cron parser
 * (electron/engine/schedule/next-runs.ts). zod only: the renderer edits the same schema.
 */
import { z } from 'zod'

/** `HH:MM`, 24-hour, local time. */
export const scheduleTimeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time HH:MM (00:00–23:59)')

/** A missed run older than this is not caught up (recorded as missed); at most a week. */
export const DEFAULT_CATCH_UP_HOURS = 12
export const MAX_CATCH_UP_HOURS = 168

const common = {
  enabled: z.boolean().default(true),
  /** A run missed while the machine slept or the app was closed runs once if not older than this. */
  catchUpHours: z.number().int().min(0).max(MAX_CATCH_UP_HOURS).default(DEFAULT_CATCH_UP_HOURS),
}

export const scheduleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('daily'), time: scheduleTimeSchema, ...common }),
  z.object({
    kind: z.literal('weekly'),
    /** 0 = Sunday … 6 = Saturday, as cron counts them. */
    days: z.array(z.number().int().min(0).max(6)).min(1).max(7),
    time: scheduleTimeSchema,
    ...common,
  }),
  /** At minute 0 of every N-th hour counted from midnight (cron `0 *\/N * * *`). */
  z.object({ kind: z.literal('hourly'), every: z.number().int().min(1).max(23), ...common }),
  /** minute hour day-of-month month day-of-week; checked by the engine's parser (electron/engine/schedule). */
  z.object({ kind: z.literal('cron'), expression: z.string().trim().min(1).max(200), ...common }),
])
export type Schedule = z.infer<typeof scheduleSchema>
/** A schedule as a form or a command line gives it (enabled and catchUpHours may be left out). */
export type ScheduleInput = z.input<typeof scheduleSchema>

export const WEEKDAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const

const timeParts = (time: string): [number, number] => {
  const [h, m] = time.split(':').map(Number)
  return [h ?? 0, m ?? 0]
}

/** The schedule as a 5-field cron expression (minute hour day-of-month month day-of-week). */
export function scheduleCron(schedule: Schedule): string {
  switch (schedule.kind) {
    case 'daily': {
      const [h, m] = timeParts(schedule.time)
      return `${m} ${h} * * *`
    }
    case 'weekly': {
      const [h, m] = timeParts(schedule.time)
      const days = [...new Set(schedule.days)].sort((a, b) => a - b)
      return `${m} ${h} * * ${days.join(',')}`
    }
    case 'hourly':
      return schedule.every === 1 ? '0 * * * *' : `0 */${schedule.every} * * *`
    case 'cron':
      return schedule.expression.trim().split(/\s+/).join(' ')
  }
}

/** A short English description: "daily at 02:30", "mon,thu at 02:30", "every 6 h", "cron 0 3 * * 1-5". */
export function describeSchedule(schedule: Schedule): string {
  switch (schedule.kind) {
    case 'daily':
      return `daily at ${schedule.time}`
    case 'weekly':
      return `${[...new Set(schedule.days)]
        .sort((a, b) => a - b)
        .map((d) => WEEKDAY_NAMES[d])
        .join(',')} at ${schedule.time}`
    case 'hourly':
      return schedule.every === 1 ? 'every hour' : `every ${schedule.every} h`
    case 'cron':
      return `cron ${scheduleCron(schedule)}`
  }
}
