/**
 * What a job runs, whoever hosts it: the job process (backup-job.ts, forked by the desktop app) or the CLI's
 * own process (cli/job-in-process.ts). It receives one request — `start` (a backup plan), `verify` (a file
 * and the keys to try), `restore` (a restore plan) or `restore-test` (a file and a scratch server) — runs it
 * with an AbortController, and streams JobEvents back until exactly one final event, then calls `exit`.
 * `ping` (the app's --smoke-test) is answered with one `pong` and the exit.
 */
import {
  jobRequestSchema,
  type BackupPlan,
  type JobEvent,
  type JobPong,
  type JobRequest,
  type LogLevel,
  type OffsiteSecrets,
  type VerifyJobRequest,
} from '../../shared/job-protocol.ts'
import type { RestorePlan, RestoreTestRequest } from '../../shared/restore-types.ts'
import { runBackup } from '../engine/backup/run-backup.ts'
import { mark, takeMarks, timingEnabled, TIMING_LOG_PREFIX } from '../engine/timing.ts'
import { toEngineError } from '../engine/errors.ts'
import type { JobPort } from './job-port.ts'

/**
 * Serves one job over `port`. Returns the job's AbortController (a SIGTERM, a parent gone or a host's kill
 * aborts it like a cancel). `exit(code)` is called once, after the final event was sent.
 */
export function serveJob(
  port: JobPort,
  exit: (code: number) => void,
  /** `trusted`: the requests come from this process's own code (the CLI's), not over a process boundary. */
  options: { trusted?: boolean } = {},
): AbortController {
  const controller = new AbortController()
  let started = false
  const send = (event: JobEvent): Promise<void> => port.send(event)

  async function backup(jobId: string, plan: BackupPlan, secrets?: OffsiteSecrets): Promise<void> {
    mark('job: plan received')
    const onLog = (level: LogLevel, message: string): void =>
      void send({ type: 'log', jobId, level, message })
    // With offsite copies the retention runs after them (offsite-run.ts), never before.
    const copies = (plan.offsite?.destinations.length ?? 0) > 0
    try {
      const written = await runBackup(copies ? { ...plan, cleanup: null } : plan, {
        signal: controller.signal,
        onProgress: (progress) => void send({ type: 'progress', jobId, progress }),
        onLog,
        onTarget: (target) => void send({ type: 'target', jobId, target }),
      })
      const result = copies
        ? await (
            await import('./offsite-run.ts')
          ).copyRunOffsite(plan, written, secrets, {
            signal: controller.signal,
            onLog,
            onProgress: (p) => void send({ type: 'copy-progress', jobId, ...p }),
          })
        : written
      if (timingEnabled())
        await send({
          type: 'log',
          jobId,
          level: 'debug',
          message: TIMING_LOG_PREFIX + JSON.stringify(takeMarks()),
        })
      await send(
        controller.signal.aborted ? { type: 'cancelled', jobId, result } : { type: 'done', jobId, result },
      )
    } catch (e) {
      await send({ type: 'failed', jobId, error: toEngineError(e).toAppError() })
    }
    exit(0)
  }

  async function verify(jobId: string, request: VerifyJobRequest): Promise<void> {
    const { file } = request
    try {
      const { runVerify } = await import('./verify-run.ts')
      const report = await runVerify(request, {
        signal: controller.signal,
        onProgress: (progress) => void send({ type: 'verify-progress', jobId, file, progress }),
      })
      await send(
        controller.signal.aborted
          ? { type: 'verify-cancelled', jobId, file }
          : { type: 'verify-done', jobId, file, report },
      )
    } catch (e) {
      await send({ type: 'verify-failed', jobId, file, error: toEngineError(e).toAppError() })
    }
    exit(0)
  }

  async function restore(jobId: string, plan: RestorePlan): Promise<void> {
    try {
      const { runRestore } = await import('../engine/restore/run/run-restore.ts')
      const result = await runRestore(plan, {
        signal: controller.signal,
        onProgress: (progress) => void send({ type: 'restore-progress', jobId, progress }),
        onLog: (level, message) => void send({ type: 'restore-log', jobId, level, message }),
        onItem: (item) => void send({ type: 'restore-item', jobId, item }),
      })
      await send(
        controller.signal.aborted
          ? { type: 'restore-cancelled', jobId, result }
          : { type: 'restore-done', jobId, result },
      )
    } catch (e) {
      await send({ type: 'restore-failed', jobId, error: toEngineError(e).toAppError() })
    }
    exit(0)
  }

  async function restoreTest(jobId: string, request: RestoreTestRequest): Promise<void> {
    try {
      const { runRestoreTest } = await import('../engine/restore/run/restore-test.ts')
      const report = await runRestoreTest(request, {
        signal: controller.signal,
        onProgress: (progress) => void send({ type: 'restore-progress', jobId, progress }),
        onLog: (level, message) => void send({ type: 'restore-log', jobId, level, message }),
      })
      await send({ type: 'restore-test-done', jobId, report })
    } catch (e) {
      await send({ type: 'restore-failed', jobId, error: toEngineError(e).toAppError() })
    }
    exit(0)
  }

  port.onMessage((raw) => {
    const parsed = options.trusted
      ? { success: true as const, data: raw as JobRequest }
      : jobRequestSchema.safeParse(raw)
    if (!parsed.success) {
      // Nothing can run: say so (a backup's supervisor reads it; any supervisor sees the exit) and end.
      void send({
        type: 'failed',
        jobId: '',
        error: { code: 'InvalidInput', message: 'invalid job request' },
      }).then(() => exit(1))
      return
    }
    const request = parsed.data
    if (request.type === 'cancel') {
      controller.abort()
      return
    }
    if (started) return
    started = true
    if (request.type === 'ping') {
      const pong: JobPong = {
        type: 'pong',
        jobId: request.jobId,
        node: process.versions.node,
        pid: process.pid,
      }
      void port.send(pong).then(() => exit(0))
      return
    }
    if (request.type === 'start') void backup(request.jobId, request.plan, request.offsiteSecrets)
    else if (request.type === 'verify') void verify(request.jobId, request.request)
    else if (request.type === 'restore') void restore(request.jobId, request.plan)
    else void restoreTest(request.jobId, request.request)
  })
  return controller
}
