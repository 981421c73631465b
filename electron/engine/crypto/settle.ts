import type { TransformCallback } from 'node:stream'

/** Runs a synchronous stream step and reports its outcome to the stream's callback exactly once. */
export function settle(callback: TransformCallback, step: () => void): void {
  try {
    step()
  } catch (e) {
    callback(e as Error)
    return
  }
  callback()
}
