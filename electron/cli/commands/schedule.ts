/**
 * `sfdbtools schedule list|add|remove|run-due|export`: the schedules of the quick backup presets (kept in
 * the app's settings file with the presets), and what runs them on a headless server.
 */
import { chmod, mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { QuickBackupPreset } from '../../../shared/ipc.ts'
import {
  DEFAULT_CATCH_UP_HOURS,
  describeSchedule,
  scheduleSchema,
  WEEKDAY_NAMES,
  type Schedule,
} from '../../../shared/schedule.ts'
import { EngineError } from '../../engine/errors.ts'
import { isScheduled } from '../../engine/schedule/due-runs.ts'
import { checkCronExpression, nextRuns } from '../../engine/schedule/next-runs.ts'
import { findPreset, readPresets, setPresetSchedule } from '../../engine/schedule/presets-file.ts'
import { crontabLine, systemdUnits, windowsTaskXml } from '../../engine/schedule/schedule-export.ts'
import {
  forgetPreset,
  markHandled,
  readScheduleState,
  updateScheduleState,
} from '../../engine/schedule/schedule-state.ts'
import { bool, intFlag, parseFlags, str, UsageError } from '../args.ts'
import type { CliContext } from '../context.ts'
import { readEnvFile } from '../schedule/env-file.ts'
import { exportProgram } from '../schedule/export-program.ts'
import { runDue } from '../schedule/run-due.ts'

export const SCHEDULE_HELP = `Usage:
  sfdbtools schedule list [--json]
  sfdbtools schedule add <preset> --daily HH:MM | --weekly mon,thu@HH:MM | --every Nh | --cron "M H DOM MON DOW"
                         [--catch-up HOURS] [--disabled]
  sfdbtools schedule remove <preset>
  sfdbtools schedule run-due [--preset ID] [--env-file FILE]
  sfdbtools schedule export <preset> --systemd [--output DIR] | --cron | --windows-task
                            [--bin PATH] [--env-file FILE]

The schedules of the quick backup presets (the app's "Save as quick backup"; <preset> is its id or label),
kept with the presets in <config dir>/desktop-settings.json. Times are the machine's time zone (TZ).

  list       each preset's schedule, its next run and its last scheduled run
  add        sets a preset's schedule and prints its next five runs; --every Nh runs at minute 0 of every
             N-th hour from midnight; --cron takes 5 fields (an invalid field is named).
             --catch-up HOURS: a run missed while the machine slept or nothing ran the scheduler runs once
             when it is back if not older than this (default ${DEFAULT_CATCH_UP_HOURS}; 0: only on time); older ones are
             recorded as missed
  remove     clears a preset's schedule
  run-due    runs the presets that are due now, each as a normal 'sfdbtools backup' of the preset's request
             WITH THE PRESET'S STORED TICKET; a late run is caught up once and recorded as late; a preset whose
             previous run is still going is skipped and recorded as skipped (one run per preset at a time).
             Run it from a timer (see export) or every few minutes from cron. Exit 1 when a run failed.
             --env-file FILE: SFDB_* variables (the keys: SFDB_PROFILE_KEY, SFDB_BACKUP_ENCRYPTION_KEY) for a
             machine without a keychain; refused unless only its owner can read it (chmod 600)
  export     what runs the preset on a server, calling 'sfdbtools schedule run-due --preset <id>':
             --systemd: <unit>.service (Type=oneshot, EnvironmentFile=-<config dir>/schedule.env) and
               <unit>.timer (OnCalendar=, Persistent=true: a time missed while the machine was off runs at
               boot), printed, or written to --output DIR; install with
               cp *.service *.timer ~/.config/systemd/user/ && systemctl --user enable --now <unit>.timer
             --cron: one crontab line (crontab -e), with --env-file <config dir>/schedule.env
             --windows-task: a Task Scheduler 1.2 task (XML, UTF-8 — UTF-16 is not required):
               schtasks /Create /TN sfdbtools\\<id> /XML FILE
             Keys are never written into a unit, a crontab line or a task: they come from the OS keychain
             (sfdbtools key set) or the environment file. --bin PATH: the sfdbtools to run (default: the one
             on PATH, else this one). A cron expression systemd or Task Scheduler cannot express is refused.
Exit codes: 0 success, 1 a failure (run-due: a run failed), 2 usage error.`

const FLAGS = {
  daily: { type: 'string' },
  weekly: { type: 'string' },
  every: { type: 'string' },
  cron: { type: 'string' },
  'catch-up': { type: 'string' },
  disabled: { type: 'boolean' },
  json: { type: 'boolean' },
  preset: { type: 'string' },
  'env-file': { type: 'string' },
  systemd: { type: 'boolean' },
  'windows-task': { type: 'boolean' },
  output: { type: 'string', short: 'o' },
  bin: { type: 'string' },
} as const
/** export's --cron is a choice of target, not an expression. */
const EXPORT_FLAGS = { ...FLAGS, cron: { type: 'boolean' } } as const

export async function scheduleCommand(argv: string[], ctx: CliContext): Promise<number> {
  const [sub, ...rest] = argv
  const p = parseFlags(rest, sub === 'export' ? EXPORT_FLAGS : FLAGS, true)
  const [ref, extra] = p.positionals
  if (extra !== undefined) throw new UsageError(`unexpected argument '${extra}'`)
  const needRef = (): string => {
    if (ref === undefined) throw new UsageError(`schedule ${sub} needs a preset (its id or label)`)
    return ref
  }
  switch (sub) {
    case 'list':
      return list(ctx, bool(p, 'json'))
    case 'add':
      return add(ctx, needRef(), scheduleFromFlags(p))
    case 'remove':
      return remove(ctx, needRef())
    case 'run-due': {
      if (ref !== undefined)
        throw new UsageError('schedule run-due takes --preset ID, not a positional preset')
      const envFile = str(p, 'env-file')
      const env = envFile === undefined ? ctx.env : { ...ctx.env, ...(await readEnvFile(envFile)) }
      const only = str(p, 'preset')
      return runDue({ ...ctx, env }, only === undefined ? {} : { only })
    }
    case 'export':
      return exportSchedule(ctx, needRef(), p)
    default:
      throw new UsageError(
        sub === undefined
          ? 'schedule needs a subcommand: list, add, remove, run-due or export'
          : `unknown schedule subcommand '${sub}'; use list, add, remove, run-due or export`,
      )
  }
}

type Parsed = ReturnType<typeof parseFlags>

/** --daily | --weekly | --every | --cron (exactly one), --catch-up, --disabled → a checked schedule. */
export function scheduleFromFlags(p: Parsed): Schedule {
  const given = (['daily', 'weekly', 'every', 'cron'] as const).filter((k) => str(p, k) !== undefined)
  if (given.length !== 1)
    throw new UsageError('give exactly one of --daily HH:MM, --weekly mon,thu@HH:MM, --every Nh, --cron "…"')
  const catchUp = intFlag(p, 'catch-up')
  const common = {
    enabled: !bool(p, 'disabled'),
    ...(catchUp === undefined ? {} : { catchUpHours: catchUp }),
  }
  const value = str(p, given[0] ?? 'daily') ?? ''
  const input = ((): unknown => {
    switch (given[0]) {
      case 'daily':
        return { kind: 'daily', time: value, ...common }
      case 'weekly': {
        const m = /^([a-z,\s]+)@(\S+)$/i.exec(value.trim())
        if (!m) throw new UsageError(`--weekly takes days@HH:MM, e.g. mon,thu@02:30; got '${value}'`)
        const days = (m[1] ?? '').split(',').map((d) => d.trim().toLowerCase().slice(0, 3))
        const numbers = days.map((d) => (WEEKDAY_NAMES as readonly string[]).indexOf(d))
        const bad = days.find((_, i) => numbers[i] === -1)
        if (bad !== undefined)
          throw new UsageError(`--weekly: '${bad}' is not a weekday (sun mon tue wed thu fri sat)`)
        return { kind: 'weekly', days: numbers, time: m[2], ...common }
      }
      case 'every': {
        const m = /^(\d+)h?$/i.exec(value.trim())
        if (!m) throw new UsageError(`--every takes a number of hours, e.g. 6h; got '${value}'`)
        return { kind: 'hourly', every: Number(m[1]), ...common }
      }
      default:
        return { kind: 'cron', expression: checkCronExpression(value), ...common }
    }
  })()
  const parsed = scheduleSchema.safeParse(input)
  if (!parsed.success)
    throw new UsageError(
      `invalid schedule: ${parsed.error.issues.map((i) => `${i.path.join('.') || given[0]}: ${i.message}`).join('; ')}`,
    )
  return parsed.data
}

async function add(ctx: CliContext, ref: string, schedule: Schedule): Promise<number> {
  const preset = findPreset(await readPresets(ctx.configDir), ref)
  const now = new Date()
  const runs = nextRuns(schedule, now, 5)
  await setPresetSchedule(ctx.configDir, preset.id, schedule)
  // From now on: a time before the schedule was set is not "missed".
  await updateScheduleState(ctx.configDir, (s) => markHandled(s, preset.id, now))
  ctx.out(
    `${preset.label} (${preset.id}): ${describeSchedule(schedule)}${schedule.enabled ? '' : ' (disabled)'}, catch-up ${schedule.catchUpHours} h`,
  )
  ctx.out(`next runs (${Intl.DateTimeFormat().resolvedOptions().timeZone}):`)
  for (const at of runs) ctx.out(`  ${localTime(at)}`)
  ctx.out(`note: a scheduled run uses the preset's stored ticket '${preset.request.ticket}'`)
  return 0
}

async function remove(ctx: CliContext, ref: string): Promise<number> {
  const preset = findPreset(await readPresets(ctx.configDir), ref)
  await setPresetSchedule(ctx.configDir, preset.id, null)
  await updateScheduleState(ctx.configDir, (s) => forgetPreset(s, preset.id))
  ctx.out(`${preset.label} (${preset.id}): no schedule`)
  return 0
}

/** `2026-03-29 03:30 +02:00`: local time with its offset, unambiguous across DST changes. */
export function localTime(at: Date): string {
  const offset = -at.getTimezoneOffset()
  const sign = offset >= 0 ? '+' : '-'
  const abs = Math.abs(offset)
  const two = (n: number): string => String(n).padStart(2, '0')
  return `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())} ${two(at.getHours())}:${two(at.getMinutes())} ${sign}${two(Math.floor(abs / 60))}:${two(abs % 60)}`
}

async function list(ctx: CliContext, json: boolean): Promise<number> {
  const presets = await readPresets(ctx.configDir, (m) => ctx.err(`warning: ${m}`))
  const state = await readScheduleState(ctx.configDir)
  const now = new Date()
  const rows = presets.map((p) => {
    const last = state.history.filter((h) => h.presetId === p.id).at(-1) ?? null
    const next = p.schedule && isScheduled(p) ? (nextRuns(p.schedule, now, 1)[0] ?? null) : null
    return { preset: p, next, last }
  })
  if (json) {
    ctx.out(
      JSON.stringify(
        rows.map(({ preset, next, last }) => ({
          id: preset.id,
          label: preset.label,
          schedule: preset.schedule ?? null,
          next: next?.toISOString() ?? null,
          last,
        })),
      ),
    )
    return 0
  }
  if (rows.length === 0)
    ctx.out('no quick backup presets (save one in the app: New backup → Save as quick backup)')
  for (const { preset, next, last } of rows) ctx.out(listLine(preset, next, last))
  return 0
}

function listLine(
  preset: QuickBackupPreset,
  next: Date | null,
  last: { outcome: string; scheduledFor: string; late: boolean } | null,
): string {
  const what = preset.schedule
    ? `${describeSchedule(preset.schedule)}${preset.schedule.enabled ? '' : ' (disabled)'}`
    : 'not scheduled'
  const nextText = next ? `, next ${localTime(next)}` : ''
  const lastText = last
    ? `, last ${last.outcome}${last.late ? ' (late)' : ''} for ${localTime(new Date(last.scheduledFor))}`
    : ''
  return `${preset.id}\t${preset.label}\t${what}${nextText}${lastText}`
}

async function exportSchedule(ctx: CliContext, ref: string, p: Parsed): Promise<number> {
  const targets = [bool(p, 'systemd'), bool(p, 'cron'), bool(p, 'windows-task')]
  if (targets.filter(Boolean).length !== 1)
    throw new UsageError('give exactly one of --systemd, --cron, --windows-task')
  const preset = findPreset(await readPresets(ctx.configDir), ref)
  if (!preset.schedule)
    throw new EngineError(
      'InvalidInput',
      `preset ${preset.id} has no schedule: add one with sfdbtools schedule add`,
    )
  const input = {
    preset: { ...preset, schedule: preset.schedule },
    program: await exportProgram(ctx, str(p, 'bin')),
    configDir: ctx.configDir,
    envFile: str(p, 'env-file') ?? join(ctx.configDir, 'schedule.env'),
  }
  if (bool(p, 'windows-task')) ctx.out(windowsTaskXml(input))
  else if (!bool(p, 'systemd')) ctx.out(crontabLine(input))
  else {
    const units = systemdUnits(input)
    const dir = str(p, 'output')
    if (dir === undefined) {
      ctx.out(`# ${units.name}.service\n${units.service}\n# ${units.name}.timer\n${units.timer}`)
      return 0
    }
    await mkdir(dir, { recursive: true })
    for (const [ext, text] of [
      ['service', units.service],
      ['timer', units.timer],
    ] as const) {
      const file = join(dir, `${units.name}.${ext}`)
      await writeFile(file, text, { mode: 0o644 })
      await chmod(file, 0o644)
      ctx.out(file)
    }
  }
  return 0
}
