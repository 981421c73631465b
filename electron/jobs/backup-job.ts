/**
 * The job process entry: serves one job (job-host.ts) over its channel to the parent. Started by the desktop
 * app as an Electron utility process (and under Node by tests and the app's Node host).
 */
import { markAt, mark } from '../engine/timing.ts'
import { config as zodConfig } from 'zod'
import { connectJobPort } from './job-port.ts'
import { serveJob } from './job-host.ts'

// One process per job: zod's per-schema code generation costs more than it saves here.
zodConfig({ jitless: true })

markAt(performance.timeOrigin, 'job: process start')
mark('job: engine loaded')
const port = connectJobPort()
const controller = serveJob(port, (code) => process.exit(code))

// A terminal's Ctrl-C goes to the parent, which sends `cancel`; the job must not die half-way on its own.
process.on('SIGINT', () => {})
process.on('SIGTERM', () => controller.abort())
// A parent that died can no longer receive the result: stop, removing partial files.
port.onParentGone(() => controller.abort())
