/**
 * The job process entry: receives one `start` request, runs the backup engine with an AbortController, and
 * streams JobEvents back until exactly one final event (done / cancelled / failed). Started by the CLI with
 * child_process.fork under Node and by the desktop app as an Electron utility process.
 */
import { jobRequestSchema, type BackupPlan, type JobEvent } from '../../shared/job-protocol.ts'
import { runBackup } from '../engine/backup/run-backup.ts'
import { toEngineError } from '../engine/errors.ts'
import { connectJobPort } from './job-port.ts'

const port = connectJobPort()
const controller = new AbortController()
let started = false

// A terminal's Ctrl-C goes to the parent, which sends `cancel`; the job must not die half-way on its own.
process.on('SIGINT', () => {})
process.on('SIGTERM', () => controller.abort())
// A parent that died can no longer receive the result: stop, removing partial files.
port.onParentGone(() => controller.abort())

const send = (event: JobEvent): Promise<void> => port.send(event)

async function run(jobId: string, plan: BackupPlan): Promise<void> {
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

port.onMessage((raw) => {
  const parsed = jobRequestSchema.safeParse(raw)
  if (!parsed.success) {
    void send({ type: 'failed', jobId: '', error: { code: 'InvalidInput', message: 'invalid job request' } })
    return
  }
  const request = parsed.data
  if (request.type === 'cancel') {
    controller.abort()
    return
  }
  if (started) return
  started = true
  void run(request.jobId, request.plan)
})
