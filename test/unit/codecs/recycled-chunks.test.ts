/**
 * Recycled chunks (codecs/recycled-chunks.ts): the block compressor gives a chunk back only once nothing
 * reads it any more, and the FIFO reader's recycled slots never change bytes that a stage still holds.
 * Real parts: the FIFO reader's thread, node:zlib's zstd and deflate; the slow sink stands for a slow disk.
 */
import { write } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough, Writable, type Readable, type Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createCompressor, createDecompressor } from '../../../electron/engine/codecs/index.ts'
import { ParallelBlockCompressor, type InputBlock } from '../../../electron/engine/codecs/parallel-blocks.ts'
import { recyclable, releaseChunk } from '../../../electron/engine/codecs/recycled-chunks.ts'
import { BlockAccumulator } from '../../../electron/engine/codecs/rechunker.ts'
import { createDumpOutputFifo, fifoReaderChunks } from '../../../electron/engine/dump/fifo-reader.ts'

const MiB = 1 << 20

/** `n` MiB in which every MiB differs from every other (a reused slot shows as a wrong MiB). */
function distinctData(n: number): Buffer {
  const data = Buffer.alloc(n * MiB)
  let x = 0x9e3779b9
  for (let i = 0; i < data.length; i += 4) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    data.writeUInt32LE(x >>> 0, i)
  }
  // Compressible: a text-like half per MiB, so that the codecs really work.
  for (let m = 0; m < n; m++) data.fill(`row ${m};`, m * MiB, m * MiB + MiB / 2)
  return data
}

/** Accepts a chunk only after the event loop turned: the compressor's output waits, the reader races ahead. */
const slowSink = (parts: Buffer[]): Writable =>
  new Writable({
    highWaterMark: 1,
    write(chunk: Buffer, _enc, cb) {
      parts.push(Buffer.from(chunk))
      setImmediate(cb)
    },
  })

async function decompressed(type: 'zstd' | 'pgzip', compressed: Buffer): Promise<Buffer> {
  const out: Buffer[] = []
  await pipeline([PassThrough.from([compressed]) as Readable, createDecompressor(type), slowSink(out)] as [
    Readable,
    Transform,
    Writable,
  ])
  return Buffer.concat(out)
}

describe('a recycled chunk', () => {
  it('is given back once, by the stage that got that very object; any other buffer is left alone', () => {
    const given: string[] = []
    const chunk = recyclable(Buffer.alloc(4), () => given.push('chunk'))
    releaseChunk(chunk.subarray(0, 4)) // a view is another object: not the stage's to give back
    releaseChunk(Buffer.alloc(4))
    releaseChunk(undefined)
    expect(given).toEqual([])
    releaseChunk(chunk)
    releaseChunk(chunk)
    expect(given).toEqual(['chunk'])
  })

  it('of exactly one block passes the block accumulator as itself; a copied one is reported as copied', () => {
    const acc = new BlockAccumulator(4)
    const whole = Buffer.from('abcd')
    const seen: Buffer[] = []
    expect(acc.add(whole, (b) => seen.push(b))).toBe(true)
    expect(seen[0]).toBe(whole)
    expect(acc.add(Buffer.from('ef'), (b) => seen.push(b))).toBe(false) // copied into a block of its own
    expect(acc.add(Buffer.from('ghijkl'), (b) => seen.push(b))).toBe(true) // 'ijkl' is a view of it
  })
})

