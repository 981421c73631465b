/** A running job as the CLI waits for it: its outcome, a cancel, a kill. */
export interface CancellableJob<O> {
  outcome: Promise<O>
  cancel(): void
  kill(): void
}

/**
 * Waits for a job with Ctrl-C / SIGTERM turned into a cancel (`onCancel` says so first) and a second signal
 * into a kill. Returns the outcome and how many signals arrived.
 */
export async function awaitJob<O>(
  job: CancellableJob<O>,
  onCancel: () => void,
): Promise<{ outcome: O; signals: number }> {
  let signals = 0
  const onSignal = (): void => {
    signals++
    if (signals > 1) return job.kill()
    onCancel()
    job.cancel()
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  try {
    return { outcome: await job.outcome, signals }
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}
