import { once } from 'node:events'
import { finished } from 'node:stream/promises'
import { describe, expect, it } from 'vitest'
import { createCompressor, createDecompressor } from '../../../electron/engine/codecs/compression-streams.ts'
import { XZ_MAX_BLOCK_BYTES, xzBlockBytes, xzThreads } from '../../../electron/engine/codecs/xz.ts'
import { generateSqlDump } from './codec-fixtures.ts'

const GiB = 2 ** 30

describe('xzThreads', () => {
  it('uses one thread per core when the memory allows it', () => {
    expect(xzThreads(6, 8, 16 * GiB)).toBe(8)
    expect(xzThreads(1, 2, 1 * GiB)).toBe(2)
  })

  it('keeps the encoders within a quarter of the RAM, but never below one thread', () => {
    expect(xzThreads(9, 8, 16 * GiB)).toBe(3) // about 1 GiB a thread at -9
    expect(xzThreads(9, 8, 2 * GiB)).toBe(1)
  })
})

describe('the xz encoder', () => {
  it('holds at most a few small blocks of SQL: it goes on taking the dump while blocks compress', async () => {
    // At -3 liblzma's own blocks would be 12 MiB (3 × the dictionary): with 2 threads the encoder took ~36 MiB
    // before it gave back anything, and a dump waited as long as that took to compress.
    expect(xzBlockBytes(3)).toBe(XZ_MAX_BLOCK_BYTES)
    expect(xzBlockBytes(1)).toBe(3 << 20)
    const sql = generateSqlDump(40_000_000, 11)
    const encoder = createCompressor('xz', 3)
    const decoder = createDecompressor('xz')
    let accepted = 0
    let decoded = 0
    let held = 0
    encoder.on('data', (chunk: Buffer) => decoder.write(chunk))
    decoder.on('data', (chunk: Buffer) => (decoded += chunk.length))
    const out = Promise.all([finished(encoder), finished(decoder)])
    for (let at = 0; at < sql.length; at += 1 << 16) {
      const piece = sql.subarray(at, at + (1 << 16))
      if (!encoder.write(piece)) await once(encoder, 'drain')
      accepted += piece.length
      // What the encoder has taken and not given back yet (the output decoded as it comes).
      held = Math.max(held, accepted - decoded)
    }
    encoder.end()
    await finished(encoder)
    decoder.end()
    await out
    expect(decoded).toBe(sql.length)
    expect(held).toBeLessThanOrEqual((xzThreads(3) + 2) * XZ_MAX_BLOCK_BYTES)
  })
})
