/**
 * A schedule's runs, computed by cron-parser (a maintained parser: no cron arithmetic of our own). Every
 * kind of schedule becomes a 5-field cron expression (shared/schedule.ts `scheduleCron`) read in a time
 * zone: the machine's (TZ respected) unless one is given. Pure: the clock is always a parameter.
 */
import { CronExpressionParser, type CronExpression } from 'cron-parser'
import { scheduleCron, type Schedule } from '../../../shared/schedule.ts'
import { EngineError } from '../errors.ts'

export const CRON_FIELDS = ['minute', 'hour', 'day-of-month', 'month', 'day-of-week'] as const

/** The machine's time zone as Intl sees it (it follows TZ). */
export const machineTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone

function invalid(expression: string, field: string, value: string, why: string): EngineError {
  return new EngineError(
    'InvalidInput',
    `the ${field} field '${value}' of the cron expression '${expression}' is invalid: ${why}`,
    { advice: { code: 'scheduleInvalid', params: { field, value, expression } } },
  )
}

/**
 * Checks a 5-field cron expression and returns it normalised (single spaces). An invalid one is an
 * `InvalidInput` naming the bad field: each field is parsed alone (the others `*`) so the parser's own
 * message is tied to the field it is about.
 */
export function checkCronExpression(expression: string): string {
  const fields = expression
    .trim()
    .split(/\s+/)
    .filter((f) => f !== '')
  const normal = fields.join(' ')
  if (fields.length !== 5)
    throw new EngineError(
      'InvalidInput',
      `the cron expression '${normal}' has ${fields.length} field${fields.length === 1 ? '' : 's'}; it needs 5: minute hour day-of-month month day-of-week`,
      {
        advice: {
          code: 'scheduleInvalid',
          params: { field: 'count of', value: String(fields.length), expression: normal },
        },
      },
    )
  fields.forEach((value, i) => {
    const field = CRON_FIELDS[i] ?? 'unknown'
    // Seconds, `?` and Quartz-style extensions are not cron's five fields.
    if (!/^[0-9A-Za-z*,/\-#]+$/.test(value)) throw invalid(normal, field, value, 'unexpected characters')
    const alone = CRON_FIELDS.map((_, j) => (j === i ? value : '*')).join(' ')
    try {
      CronExpressionParser.parse(alone, { strict: false })
    } catch (e) {
      throw invalid(normal, field, value, (e as Error).message)
    }
  })
  try {
    CronExpressionParser.parse(normal)
  } catch (e) {
    throw invalid(normal, 'day-of-month', fields[2] ?? '', (e as Error).message)
  }
  return normal
}

/** The schedule's cron expression, parsed from `from` in `timeZone`. */
export function parseSchedule(schedule: Schedule, from: Date, timeZone = machineTimeZone()): CronExpression {
  const expression = checkCronExpression(scheduleCron(schedule))
  return CronExpressionParser.parse(expression, { currentDate: from, tz: timeZone })
}

/** The next `count` runs strictly after `from` (what an editor shows as the schedule is typed). */
export function nextRuns(schedule: Schedule, from: Date, count: number, timeZone?: string): Date[] {
  const expr = parseSchedule(schedule, from, timeZone)
  const runs: Date[] = []
  while (runs.length < count && expr.hasNext()) runs.push(expr.next().toDate())
  return runs
}

/**
 * The scheduled times in (`after`, `until`], oldest first, at most `limit` of them. Walks forwards only:
 * cron-parser's prev() skips a run moved by a DST gap (02:30 on a spring-forward day runs at 03:30), next()
 * does not.
 */
export function runsBetween(
  schedule: Schedule,
  after: Date,
  until: Date,
  limit: number,
  timeZone?: string,
): Date[] {
  const expr = parseSchedule(schedule, after, timeZone)
  const runs: Date[] = []
  while (runs.length < limit && expr.hasNext()) {
    const at = expr.next().toDate()
    if (at.getTime() > until.getTime()) break
    if (at.getTime() > after.getTime()) runs.push(at)
  }
  return runs
}
