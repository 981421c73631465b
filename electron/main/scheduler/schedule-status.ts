/**
 * What the schedule editor and the dashboard ask of the schedules (the 'schedules:*' channels), as pure
 * functions with the clock and the time zone as parameters:
 *
 * - `previewSchedule`: a schedule as a form gives it → its next five runs, or an InvalidInput with the
 *   advice scheduleInvalid naming the bad field (the engine's parser checks a cron expression field by field).
 * - `scheduleStatus`: per preset, its next run and how its last scheduled run went — from the scheduler's
 *   state (`schedule/state.json`, shared with `sfdbtools schedule run-due`), the job history and the jobs
 *   that run now.
 */
import type {
  JobRecord,
  JobRecordStatus,
  QuickBackupPreset,
  RunningJobView,
  ScheduleOutcome,
  SchedulePreview,
  SchedulesStatus,
} from '../../../shared/ipc.ts'
import { scheduleSchema } from '../../../shared/schedule.ts'
import { isScheduled } from '../../engine/schedule/due-runs.ts'
import { EngineError } from '../../engine/errors.ts'
import { machineTimeZone, nextRuns } from '../../engine/schedule/next-runs.ts'
import type { ScheduleHistoryEntry, ScheduleState } from '../../engine/schedule/schedule-state.ts'

/** Runs a preview shows. */
export const PREVIEW_RUNS = 5

/** The value at a zod issue's path of the input, as text for the advice. */
function valueAt(input: unknown, path: readonly PropertyKey[]): string {
  let at: unknown = input
  for (const key of path) {
    at = typeof at === 'object' && at !== null ? (at as Record<PropertyKey, unknown>)[key] : undefined
  }
  if (at === undefined) return ''
  return typeof at === 'string' ? at : JSON.stringify(at)
}

/** The next PREVIEW_RUNS runs of a schedule after `now`; an invalid one is an InvalidInput naming its field. */
export function previewSchedule(input: unknown, now: Date, timeZone = machineTimeZone()): SchedulePreview {
  const parsed = scheduleSchema.safeParse(input)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const path = issue?.path ?? []
    const field = path.length > 0 ? path.map(String).join('.') : 'kind'
    const value = valueAt(input, path)
    const kind = valueAt(input, ['kind'])
    const expression = kind === 'cron' ? valueAt(input, ['expression']) : kind || 'the schedule'
    throw new EngineError(
      'InvalidInput',
      `the schedule's ${field} '${value}' is invalid: ${issue?.message}`,
      {
        advice: { code: 'scheduleInvalid', params: { field, value, expression } },
      },
    )
  }
  return {
    timeZone,
    runs: nextRuns(parsed.data, now, PREVIEW_RUNS, timeZone).map((d) => d.toISOString()),
  }
}

/** The preset's next run, null without an enabled schedule (or with one that never runs, or is invalid). */
export function nextRunOf(preset: QuickBackupPreset, now: Date, timeZone?: string): Date | null {
  if (!isScheduled(preset)) return null
  try {
    return nextRuns(preset.schedule, now, 1, timeZone)[0] ?? null
  } catch {
    return null
  }
}

/** A recorded outcome of the scheduler's state as the job history names a job's end (none for skip/missed). */
const RECORDED_STATUS: Partial<Record<ScheduleHistoryEntry['outcome'], JobRecordStatus>> = {
  success: 'success',
  failed: 'failed',
  cancelled: 'cancelled',
}

function lastOf(
  entry: ScheduleHistoryEntry,
  journal: ReadonlyMap<string, JobRecord>,
): NonNullable<SchedulesStatus['presets'][number]['last']> {
  if (entry.outcome === 'skipped' || entry.outcome === 'missed')
    return { at: entry.scheduledFor, outcome: entry.outcome, jobId: null, status: null }
  const outcome: ScheduleOutcome = entry.late ? 'late' : 'ran'
  const jobId = entry.jobId ?? null
  const record = jobId === null ? undefined : journal.get(jobId)
  return { at: entry.at, outcome, jobId, status: record?.status ?? RECORDED_STATUS[entry.outcome] ?? null }
}

export interface StatusInput {
  presets: readonly QuickBackupPreset[]
  state: ScheduleState
  /** The job history (any order). */
  journal: readonly JobRecord[]
  /** The backups that run now (a scheduled one carries its preset and due time). */
  running: readonly RunningJobView[]
  now: Date
  timeZone?: string
}

/**
 * Per preset: the next run and the last scheduled one. `last.at` is when a run started (ran, late), or the
 * time that was skipped or missed; a run still going has its job id and no status yet.
 */
export function scheduleStatus(input: StatusInput): SchedulesStatus {
  const journal = new Map(input.journal.map((r) => [r.jobId, r]))
  return {
    presets: input.presets.map((preset) => {
      const next = nextRunOf(preset, input.now, input.timeZone)
      const going = input.running.find((j) => j.presetId === preset.id && j.schedule !== undefined)
      const entry = input.state.history.filter((h) => h.presetId === preset.id).at(-1)
      const last =
        going !== undefined
          ? {
              at: going.startedAt,
              outcome: going.schedule?.late ? ('late' as const) : ('ran' as const),
              jobId: going.jobId,
              status: null,
            }
          : entry === undefined
            ? null
            : lastOf(entry, journal)
      return { presetId: preset.id, nextRun: next?.toISOString() ?? null, last }
    }),
  }
}
