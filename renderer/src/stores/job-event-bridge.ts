/**
 * The one bridge from the push channels to the stores: progress, logs and finished targets update the
 * running job; a final event moves it to the results and refreshes the history (new files, GTID); a verify
 * job's progress and report go to the history's verifications; a navigation request from main (a
 * notification was clicked) opens the page it names.
 */
import type { AppEvent } from '../../../shared/ipc.ts'
import type { JobEvent } from '../../../shared/job-protocol.ts'
import { assertNever } from '../../../shared/result.ts'
import { onAppEvent, onJobEvent } from '../lib/api.ts'
import { useHistoryStore } from './history-store.ts'
import { useJobsStore } from './jobs-store.ts'
import { useNavigationStore } from './navigation-store.ts'
import { useResultsStore } from './results-store.ts'
import { useRestoreStore } from './restore-store.ts'
import { useScheduleStore } from './schedule-store.ts'

function route(event: JobEvent): void {
  switch (event.type) {
    case 'progress':
    case 'log':
    case 'target':
    case 'copy-progress':
      useJobsStore.getState().apply(event)
      return
    case 'done':
    case 'failed':
    case 'cancelled': {
      const job = useJobsStore.getState().take(event.jobId)
      useResultsStore.getState().record(event, job)
      void useHistoryStore.getState().load()
      // A scheduled run's outcome (and the next run) changed: the dashboard shows them once it read them.
      if (useScheduleStore.getState().loaded) void useScheduleStore.getState().load()
      return
    }
    case 'verify-progress':
    case 'verify-done':
    case 'verify-failed':
    case 'verify-cancelled':
      useHistoryStore.getState().applyVerifyEvent(event)
      return
    case 'restore-progress':
    case 'restore-log':
    case 'restore-item':
      useRestoreStore.getState().apply(event)
      return
    case 'restore-done':
    case 'restore-cancelled':
    case 'restore-failed':
      useRestoreStore.getState().finish(event)
      // A pre-restore backup is a new backup of the history.
      void useHistoryStore.getState().load()
      return
    case 'restore-test-done':
      useRestoreStore.getState().finish(event)
      useHistoryStore.getState().applyRestoreTest(event.report)
      return
    default:
      assertNever(event)
  }
}

function navigate(event: AppEvent): void {
  switch (event.type) {
    case 'open-result':
      useNavigationStore.getState().openResult(event.jobId)
      return
    case 'open-jobs':
      useNavigationStore.getState().go('jobs')
      return
    case 'run-preset':
      useNavigationStore.getState().runPreset(event.presetId)
      return
    default:
      assertNever(event)
  }
}

/**
 * Subscribes the stores to job events and the main process's navigation requests, and loads what already
 * runs; returns the function that stops.
 */
export function connectPushEvents(): () => void {
  const stopJobs = onJobEvent(route)
  const stopApp = onAppEvent(navigate)
  void useJobsStore.getState().refresh()
  void useHistoryStore.getState().refreshVerifies()
  void useRestoreStore.getState().refresh()
  return () => {
    stopJobs()
    stopApp()
  }
}
