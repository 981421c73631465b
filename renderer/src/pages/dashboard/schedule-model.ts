/**
 * The schedule editor of a quick backup (issue 15), as pure functions: the form's fields (strings, as typed)
 * from a stored schedule, the schedule the form stands for with the problems of its fields, and the
 * schedule described in the UI's language. The engine computes the runs and checks a cron expression
 * (`schedules:preview`); this checks what a form can check by itself.
 */
import type { ScheduledRunInfo, ScheduleOutcome } from '../../../../shared/ipc.ts'
import type { AppError } from '../../../../shared/result.ts'
// Types only: shared/schedule.ts builds zod schemas at load time, which stay out of the renderer's bundle.
import type { DEFAULT_CATCH_UP_HOURS, MAX_CATCH_UP_HOURS, Schedule } from '../../../../shared/schedule.ts'
import type { BadgeTone } from '../../components/StatusBadge.tsx'
import type { Language, MessageKey, MessageValues, Translate } from '../../i18n/messages.ts'
import { localeOf } from '../../lib/format.ts'

/** What the editor offers: no schedule, or one of the schedule kinds. */
export const SCHEDULE_CHOICES = ['off', 'daily', 'weekly', 'hourly', 'cron'] as const
export type ScheduleChoice = (typeof SCHEDULE_CHOICES)[number]

/** The editor's fields, as typed; each kind keeps its own values while another is chosen. */
export interface ScheduleForm {
  choice: ScheduleChoice
  /** HH:MM, daily and weekly. */
  time: string
  /** 0 = Sunday … 6 = Saturday (weekly). */
  days: number[]
  /** Hours between runs (hourly). */
  every: string
  expression: string
  catchUpHours: string
}

const FORM_FIELDS = ['time', 'days', 'every', 'expression', 'catchUpHours'] as const
export type ScheduleField = (typeof FORM_FIELDS)[number]

/** A field that cannot be used as typed, with the message (a key of the dictionaries) that says why. */
export interface ScheduleProblem {
  field: ScheduleField
  message: MessageKey
  values?: MessageValues
}

/** What the form stands for: the schedule to store (undefined: none) and the problems of its fields. */
export interface ScheduleReading {
  schedule: Schedule | undefined
  problems: ScheduleProblem[]
}

export const DEFAULT_TIME = '02:00'
export const DEFAULT_DAYS = [1, 2, 3, 4, 5]
export const DEFAULT_EVERY = 6
export const DEFAULT_EXPRESSION = '0 2 * * 1-5'
/** The week as the editor lists it: Monday first, Sunday last. */
export const WEEK_ORDER = [1, 2, 3, 4, 5, 6, 0] as const

/** The shared schema's bounds, copied (their literal types check the copies). */
export const DEFAULT_CATCH_UP: typeof DEFAULT_CATCH_UP_HOURS = 12
export const MAX_CATCH_UP: typeof MAX_CATCH_UP_HOURS = 168

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/
const WHOLE = /^\d{1,4}$/

/** A cron expression with single spaces between its fields. */
const normalCron = (expression: string): string => expression.trim().split(/\s+/).join(' ')

/** The form of a stored schedule (a disabled one shows as off, its values kept); defaults without one. */
export function scheduleForm(schedule?: Schedule): ScheduleForm {
  const form: ScheduleForm = {
    choice: schedule === undefined || !schedule.enabled ? 'off' : schedule.kind,
    time: DEFAULT_TIME,
    days: [...DEFAULT_DAYS],
    every: String(DEFAULT_EVERY),
    expression: DEFAULT_EXPRESSION,
    catchUpHours: String(schedule?.catchUpHours ?? DEFAULT_CATCH_UP),
  }
  if (schedule === undefined) return form
  switch (schedule.kind) {
    case 'daily':
      return { ...form, time: schedule.time }
    case 'weekly':
      return { ...form, time: schedule.time, days: [...new Set(schedule.days)].sort((a, b) => a - b) }
    case 'hourly':
      return { ...form, every: String(schedule.every) }
    case 'cron':
      return { ...form, expression: schedule.expression }
  }
}

/** A whole number within [min, max] typed in a field, or null. */
function wholeNumber(text: string, min: number, max: number): number | null {
  const trimmed = text.trim()
  if (!WHOLE.test(trimmed)) return null
  const n = Number(trimmed)
  return n >= min && n <= max ? n : null
}

/** The schedule of the chosen kind (enabled), or the problems of its fields. */
function readKind(form: ScheduleForm, catchUpHours: number): Schedule | ScheduleProblem[] {
  const common = { enabled: true, catchUpHours }
  const time = form.time.trim()
  const timeProblem: ScheduleProblem[] = TIME.test(time)
    ? []
    : [{ field: 'time', message: 'schedule.problem.time' }]
  switch (form.choice) {
    case 'off':
      return []
    case 'daily':
      return timeProblem.length > 0 ? timeProblem : { kind: 'daily', time, ...common }
    case 'weekly': {
      const days = [...new Set(form.days)].filter((d) => d >= 0 && d <= 6).sort((a, b) => a - b)
      const problems: ScheduleProblem[] = [
        ...(days.length === 0 ? [{ field: 'days', message: 'schedule.problem.days' } as const] : []),
        ...timeProblem,
      ]
      return problems.length > 0 ? problems : { kind: 'weekly', days, time, ...common }
    }
    case 'hourly': {
      const every = wholeNumber(form.every, 1, 23)
      return every === null
        ? [{ field: 'every', message: 'schedule.problem.every' }]
        : { kind: 'hourly', every, ...common }
    }
    case 'cron': {
      const expression = normalCron(form.expression)
      return expression === '' || expression.length > 200
        ? [{ field: 'expression', message: 'schedule.problem.expression' }]
        : { kind: 'cron', expression, ...common }
    }
  }
}

