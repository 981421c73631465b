import { randomBytes } from 'node:crypto'
import zlib from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { createDecompressor } from '../../../electron/engine/codecs/compression-streams.ts'
import { ZstdFrameScanner } from '../../../electron/engine/codecs/zstd-frames.ts'
import { generateSqlDump, runThrough, runTool } from './codec-fixtures.ts'

const zstd = (data: Buffer, level = 3, checksum = 0): Buffer =>
  zlib.zstdCompressSync(data, {
    params: {
      [zlib.constants.ZSTD_c_compressionLevel]: level,
      [zlib.constants.ZSTD_c_checksumFlag]: checksum,
    },
  })

function skippableFrame(payload: Buffer): Buffer {
  const header = Buffer.alloc(8)
  header.writeUInt32LE(0x184d2a53, 0)
  header.writeUInt32LE(payload.length, 4)
  return Buffer.concat([header, payload])
}

const a = generateSqlDump(400_000, 21)
const b = generateSqlDump(300_000, 22)
const frames = [
  zstd(a, 1, 1),
  skippableFrame(Buffer.from('seekable index, say')),
  zstd(Buffer.alloc(0)), // an empty frame: one empty last block, no checksum
  zstd(b, 19),
  zstd(Buffer.alloc(200_000, 0x41), 3, 1), // RLE blocks
]
const stream = Buffer.concat(frames)
const content = Buffer.concat([a, b, Buffer.alloc(200_000, 0x41)])

/** Where the frames end, found by feeding the scanner `step`-byte chunks. */
function frameEnds(step: number): number[] {
  const scanner = new ZstdFrameScanner()
  const ends: number[] = []
  let offset = 0
  for (let at = 0; at < stream.length; at += step) {
    for (const piece of scanner.split(stream.subarray(at, at + step))) {
      offset += piece.bytes.length
      if (piece.end) ends.push(offset)
    }
  }
  expect(scanner.atFrameBoundary).toBe(true)
  return ends
}

describe('ZstdFrameScanner', () => {
  it('finds every frame end, however the input is chunked', () => {
    let total = 0
    const expected = frames.map((f) => (total += f.length))
    for (const step of [1, 2, 3, 7, 4096, stream.length]) expect(frameEnds(step)).toEqual(expected)
  })

  it('refuses bytes that are not a frame', () => {
    expect(() => new ZstdFrameScanner().split(Buffer.from('INSERT INTO'))).toThrow(/no zstd frame/)
  })

  it('is mid-frame on a truncated stream', () => {
    const scanner = new ZstdFrameScanner()
    scanner.split(stream.subarray(0, (frames[0]?.length ?? 0) - 1))
    expect(scanner.atFrameBoundary).toBe(false)
  })
})

describe('zstd decompression of several frames', () => {
  it('decodes all frames and skips skippable ones, like zstd -d', async () => {
    expect((await runTool('/usr/bin/zstd', ['-dc'], stream)).stdout.equals(content)).toBe(true)
    for (const seed of [1, 2, 3]) {
      expect((await runThrough(createDecompressor('zstd'), stream, seed)).equals(content)).toBe(true)
    }
  })

  it('decodes a frame too big to collect and one that decodes to more than a collected frame may, streaming', async () => {
    // 6 MB that do not compress (more than is collected for a one-call decode), 40 MB of zeros in a few
    // hundred bytes (more output than a one-call decode may make), then small frames again.
    const noise = randomBytes(6_000_000)
    const zeros = Buffer.alloc(40_000_000)
    const big = [zstd(noise, 1, 1), zstd(zeros, 3, 1), zstd(a, 1, 1), zstd(b, 19)]
    expect(big[0]?.length).toBeGreaterThan(4 << 20)
    expect(big[1]?.length).toBeLessThan(1 << 20)
    const out = await runThrough(createDecompressor('zstd'), Buffer.concat(big), 5)
    expect(out.equals(Buffer.concat([noise, zeros, a, b]))).toBe(true)
  })

  it('reports a damaged frame (content checksum) as CorruptFile', async () => {
    const damaged = Buffer.from(stream)
    const at = Math.floor((frames[0]?.length ?? 0) / 2)
    damaged[at] = (damaged[at] ?? 0) ^ 0x20
    await expect(runThrough(createDecompressor('zstd'), damaged)).rejects.toMatchObject({
      code: 'CorruptFile',
    })
  })

  it('reports bytes after the last frame and a cut frame as CorruptFile', async () => {
    for (const bad of [Buffer.concat([stream, Buffer.from('junk')]), stream.subarray(0, stream.length - 2)]) {
      await expect(runThrough(createDecompressor('zstd'), bad)).rejects.toMatchObject({ code: 'CorruptFile' })
    }
  })
})
