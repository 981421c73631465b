import { once } from 'node:events'
import { Transform, type TransformCallback } from 'node:stream'
import zlib from 'node:zlib'
import { ZstdFrameScanner, type FramePiece } from './zstd-frames.ts'

/**
 * A zstd decompressor that reads every frame of a multi-frame stream, as `zstd -d` does: each frame goes
 * to a fresh node:zlib decoder, because Node 24's drops whatever follows the first frame. Errors of the
 * decoder or the frame scanner come out through `mapError`.
 */
export function createZstdDecompressor(chunkSize: number, mapError: (error: Error) => Error): Transform {
  return new ZstdDecompressor(chunkSize, mapError)
}

class ZstdDecompressor extends Transform {
  readonly #chunkSize: number
  readonly #mapError: (error: Error) => Error
  readonly #scanner = new ZstdFrameScanner()
  #decoder: zlib.ZstdDecompress | undefined

  constructor(chunkSize: number, mapError: (error: Error) => Error) {
    super()
    this.#chunkSize = chunkSize
    this.#mapError = mapError
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    let pieces: FramePiece[]
    try {
      pieces = this.#scanner.split(chunk)
    } catch (e) {
      callback(this.#mapError(e as Error))
      return
    }
    this.#decode(pieces).then(
      () => callback(),
      (e: Error) => callback(this.#mapError(e)),
    )
  }

  override _flush(callback: TransformCallback): void {
    if (!this.#scanner.atFrameBoundary)
      callback(this.#mapError(new Error('unexpected end of file in a frame')))
    else if (this.#scanner.frames === 0)
      callback(this.#mapError(new Error('unexpected end of file: no frame')))
    else callback()
  }

  override _read(size: number): void {
    this.#decoder?.resume()
    super._read(size)
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#decoder?.destroy()
    callback(error)
  }

  async #decode(pieces: FramePiece[]): Promise<void> {
    for (const piece of pieces) {
      if (piece.skippable) continue
      const decoder = this.#decoder ?? this.#startFrame()
      if (!decoder.write(piece.bytes)) await once(decoder, 'drain')
      if (piece.end) {
        // All of this frame's output is pushed before the next frame's decoder starts.
        const ended = once(decoder, 'end')
        decoder.end()
        await ended
        this.#decoder = undefined
      }
    }
  }

  #startFrame(): zlib.ZstdDecompress {
    const decoder = zlib.createZstdDecompress({ chunkSize: this.#chunkSize })
    decoder.on('data', (chunk: Buffer) => {
      if (!this.destroyed && !this.push(chunk)) decoder.pause()
    })
    decoder.on('error', (error: Error) => this.destroy(this.#mapError(error)))
    this.#decoder = decoder
    return decoder
  }
}
