/**
 * Chunks whose memory goes back to their producer once the last stage that reads them is done with it.
 *
 * Why: the dump's output reaches the job as 1 MiB chunks. A fresh buffer per chunk is 1 MiB of memory
 * outside V8's heap that the kernel must fault in (≈ 256 page faults) and V8 must collect: on the 143 MB
 * zstd backup that was ≈ 0.5 s of full GCs in the job's main thread and ≈ 0.2 s of page faults in its
 * reader thread, on 2 cores that the dump and the server need too. A producer that recycles a few slots
 * instead needs neither.
 *
 * The rule that keeps it safe: a stage calls releaseChunk(chunk) only for the very buffer object it was
 * given, and only once nothing (itself, a thread-pool job, a later block) will read those bytes again. A
 * chunk nobody releases is simply not reused: its producer then allocates a fresh one, as before.
 */

const releasers = new WeakMap<Buffer, () => void>()

/** Marks `chunk` as recyclable: `release` runs once, at the first releaseChunk(chunk). */
export function recyclable(chunk: Buffer, release: () => void): Buffer {
  releasers.set(chunk, release)
  return chunk
}

/** The last reader of `chunk` is done with it: its memory may be reused. No-op for any other buffer. */
export function releaseChunk(chunk: Buffer | undefined): void {
  if (chunk === undefined) return
  const release = releasers.get(chunk)
  if (release === undefined) return
  releasers.delete(chunk)
  release()
}
