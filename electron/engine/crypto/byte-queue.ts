/**
 * Input bytes a parser has received but not consumed yet. Frames are handed out as views of the input
 * buffers when they lie inside one (the common case for large reads), and copied only when they straddle
 * two, so a stream parser needs neither per-byte work nor a Buffer.concat per write.
 */
export class ByteQueue {
  private buffers: Buffer[] = []
  private size = 0

  get length(): number {
    return this.size
  }

  append(buffer: Buffer): void {
    if (buffer.length === 0) return
    this.buffers.push(buffer)
    this.size += buffer.length
  }

  /** The big-endian uint32 at `offset` (which must lie within the queue), without consuming it. */
  readUInt32BE(offset: number): number {
    const first = this.buffers[0]
    if (first !== undefined && first.length >= offset + 4) return first.readUInt32BE(offset)
    return this.peek(offset, offset + 4).readUInt32BE(0)
  }

  /** Bytes [start, end) without consuming them: a view when possible, else a copy. */
  peek(start: number, end: number): Buffer {
    if (end > this.size) throw new RangeError(`peek past the end (${end} > ${this.size})`)
    let skip = start
    let index = 0
    let buffer = this.buffers[index]
    while (buffer !== undefined && skip >= buffer.length) {
      skip -= buffer.length
      buffer = this.buffers[++index]
    }
    if (buffer === undefined) return Buffer.alloc(0)
    if (skip + (end - start) <= buffer.length) return buffer.subarray(skip, skip + (end - start))
    const out = Buffer.allocUnsafe(end - start)
    let filled = 0
    while (filled < out.length && buffer !== undefined) {
      filled += buffer.copy(out, filled, skip, Math.min(buffer.length, skip + out.length - filled))
      skip = 0
      buffer = this.buffers[++index]
    }
    return out
  }

  /** Removes and returns the first `n` bytes. */
  take(n: number): Buffer {
    const out = this.peek(0, n)
    this.skip(n)
    return out
  }

  /** Drops the first `n` bytes. */
  skip(n: number): void {
    if (n > this.size) throw new RangeError(`skip past the end (${n} > ${this.size})`)
    this.size -= n
    let left = n
    let drop = 0
    while (left > 0) {
      const buffer = this.buffers[drop] as Buffer
      if (buffer.length > left) {
        this.buffers[drop] = buffer.subarray(left)
        break
      }
      left -= buffer.length
      drop++
    }
    if (drop > 0) this.buffers.splice(0, drop)
  }

  /** Everything, as one buffer, emptying the queue. */
  takeAll(): Buffer {
    const all =
      this.buffers.length === 1 ? (this.buffers[0] as Buffer) : Buffer.concat(this.buffers, this.size)
    this.buffers = []
    this.size = 0
    return all
  }
}
