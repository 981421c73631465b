import { PassThrough, Transform, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { describe, expect, it, vi } from 'vitest'
import { CodecStream } from '../../../electron/engine/codecs/codec-stream.ts'
import { createCompressor, createDecompressor } from '../../../electron/engine/codecs/compression-streams.ts'
import { createXzEncoder, disposeXz } from '../../../electron/engine/codecs/xz.ts'
import { EngineError } from '../../../electron/engine/errors.ts'
import { generateSqlDump, randomChunks, runThrough } from './codec-fixtures.ts'

const MiB = 1 << 20
const data = generateSqlDump(4 * MiB, 5)

/**
 * Writes 64 KiB pieces of the test data (cycling) until the stream stops asking for more (no 'drain'
 * within 300 ms) or `limit` bytes went in; returns the bytes taken.
 */
async function fillUntilBlocked(stream: Writable, limit: number): Promise<number> {
  let accepted = 0
  let open = true
  while (open && accepted < limit) {
    const at = accepted % data.length
    const chunk = data.subarray(at, at + 64 * 1024)
    accepted += chunk.length
    if (!stream.write(chunk)) {
      open = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), 300)
        stream.once('drain', () => {
          clearTimeout(timer)
          resolve(true)
        })
      })
    }
  }
  return accepted
}

describe('CodecStream', () => {
  it('maps the inner stream errors', async () => {
    const inner = new PassThrough({
      transform(_chunk, _encoding, callback) {
        callback(new Error('boom'))
      },
    })
    const stream = new CodecStream(inner, {
      mapError: (e) => new EngineError('CorruptFile', `mapped ${e.message}`),
    })
    await expect(runThrough(stream, data)).rejects.toThrow('mapped boom')
  })

  it('stops taking input while nobody reads its output', async () => {
    const zstd = createCompressor('zstd', 1)
    expect(await fillUntilBlocked(zstd, 64 * MiB)).toBeLessThan(8 * MiB)
    zstd.destroy()
    // A decompressor fed a small input with a large output must not buffer all of it either.
    const packed = await runThrough(createCompressor('gzip', 9), Buffer.alloc(64 * MiB))
    const gunzip = createDecompressor('gzip')
    gunzip.end(packed)
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(gunzip.readableLength).toBeLessThan(2 * MiB)
    gunzip.destroy()
  })

  it('frees the inner stream when destroyed while a write waits on backpressure', async () => {
    // Each write gives two outputs: the first fills our buffer, the second stays in the inner stream,
    // whose write then waits for a read that never comes.
    const inner = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        this.push(chunk)
        this.push(Buffer.from(chunk))
        callback()
      },
    })
    let disposed = false
    const stream = new CodecStream(inner, {
      mapError: (e) => e,
      dispose: (s) => {
        s.destroy()
        disposed = true
      },
    })
    await fillUntilBlocked(stream, 4 * MiB) // nobody reads: the inner stream stalls holding a write
    stream.destroy()
    await vi.waitFor(() => expect(disposed).toBe(true), { timeout: 2000 })
  })

  it('gives a slow reader every byte', async () => {
    const parts: Buffer[] = []
    const slowSink = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, callback) {
        parts.push(chunk)
        setImmediate(callback)
      },
    })
    const packed = await runThrough(createCompressor('zstd', 1), data)
    await pipeline(randomChunks(packed), createDecompressor('zstd'), slowSink)
    expect(Buffer.concat(parts).equals(data)).toBe(true)
  })
})

describe('xz streams', () => {
  it.each([
    ['read', true],
    ['not read', false],
  ])('can be destroyed mid-stream (output %s) without blocking the event loop', async (_name, read) => {
    const encoder = createXzEncoder(1)
    let disposed = false
    const xz = new CodecStream(encoder, {
      mapError: (e) => e,
      dispose: (inner) => {
        disposeXz(inner)
        disposed = true
      },
    })
    if (read) xz.resume()
    await fillUntilBlocked(xz, 12 * MiB)
    const closed = new Promise((resolve) => xz.once('close', resolve))
    const started = performance.now()
    xz.destroy()
    // Freeing liblzma while its worker runs would block right here for as long as a block takes.
    expect(performance.now() - started).toBeLessThan(50)
    await closed
    await vi.waitFor(() => expect(disposed).toBe(true), { timeout: 5000 })
  })

  it('surfaces a failure in the middle of a pipeline as an error', async () => {
    const packed = await runThrough(createCompressor('xz', 1), data.subarray(0, 1 * MiB))
    const damaged = Buffer.concat([
      packed.subarray(0, 500),
      Buffer.alloc(64 * 1024, 0x55),
      packed.subarray(500),
    ])
    await expect(runThrough(createDecompressor('xz'), damaged)).rejects.toMatchObject({ code: 'CorruptFile' })
  })
})