/**
 * The schedule the form stands for. Off keeps a stored schedule, disabled (it can be turned on again as it
 * was); off without one is no schedule. Only the chosen kind's fields (and the catch-up window) are checked.
 */
export function readScheduleForm(form: ScheduleForm, stored?: Schedule): ScheduleReading {
  if (form.choice === 'off')
    return { schedule: stored === undefined ? undefined : { ...stored, enabled: false }, problems: [] }
  const catchUp = wholeNumber(form.catchUpHours, 0, MAX_CATCH_UP)
  const kind = readKind(form, catchUp ?? DEFAULT_CATCH_UP)
  const problems: ScheduleProblem[] = [
    ...(Array.isArray(kind) ? kind : []),
    ...(catchUp === null
      ? [
          {
            field: 'catchUpHours',
            message: 'schedule.problem.catchUp',
            values: { max: MAX_CATCH_UP },
          } as const,
        ]
      : []),
  ]
  if (problems.length > 0 || Array.isArray(kind)) return { schedule: undefined, problems }
  return { schedule: kind, problems: [] }
}

/** The problem of one field, if any. */
export const problemOf = (reading: ScheduleReading, field: ScheduleField): ScheduleProblem | undefined =>
  reading.problems.find((p) => p.field === field)

/** The days of a weekly schedule after a day's box was ticked or cleared. */
export function toggleDay(days: number[], day: number, on: boolean): number[] {
  const rest = days.filter((d) => d !== day)
  return (on ? [...rest, day] : rest).sort((a, b) => a - b)
}

/**
 * The engine's refusal of a schedule, when it is about a field of the form (a cron expression's field, the
 * count of fields): the field it belongs to. Any other error is not the form's.
 */
export function engineProblemField(error: AppError): ScheduleField | null {
  if (error.code !== 'InvalidInput' || error.advice?.code !== 'scheduleInvalid') return null
  // A field of the schedule itself ('time', 'days.0', …), else one of the cron expression's fields.
  const head = String(error.advice.params?.field ?? '').split('.')[0] ?? ''
  return (FORM_FIELDS as readonly string[]).includes(head) ? (head as ScheduleField) : 'expression'
}

/** A weekday's short name in the UI's language (0 = Sunday). */
export function weekdayName(day: number, language: Language): string {
  // 1 January 2023 was a Sunday; read in UTC, so no time zone moves it to another day.
  const date = new Date(Date.UTC(2023, 0, 1 + day))
  return new Intl.DateTimeFormat(localeOf(language), { weekday: 'short', timeZone: 'UTC' }).format(date)
}

/** The schedule in words, in the UI's language: "Daily at 02:30", "Mon, Thu at 02:30", "Every 6 hours". */
export function scheduleText(t: Translate, language: Language, schedule: Schedule | undefined): string {
  if (schedule === undefined) return t('schedule.describe.none')
  const text = ((): string => {
    switch (schedule.kind) {
      case 'daily':
        return t('schedule.describe.daily', { time: schedule.time })
      case 'weekly': {
        const days = [...new Set(schedule.days)].sort((a, b) => ((a + 6) % 7) - ((b + 6) % 7))
        const names = days.map((d) => weekdayName(d, language)).join(', ')
        return t('schedule.describe.weekly', { days: names, time: schedule.time })
      }
      case 'hourly':
        return t('schedule.describe.hourly', { count: schedule.every })
      case 'cron':
        return t('schedule.describe.cron', { expression: normalCron(schedule.expression) })
    }
  })()
  return schedule.enabled ? text : t('schedule.describe.paused', { schedule: text })
}

/** A scheduled time, in the preview's time zone: "Mon, 12 May 2025, 02:30". */
export function formatRunTime(iso: string, language: Language, timeZone?: string): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  return new Intl.DateTimeFormat(localeOf(language), {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    ...(timeZone === undefined ? {} : { timeZone }),
  }).format(date)
}

/** How a preset's last scheduled run went, in words. */
export const outcomeKey = (outcome: ScheduleOutcome): MessageKey => `schedule.outcome.${outcome}`

/** The badge tone of how a scheduled run went (its job's own status has its own badge). */
export const OUTCOME_TONES: Record<ScheduleOutcome, BadgeTone> = {
  ran: 'ok',
  late: 'warn',
  skipped: 'warn',
  missed: 'error',
}

/** The tag of a scheduled run (History, Jobs): "Scheduled", or "Scheduled, ran late". */
export const scheduledTag = (t: Translate, schedule: Pick<ScheduledRunInfo, 'late'>): string =>
  t(schedule.late ? 'schedule.trigger.late' : 'schedule.trigger.scheduled')
