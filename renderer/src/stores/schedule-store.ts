/**
 * The schedules' state as the dashboard shows it: per quick backup its next scheduled run and how its last
 * one went (`schedules:status`). Read when the dashboard opens, every minute while it is open, when a job
 * ends (job-event-bridge.ts) and after a schedule was saved.
 */
import { create } from 'zustand'
import type { SchedulesStatus } from '../../../shared/ipc.ts'
import type { AppError } from '../../../shared/result.ts'
import { fetchScheduleStatus } from '../lib/api.ts'

export type PresetScheduleStatus = SchedulesStatus['presets'][number]

export interface ScheduleStatusState {
  /** By preset id. */
  presets: Record<string, PresetScheduleStatus>
  /** True once main answered at least once. */
  loaded: boolean
  error: AppError | null
  load(): Promise<void>
}

/** How often the dashboard reads the state again while it is open. */
export const STATUS_REFRESH_MS = 60_000

/** The newest read: an older answer that arrives after it is dropped. */
let reads = 0

export const useScheduleStore = create<ScheduleStatusState>()((set) => ({
  presets: {},
  loaded: false,
  error: null,
  load: async () => {
    const read = ++reads
    const result = await fetchScheduleStatus()
    if (read !== reads) return
    if (!result.ok) return set({ error: result.error })
    set({
      presets: Object.fromEntries(result.value.presets.map((p) => [p.presetId, p])),
      loaded: true,
      error: null,
    })
  },
}))
