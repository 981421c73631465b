/**
 * A preset's schedule for the machine's own scheduler, for headless servers: a systemd service + timer
 * (`Persistent=true`: a time missed while the machine was off runs at boot), one crontab line, or a Task
 * Scheduler 1.2 XML task. Each runs `sfdbtools schedule run-due --preset <id>`, which honours the catch-up
 * window and the one-run-at-a-time lock. Keys never appear here: the command finds them in the keychain or
 * in an environment file (systemd's EnvironmentFile=, the command's --env-file for cron). Pure.
 */
import { CronExpressionParser } from 'cron-parser'
import type { QuickBackupPreset } from '../../../shared/ipc.ts'
import { scheduleCron, type Schedule } from '../../../shared/schedule.ts'
import { EngineError } from '../errors.ts'
import { checkCronExpression } from './next-runs.ts'

export interface ExportInput {
  preset: QuickBackupPreset & { schedule: Schedule }
  /** The command that runs sfdbtools: an absolute program, and its leading arguments (node + script). */
  program: string[]
  configDir: string
  /** The environment file with the keys (SFDB_PROFILE_KEY=…, SFDB_BACKUP_ENCRYPTION_KEY=…), 0600. */
  envFile: string
}

/** The schedule's fields as numbers, checked and expanded by cron-parser. */
interface CronFields {
  expression: string
  minutes: number[]
  hours: number[]
  /** null: every day of the month / every month / every weekday. */
  daysOfMonth: number[] | null
  months: number[] | null
  weekdays: number[] | null
}

const notExportable = (expression: string, target: string, why: string): EngineError =>
  new EngineError('InvalidInput', `${target} cannot express the schedule '${expression}': ${why}`, {
    advice: { code: 'scheduleNotExportable', params: { expression, target } },
  })

const full = (values: readonly (number | string)[], from: number, to: number): boolean =>
  new Set(values).size >= to - from + 1

function cronFields(schedule: Schedule, target: string): CronFields {
  const expression = checkCronExpression(scheduleCron(schedule))
  // Numbers and names (MON, JAN), lists, ranges and steps; not cron-parser's L, W, # or H extensions.
  const plain = expression
    .split(' ')
    .every((field) => /^[0-9*,/-]+$/.test(field.replace(/\b[A-Za-z]{3}\b/g, '0')))
  if (!plain) throw notExportable(expression, target, 'L, W, # and H are not supported')
  const f = CronExpressionParser.parse(expression).fields
  const numbers = (values: readonly (number | string)[]): number[] => {
    if (values.some((v) => typeof v !== 'number'))
      throw notExportable(expression, target, 'only numbers, lists, ranges and steps are supported')
    return [...new Set(values as number[])].sort((a, b) => a - b)
  }
  const weekdays = numbers(f.dayOfWeek.values).map((d) => d % 7)
  const dom =
    f.dayOfMonth.isWildcard || full(f.dayOfMonth.values, 1, 31) ? null : numbers(f.dayOfMonth.values)
  const dow = f.dayOfWeek.isWildcard || new Set(weekdays).size === 7 ? null : [...new Set(weekdays)].sort()
  if (dom !== null && dow !== null)
    throw notExportable(
      expression,
      target,
      'cron runs when the day of the month OR the weekday matches; give only one of them',
    )
  return {
    expression,
    minutes: numbers(f.minute.values),
    hours: numbers(f.hour.values),
    daysOfMonth: dom,
    months: f.month.isWildcard || full(f.month.values, 1, 12) ? null : numbers(f.month.values),
    weekdays: dow,
  }
}

// ── systemd ────────────────────────────────────────────────────────────────────────────────────────────

const SYSTEMD_DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const
const pad = (n: number): string => String(n).padStart(2, '0')
const listOr = (values: number[] | null, star = '*'): string =>
  values === null ? star : values.map(pad).join(',')

