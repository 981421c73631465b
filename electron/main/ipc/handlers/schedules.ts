/**
 * Handlers of the schedules domain: the next runs of a schedule being edited, and per preset its next run
 * and its last scheduled one (from the scheduler's state shared with `sfdbtools schedule run-due`, the job
 * history and the running jobs).
 */
import { readPresets } from '../../../engine/schedule/presets-file.ts'
import { readScheduleState } from '../../../engine/schedule/schedule-state.ts'
import { readJobJournal } from '../../jobs/job-journal.ts'
import { previewSchedule, scheduleStatus } from '../../scheduler/schedule-status.ts'
import type { DomainHandlers, Services } from './services.ts'
import { toResult } from './to-result.ts'

export function scheduleHandlers({ platform }: Services): DomainHandlers<'schedules'> {
  return {
    'schedules:preview': ({ schedule }) => toResult(() => previewSchedule(schedule, new Date())),
    'schedules:status': () =>
      toResult(async () => {
        const configDir = platform.configDir()
        const [presets, state, journal] = await Promise.all([
          readPresets(configDir),
          readScheduleState(configDir),
          readJobJournal(configDir),
        ])
        return scheduleStatus({
          presets,
          state,
          journal,
          running: platform.jobs().running(),
          now: new Date(),
        })
      }),
  }
}
