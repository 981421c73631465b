/**
 * A job process as its supervisor sees it, whatever started it: child_process.fork under Node (the CLI,
 * tests) or Electron's utilityProcess.fork (the desktop app). One supervision (supervise-job.ts) runs over
 * this interface, so both hosts cancel, kill and report crashes the same way.
 */
import type { JobRequest } from '../../../shared/job-protocol.ts'

/** SIGTERM asks the job to stop (it aborts like a cancel); SIGKILL ends it at once. */
export type JobSignal = 'SIGTERM' | 'SIGKILL'

/**
 * How a process ended: its exit code or signal, and — where the host knows it — why, in words (Electron's
 * `child-process-gone` reason of a utility process, e.g. "ran out of memory [oom]").
 */
export type JobExitListener = (code: number | null, signal: NodeJS.Signals | null, reason?: string) => void

export interface JobChild {
  /** The OS process id, once the process runs (undefined before, or when it never started). */
  readonly pid: number | undefined
  /** Posts a request to the job; a no-op once the process is gone. */
  send(message: JobRequest): void
  /** Every message the job posts, unvalidated. */
  onMessage(listener: (message: unknown) => void): void
  /**
   * Called exactly once when the process has ended — also for a listener added after the fact, and for a
   * process that never started (code and signal null, after onError).
   */
  onExit(listener: JobExitListener): void
  /** The process could not be started or hit a fatal error; onExit follows. */
  onError(listener: (error: Error) => void): void
  /** The process runs (its pid is known from now on); absent where the host does not say. */
  onSpawn?(listener: () => void): void
  /**
   * Each line the job writes to stdout or stderr, when the host captures them (a crash trace, a warning
   * of Node); absent when they go to the terminal or nowhere.
   */
  onOutput?(listener: (stream: 'stdout' | 'stderr', line: string) => void): void
  kill(signal: JobSignal): void
}