/** The schedule as systemd's OnCalendar= (systemd.time(7)), e.g. `Mon,Thu *-*-* 02:30:00`. */
export function onCalendar(schedule: Schedule): string {
  const f = cronFields(schedule, 'systemd')
  const days = f.weekdays === null ? '' : `${f.weekdays.map((d) => SYSTEMD_DAYS[d]).join(',')} `
  const minutes = full(f.minutes, 0, 59) ? '*' : listOr(f.minutes)
  const hours = full(f.hours, 0, 23) ? '*' : listOr(f.hours)
  return `${days}*-${listOr(f.months)}-${listOr(f.daysOfMonth)} ${hours}:${minutes}:00`
}

/** The units' base name: `sfdbtools-<preset id>` with only the characters a unit name allows. */
export const unitName = (presetId: string): string =>
  `sfdbtools-${presetId.replace(/[^A-Za-z0-9:_.\\-]/g, '-')}`

/** One argument of ExecStart= / Environment=: double-quoted, with systemd's specifiers and $ escaped. */
const systemdWord = (s: string): string =>
  `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/%/g, '%%').replace(/\$/g, '$$$$')}"`
const systemdText = (s: string): string => s.replace(/%/g, '%%').replace(/[\r\n]/g, ' ')

export function systemdUnits(input: ExportInput): { service: string; timer: string; name: string } {
  const name = unitName(input.preset.id)
  const calendar = onCalendar(input.preset.schedule)
  const title = systemdText(`sfDBTools scheduled backup: ${input.preset.label}`)
  const exec = [...input.program, 'schedule', 'run-due', '--preset', input.preset.id].map(systemdWord)
  const service = `# Made by sfdbtools schedule export --systemd. The keys are not here: they come from the keychain
# or from the environment file below (SFDB_PROFILE_KEY=…, SFDB_BACKUP_ENCRYPTION_KEY=…; chmod 600).
[Unit]
Description=${title}
Wants=network-online.target
After=network-online.target

[Service]
Type=oneshot
Environment=${systemdWord(`SFDB_CONFIG_PATH=${input.configDir}`)}
EnvironmentFile=-${input.envFile}
ExecStart=${exec.join(' ')}
`
  const timer = `# Made by sfdbtools schedule export --systemd: ${systemdText(describeFor(input.preset.schedule))}
[Unit]
Description=${title} (timer)

[Timer]
OnCalendar=${calendar}
Persistent=true
Unit=${name}.service

[Install]
WantedBy=timers.target
`
  return { service, timer, name }
}

const describeFor = (schedule: Schedule): string => `cron ${scheduleCron(schedule)}`

// ── cron ───────────────────────────────────────────────────────────────────────────────────────────────

/** A word for /bin/sh, single-quoted; `%` escaped for crontab (it would end the command). */
const shWord = (s: string): string => (/^[A-Za-z0-9_./:=@-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`)
const crontabWord = (s: string): string => shWord(s).replace(/%/g, '\\%')

/** One crontab line: the schedule's five fields, then the command with the config folder and env file. */
export function crontabLine(input: ExportInput): string {
  const expression = checkCronExpression(scheduleCron(input.preset.schedule))
  const command = [
    `SFDB_CONFIG_PATH=${crontabWord(input.configDir)}`,
    ...[
      ...input.program,
      'schedule',
      'run-due',
      '--preset',
      input.preset.id,
      '--env-file',
      input.envFile,
    ].map(crontabWord),
  ]
  return `${expression} ${command.join(' ')}`
}

// ── Windows Task Scheduler ─────────────────────────────────────────────────────────────────────────────

const WIN_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const
const WIN_MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const
/** Task Scheduler takes at most 48 triggers per task. */
const MAX_TRIGGERS = 48
/** A fixed past start: the task runs at the schedule's times from now on (and deterministic output). */
const START_DATE = '2025-01-01'

const xml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
/** A Windows command-line argument (CommandLineToArgvW rules). */
const winArg = (s: string): string =>
  /^[^\s"]+$/.test(s) ? s : `"${s.replace(/(\\*)"/g, '$1$1\\"').replace(/(\\+)$/, '$1$1')}"`

