/** A run of input bytes inside one frame; `end` marks the frame's last bytes. */
export interface FramePiece {
  bytes: Buffer
  end: boolean
  /** A skippable frame (RFC 8878 §3.1.2): metadata only, nothing to decode. */
  skippable: boolean
}

const ZSTD_MAGIC = 0xfd2fb528
const SKIPPABLE_MASK = 0xfffffff0
const SKIPPABLE_MAGIC = 0x184d2a50
const DICT_ID_BYTES = [0, 1, 2, 4]
const CONTENT_SIZE_BYTES = [0, 2, 4, 8]

type State =
  | 'magic' // the next 4 bytes start a frame
  | 'descriptor' // 1 byte: the frame header descriptor
  | 'block-header' // 3 bytes
  | 'skippable-size' // 4 bytes
  | 'skip' // bytes to pass over: rest of a header, a block, a checksum, a skippable frame

/**
 * Finds the frame boundaries of a zstd stream (RFC 8878) from the headers alone, without decoding.
 * Node 24's zstd decompressor stops at the end of the first frame and drops the rest (nodejs/node#64741),
 * so a file of several frames (pzstd, `cat a.zst b.zst`) must be fed to it one frame at a time.
 */
export class ZstdFrameScanner {
  #state: State = 'magic'
  /** Bytes of a fixed-size field collected so far (fields may straddle chunks). */
  readonly #field = Buffer.alloc(4)
  #fieldLength = 0
  #skip = 0
  #afterSkip: 'block-header' | 'frame-end' = 'frame-end'
  #checksumBytes = 0
  #skippable = false
  #frames = 0

  /** True between frames: the input may end here. */
  get atFrameBoundary(): boolean {
    return this.#state === 'magic' && this.#fieldLength === 0
  }

  /** Complete frames seen so far, skippable ones included. */
  get frames(): number {
    return this.#frames
  }

  /**
   * Cuts `chunk` at frame ends.
   * @throws Error for bytes that cannot be a zstd frame.
   */
  split(chunk: Buffer): FramePiece[] {
    const pieces: FramePiece[] = []
    let start = 0
    let at = 0
    // A skip of 0 bytes (an empty last block) still has to end its frame, even at the end of the chunk.
    while (at < chunk.length || (this.#state === 'skip' && this.#skip === 0)) {
      if (this.#state === 'skip') {
        const n = Math.min(this.#skip, chunk.length - at)
        this.#skip -= n
        at += n
        if (this.#skip > 0) break
        if (this.#afterSkip === 'block-header') {
          this.#state = 'block-header'
          continue
        }
        pieces.push({ bytes: chunk.subarray(start, at), end: true, skippable: this.#skippable })
        start = at
        this.#frames++
        this.#state = 'magic'
        continue
      }
      const needed = this.#state === 'descriptor' ? 1 : this.#state === 'block-header' ? 3 : 4
      const n = Math.min(needed - this.#fieldLength, chunk.length - at)
      this.#fieldLength += chunk.copy(this.#field, this.#fieldLength, at, at + n)
      at += n
      if (this.#fieldLength < needed) break
      this.#fieldLength = 0
      this.#parseField()
    }
    if (start < chunk.length)
      pieces.push({ bytes: chunk.subarray(start), end: false, skippable: this.#skippable })
    return pieces
  }

  #parseField(): void {
    switch (this.#state) {
      case 'magic': {
        const magic = this.#field.readUInt32LE(0)
        this.#skippable = (magic & SKIPPABLE_MASK) >>> 0 === SKIPPABLE_MAGIC
        if (!this.#skippable && magic !== ZSTD_MAGIC) {
          throw new Error(`no zstd frame at this point (magic ${magic.toString(16).padStart(8, '0')})`)
        }
        this.#state = this.#skippable ? 'skippable-size' : 'descriptor'
        return
      }
      case 'skippable-size':
        this.#startSkip(this.#field.readUInt32LE(0), 'frame-end')
        return
      case 'descriptor': {
        const d = this.#field[0] ?? 0
        if ((d & 0x08) !== 0) throw new Error('zstd frame header has its reserved bit set')
        const singleSegment = (d & 0x20) !== 0
        const contentSizeFlag = d >> 6
        const headerRest =
          (singleSegment ? 0 : 1) +
          (DICT_ID_BYTES[d & 0x03] ?? 0) +
          (contentSizeFlag === 0 ? (singleSegment ? 1 : 0) : (CONTENT_SIZE_BYTES[contentSizeFlag] ?? 0))
        this.#checksumBytes = (d & 0x04) !== 0 ? 4 : 0
        this.#startSkip(headerRest, 'block-header')
        return
      }
      case 'block-header': {
        const header = this.#field.readUIntLE(0, 3)
        const type = (header >> 1) & 0x03
        const size = header >>> 3
        if (type === 3) throw new Error('zstd block of the reserved type')
        const last = (header & 1) === 1
        const body = type === 1 ? 1 : size // an RLE block stores its byte once
        this.#startSkip(last ? body + this.#checksumBytes : body, last ? 'frame-end' : 'block-header')
        return
      }
      case 'skip':
        return
    }
  }

  #startSkip(bytes: number, then: 'block-header' | 'frame-end'): void {
    this.#state = 'skip'
    this.#skip = bytes
    this.#afterSkip = then
  }
}
