import { fork, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { BackupResult } from '../../shared/backup-types.ts'
import { jobEventSchema, type BackupPlan, type JobEvent } from '../../shared/job-protocol.ts'
import type { AppError } from '../../shared/result.ts'
import { partPathOf, removePart, resolveOutputPath } from '../engine/backup/output-file.ts'

export type JobOutcome =
  | { kind: 'done'; result: BackupResult }
  | { kind: 'cancelled'; result: BackupResult }
  | { kind: 'failed'; error: AppError }

/** How long a cancelled job may take to clean up before it is killed. */
const CANCEL_GRACE_MS = 15_000

/** The job entry built next to the CLI (out/main/backup-job.js). */
export const defaultJobEntry = (): string => fileURLToPath(new URL('./backup-job.js', import.meta.url))

export interface RunningJob {
  outcome: Promise<JobOutcome>
  /** First call: ask the job to cancel (it kills the dump and removes partial files). */
  cancel(): void
  /** Kill at once; partial files are removed by this side. */
  kill(): void
}

/**
 * Runs one backup plan in a child process (the same job entry Electron starts as a utility process) and
 * relays its events. A job that exits without a final event is reported as JobCrashed, and any `.part`
 * files of the plan are removed here, since the job could not.
 */
export function runJob(
  plan: BackupPlan,
  onEvent: (e: JobEvent) => void,
  entry = defaultJobEntry(),
): RunningJob {
  const jobId = `job-${process.pid}-${Date.now()}`
  // detached: a terminal's Ctrl-C reaches only this process, which turns it into a clean cancel.
  const child: ChildProcess = fork(entry, [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    detached: true,
  })
  let final: JobOutcome | null = null
  let killTimer: NodeJS.Timeout | undefined

  const cleanupParts = async (): Promise<void> => {
    for (const t of plan.targets) {
      try {
        await removePart(partPathOf(resolveOutputPath(plan.outputDir, t.fileName)))
      } catch {
        // a name that never resolved has no partial file
      }
    }
  }

  const outcome = new Promise<JobOutcome>((resolve) => {
    child.on('message', (raw) => {
      const parsed = jobEventSchema.safeParse(raw)
      if (!parsed.success) return
      const e = parsed.data
      if (e.type === 'done' || e.type === 'cancelled') final = { kind: e.type, result: e.result }
      else if (e.type === 'failed') final = { kind: 'failed', error: e.error }
      onEvent(e)
    })
    child.on('error', (e) => {
      final ??= {
        kind: 'failed',
        error: { code: 'JobCrashed', message: `cannot start the job process: ${e.message}` },
      }
    })
    child.on('exit', (code, signal) => {
      if (killTimer) clearTimeout(killTimer)
      if (final) return resolve(final)
      void cleanupParts().then(() =>
        resolve({
          kind: 'failed',
          error: {
            code: 'JobCrashed',
            message: `the backup job process ended unexpectedly (${signal ? `signal ${signal}` : `exit code ${code}`}); no partial file was kept`,
          },
        }),
      )
    })
  })
  child.send({ type: 'start', jobId, plan })

  return {
    outcome,
    cancel() {
      if (child.connected) child.send({ type: 'cancel' })
      killTimer ??= setTimeout(() => child.kill('SIGKILL'), CANCEL_GRACE_MS)
    },
    kill() {
      // The job leads its own process group (detached): take the dump binary down with it.
      if (process.platform !== 'win32' && child.pid) {
        try {
          process.kill(-child.pid, 'SIGKILL')
          return
        } catch {
          // already gone
        }
      }
      child.kill('SIGKILL')
    },
  }
}
