import { Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { gunzipSync, gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { defaultBlockParallelism } from '../../../electron/engine/codecs/parallel-blocks.ts'
import { createPgzipCompressor } from '../../../electron/engine/codecs/pgzip.ts'
import { generateSqlDump, randomChunks, runThrough, runTool, seededRandom } from './codec-fixtures.ts'

const MiB = 1 << 20
const data = generateSqlDump(8 * MiB, 3)

/** `gzip -t` must pass silently, and `gzip -dc` must give back `input`. */
async function expectRealGzipAccepts(packed: Buffer, input: Buffer): Promise<void> {
  const test = await runTool('/usr/bin/gzip', ['-t'], packed)
  expect(test.stderr).toBe('')
  expect(test.code).toBe(0)
  const unpacked = await runTool('/usr/bin/gzip', ['-dc'], packed)
  expect(unpacked.code).toBe(0)
  expect(unpacked.stdout.equals(input)).toBe(true)
}

describe('pgzip', () => {
  it('writes one gzip member that gzip -t and gzip -dc accept', async () => {
    const packed = await runThrough(createPgzipCompressor(6), data)
    expect(packed.subarray(0, 3)).toEqual(Buffer.from([0x1f, 0x8b, 8]))
    await expectRealGzipAccepts(packed, data)
    const listed = await runTool('/usr/bin/gzip', ['-l'], packed)
    expect(listed.stderr).toBe('')
    expect(listed.stdout.toString()).toContain(String(data.length))
  })

  it.each([1, 6, 9])('stays within 2 percent of plain gzip at level %i', async (level) => {
    const packed = await runThrough(createPgzipCompressor(level), data)
    const plain = gzipSync(data, { level })
    expect(packed.length / plain.length).toBeLessThan(1.02)
    expect(gunzipSync(packed).equals(data)).toBe(true)
  })

  it.each([
    ['1 byte', 1],
    ['exactly one block', MiB],
    ['one block and a byte', MiB + 1],
    ['two blocks', 2 * MiB],
  ])('handles an input of %s', async (_name, size) => {
    const input = data.subarray(0, size)
    const packed = await runThrough(createPgzipCompressor(6), input)
    expect(gunzipSync(packed).equals(input)).toBe(true)
    await expectRealGzipAccepts(packed, input)
  })

  it('writes a valid member for an empty input', async () => {
    const packed = await runThrough(createPgzipCompressor(6), Buffer.alloc(0))
    expect(gunzipSync(packed).length).toBe(0)
    await expectRealGzipAccepts(packed, Buffer.alloc(0))
  })

  it('keeps blocks in order when they finish out of order', async () => {
    // Small blocks alternating incompressible and repetitive data finish at very different times.
    const rnd = seededRandom(11)
    const parts: Buffer[] = []
    for (let i = 0; i < 200; i++) {
      parts.push(
        i % 2 === 0
          ? Buffer.from(Array.from({ length: 5000 }, () => Math.floor(rnd() * 256)))
          : data.subarray(i * 7000, i * 7000 + 9000),
      )
    }
    const input = Buffer.concat(parts)
    const packed = await runThrough(createPgzipCompressor(9, { blockSize: 4096, parallelism: 4 }), input)
    expect(gunzipSync(packed).equals(input)).toBe(true)
    await expectRealGzipAccepts(packed, input)
  })

  it.each([
    ['fast', 0],
    ['slow', 2], // every block is compressed before the next one is written
  ])('holds a %s writer back while nobody reads the output', async (_name, pauseMs) => {
    const compressor = createPgzipCompressor(1, { blockSize: 64 * 1024, parallelism: 2 })
    const chunk = data.subarray(0, 64 * 1024)
    const offered = 16 * MiB
    let accepted = 0
    const drained = (): Promise<boolean> =>
      new Promise((resolve) => {
        const timer = setTimeout(() => resolve(false), 300)
        compressor.once('drain', () => {
          clearTimeout(timer)
          resolve(true)
        })
      })
    let open = true
    while (open && accepted < offered) {
      accepted += chunk.length
      if (!compressor.write(chunk)) open = await drained()
      else if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs))
    }
    // Only the blocks in flight and about a buffer's worth of output may pile up.
    expect(accepted).toBeLessThan(2 * MiB)
    expect(compressor.readableLength).toBeLessThan(1 * MiB)
    compressor.destroy()
  })

  it('gives a slow reader every byte', async () => {
    const input = data.subarray(0, 3 * MiB)
    const parts: Buffer[] = []
    const slowSink = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, callback) {
        parts.push(chunk)
        setTimeout(callback, 1)
      },
    })
    await pipeline(randomChunks(input), createPgzipCompressor(1, { blockSize: 64 * 1024 }), slowSink)
    expect(gunzipSync(Buffer.concat(parts)).equals(input)).toBe(true)
  })
})

describe('defaultBlockParallelism', () => {
  it('runs a block more than the cores, leaving one pool thread for file I/O', () => {
    expect(defaultBlockParallelism(2, 4)).toBe(3)
    expect(defaultBlockParallelism(8, 4)).toBe(3)
    expect(defaultBlockParallelism(8, 16)).toBe(9)
    expect(defaultBlockParallelism(1, 1)).toBe(1)
  })
})
