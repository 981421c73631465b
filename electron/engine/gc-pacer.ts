/**
 * Spent buffers of the byte path collected as they go, instead of in bulk.
 *
 * Why: a compressed backup's output (and any chunk that is not recycled, see codecs/recycled-chunks.ts) lives
 * in buffers outside V8's heap. V8 only looks at them in a full GC, and starts one after ≈ 64 MB of such
 * memory has grown since the last: on the 143 MB zstd backup ≈ 50 MB of spent output buffers were held at the
 * job's peak (RSS 152–168 MB). Their JavaScript objects die young, so a minor GC (a scavenge of a 2 MB young
 * generation, ≈ 1 ms) frees them: one per 4 MiB that passed the last stage keeps the job at 132–139 MB (one per
 * 8 MiB: 134–152 MB with encryption, whose input is spent too).
 *
 * A job process runs with `--expose-gc` (JOB_V8_FLAGS) for this alone, the CLI exposes it (exposeCollector);
 * anywhere else (tests, the app's main process) there is no `gc` and this does nothing.
 */

import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

type Collect = (options: { type: 'minor' | 'major' }) => void

/**
 * What `--max-semi-space-size=2` does for a job process (JOB_V8_FLAGS), for a process started without it:
 * the CLI, which runs its jobs itself. V8 sizes its young generation only at start, but reads its growth
 * factor each time it would grow it: at 1 it stays at its initial 1 MB semi-spaces. Measured on the 143 MB
 * zstd + encrypted backup: heap 34 → 21 MB, peak RSS 139–144 → 127–135 MB, at the same speed.
 */
export function keepYoungGenerationSmall(): void {
  setFlagsFromString('--semi-space-growth-factor=1')
}

/** Bytes that may pass between two minor GCs. */
export const GC_PACE_BYTES = 4 << 20

let spent = 0
let collections = 0

let exposed: Collect | undefined

const collector = (): Collect | undefined => exposed ?? (globalThis as { gc?: Collect }).gc

/**
 * V8's `gc` for a process started without `--expose-gc`: the CLI, which runs its jobs itself
 * (cli/job-in-process.ts). The flag is set now and the function taken from a fresh context, where V8 adds it.
 */
export function exposeCollector(): void {
  if (collector() !== undefined) return
  setFlagsFromString('--expose-gc')
  exposed = runInNewContext('gc') as Collect
}

/** `bytes` more of spent buffers are now garbage (written out, or handed on as a copy). */
export function spentBytes(bytes: number): void {
  spent += bytes
  if (spent < GC_PACE_BYTES) return
  spent = 0
  const collect = collector()
  if (collect === undefined) return
  collections++
  collect({ type: 'minor' })
}

/** Minor GCs this process ran for spent buffers (tests prove the job paces its garbage). */
export function pacedCollections(): number {
  return collections
}
