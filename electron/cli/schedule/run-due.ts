/**
 * `sfdbtools schedule run-due`: runs the presets whose scheduled time has come (or came while the machine
 * slept, within the preset's catch-up window: run once, recorded as late), records the ones missed for
 * longer and skips — and records — a preset whose previous run still holds its lock. Each run is a normal
 * `sfdbtools backup` of the preset's request with its stored ticket, in this process.
 */
import type { QuickBackupPreset } from '../../../shared/ipc.ts'
import { describeSchedule } from '../../../shared/schedule.ts'
import { dueRuns, type PresetDue } from '../../engine/schedule/due-runs.ts'
import { acquirePresetLock, lockHolder } from '../../engine/schedule/preset-lock.ts'
import { readPresets } from '../../engine/schedule/presets-file.ts'
import {
  markHandled,
  readScheduleState,
  recordRun,
  updateScheduleState,
  type ScheduleHistoryEntry,
  type ScheduleOutcome,
} from '../../engine/schedule/schedule-state.ts'
import type { CliContext } from '../context.ts'
import { prepareJob } from '../job-runner.ts'
import { presetBackupArgv } from './preset-argv.ts'

export interface RunDueOptions {
  /** Only this preset (a systemd timer or Task Scheduler task per preset). */
  only?: string
  now?: () => Date
}

const minutes = (ms: number): string =>
  ms < 90 * 60_000 ? `${Math.round(ms / 60_000)} min` : `${(ms / 3_600_000).toFixed(1)} h`

/** Runs what is due; exit 1 when a run failed, 0 otherwise (skipped and missed runs are reported). */
export async function runDue(ctx: CliContext, options: RunDueOptions = {}): Promise<number> {
  const now = options.now ?? (() => new Date())
  const warn = (m: string): void => ctx.err(`warning: ${m}`)
  const all = await readPresets(ctx.configDir, warn)
  const presets = options.only === undefined ? all : all.filter((p) => p.id === options.only)
  if (options.only !== undefined && presets.length === 0)
    ctx.err(`warning: no quick backup preset with id '${options.only}'`)
  const running = new Set<string>()
  for (const p of presets) if ((await lockHolder(ctx.configDir, p.id)) !== null) running.add(p.id)
  const decisions = dueRuns(presets, await readScheduleState(ctx.configDir, warn), now(), { running })
  if (decisions.length === 0) ctx.out('no scheduled presets')
  let failed = 0
  for (const due of decisions) {
    const outcome = await carryOut(due, ctx, now)
    if (outcome === 'failed') failed++
  }
  return failed > 0 ? 1 : 0
}

async function carryOut(due: PresetDue, ctx: CliContext, now: () => Date): Promise<ScheduleOutcome | null> {
  const { preset, decision, handledUntil } = due
  const name = `${preset.label} (${preset.id}, ${describeSchedule(preset.schedule)})`
  const save = (entry?: Omit<ScheduleHistoryEntry, 'presetId' | 'label' | 'trigger'>): Promise<unknown> =>
    updateScheduleState(ctx.configDir, (s) => {
      const marked = markHandled(s, preset.id, handledUntil)
      return entry === undefined
        ? marked
        : recordRun(marked, { presetId: preset.id, label: preset.label, trigger: 'scheduled', ...entry })
    })
  switch (decision.kind) {
    case 'idle':
      ctx.out(`${name}: not due; next ${decision.next?.toLocaleString() ?? 'never'}`)
      return null
    case 'start':
      await save()
      ctx.out(`${name}: scheduled from now on`)
      return null
    case 'missed': {
      const message = `missed (${decision.scheduledFor.toLocaleString()}), older than the catch-up window of ${preset.schedule.catchUpHours} h`
      await save({
        scheduledFor: decision.scheduledFor.toISOString(),
        at: now().toISOString(),
        outcome: 'missed',
        late: true,
        message,
      })
      ctx.out(`${name}: ${message}`)
      return 'missed'
    }
    case 'skip':
      return skipped(preset, decision.scheduledFor, name, ctx, now, save)
    case 'run':
      return runPreset(due, name, ctx, now, save)
  }
}

type Save = (entry?: Omit<ScheduleHistoryEntry, 'presetId' | 'label' | 'trigger'>) => Promise<unknown>

async function skipped(
  _preset: QuickBackupPreset,
  scheduledFor: Date,
  name: string,
  ctx: CliContext,
  now: () => Date,
  save: Save,
): Promise<ScheduleOutcome> {
  const message = 'skipped: the previous run of this preset is still going'
  await save({
    scheduledFor: scheduledFor.toISOString(),
    at: now().toISOString(),
    outcome: 'skipped',
    late: false,
    message,
  })
  ctx.out(`${name}: ${message}`)
  return 'skipped'
}

async function runPreset(
  due: PresetDue,
  name: string,
  ctx: CliContext,
  now: () => Date,
  save: Save,
): Promise<ScheduleOutcome> {
  if (due.decision.kind !== 'run') throw new Error('not a run')
  const { scheduledFor, late, lateByMs } = due.decision
  const lock = await acquirePresetLock(ctx.configDir, due.preset.id)
  if (lock === null) return skipped(due.preset, scheduledFor, name, ctx, now, save)
  const startedAt = now()
  try {
    ctx.out(
      `${name}: running the backup scheduled for ${scheduledFor.toLocaleString()}${late ? ` (late by ${minutes(lateByMs)}: caught up)` : ''}`,
    )
    // The state says the time is dealt with before the run: a crash mid-run does not run it twice.
    await save()
    const { backupCommand } = await import('../commands/backup.ts')
    let code: number
    try {
      code = await backupCommand([...presetBackupArgv(due.preset), '--quiet'], {
        ...ctx,
        takeJob: () => prepareJob(true),
      })
    } catch (e) {
      ctx.err(`error: ${(e as Error).message}`)
      code = 1
    }
    const outcome: ScheduleOutcome = code === 0 ? 'success' : code === 130 ? 'cancelled' : 'failed'
    await save({
      scheduledFor: scheduledFor.toISOString(),
      at: startedAt.toISOString(),
      finishedAt: now().toISOString(),
      outcome,
      late,
      ...(late ? { lateByMs } : {}),
      ...(outcome === 'success' ? {} : { message: `sfdbtools backup exited ${code}` }),
    })
    ctx.out(`${name}: ${outcome}${late ? ' (late)' : ''}`)
    return outcome
  } finally {
    await lock.release()
  }
}
