/**
 * The Electron adapter: each backup job is a utility process running the built job entry
 * (out/main/backup-job.js, next to the main bundle). Thin on purpose — the supervision is the engine's,
 * tested on Node; this file only maps Electron's UtilityProcess onto a JobChild.
 */
import type { ForkOptions } from 'electron'
import type { JobChild } from '../../engine/jobs/job-child.ts'
import { JOB_V8_FLAGS } from '../../engine/jobs/node-job-child.ts'

/** The built job entry's file name; electron-vite writes it next to the main bundle (out/main/). */
export const JOB_ENTRY_FILE = 'backup-job.js'

/** Shown in the OS task manager and in app.getAppMetrics(). */
export const JOB_SERVICE_NAME = 'sfDBTools backup job'

/** The part of Electron's UtilityProcess this adapter uses. */
export interface UtilityProcessLike {
  readonly pid: number | undefined
  postMessage(message: unknown): void
  kill(): boolean
  on(event: 'message', listener: (message: unknown) => void): this
  on(event: 'exit', listener: (code: number) => void): this
  on(event: 'error', listener: (type: 'FatalError', location: string, report: string) => void): this
}

/** Electron's `utilityProcess` module (a fake in unit tests). */
export interface UtilityProcessApi {
  fork(modulePath: string, args?: string[], options?: ForkOptions): UtilityProcessLike
}

/** Returns the forkJob of the supervisor: one utility process per job. */
export function createUtilityProcessForker(api: UtilityProcessApi, entry: string): () => JobChild {
  return () =>
    wrapUtilityProcess(
      api.fork(entry, [], {
        serviceName: JOB_SERVICE_NAME,
        // The job talks over parentPort only; its stdout/stderr (a crash trace) go to the app's terminal.
        stdio: 'inherit',
        execArgv: [...JOB_V8_FLAGS],
      }),
    )
}

export function wrapUtilityProcess(child: UtilityProcessLike): JobChild {
  let exited = false
  let exitCode: number | null = null
  const exitListeners: ((code: number | null, signal: NodeJS.Signals | null) => void)[] = []
  child.on('exit', (code) => {
    exited = true
    exitCode = code
    // Electron reports only a code (from waitpid); a killed process shows as a non-zero code.
    for (const l of exitListeners.splice(0)) l(code, null)
  })
  return {
    send(message) {
      if (!exited) child.postMessage(message)
    },
    onMessage: (listener) => void child.on('message', listener),
    onExit(listener) {
      if (exited) queueMicrotask(() => listener(exitCode, null))
      else exitListeners.push(listener)
    },
    // A V8 fatal error; 'exit' follows on its own.
    onError: (listener) =>
      void child.on('error', (type, location) => listener(new Error(`${type} at ${location}`))),
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
