/**
 * Collects bytes into blocks of exactly `size` bytes (the last one may be shorter). Whole blocks inside a
 * big chunk are handed on as views of that chunk, without a copy.
 */
export class BlockAccumulator {
  readonly #size: number
  #block: Buffer | undefined
  #filled = 0

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`block size must be a positive integer`)
    this.#size = size
  }

  /** Bytes waiting for their block to fill up. */
  get buffered(): number {
    return this.#filled
  }

  /**
   * Calls `emit` for every block that `chunk` completes. The emitted buffer is the receiver's to keep; a
   * chunk of exactly one block is emitted as itself (the same object, so that it can be recycled: see
   * recycled-chunks.ts). Returns whether any emitted block is (a view of) `chunk`; if not, every byte was
   * copied and the caller is done with `chunk`.
   */
  add(chunk: Buffer, emit: (block: Buffer) => void): boolean {
    const size = this.#size
    let offset = 0
    let viewed = false
    while (offset < chunk.length) {
      if (this.#filled === 0 && chunk.length - offset >= size) {
        emit(offset === 0 && chunk.length === size ? chunk : chunk.subarray(offset, offset + size))
        viewed = true
        offset += size
        continue
      }
      this.#block ??= Buffer.allocUnsafe(size)
      const end = Math.min(chunk.length, offset + size - this.#filled)
      this.#filled += chunk.copy(this.#block, this.#filled, offset, end)
      offset = end
      if (this.#filled === size) {
        const block = this.#block
        this.#block = undefined
        this.#filled = 0
        emit(block)
      }
    }
    return viewed
  }

  /** Emits the partial last block, if any. */
  flush(emit: (block: Buffer) => void): void {
    if (this.#block === undefined || this.#filled === 0) return
    const rest = this.#block.subarray(0, this.#filled)
    this.#block = undefined
    this.#filled = 0
    emit(rest)
  }
}
