/** After a second signal, the longest the command waits for its killed job's own cleanup. */
export const KILL_EXIT_MS = 5_000

/** A running job as the CLI waits for it: its outcome, a cancel, a kill. */
export interface CancellableJob<O> {
  outcome: Promise<O>
  cancel(): void
  kill(): void
}

/**
 * Waits for a job with Ctrl-C / SIGTERM turned into a cancel (`onCancel` says so first) and a second signal
 * into a kill. `onSignal` hears of every signal first (which one, and how many so far), e.g. for a log.
 * Returns the outcome and how many signals arrived.
 */
export async function awaitJob<O>(
  job: CancellableJob<O>,
  onCancel: () => void,
  onSignal: (signal: NodeJS.Signals, count: number) => void = () => {},
): Promise<{ outcome: O; signals: number }> {
  let signals = 0
  const handler = (signal: NodeJS.Signals): void => {
    signals++
    onSignal(signal, signals)
    if (signals > 1) {
      job.kill()
      // The job runs in this process (job-in-process.ts): its own cleanup (its dump's kill, its folders)
      // goes on behind the kill, and the command ends when it is done — or after KILL_EXIT_MS, whatever that
      // cleanup still waits for: a second signal means now.
      setTimeout(() => process.exit(130), KILL_EXIT_MS).unref()
      return
    }
    onCancel()
    job.cancel()
  }
  process.on('SIGINT', handler)
  process.on('SIGTERM', handler)
  try {
    return { outcome: await job.outcome, signals }
  } finally {
    process.off('SIGINT', handler)
    process.off('SIGTERM', handler)
  }
}
