import type { BackupResult } from '../../../shared/backup-types.ts'
import { jobEventSchema, type BackupPlan, type JobEvent } from '../../../shared/job-protocol.ts'
import type { AppError } from '../../../shared/result.ts'
import { partPathOf, removePart, resolveOutputPath } from '../backup/output-file.ts'
import type { JobChild } from './job-child.ts'

export type JobOutcome =
  | { kind: 'done'; result: BackupResult }
  | { kind: 'cancelled'; result: BackupResult }
  | { kind: 'failed'; error: AppError }

/** How the job process ended, next to what it reported. */
export interface JobExit {
  code: number | null
  signal: NodeJS.Signals | null
  /** It ended without a final event (died, was killed, or never started): its partial files were removed here. */
  crashed: boolean
  /** This side killed it (the cancel grace ran out, or kill()). */
  killed: boolean
}

export interface JobEnd {
  outcome: JobOutcome
  exit: JobExit
}

/** How long a cancelled job may take to clean up before it is killed. */
export const CANCEL_GRACE_MS = 15_000

export interface SuperviseOptions {
  jobId: string
  plan: BackupPlan
  /**
   * Every valid event of the job, stamped with `jobId`, ending with exactly one final event (done / failed /
   * cancelled) — made up here when the process ended without one, so a listener never waits forever.
   */
  onEvent(event: JobEvent): void
  /** Cancel → wait this long → kill (default CANCEL_GRACE_MS); also how long a job may linger after its final event. */
  graceMs?: number
}

export interface SupervisedJob {
  readonly jobId: string
  /** Settles once the process has ended (and, after a crash, its partial files are gone). */
  readonly ended: Promise<JobEnd>
  readonly outcome: Promise<JobOutcome>
  /** Asks the job to cancel (it kills the dump and removes partial files) and kills it after the grace. */
  cancel(): void
  /** Kills at once; partial files are removed by this side. Counts as a cancel. */
  kill(): void
}

/**
 * Runs one backup plan in a job process and relays its events. Messages are validated with jobEventSchema
 * (anything else is dropped); the first final event decides the outcome. A process that ends without one
 * is a crash: reported as JobCrashed (or as cancelled when a cancel was asked for), and the plan's
 * `<file>.part` files are removed here, since the job could not.
 */
export function superviseJob(child: JobChild, options: SuperviseOptions): SupervisedJob {
  const { jobId, plan } = options
  const graceMs = options.graceMs ?? CANCEL_GRACE_MS
  const startedAt = new Date()
  let final: JobOutcome | null = null
  let exited = false
  let startError: Error | null = null
  let cancelRequested = false
  let killed = false
  let killTimer: ReturnType<typeof setTimeout> | undefined

  const killNow = (): void => {
    if (exited) return
    killed = true
    child.kill('SIGKILL')
  }
  const killAfterGrace = (): void => {
    killTimer ??= setTimeout(killNow, graceMs)
  }

  child.onMessage((raw) => {
    const parsed = jobEventSchema.safeParse(raw)
    // Nothing follows the final event: the protocol ends there.
    if (!parsed.success || final !== null) return
    const event = { ...parsed.data, jobId }
    if (event.type === 'done' || event.type === 'cancelled')
      final = { kind: event.type, result: event.result }
    else if (event.type === 'failed') final = { kind: 'failed', error: event.error }
    // The job exits right after its final event; one that lingers is not left running.
    if (final !== null) killAfterGrace()
    options.onEvent(event)
  })
  child.onError((e) => (startError ??= e))

  const ended = new Promise<JobEnd>((resolve) => {
    child.onExit((code, signal) => {
      exited = true
      clearTimeout(killTimer)
      const exit: JobExit = { code, signal, crashed: final === null, killed }
      if (final !== null) return resolve({ outcome: final, exit })
      void removeParts(plan).then(() => {
        const outcome = crashOutcome(plan, { code, signal, cancelRequested, startError, startedAt })
        options.onEvent(
          outcome.kind === 'failed'
            ? { type: 'failed', jobId, error: outcome.error }
            : { type: 'cancelled', jobId, result: outcome.result },
        )
        resolve({ outcome, exit })
      })
    })
  })
  child.send({ type: 'start', jobId, plan })

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

function crashOutcome(
  plan: BackupPlan,
  end: {
    code: number | null
    signal: NodeJS.Signals | null
    cancelRequested: boolean
    startError: Error | null
    startedAt: Date
  },
): JobOutcome {
  if (end.cancelRequested) {
    // Asked to stop and stopped (killed after the grace, or died on the way): a cancel, never a failure.
    const finishedAt = new Date()
    const error: AppError = { code: 'Cancelled', message: 'cancelled; the job process was stopped' }
    return {
      kind: 'cancelled',
      result: {
        ok: false,
        mode: plan.mode,
        ticket: plan.ticket,
        startedAt: end.startedAt.toISOString(),
        finishedAt: finishedAt.toISOString(),
        durationMs: finishedAt.getTime() - end.startedAt.getTime(),
        targets: plan.targets.map((t) => ({
          databases: t.databases,
          status: 'cancelled',
          file: null,
          bytes: 0,
          sqlBytes: 0,
          sha256: null,
          durationMs: 0,
          warnings: [],
          error,
        })),
      },
    }
  }
  if (end.startError !== null && end.code === null && end.signal === null) {
    return {
      kind: 'failed',
      error: { code: 'JobCrashed', message: `cannot start the job process: ${end.startError.message}` },
    }
  }
  const how = `${end.signal ? `signal ${end.signal}` : `exit code ${end.code}`}${end.startError ? `: ${end.startError.message}` : ''}`
  return {
    kind: 'failed',
    error: {
      code: 'JobCrashed',
      message: `the backup job process ended unexpectedly (${how}); no partial file was kept`,
    },
  }
}
