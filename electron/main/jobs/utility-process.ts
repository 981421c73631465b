/**
 * The Electron adapter: each job is a utility process running the built job entry (out/main/backup-job.js,
 * next to the main bundle). Thin on purpose — the supervision is the engine's, tested on Node; this file
 * maps Electron's UtilityProcess onto a JobChild: its output line by line, and its death with the reason
 * Electron gives (app 'child-process-gone', matched by the job's own serviceName; see process-gone.ts).
 */
import type { ForkOptions } from 'electron'
import type { JobKind } from '../../../shared/job-protocol.ts'
import { jobEnvironment } from '../../engine/child-env.ts'
import type { JobChild, JobExitListener } from '../../engine/jobs/job-child.ts'
import { JOB_V8_FLAGS } from '../../engine/jobs/node-job-child.ts'
import { forEachLine } from '../../engine/jobs/output-lines.ts'
import type { ProcessGoneTracker } from './process-gone.ts'

/** The built job entry's file name; electron-vite writes it next to the main bundle (out/main/). */
export const JOB_ENTRY_FILE = 'backup-job.js'

/** Shown in the OS task manager and in app.getAppMetrics(). */
export const JOB_SERVICE_NAME = 'sfDBTools job'

/** Which job a process is for (what the supervisor passes to forkJob). */
export interface JobForkInfo {
  jobId: string
  kind: JobKind
}

/**
 * The job's own process name, "sfDBTools backup job job-…": unique, so Electron's 'child-process-gone'
 * (which names the process, not its pid) finds its job.
 */
export const jobServiceName = (info?: JobForkInfo): string =>
  info === undefined ? JOB_SERVICE_NAME : `sfDBTools ${info.kind} job ${info.jobId}`

/** The part of Electron's UtilityProcess this adapter uses. */
export interface UtilityProcessLike {
  readonly pid: number | undefined
  readonly stdout?: NodeJS.ReadableStream | null
  readonly stderr?: NodeJS.ReadableStream | null
  postMessage(message: unknown): void
  kill(): boolean
  on(event: 'spawn', listener: () => void): this
  on(event: 'message', listener: (message: unknown) => void): this
  on(event: 'exit', listener: (code: number) => void): this
  on(event: 'error', listener: (type: 'FatalError', location: string, report: string) => void): this
}

/** Electron's `utilityProcess` module (a fake in unit tests). */
export interface UtilityProcessApi {
  fork(modulePath: string, args?: string[], options?: ForkOptions): UtilityProcessLike
}

export interface UtilityForkerOptions {
  /** Electron's reasons for processes that died (fed by app 'child-process-gone'). */
  gone?: ProcessGoneTracker
  /** How long an exit with a non-zero code waits for its reason (default: the tracker's). */
  goneWaitMs?: number
}

/** Returns the forkJob of the supervisor: one utility process per job. */
export function createUtilityProcessForker(
  api: UtilityProcessApi,
  entry: string,
  options: UtilityForkerOptions = {},
): (info?: JobForkInfo) => JobChild {
  return (info) => {
    const serviceName = jobServiceName(info)
    const child = api.fork(entry, [], {
      serviceName,
      // The job talks over parentPort; its stdout/stderr (a crash trace, a warning) go to the log.
      stdio: 'pipe',
      execArgv: [...JOB_V8_FLAGS],
      // Its keys come in the plan; none is inherited (nor passed on to the programs it starts).
      env: jobEnvironment(),
    })
    const { gone, goneWaitMs } = options
    return wrapUtilityProcess(
      child,
      gone === undefined ? undefined : () => gone.take(serviceName, goneWaitMs),
    )
  }
}

/**
 * Adapts a UtilityProcess. `goneReason` (when given) is asked after an exit with a non-zero code, and
 * its answer goes to the exit listeners as the reason.
 */
export function wrapUtilityProcess(
  child: UtilityProcessLike,
  goneReason?: () => Promise<string | null>,
): JobChild {
  let exit: [number | null, string | undefined] | null = null
  const exitListeners: JobExitListener[] = []
  const outputListeners: ((stream: 'stdout' | 'stderr', line: string) => void)[] = []
  // Both pipes are always read: a full one would block the job.
  for (const stream of ['stdout', 'stderr'] as const) {
    const source = child[stream]
    if (source) forEachLine(source, (line) => outputListeners.forEach((l) => l(stream, line)))
  }
  let exited = false
  const ended = (code: number, reason: string | undefined): void => {
    exit = [code, reason]
    // Electron reports only a code (from waitpid); a killed process shows as a non-zero code.
    for (const l of exitListeners.splice(0)) l(code, null, reason)
  }
  child.on('exit', (code) => {
    exited = true
    if (code === 0 || goneReason === undefined) return ended(code, undefined)
    void goneReason().then(
      (reason) => ended(code, reason ?? undefined),
      () => ended(code, undefined),
    )
  })
  return {
    get pid() {
      return child.pid
    },
    send(message) {
      if (!exited) child.postMessage(message)
    },
    onMessage: (listener) => void child.on('message', listener),
    onExit(listener) {
      const done = exit
      if (done) queueMicrotask(() => listener(done[0], null, done[1]))
      else exitListeners.push(listener)
    },
    // A V8 fatal error; 'exit' follows on its own.
    onError: (listener) =>
      void child.on('error', (type, location) => listener(new Error(`${type} at ${location}`))),
    onSpawn: (listener) => void child.on('spawn', listener),
    onOutput: (listener) => void outputListeners.push(listener),
    kill(signal) {
      if (exited) return
      // UtilityProcess.kill() is SIGTERM (the job aborts like a cancel); SIGKILL needs the pid.
      if (signal === 'SIGKILL' && child.pid !== undefined) {
        try {
          process.kill(child.pid, 'SIGKILL')
          return
        } catch {
          // already gone
        }
      }
      child.kill()
    },
  }
}
