/**
 * The job process entry: receives one request — `start` (a backup plan), `verify` (a file and the keys to
 * try), `restore` (a restore plan) or `restore-test` (a file and a scratch server) — runs it with an
 * AbortController, and streams JobEvents back until exactly one final event. Started by the CLI with
 * child_process.fork under Node and by the desktop app as an Electron utility process.
 */
import {
  jobRequestSchema,
  type BackupPlan,
  type JobEvent,
  type VerifyJobRequest,
} from '../../shared/job-protocol.ts'
import type { RestorePlan, RestoreTestRequest } from '../../shared/restore-types.ts'
import { runBackup } from '../engine/backup/run-backup.ts'
import { mark, markAt, takeMarks, timingEnabled, TIMING_LOG_PREFIX } from '../engine/timing.ts'
import { runRestore } from '../engine/restore/run/run-restore.ts'
import { runRestoreTest } from '../engine/restore/run/restore-test.ts'
import { toEngineError } from '../engine/errors.ts'
import { z } from 'zod'
import { prepareDumpStart } from '../engine/dump/dump-process.ts'
import { PREPARE_DUMP_ARG } from '../engine/jobs/node-job-child.ts'
import { connectJobPort } from './job-port.ts'
import { runVerify } from './verify-run.ts'

// One process per job: zod's per-schema code generation costs more than it saves here.
z.config({ jitless: true })

markAt(performance.timeOrigin, 'job: process start')
mark('job: engine loaded')
const port = connectJobPort()
// Forked for a backup: its first dump's reader thread and FIFOs are made while the plan is still coming.
if (process.argv.includes(PREPARE_DUMP_ARG)) prepareDumpStart()
const controller = new AbortController()
let started = false

// A terminal's Ctrl-C goes to the parent, which sends `cancel`; the job must not die half-way on its own.
process.on('SIGINT', () => {})
process.on('SIGTERM', () => controller.abort())
// A parent that died can no longer receive the result: stop, removing partial files.
port.onParentGone(() => controller.abort())

const send = (event: JobEvent): Promise<void> => port.send(event)

async function backup(jobId: string, plan: BackupPlan): Promise<void> {
  mark('job: plan received')
  try {
    const result = await runBackup(plan, {
      signal: controller.signal,
      onProgress: (progress) => void send({ type: 'progress', jobId, progress }),
      onLog: (level, message) => void send({ type: 'log', jobId, level, message }),
      onTarget: (target) => void send({ type: 'target', jobId, target }),
    })
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
  process.exit(0)
}

async function verify(jobId: string, request: VerifyJobRequest): Promise<void> {
  const { file } = request
  try {
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
  process.exit(0)
}

async function restore(jobId: string, plan: RestorePlan): Promise<void> {
  try {
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
  process.exit(0)
}

async function restoreTest(jobId: string, request: RestoreTestRequest): Promise<void> {
  try {
    const report = await runRestoreTest(request, {
      signal: controller.signal,
      onProgress: (progress) => void send({ type: 'restore-progress', jobId, progress }),
      onLog: (level, message) => void send({ type: 'restore-log', jobId, level, message }),
    })
    await send({ type: 'restore-test-done', jobId, report })
  } catch (e) {
    await send({ type: 'restore-failed', jobId, error: toEngineError(e).toAppError() })
  }
  process.exit(0)
}

port.onMessage((raw) => {
  const parsed = jobRequestSchema.safeParse(raw)
  if (!parsed.success) {
    // Nothing can run: say so (a backup's supervisor reads it; any supervisor sees the exit) and end.
    void send({
      type: 'failed',
      jobId: '',
      error: { code: 'InvalidInput', message: 'invalid job request' },
    }).then(() => process.exit(1))
    return
  }
  const request = parsed.data
  if (request.type === 'cancel') {
    controller.abort()
    return
  }
  if (started) return
  started = true
  if (request.type === 'start') void backup(request.jobId, request.plan)
  else if (request.type === 'verify') void verify(request.jobId, request.request)
  else if (request.type === 'restore') void restore(request.jobId, request.plan)
  else void restoreTest(request.jobId, request.request)
})