function scheduleBy(f: CronFields): string {
  const days = (list: number[]): string => list.map((d) => `<${WIN_DAYS[d]} />`).join('')
  const months = (list: number[] | null): string =>
    `<Months>${(list ?? WIN_MONTHS.map((_, i) => i + 1)).map((m) => `<${WIN_MONTHS[m - 1]} />`).join('')}</Months>`
  if (f.daysOfMonth !== null)
    return `<ScheduleByMonth><DaysOfMonth>${f.daysOfMonth.map((d) => `<Day>${d}</Day>`).join('')}</DaysOfMonth>${months(f.months)}</ScheduleByMonth>`
  if (f.months !== null && f.weekdays !== null)
    return `<ScheduleByMonthDayOfWeek><Weeks><Week>1</Week><Week>2</Week><Week>3</Week><Week>4</Week><Week>Last</Week></Weeks><DaysOfWeek>${days(f.weekdays)}</DaysOfWeek>${months(f.months)}</ScheduleByMonthDayOfWeek>`
  if (f.months !== null)
    return `<ScheduleByMonth><DaysOfMonth>${Array.from({ length: 31 }, (_, i) => `<Day>${i + 1}</Day>`).join('')}</DaysOfMonth>${months(f.months)}</ScheduleByMonth>`
  if (f.weekdays !== null)
    return `<ScheduleByWeek><WeeksInterval>1</WeeksInterval><DaysOfWeek>${days(f.weekdays)}</DaysOfWeek></ScheduleByWeek>`
  return '<ScheduleByDay><DaysInterval>1</DaysInterval></ScheduleByDay>'
}

/** A Task Scheduler 1.2 task (UTF-8; `schtasks /Create /XML` and the Task Scheduler's Import read it). */
export function windowsTaskXml(input: ExportInput): string {
  const f = cronFields(input.preset.schedule, 'Task Scheduler')
  const times = f.hours.flatMap((h) => f.minutes.map((m) => `${pad(h)}:${pad(m)}`))
  if (times.length > MAX_TRIGGERS)
    throw notExportable(
      f.expression,
      'Task Scheduler',
      `it runs at ${times.length} times of the day and a task takes at most ${MAX_TRIGGERS} triggers`,
    )
  const by = scheduleBy(f)
  const triggers = times.map(
    (t) => `    <CalendarTrigger>
      <StartBoundary>${START_DATE}T${t}:00</StartBoundary>
      <Enabled>true</Enabled>
      ${by}
    </CalendarTrigger>`,
  )
  const [command = '', ...lead] = input.program
  const args = [...lead, 'schedule', 'run-due', '--preset', input.preset.id].map(winArg).join(' ')
  return `<?xml version="1.0" encoding="UTF-8"?>
<!-- Made by sfdbtools schedule export, for Windows (${xml(describeFor(input.preset.schedule))}). Import it with
     schtasks /Create /TN "sfdbtools\\${xml(input.preset.id)}" /XML <this file>. The keys come from the
     Windows Credential Manager (sfdbtools key set), never from this file. -->
<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">
  <RegistrationInfo>
    <Description>${xml(`sfDBTools scheduled backup: ${input.preset.label}`)}</Description>
  </RegistrationInfo>
  <Triggers>
${triggers.join('\n')}
  </Triggers>
  <Principals>
    <Principal id="Author">
      <LogonType>InteractiveToken</LogonType>
      <RunLevel>LeastPrivilege</RunLevel>
    </Principal>
  </Principals>
  <Settings>
    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>
    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>
    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>
    <StartWhenAvailable>true</StartWhenAvailable>
    <AllowStartOnDemand>true</AllowStartOnDemand>
    <Enabled>true</Enabled>
    <ExecutionTimeLimit>PT0S</ExecutionTimeLimit>
  </Settings>
  <Actions Context="Author">
    <Exec>
      <Command>${xml(command)}</Command>
      <Arguments>${xml(args)}</Arguments>
    </Exec>
  </Actions>
</Task>
`
}
