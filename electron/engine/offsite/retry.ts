import { EngineError, toEngineError } from '../errors.ts'

/** How a failed copy is tried again: `attempts` in all, waiting `delays[i]` ms before attempt i + 2. */
export interface RetryOptions {
  attempts: number
  delays: number[]
  /** Waits (tests inject a recorder); resolves early when the signal aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>
}

/** 3 attempts, 2 s then 8 s apart (exponential backoff). */
export const DEFAULT_RETRY: RetryOptions = { attempts: 3, delays: [2_000, 8_000] }

const final = new WeakSet<object>()

/** Marks an error as not worth trying again (a refused login or host key, a cancel). */
export function noRetry<E extends Error>(e: E): E {
  final.add(e)
  return e
}

export const isRetryable = (e: unknown): boolean =>
  !(typeof e === 'object' && e !== null && final.has(e)) &&
  !(e instanceof EngineError && e.code === 'Cancelled')

export const abortableSleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(done, ms)
    function done(): void {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    signal?.addEventListener('abort', done, { once: true })
  })

export const cancelled = (): EngineError =>
  noRetry(new EngineError('Cancelled', 'the offsite copy was cancelled'))

/**
 * Runs `attempt` until it succeeds, fails with an error not worth retrying, or has failed `attempts` times;
 * `onRetry` hears of each failure that is tried again. The last error is thrown.
 */
export async function withRetry<T>(
  attempt: (n: number) => Promise<T>,
  options: RetryOptions & {
    signal?: AbortSignal
    onRetry?: (error: EngineError, attempt: number, delayMs: number) => void
  },
): Promise<T> {
  const sleep = options.sleep ?? abortableSleep
  for (let n = 1; ; n++) {
    if (options.signal?.aborted) throw cancelled()
    try {
      return await attempt(n)
    } catch (e) {
      if (options.signal?.aborted) throw cancelled()
      if (n >= options.attempts || !isRetryable(e)) throw e
      const delay = options.delays[Math.min(n - 1, options.delays.length - 1)] ?? 0
      options.onRetry?.(toEngineError(e), n, delay)
      await sleep(delay, options.signal)
    }
  }
}
