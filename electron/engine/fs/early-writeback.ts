import type { FileHandle } from 'node:fs/promises'

/**
 * Bytes written between two background flushes. 143 MB of SQL: 4 flushes; the final fsync then finds at most
 * this much still to write.
 */
export const WRITEBACK_BYTES = 32 << 20

/**
 * Flushes a file to disk in the background while it is still being written, so that the final fsync, which
 * a backup waits for before it reports success, finds little left to write.
 *
 * Why: `mariadb-dump > f && sync f` writes the whole file to the page cache, then waits for the disk to take
 * all of it: on this machine's ext4 ≈ 0.16 s for 143 MB at the end of the run. Flushed as it grows, that
 * write overlaps the dump. The final fsync stays: this only moves work earlier.
 *
 * An error of a background flush is kept and thrown by settle(): on Linux a failed writeback is reported to
 * one fsync only, so the final fsync might not report it again.
 */
export class EarlyWriteback {
  readonly #file: FileHandle
  readonly #every: number
  #flushedAt = 0
  #inFlight: Promise<void> | undefined
  #error: unknown

  constructor(file: FileHandle, every = WRITEBACK_BYTES) {
    this.#file = file
    this.#every = every
  }

  /** The file has reached `total` bytes (or is about to): starts a flush when enough came since the last. */
  reached(total: number): void {
    if (total - this.#flushedAt < this.#every || this.#inFlight !== undefined) return
    this.#flushedAt = total
    this.#inFlight = this.#file
      .datasync()
      .catch((e: unknown) => void (this.#error ??= e))
      .finally(() => (this.#inFlight = undefined))
  }

  /** Waits for the flush in flight, then throws the first error a background flush met. */
  async settle(): Promise<void> {
    await this.#inFlight
    if (this.#error !== undefined) throw this.#error
  }
}
