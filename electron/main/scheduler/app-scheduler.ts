/**
 * The in-app scheduler: while the app runs (its window open, or only its tray) it runs the quick backup
 * presets' schedules, with the engine's decisions (electron/engine/schedule/due-runs.ts) and the same
 * state and per-preset locks as `sfdbtools schedule run-due` (`<config>/schedule/state.json`,
 * `<config>/schedule/locks/<preset>.lock`), so the app and a timer's `run-due` never run one preset twice
 * at once, nor one scheduled time twice.
 *
 * - A timer (injected clock) wakes it at the next scheduled time, at most `maxSleepMs` later (a re-check
 *   that also sees schedules the command line changed, and a clock changed under it); start, a resume from
 *   sleep and a saved settings file check at once (`check()`).
 * - A due time runs its preset as a normal backup job (trigger 'scheduled', the preset's stored request and
 *   ticket); a time missed while the machine slept or the app was closed runs once, recorded late, when it
 *   is within the schedule's catch-up window, else it is recorded missed; a time whose preset still runs
 *   (its lock held by a live process, or a job of it in the supervisor) is skipped and recorded.
 * - The lock is taken before the job starts and released when the job has ended (or could not start).
 */
import type { BackupRequestInput, JobRecordStatus, QuickBackupPreset } from '../../../shared/ipc.ts'
import type { Schedule } from '../../../shared/schedule.ts'
import { toEngineError } from '../../engine/errors.ts'
import { dueRuns, isScheduled, type PresetDue } from '../../engine/schedule/due-runs.ts'
import { acquirePresetLock, lockHolder, pidAlive } from '../../engine/schedule/preset-lock.ts'
import {
  forgetPreset,
  markHandled,
  readScheduleState,
  recordRun,
  updateScheduleState,
  type ScheduleHistoryEntry,
  type ScheduleOutcome,
  type ScheduleState,
} from '../../engine/schedule/schedule-state.ts'
import { backupStatus } from '../jobs/job-journal.ts'
import type { JobSupervisor } from '../jobs/supervisor.ts'
import type { BackupStartHow } from '../services/backup-service.ts'
import { nextRunOf } from './schedule-status.ts'

/** The scheduler's clock and timer (the system's in the app; a fake one in tests). */
export interface SchedulerClock {
  now(): Date
  setTimeout(run: () => void, ms: number): unknown
  clearTimeout(timer: unknown): void
}