describe('the block compressor gives blocks back', () => {
  /** Blocks compressed by hand: each job waits until the test finishes it. */
  function manual(readsPrevious: boolean): {
    stream: ParallelBlockCompressor
    jobs: { block: InputBlock; finish: () => void }[]
  } {
    const jobs: { block: InputBlock; finish: () => void }[] = []
    const stream = new ParallelBlockCompressor({
      name: 'test',
      blockSize: 4,
      parallelism: 4,
      readsPrevious,
      compress: (block, done) => jobs.push({ block, finish: () => done(null, Buffer.from(block.input)) }),
    })
    stream.resume()
    return { stream, jobs }
  }
  const tick = (): Promise<void> => new Promise((r) => setImmediate(r))

  it('only after its own block is compressed (zstd: nothing reads the previous block)', async () => {
    const { stream, jobs } = manual(false)
    const given: number[] = []
    const blocks = [0, 1, 2].map((i) => recyclable(Buffer.from(`blk${i}`), () => given.push(i)))
    for (const b of blocks) stream.write(b)
    stream.end()
    await tick()
    expect(jobs.length).toBe(3)
    // Finished out of order: a block is given back when it is collected, in order.
    jobs[1]?.finish()
    await tick()
    expect(given).toEqual([])
    jobs[0]?.finish()
    await tick()
    expect(given).toEqual([0, 1])
    jobs[2]?.finish()
    await tick()
    expect(given).toEqual([0, 1, 2])
  })

  it('for a codec that reads the previous block, only after the next block is compressed too', async () => {
    const { stream, jobs } = manual(true)
    const given: number[] = []
    const blocks = [0, 1, 2].map((i) => recyclable(Buffer.from(`blk${i}`), () => given.push(i)))
    for (const b of blocks) stream.write(b)
    stream.end()
    await tick()
    expect(jobs.map((j) => j.block.previous)).toEqual([undefined, blocks[0], blocks[1]])
    jobs[0]?.finish()
    await tick()
    expect(given).toEqual([]) // block 0 is block 1's dictionary
    jobs[1]?.finish()
    await tick()
    expect(given).toEqual([0])
    jobs[2]?.finish()
    await tick()
    expect(given).toEqual([0, 1, 2])
  })
})

describe('the FIFO reader recycles its slots', () => {
  let dir = ''
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sfdb-recycle-'))
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  /** `data` through a FIFO and `stages` into a slow sink; the output, and the reader's chunk counts. */
  async function throughFifo(
    data: Buffer,
    stages: Transform[],
  ): Promise<{ out: Buffer; recycled: number; fresh: number }> {
    const fifo = await createDumpOutputFifo(await mkdtemp(join(dir, 'f-')))
    if (fifo === null) throw new Error('no FIFO on this system')
    const before = fifoReaderChunks()
    const out: Buffer[] = []
    const flowing = pipeline([fifo.stdout, ...stages, slowSink(out)] as [Readable, ...Transform[], Writable])
    // The writer (the dump) runs ahead of the slow sink: it writes as fast as the pipe takes it, off this
    // thread (a blocking write here would stop the reader's consumer).
    for (let at = 0; at < data.length; at += 256 * 1024) {
      const piece = data.subarray(at, at + 256 * 1024)
      await new Promise<void>((resolve, reject) =>
        write(fifo.writeFd, piece, (e) => (e ? reject(e) : resolve())),
      )
    }
    fifo.closeWriteEnd()
    await flowing
    const after = fifoReaderChunks()
    return {
      out: Buffer.concat(out),
      recycled: after.recycled - before.recycled,
      fresh: after.fresh - before.fresh,
    }
  }

  it.each(['zstd', 'pgzip'] as const)(
    'into %s behind a slow disk, and every byte comes out as it went in',
    async (type) => {
      const data = distinctData(24)
      const { out, recycled, fresh } = await throughFifo(data, [createCompressor(type, 3)])
      expect(recycled + fresh).toBe(24)
      expect(recycled).toBeGreaterThan(fresh * 3)
      expect((await decompressed(type, out)).equals(data)).toBe(true)
    },
    60_000,
  )

  it('falls back to fresh buffers, without a wait or a changed byte, when a stage keeps its chunks', async () => {
    const data = distinctData(16)
    const kept: Buffer[] = []
    // Holds on to every chunk it passes, and gives none back.
    const hoarder = new PassThrough({
      transform(chunk: Buffer, _enc, cb) {
        kept.push(chunk)
        cb(null, chunk)
      },
    })
    const { out, recycled, fresh } = await throughFifo(data, [hoarder])
    expect(out.equals(data)).toBe(true)
    expect(Buffer.concat(kept).equals(data)).toBe(true)
    expect(recycled).toBeLessThanOrEqual(8) // the pool's slots, each used once and never given back
    expect(fresh).toBe(16 - recycled)
  })
})
