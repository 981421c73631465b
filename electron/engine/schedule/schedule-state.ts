/**
 * The scheduler's small persisted state, `<config dir>/schedule/state.json` (0600 in a 0700 folder,
 * written atomically): per preset the newest scheduled time already dealt with, and the last 200 scheduled
 * runs — run, late, skipped or missed — with their outcome. The state changes are pure functions; only
 * `readScheduleState` / `writeScheduleState` touch the disk.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { errno, toEngineError } from '../errors.ts'
import { writeFileAtomic } from '../fs/atomic-write.ts'

export const SCHEDULE_DIR = 'schedule'
export const HISTORY_LIMIT = 200

export const SCHEDULE_OUTCOMES = ['success', 'failed', 'cancelled', 'skipped', 'missed'] as const
export type ScheduleOutcome = (typeof SCHEDULE_OUTCOMES)[number]

const historyEntrySchema = z.object({
  presetId: z.string(),
  label: z.string(),
  /** Always 'scheduled': how the run came about, as the job history names its triggers. */
  trigger: z.literal('scheduled'),
  scheduledFor: z.string(),
  /** When the run started (or was skipped / found missed). */
  at: z.string(),
  finishedAt: z.string().optional(),
  outcome: z.enum(SCHEDULE_OUTCOMES),
  /** Run after its time (caught up after sleep or a closed app); `lateByMs` says by how much. */
  late: z.boolean(),
  lateByMs: z.number().optional(),
  /** Why it failed, was skipped or missed; the files it wrote. */
  message: z.string().optional(),
  files: z.array(z.string()).optional(),
  /** The app's job of the run (its job history record); absent for a run of `schedule run-due`. */
  jobId: z.string().optional(),
})
export type ScheduleHistoryEntry = z.infer<typeof historyEntrySchema>

const stateSchema = z.object({
  version: z.literal(1),
  presets: z.record(z.string(), z.object({ handledUntil: z.string() })),
  history: z.array(historyEntrySchema),
})
export type ScheduleState = z.infer<typeof stateSchema>

export const emptyScheduleState = (): ScheduleState => ({ version: 1, presets: {}, history: [] })

export const scheduleStatePath = (configDir: string): string => join(configDir, SCHEDULE_DIR, 'state.json')

/** The state; a missing file is the empty state, a damaged one too (told through `warn`). */
export async function readScheduleState(
  configDir: string,
  warn: (message: string) => void = () => {},
): Promise<ScheduleState> {
  const path = scheduleStatePath(configDir)
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (e) {
    if (errno(e) === 'ENOENT') return emptyScheduleState()
    throw toEngineError(e, `reading the schedule state ${path}`)
  }
  try {
    return stateSchema.parse(JSON.parse(text))
  } catch (e) {
    warn(`the schedule state ${path} is damaged (${(e as Error).message}); starting afresh`)
    return emptyScheduleState()
  }
}

export async function writeScheduleState(configDir: string, state: ScheduleState): Promise<void> {
  const path = scheduleStatePath(configDir)
  try {
    await writeFileAtomic(path, JSON.stringify(state, null, 2) + '\n', { mode: 0o600 })
  } catch (e) {
    throw toEngineError(e, `saving the schedule state ${path}`)
  }
}

/**
 * The preset's scheduled times up to `until` are dealt with. Never backwards: a run that ends after a later
 * time of its preset was skipped (by this process or another) must not bring that time back.
 */
export function markHandled(state: ScheduleState, presetId: string, until: Date): ScheduleState {
  const known = state.presets[presetId]?.handledUntil
  if (known !== undefined && new Date(known).getTime() >= until.getTime()) return state
  return { ...state, presets: { ...state.presets, [presetId]: { handledUntil: until.toISOString() } } }
}

/** Forgets a preset (its schedule was removed). */
export function forgetPreset(state: ScheduleState, presetId: string): ScheduleState {
  const { [presetId]: _gone, ...rest } = state.presets
  return { ...state, presets: rest }
}

/** Appends a history entry, keeping the newest HISTORY_LIMIT. */
export const recordRun = (state: ScheduleState, entry: ScheduleHistoryEntry): ScheduleState => ({
  ...state,
  history: [...state.history, entry].slice(-HISTORY_LIMIT),
})

/** Reads the state again, changes it and saves it: each change is a short read-modify-write. */
export async function updateScheduleState(
  configDir: string,
  change: (state: ScheduleState) => ScheduleState,
  warn?: (message: string) => void,
): Promise<ScheduleState> {
  const next = change(await readScheduleState(configDir, warn))
  await writeScheduleState(configDir, next)
  return next
}
