/**
 * Why a job's utility process died, as Electron tells it: the app's `child-process-gone` event carries
 * `details.reason` ('crashed', 'oom', 'killed', 'launch-failed', …) for a process of type 'Utility', named
 * by the serviceName it was forked with. The utility process's own 'exit' gives only a code, and the two
 * arrive in either order: the tracker keeps each reason until the job's adapter takes it, and the adapter
 * waits a moment for one that is still on its way.
 */

/** The part of Electron's `Details` of 'child-process-gone' used here. */
export interface ChildProcessGoneDetails {
  type: string
  reason: string
  exitCode: number
  serviceName?: string
  name?: string
}

/** Electron's reasons in words, with the reason itself for a search. */
const REASONS: Record<string, string> = {
  'clean-exit': 'exited cleanly',
  'abnormal-exit': 'exited abnormally',
  killed: 'was killed (by the OS or another program)',
  crashed: 'crashed',
  oom: 'ran out of memory',
  'launch-failed': 'could not be launched',
  'integrity-failure': 'failed a code integrity check',
  'memory-eviction': 'was evicted to free memory',
}

/** "ran out of memory [oom]"; an unknown reason as itself. */
export const goneReasonText = (reason: string): string =>
  REASONS[reason] === undefined ? reason : `${REASONS[reason]} [${reason}]`

/** How long an adapter whose process exited waits for Electron's reason. */
export const GONE_REASON_WAIT_MS = 1000
/** A reason nobody took is forgotten after this long. */
const KEEP_MS = 60_000

export interface ProcessGoneTracker {
  /** The app's 'child-process-gone' listener: remembers the reason of a utility process. */
  record(details: ChildProcessGoneDetails): void
  /**
   * The reason of the utility process named `name` in words, once known: at once when it was recorded, else
   * when it arrives within `waitMs`; null when none comes.
   */
  take(name: string, waitMs?: number): Promise<string | null>
}

export function createProcessGoneTracker(
  timers: {
    setTimeout(fn: () => void, ms: number): unknown
    clearTimeout(handle: unknown): void
  } = {
    setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
    clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  },
): ProcessGoneTracker {
  const known = new Map<string, { text: string; expiry: unknown }>()
  const waiting = new Map<string, (text: string) => void>()
  return {
    record(details) {
      if (details.type !== 'Utility') return
      const name = details.name ?? details.serviceName
      if (name === undefined) return
      const text = goneReasonText(details.reason)
      const waiter = waiting.get(name)
      if (waiter) {
        waiting.delete(name)
        waiter(text)
        return
      }
      const old = known.get(name)
      if (old) timers.clearTimeout(old.expiry)
      known.set(name, { text, expiry: timers.setTimeout(() => known.delete(name), KEEP_MS) })
    },
    take(name, waitMs = GONE_REASON_WAIT_MS) {
      const seen = known.get(name)
      if (seen) {
        known.delete(name)
        timers.clearTimeout(seen.expiry)
        return Promise.resolve(seen.text)
      }
      return new Promise((resolve) => {
        const timer = timers.setTimeout(() => {
          waiting.delete(name)
          resolve(null)
        }, waitMs)
        waiting.set(name, (text) => {
          timers.clearTimeout(timer)
          resolve(text)
        })
      })
    },
  }
}
