/**
 * Which scheduled presets run now — pure, with the clock and the running presets as parameters:
 *
 * - `run`: a scheduled time passed since the preset was last dealt with; `late` when it is more than
 *   `onTimeMs` old (missed while the machine slept or nothing was running the scheduler) but within the
 *   preset's catch-up window. Many missed times run once.
 * - `missed`: the scheduled times since then are all older than the catch-up window: recorded, not run.
 * - `skip`: due, but a run of the same preset is still going (its lock is held): recorded as skipped.
 * - `start`: no state yet (a schedule made elsewhere): nothing older than `onTimeMs` is run.
 * - `idle`: nothing due; `next` is the next scheduled time.
 */
import type { QuickBackupPreset } from '../../../shared/ipc.ts'
import type { Schedule } from '../../../shared/schedule.ts'
import { nextRuns, runsBetween } from './next-runs.ts'
import type { ScheduleState } from './schedule-state.ts'

const HOUR = 3_600_000
/** A run this late still counts as on time (a timer's accuracy, a busy machine, a scheduler's tick). */
export const ON_TIME_MS = 5 * 60_000
/** At most this many scheduled times are walked for one preset (every minute for a week is 10,080). */
const WALK_LIMIT = 20_000

export type DueDecision =
  | { kind: 'run'; scheduledFor: Date; late: boolean; lateByMs: number }
  | { kind: 'missed'; scheduledFor: Date }
  | { kind: 'skip'; scheduledFor: Date; reason: 'running' }
  | { kind: 'start' }
  | { kind: 'idle'; next: Date | null }

export interface PresetDue {
  preset: QuickBackupPreset & { schedule: Schedule }
  decision: DueDecision
  /** What the state's `handledUntil` becomes once the decision is carried out. */
  handledUntil: Date
}

export interface DueOptions {
  /** Presets whose run is going on now (their lock is held by a live process). */
  running?: ReadonlySet<string>
  timeZone?: string
  onTimeMs?: number
}

export const isScheduled = (p: QuickBackupPreset): p is QuickBackupPreset & { schedule: Schedule } =>
  p.schedule !== undefined && p.schedule.enabled

/** The decision for every preset with an enabled schedule. */
export function dueRuns(
  presets: readonly QuickBackupPreset[],
  state: ScheduleState,
  now: Date,
  options: DueOptions = {},
): PresetDue[] {
  return presets.filter(isScheduled).map((preset) => ({
    preset,
    ...decide(preset, state.presets[preset.id]?.handledUntil, now, options),
  }))
}

function decide(
  preset: QuickBackupPreset & { schedule: Schedule },
  handledUntil: string | undefined,
  now: Date,
  options: DueOptions,
): Omit<PresetDue, 'preset'> {
  const { schedule } = preset
  const onTimeMs = options.onTimeMs ?? ON_TIME_MS
  const tz = options.timeZone
  const windowMs = Math.max(schedule.catchUpHours * HOUR, onTimeMs)
  const windowStart = new Date(now.getTime() - windowMs)
  const known = handledUntil === undefined ? null : new Date(handledUntil)
  // Without state (a schedule saved by the app, not by `schedule add`): only a time within onTimeMs runs.
  const baseline = known ?? new Date(now.getTime() - onTimeMs)
  const from = baseline.getTime() > windowStart.getTime() ? baseline : windowStart
  const due = runsBetween(schedule, from, now, WALK_LIMIT, tz).at(-1)
  if (due !== undefined) {
    if (options.running?.has(preset.id))
      return { decision: { kind: 'skip', scheduledFor: due, reason: 'running' }, handledUntil: due }
    const lateByMs = now.getTime() - due.getTime()
    return {
      decision: { kind: 'run', scheduledFor: due, late: lateByMs > onTimeMs, lateByMs },
      handledUntil: due,
    }
  }
  if (known === null) return { decision: { kind: 'start' }, handledUntil: now }
  const missed = runsBetween(schedule, baseline, windowStart, 1, tz)[0]
  if (missed !== undefined) return { decision: { kind: 'missed', scheduledFor: missed }, handledUntil: now }
  return {
    decision: { kind: 'idle', next: nextRuns(schedule, now, 1, tz)[0] ?? null },
    handledUntil: baseline,
  }
}
