/**
 * A backup job process as its supervisor sees it, whatever started it: child_process.fork under Node (the
 * CLI, tests) or Electron's utilityProcess.fork (the desktop app). One supervision (supervise-job.ts) runs
 * over this interface, so both hosts cancel, kill and report crashes the same way.
 */
import type { JobRequest } from '../../../shared/job-protocol.ts'

/** SIGTERM asks the job to stop (it aborts like a cancel); SIGKILL ends it at once. */
export type JobSignal = 'SIGTERM' | 'SIGKILL'

export interface JobChild {
  /** Posts a request to the job; a no-op once the process is gone. */
  send(message: JobRequest): void
  /** Every message the job posts, unvalidated. */
  onMessage(listener: (message: unknown) => void): void
  /**
   * Called exactly once when the process has ended — also for a listener added after the fact, and for a
   * process that never started (code and signal null, after onError).
   */
  onExit(listener: (code: number | null, signal: NodeJS.Signals | null) => void): void
  /** The process could not be started or hit a fatal error; onExit follows. */
  onError(listener: (error: Error) => void): void
  kill(signal: JobSignal): void
}
