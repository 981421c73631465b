import type { BackupResult } from '../../../shared/backup-types.ts'
import { cancelledResult } from '../backup/target-results.ts'
import { readdir, stat, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import type {
  RestorePlan,
  RestoreResult,
  RestoreTestReport,
  RestoreTestRequest,
} from '../../../shared/restore-types.ts'
import {
  backupJobEventSchema,
  restoreJobEventSchema,
  verifyJobEventSchema,
  type RestoreJobEvent,
  type BackupJobEvent,
  type BackupPlan,
  type JobRequest,
  type OffsiteSecrets,
  type VerifyJobEvent,
  type VerifyJobRequest,
  type VerifyView,
} from '../../../shared/job-protocol.ts'
import type { AppError } from '../../../shared/result.ts'
import { partPathOf, removePart, resolveOutputPath } from '../backup/output-file.ts'
import { sweepCredentialFolders } from '../dump/defaults-file.ts'
import type { JobChild } from './job-child.ts'

/** How a backup job ended. */
export type JobOutcome =
  | { kind: 'done'; result: BackupResult }
  | { kind: 'cancelled'; result: BackupResult }
  | { kind: 'failed'; error: AppError }

/** How a verify job ended: a report (ok or not), a cancel, or no report at all. */
export type VerifyOutcome =
  { kind: 'done'; report: VerifyView } | { kind: 'cancelled' } | { kind: 'failed'; error: AppError }

/** How a restore or restore-test job ended. */
export type RestoreOutcome =
  | { kind: 'done'; result: RestoreResult }
  | { kind: 'cancelled'; result: RestoreResult | null }
  | { kind: 'failed'; error: AppError }
  | { kind: 'test-done'; report: RestoreTestReport }

/** How the job process ended, next to what it reported. */
export interface JobExit {
  code: number | null
  signal: NodeJS.Signals | null
  /** It ended without a final event (died, was killed, or never started): its partial files were removed here. */
  crashed: boolean
  /** This side killed it (the cancel grace ran out, or kill()). */
  killed: boolean
  /** Why it ended, in words, where the host says (Electron's reason for a utility process that died). */
  reason?: string
}

export interface JobEnd<O = JobOutcome> {
  outcome: O
  exit: JobExit
}

/** How long a cancelled job may take to clean up before it is killed. */
export const CANCEL_GRACE_MS = 15_000

interface CommonOptions<E> {
  jobId: string
  /**
   * Every valid event of the job, stamped with `jobId`, ending with exactly one final event — made up here
   * when the process ended without one, so a listener never waits forever.
   */
  onEvent(event: E): void
  /** Cancel → wait this long → kill (default CANCEL_GRACE_MS); also how long a job may linger after its final event. */
  graceMs?: number
}

export interface SuperviseOptions extends CommonOptions<BackupJobEvent> {
  plan: BackupPlan
  /** The secrets of the plan's offsite destinations: sent with `start` over the process channel only. */
  offsiteSecrets?: OffsiteSecrets
}

export interface SuperviseVerifyOptions extends CommonOptions<VerifyJobEvent> {
  request: VerifyJobRequest
}

export interface Supervised<O> {
  readonly jobId: string
  /** Settles once the process has ended (and, after a crash, what it left behind is cleaned up). */
  readonly ended: Promise<JobEnd<O>>
  readonly outcome: Promise<O>
  /** Asks the job to cancel (it stops and cleans up) and kills it after the grace. */
  cancel(): void
  /** Kills at once; partial files are removed by this side. Counts as a cancel. */
  kill(): void
}

export interface SuperviseRestoreOptions extends CommonOptions<RestoreJobEvent> {
  start: { type: 'restore'; plan: RestorePlan } | { type: 'restore-test'; request: RestoreTestRequest }
}

export type SupervisedRestoreJob = Supervised<RestoreOutcome>
export type SupervisedJob = Supervised<JobOutcome>
export type SupervisedVerifyJob = Supervised<VerifyOutcome>

/** How a process that sent no final event ended, for the outcome made up in its place. */
interface CrashEnd {
  code: number | null
  signal: NodeJS.Signals | null
  reason: string | undefined
  cancelRequested: boolean
  startError: Error | null
  startedAt: Date
}

/** What differs between the kinds of job: the start request, the events, and a crash's outcome. */
interface KindSpec<E, O> {
  start: JobRequest
  /** A valid event of this kind, stamped as this job's; null for anything else. */
  parse(raw: unknown): E | null
  /** The outcome a final event decides; null for an event that is not final. */
  finalOf(event: E): O | null
  /** Cleans up after a process that ended without a final event; the outcome and the final event to relay. */
  crashed(end: CrashEnd): Promise<{ outcome: O; event: E }>
}

/**
 * Runs one job in a job process and relays its events. Messages are validated with the kind's schema
 * (anything else is dropped); the first final event decides the outcome. A process that ends without one
 * is a crash: JobCrashed naming how it ended (or a cancel, when one was asked for).
 */
function supervise<E, O>(child: JobChild, options: CommonOptions<E>, spec: KindSpec<E, O>): Supervised<O> {
  const { jobId } = options
  const graceMs = options.graceMs ?? CANCEL_GRACE_MS
  const startedAt = new Date()
  let final: O | null = null
  let exited = false
  let startError: Error | null = null
  let cancelRequested = false
  let killed = false
  let killTimer: ReturnType<typeof setTimeout> | undefined
  // Its pid names its credential folders; Electron forgets the pid of a process that has exited.
  let jobPid = child.pid
  child.onSpawn?.(() => (jobPid ??= child.pid))

  const killNow = (): void => {
    if (exited) return
    killed = true
    child.kill('SIGKILL')
  }
  const killAfterGrace = (): void => {
    killTimer ??= setTimeout(killNow, graceMs)
  }

  child.onMessage((raw) => {
    // Nothing follows the final event: the protocol ends there.
    if (final !== null) return
    const event = spec.parse(raw)
    if (event === null) return
    final = spec.finalOf(event)
    // The job exits right after its final event; one that lingers is not left running.
    if (final !== null) killAfterGrace()
    options.onEvent(event)
  })
  child.onError((e) => (startError ??= e))

  const ended = new Promise<JobEnd<O>>((resolve) => {
    child.onExit((code, signal, reason) => {
      exited = true
      clearTimeout(killTimer)
      const exit: JobExit = {
        code,
        signal,
        crashed: final === null,
        killed,
        ...(reason === undefined ? {} : { reason }),
      }
      // However it ended, no credential folder of the job outlives it (a killed job cannot remove its own).
      const swept = jobPid === undefined ? Promise.resolve([]) : sweepCredentialFolders(jobPid)
      const decided = final
      if (decided !== null) return void swept.then(() => resolve({ outcome: decided, exit }))
      void swept
        .then(() => spec.crashed({ code, signal, reason, cancelRequested, startError, startedAt }))
        .then((made) => {
          options.onEvent(made.event)
          resolve({ outcome: made.outcome, exit })
        })
    })
  })
  child.send(spec.start)

  return {
    jobId,
    ended,
    outcome: ended.then((e) => e.outcome),
    cancel() {
      if (exited || final !== null || cancelRequested) return
      cancelRequested = true
      child.send({ type: 'cancel' })
      killAfterGrace()
    },
    kill() {
      if (final === null) cancelRequested = true
      killNow()
    },
  }
}

/** "signal SIGSEGV", "exit code 1", "ran out of memory [oom], exit code 9" — and a start error's text. */
function howItEnded(end: CrashEnd): string {
  const status = end.signal ? `signal ${end.signal}` : `exit code ${end.code}`
  const how = end.reason === undefined ? status : `${end.reason}, ${status}`
  return `${how}${end.startError ? `: ${end.startError.message}` : ''}`
}

/** The failure of a process that never started, or null when it did. */
function startFailure(end: CrashEnd): AppError | null {
  if (end.startError === null || end.code !== null || end.signal !== null) return null
  return { code: 'JobCrashed', message: `cannot start the job process: ${end.startError.message}` }
}

/**
 * Runs one backup plan in a job process and relays its events. A process that ends without a final event
 * is a crash: reported as JobCrashed (or as cancelled when a cancel was asked for), and the plan's
 * `<file>.part` files are removed here, since the job could not.
 */
export function superviseJob(child: JobChild, options: SuperviseOptions): SupervisedJob {
  const { jobId, plan } = options
  return supervise<BackupJobEvent, JobOutcome>(child, options, {
    start: {
      type: 'start',
      jobId,
      plan,
      ...(options.offsiteSecrets === undefined ? {} : { offsiteSecrets: options.offsiteSecrets }),
    },
    parse(raw) {
      const parsed = backupJobEventSchema.safeParse(raw)
      return parsed.success ? { ...parsed.data, jobId } : null
    },
    finalOf(event) {
      if (event.type === 'done' || event.type === 'cancelled')
        return { kind: event.type, result: event.result }
      if (event.type === 'failed') return { kind: 'failed', error: event.error }
      return null
    },
    async crashed(end) {
      await removeParts(plan)
      const outcome = backupCrashOutcome(plan, end)
      return {
        outcome,
        event:
          outcome.kind === 'failed'
            ? { type: 'failed', jobId, error: outcome.error }
            : { type: 'cancelled', jobId, result: outcome.result },
      }
    },
  })
}

/**
 * Verifies one backup file in a job process and relays its progress and report. A verify writes nothing,
 * so a crash leaves nothing to clean up: it is JobCrashed naming how the process ended (or a cancel, when
 * one was asked for).
 */
export function superviseVerifyJob(child: JobChild, options: SuperviseVerifyOptions): SupervisedVerifyJob {
  const { jobId, request } = options
  const { file } = request
  return supervise<VerifyJobEvent, VerifyOutcome>(child, options, {
    start: { type: 'verify', jobId, request },
    parse(raw) {
      const parsed = verifyJobEventSchema.safeParse(raw)
      // Stamped with this job's id and file: the job cannot speak for another one.
      return parsed.success ? { ...parsed.data, jobId, file } : null
    },
    finalOf(event) {
      if (event.type === 'verify-done') return { kind: 'done', report: event.report }
      if (event.type === 'verify-cancelled') return { kind: 'cancelled' }
      if (event.type === 'verify-failed') return { kind: 'failed', error: event.error }
      return null
    },
    async crashed(end) {
      if (end.cancelRequested) {
        return { outcome: { kind: 'cancelled' }, event: { type: 'verify-cancelled', jobId, file } }
      }
      const error: AppError = startFailure(end) ?? {
        code: 'JobCrashed',
        message: `the verify job process ended unexpectedly (${howItEnded(end)})`,
      }
      return { outcome: { kind: 'failed', error }, event: { type: 'verify-failed', jobId, file, error } }
    },
  })
}

/**
 * Runs a restore (or a restore test) in a job process and relays its events. A process that ends without a
 * final event is a crash: JobCrashed saying that the target may be partly restored (or a cancel, when one
 * was asked for); the pre-restore backups it was writing (`…_pre_restore….part`, started after the job)
 * are removed here.
 */
export function superviseRestoreJob(child: JobChild, options: SuperviseRestoreOptions): SupervisedRestoreJob {
  const { jobId, start } = options
  const request: JobRequest =
    start.type === 'restore'
      ? { type: 'restore', jobId, plan: start.plan }
      : { type: 'restore-test', jobId, request: start.request }
  return supervise<RestoreJobEvent, RestoreOutcome>(child, options, {
    start: request,
    parse(raw) {
      const parsed = restoreJobEventSchema.safeParse(raw)
      return parsed.success ? { ...parsed.data, jobId } : null
    },
    finalOf(event) {
      if (event.type === 'restore-done') return { kind: 'done', result: event.result }
      if (event.type === 'restore-cancelled') return { kind: 'cancelled', result: event.result }
      if (event.type === 'restore-failed') return { kind: 'failed', error: event.error }
      if (event.type === 'restore-test-done') return { kind: 'test-done', report: event.report }
      return null
    },
    async crashed(end) {
      if (start.type === 'restore' && start.plan.preBackup !== null) {
        await removePreRestoreParts(start.plan.preBackup.outputDir, end.startedAt)
      }
      if (end.cancelRequested) {
        return {
          outcome: { kind: 'cancelled', result: null },
          event: {
            type: 'restore-failed',
            jobId,
            error: { code: 'Cancelled', message: 'cancelled; the job process was stopped' },
          },
        }
      }
      const what = start.type === 'restore' ? 'restore' : 'restore test'
      const error: AppError = startFailure(end) ?? {
        code: 'JobCrashed',
        message:
          `the ${what} job process ended unexpectedly (${howItEnded(end)})` +
          (start.type === 'restore' ? '; the target database may be partly restored' : ''),
      }
      return { outcome: { kind: 'failed', error }, event: { type: 'restore-failed', jobId, error } }
    },
  })
}

/** The partial pre-restore backups a dead restore job left: `…_pre_restore…` `.part` files made since it started. */
async function removePreRestoreParts(dir: string, since: Date): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[])
  for (const name of names) {
    if (!name.includes('_pre_restore') || !name.endsWith('.part')) continue
    const path = join(dir, name)
    const info = await stat(path).catch(() => null)
    if (info !== null && info.mtimeMs >= since.getTime() - 1000) await unlink(path).catch(() => {})
  }
}

/** Removes the plan's partial files; a name that never resolved has none. */
async function removeParts(plan: BackupPlan): Promise<void> {
  for (const t of plan.targets) {
    try {
      await removePart(partPathOf(resolveOutputPath(plan.outputDir, t.fileName)))
    } catch {
      // an invalid name: the job refused it before writing anything
    }
  }
}

function backupCrashOutcome(plan: BackupPlan, end: CrashEnd): JobOutcome {
  if (end.cancelRequested) {
    // Asked to stop and stopped (killed after the grace, or died on the way): a cancel, never a failure.
    return {
      kind: 'cancelled',
      result: cancelledResult(plan, end.startedAt, 'cancelled; the job process was stopped'),
    }
  }
  const notStarted = startFailure(end)
  if (notStarted !== null) return { kind: 'failed', error: notStarted }
  return {
    kind: 'failed',
    error: {
      code: 'JobCrashed',
      message: `the backup job process ended unexpectedly (${howItEnded(end)}); no partial file was kept`,
    },
  }
}
