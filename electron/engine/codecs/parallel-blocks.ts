import { availableParallelism } from 'node:os'
import { Transform, type TransformCallback } from 'node:stream'
import { toEngineError } from '../errors.ts'
import { releaseChunk } from './recycled-chunks.ts'
import { BlockAccumulator } from './rechunker.ts'

/** One block of input handed to the block compressor. */
export interface InputBlock {
  input: Buffer
  /** The previous block's input (for codecs that prime a block with its predecessor), if any. */
  previous: Buffer | undefined
  /** The last block of the stream (possibly empty). */
  final: boolean
}

export interface ParallelBlockOptions {
  /** Uncompressed bytes per block. */
  blockSize: number
  /** Blocks compressed at once on the libuv thread pool; by default see defaultBlockParallelism(). */
  parallelism?: number
  /** Compresses one block (on the thread pool); called in input order, may finish in any order. */
  compress: (block: InputBlock, done: (error: Error | null, output?: Buffer | Buffer[]) => void) => void
  /** Sees every input chunk in order (e.g. for a running checksum). */
  onInput?: (chunk: Buffer) => void
  /**
   * The codec reads `previous` while it compresses a block (pgzip's dictionary): a block's memory is then
   * given back (recycled-chunks.ts) only after the next block is compressed too.
   */
  readsPrevious?: boolean
  /** Written before the first block. */
  header?: Buffer
  /** Written after the last block. */
  trailer?: () => Buffer
  /** Names the codec in error messages. */
  name: string
}

/**
 * Blocks in flight: one more than the cores, because blocks finish out of order and one done early holds
 * its slot until those before it are out (measured on 2 cores, pgzip at level 6: 2 in flight ≈83 MB/s,
 * 3 ≈90 MB/s; at level 1: ≈199 → ≈244 MB/s). Yet one thread of libuv's pool (UV_THREADPOOL_SIZE, default 4)
 * stays free for the file writes that share it; a process that wants more cores raises UV_THREADPOOL_SIZE.
 */
export function defaultBlockParallelism(
  cores = availableParallelism(),
  poolSize = Number(process.env.UV_THREADPOOL_SIZE) || 4,
): number {
  return Math.max(1, Math.min(cores + 1, poolSize - 1))
}

interface Job {
  block: InputBlock
  done: boolean
  output: Buffer | Buffer[] | undefined
  error: Error | undefined
}

/**
 * Compresses fixed-size blocks of a stream concurrently on the libuv thread pool and writes the results in
 * input order (pigz/pzstd-style). Memory holds only the blocks in flight; backpressure both ways. The last
 * block is known only at the end, so the newest full block is held until more input (or the end) comes.
 */
export class ParallelBlockCompressor extends Transform {
  readonly #options: ParallelBlockOptions
  readonly #parallelism: number
  readonly #blocks: BlockAccumulator
  #held: Buffer | undefined
  #previous: Buffer | undefined
  readonly #waiting: InputBlock[] = []
  /** Started jobs, in output order. */
  readonly #jobs: Job[] = []
  #outputBlocked = false
  #resume: TransformCallback | undefined
  #finish: TransformCallback | undefined

  constructor(options: ParallelBlockOptions) {
    super()
    this.#options = options
    this.#parallelism = Math.max(1, options.parallelism ?? defaultBlockParallelism())
    this.#blocks = new BlockAccumulator(options.blockSize)
    if (options.header) this.push(options.header)
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#options.onInput?.(chunk)
    // Copied whole into a block of its own: the chunk's memory may be reused at once.
    if (!this.#blocks.add(chunk, (block) => this.#hold(block))) releaseChunk(chunk)
    if (this.#held !== undefined && this.#blocks.buffered > 0) {
      this.#enqueue(this.#held, false) // more input follows it: not the last block
      this.#held = undefined
    }
    this.#resume = callback
    this.#pump()
  }

  override _flush(callback: TransformCallback): void {
    this.#blocks.flush((block) => this.#hold(block))
    this.#enqueue(this.#held ?? Buffer.alloc(0), true)
    this.#held = undefined
    this.#finish = callback
    this.#pump()
  }

  override _read(size: number): void {
    if (this.#outputBlocked) {
      this.#outputBlocked = false
      this.#pump()
    }
    super._read(size)
  }

  #hold(block: Buffer): void {
    if (this.#held !== undefined) this.#enqueue(this.#held, false)
    this.#held = block
  }

  #enqueue(input: Buffer, final: boolean): void {
    this.#waiting.push({ input, previous: this.#previous, final })
    if (input.length > 0) this.#previous = input
  }

  /** Starts waiting blocks while there is room, then releases the writer or finishes the stream. */
  #pump(): void {
    while (this.#waiting.length > 0 && this.#jobs.length < this.#parallelism && !this.#outputBlocked) {
      this.#start(this.#waiting.shift() as InputBlock)
    }
    if (this.#waiting.length > 0) return
    if (this.#resume !== undefined) {
      const resume = this.#resume
      this.#resume = undefined
      resume()
    }
    if (this.#finish !== undefined && this.#jobs.length === 0) {
      const finish = this.#finish
      this.#finish = undefined
      if (this.#options.trailer) this.push(this.#options.trailer())
      finish()
    }
  }

  #start(block: InputBlock): void {
    const job: Job = { block, done: false, output: undefined, error: undefined }
    this.#jobs.push(job)
    this.#options.compress(block, (error, output) => {
      job.done = true
      job.error = error ?? undefined
      job.output = output
      this.#collect()
    })
  }

  /**
   * A compressed block's input is read no more (once the next block, which reads it as `previous`, is done
   * too, for codecs that do): recycled-chunks.ts may reuse its memory. Blocks are collected in order, so the
   * block before this one has been collected already.
   */
  #recycle(block: InputBlock): void {
    if (this.#options.readsPrevious !== true) return releaseChunk(block.input)
    releaseChunk(block.previous)
    if (block.final) releaseChunk(block.input)
  }

  /** Pushes finished blocks in order; a block finished early waits for the ones before it. */
  #collect(): void {
    if (this.destroyed) return
    while (this.#jobs[0]?.done === true) {
      const job = this.#jobs.shift() as Job
      if (job.error !== undefined) {
        this.destroy(toEngineError(job.error, `${this.#options.name} compression`))
        return
      }
      this.#recycle(job.block)
      const pieces = job.output === undefined ? [] : Array.isArray(job.output) ? job.output : [job.output]
      for (const piece of pieces) if (piece.length > 0 && !this.push(piece)) this.#outputBlocked = true
    }
    this.#pump()
  }
}
