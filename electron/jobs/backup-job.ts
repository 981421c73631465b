/**
 * The job process entry: receives one request — `start` (a backup plan) or `verify` (a file and the keys to
 * try) — runs it with an AbortController, and streams JobEvents back until exactly one final event. Started
 * by the CLI with child_process.fork under Node and by the desktop app as an Electron utility process.
 */
import {
  jobRequestSchema,
  type BackupPlan,
  type JobEvent,
  type VerifyJobRequest,
} from '../../shared/job-protocol.ts'
import { runBackup } from '../engine/backup/run-backup.ts'
import { toEngineError } from '../engine/errors.ts'
import { connectJobPort } from './job-port.ts'
import { runVerify } from './verify-run.ts'

const port = connectJobPort()
const controller = new AbortController()
let started = false

// A terminal's Ctrl-C goes to the parent, which sends `cancel`; the job must not die half-way on its own.
process.on('SIGINT', () => {})
process.on('SIGTERM', () => controller.abort())
// A parent that died can no longer receive the result: stop, removing partial files.
port.onParentGone(() => controller.abort())

const send = (event: JobEvent): Promise<void> => port.send(event)

async function backup(jobId: string, plan: BackupPlan): Promise<void> {
  try {
    const result = await runBackup(plan, {
      signal: controller.signal,
      onProgress: (progress) => void send({ type: 'progress', jobId, progress }),
      onLog: (level, message) => void send({ type: 'log', jobId, level, message }),
      onTarget: (target) => void send({ type: 'target', jobId, target }),
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
  // TODO(restore-job): restore and restore-test requests.
})