export const systemClock: SchedulerClock = {
  now: () => new Date(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
}

/** A started scheduled job: its id, and how it ended once it has. */
export interface ScheduledJob {
  jobId: string
  ended: Promise<JobRecordStatus>
}

export type ScheduledPreset = QuickBackupPreset & { schedule: Schedule }

/** The next scheduled run of all presets (the tray shows it). */
export interface NextScheduledRun {
  presetId: string
  label: string
  at: Date
}

export interface AppSchedulerDeps {
  configDir: string
  /** The presets as stored now (the settings file: the app and `sfdbtools schedule` change it). */
  presets(): Promise<readonly QuickBackupPreset[]>
  /** Starts the preset's backup job (the backup service's start); `ended` settles when the job has ended. */
  startJob(request: BackupRequestInput, how: BackupStartHow): Promise<ScheduledJob>
  /** Presets a job of which runs in the supervisor now (a scheduled or a tray run). */
  runningPresets(): Iterable<string>
  clock?: SchedulerClock
  /** The pid a lock is taken for (the app's main process) and how a holder is checked to be alive. */
  pid?: number
  alive?(pid: number): boolean
  timeZone?: string
  /** The longest sleep between two checks (default 60 s). */
  maxSleepMs?: number
  log?: { info(message: string): void; warn(message: string): void }
  /** The next scheduled run changed (after every check). */
  onNextRun?(next: NextScheduledRun | null): void
  /** A due run could not start (its plan failed: the server, the profile, the key…). */
  onRunFailed?(preset: ScheduledPreset, message: string): void
}

export interface AppScheduler {
  /** Checks at once, then keeps the timer armed until stop(). */
  start(): void
  /** Checks now (a resume from sleep, saved settings); settles when the check (not the runs) is done. */
  check(): Promise<void>
  stop(): void
  nextRun(): NextScheduledRun | null
  /** Presets whose scheduled run this scheduler started and that still runs. */
  running(): string[]
  /** Settles when no check runs (the runs it started may go on). */
  settled(): Promise<void>
  /** Settles when every run this scheduler started has ended, been recorded and released its lock. */
  runsEnded(): Promise<void>
}

const DEFAULT_MAX_SLEEP_MS = 60_000
/** The shortest sleep: a timer that fires a little early re-checks soon, never in a busy loop. */
const MIN_SLEEP_MS = 1_000

const OUTCOME_OF: Record<JobRecordStatus, ScheduleOutcome> = {
  success: 'success',
  success_with_warnings: 'success',
  failed: 'failed',
  cancelled: 'cancelled',
}

type EntryFields = Omit<ScheduleHistoryEntry, 'presetId' | 'label' | 'trigger'>

/** Whether another process already dealt with this scheduled time (the state moved past it). */
const handledAlready = (state: ScheduleState, presetId: string, at: Date): boolean => {
  const until = state.presets[presetId]?.handledUntil
  return until !== undefined && new Date(until).getTime() >= at.getTime()
}

export function createAppScheduler(deps: AppSchedulerDeps): AppScheduler {
  const clock = deps.clock ?? systemClock
  const pid = deps.pid ?? process.pid
  const alive = deps.alive ?? pidAlive
  const maxSleep = deps.maxSleepMs ?? DEFAULT_MAX_SLEEP_MS
  const warn = (message: string): void => deps.log?.warn(`scheduler: ${message}`)
  const info = (message: string): void => deps.log?.info(`scheduler: ${message}`)
  const { configDir } = deps

  /** Presets whose run this scheduler started and that has not ended. */
  const inFlight = new Set<string>()
  const endings = new Set<Promise<void>>()
  let checking: Promise<void> | null = null
  let again = false
  let timer: unknown = null
  let stopped = true
  let next: NextScheduledRun | null = null

  const save = async (preset: ScheduledPreset, handledUntil: Date, entry?: EntryFields): Promise<void> => {
    await updateScheduleState(
      configDir,
      (s) => {
        // Never backwards (markHandled): a run that ends after a later time was skipped keeps that time dealt with.
        const marked = markHandled(s, preset.id, handledUntil)
        return entry === undefined
          ? marked
          : recordRun(marked, { presetId: preset.id, label: preset.label, trigger: 'scheduled', ...entry })
      },
      warn,
    )
  }

  async function skip(due: PresetDue, scheduledFor: Date): Promise<void> {
    // The other run may be the one that handles this very time (a `run-due` between our reads).
    if (handledAlready(await readScheduleState(configDir, warn), due.preset.id, scheduledFor)) return
    info(
      `${due.preset.label}: the run due ${scheduledFor.toISOString()} is skipped: its previous run still runs`,
    )
    await save(due.preset, due.handledUntil, {
      scheduledFor: scheduledFor.toISOString(),
      at: clock.now().toISOString(),
      outcome: 'skipped',
      late: false,
      message: 'skipped: the previous run of this preset is still going',
    })
  }

  async function run(due: PresetDue): Promise<void> {
    if (due.decision.kind !== 'run') return
    const { preset, handledUntil } = due
    const { scheduledFor, late, lateByMs } = due.decision
    const lock = await acquirePresetLock(configDir, preset.id, pid, alive)
    if (lock === null) return skip(due, scheduledFor)
    const release = (): Promise<void> =>
      lock.release().catch((e: unknown) => warn(`the lock of ${preset.id} stays: ${String(e)}`))
    const fresh = await readScheduleState(configDir, warn).catch(() => null)
    if (fresh !== null && handledAlready(fresh, preset.id, scheduledFor)) return release()
    const startedAt = clock.now()
    const entry = (outcome: ScheduleOutcome, more: Partial<EntryFields> = {}): EntryFields => ({
      scheduledFor: scheduledFor.toISOString(),
      at: startedAt.toISOString(),
      finishedAt: clock.now().toISOString(),
      outcome,
      late,
      ...(late ? { lateByMs } : {}),
      ...more,
    })
    inFlight.add(preset.id)
    let job: ScheduledJob
    try {
      // Dealt with before it runs: a crash mid-run does not run the time twice.
      await save(preset, handledUntil)
      info(`${preset.label}: running the backup due ${scheduledFor.toISOString()}${late ? ' (late)' : ''}`)
      job = await deps.startJob(preset.request, {
        trigger: 'scheduled',
        presetId: preset.id,
        schedule: { dueAt: scheduledFor.toISOString(), late },
      })
    } catch (e) {
      const message = toEngineError(e).message
      warn(`${preset.label}: the backup due ${scheduledFor.toISOString()} could not start: ${message}`)
      inFlight.delete(preset.id)
      await save(preset, handledUntil, entry('failed', { message })).catch((x: unknown) => warn(String(x)))
      await release()
      deps.onRunFailed?.(preset, message)
      return
    }
    const ending = job.ended
      .catch((): JobRecordStatus => 'failed')
      .then((status) => save(preset, handledUntil, entry(OUTCOME_OF[status], { jobId: job.jobId })))
      .catch((e: unknown) => warn(`${preset.label}: its run could not be recorded: ${String(e)}`))
      .finally(async () => {
        inFlight.delete(preset.id)
        await release()
        endings.delete(ending)
      })
    endings.add(ending)
  }

  async function carryOut(due: PresetDue): Promise<void> {
    const { decision, preset, handledUntil } = due
    switch (decision.kind) {
      case 'idle':
        return
      case 'start':
        await save(preset, handledUntil)
        return
      case 'missed':
        info(`${preset.label}: the run due ${decision.scheduledFor.toISOString()} was missed`)
        await save(preset, handledUntil, {
          scheduledFor: decision.scheduledFor.toISOString(),
          at: clock.now().toISOString(),
          outcome: 'missed',
          late: true,
          message: `missed, older than the catch-up window of ${preset.schedule.catchUpHours} h`,
        })
        return
      case 'skip':
        return skip(due, decision.scheduledFor)
      case 'run':
        return run(due)
    }
  }

  /** The presets whose run goes on now: in the supervisor, started here, or holding their lock. */
  async function runningNow(presets: readonly ScheduledPreset[]): Promise<Set<string>> {
    const running = new Set([...deps.runningPresets(), ...inFlight])
    for (const p of presets) {
      if (!running.has(p.id) && (await lockHolder(configDir, p.id, alive)) !== null) running.add(p.id)
    }
    return running
  }

  async function checkOnce(): Promise<void> {
    const now = clock.now()
    let presets: readonly QuickBackupPreset[]
    try {
      presets = await deps.presets()
    } catch (e) {
      warn(`the presets could not be read: ${toEngineError(e).message}`)
      presets = []
    }
    let state = await readScheduleState(configDir, warn)
    // A schedule removed or disabled starts afresh when it comes back (no catch-up of the time between).
    const dropped = presets.filter((p) => !isScheduled(p) && state.presets[p.id] !== undefined)
    if (dropped.length > 0)
      state = await updateScheduleState(configDir, (s) => dropped.reduce((a, p) => forgetPreset(a, p.id), s))
    const scheduled = presets.filter(isScheduled)
    const decisions = dueRuns(presets, state, now, {
      running: await runningNow(scheduled),
      ...(deps.timeZone === undefined ? {} : { timeZone: deps.timeZone }),
    })
    for (const due of decisions) {
      try {
        await carryOut(due)
      } catch (e) {
        warn(`${due.preset.label}: ${toEngineError(e).message}`)
      }
    }
    next = earliest(scheduled, clock.now(), deps.timeZone)
    deps.onNextRun?.(next)
  }

  function arm(): void {
    if (stopped) return
    if (timer !== null) clock.clearTimeout(timer)
    const until = next === null ? maxSleep : next.at.getTime() - clock.now().getTime()
    timer = clock.setTimeout(
      () => {
        timer = null
        void check()
      },
      Math.min(maxSleep, Math.max(MIN_SLEEP_MS, until)),
    )
  }

  function check(): Promise<void> {
    if (checking !== null) {
      again = true
      return checking
    }
    checking = (async () => {
      do {
        again = false
        try {
          await checkOnce()
        } catch (e) {
          warn(`the check failed: ${toEngineError(e).message}`)
        }
      } while (again)
    })().finally(() => {
      checking = null
      arm()
    })
    return checking
  }

  return {
    start() {
      stopped = false
      void check()
    },
    check,
    stop() {
      stopped = true
      if (timer !== null) clock.clearTimeout(timer)
      timer = null
    },
    nextRun: () => next,
    running: () => [...inFlight],
    async settled() {
      while (checking !== null) await checking
    },
    async runsEnded() {
      while (endings.size > 0) await Promise.all(endings)
    },
  }
}

/** The earliest next run of the presets after `now`. */
function earliest(
  presets: readonly ScheduledPreset[],
  now: Date,
  timeZone: string | undefined,
): NextScheduledRun | null {
  let best: NextScheduledRun | null = null
  for (const p of presets) {
    const at = nextRunOf(p, now, timeZone)
    if (at !== null && (best === null || at.getTime() < best.at.getTime()))
      best = { presetId: p.id, label: p.label, at }
  }
  return best
}

/**
 * The scheduler's startJob over the backup service and the supervisor: the job's end is asked for as soon
 * as the supervisor took the job (before the service's start settles), while it surely still runs.
 */
export function startThroughSupervisor(
  start: (request: BackupRequestInput, how: BackupStartHow) => Promise<{ jobId: string }>,
  whenFinished: (jobId: string) => Promise<JobRecordStatus> | null,
): AppSchedulerDeps['startJob'] {
  return async (request, how) => {
    let ended: Promise<JobRecordStatus> | null = null
    const { jobId } = await start(request, {
      ...how,
      onStarted: (id) => {
        ended = whenFinished(id)
      },
    })
    return { jobId, ended: ended ?? Promise.resolve<JobRecordStatus>('failed') }
  }
}

/** How a backup job of the supervisor ends, asked while it runs (null when no such backup runs). */
export const supervisorJobEnd =
  (jobs: Pick<JobSupervisor, 'whenFinished'>) =>
  (jobId: string): Promise<JobRecordStatus> | null =>
    jobs.whenFinished(jobId)?.then(({ outcome }) => backupStatus(outcome)) ?? null
