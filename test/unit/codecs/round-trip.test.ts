import { describe, expect, it } from 'vitest'
import type { CompressionType } from '../../../shared/backup-types.ts'
import { createCompressor, createDecompressor } from '../../../electron/engine/codecs/compression-streams.ts'
import { EngineError } from '../../../electron/engine/errors.ts'
import { generateSqlDump, runThrough } from './codec-fixtures.ts'

const data = generateSqlDump(3_000_000)
// xz -6 and -9 and zstd -19 run at ~1 MB/s on one core (a 3 MB input is one liblzma block): a smaller input
// keeps them quick. Their speed is not what is tested: the levels' tests get a timeout a busy machine meets.
const smallData = data.subarray(0, 600_000)
const inputFor = (type: Exclude<CompressionType, 'none'>, level: number): Buffer =>
  type === 'xz' || (type === 'zstd' && level >= 19) ? smallData : data
const LEVEL_TIMEOUT = 60_000

const LEVELS: Record<Exclude<CompressionType, 'none'>, number[]> = {
  gzip: [1, 6, 9],
  pgzip: [1, 6, 9],
  zlib: [1, 6, 9],
  zstd: [1, 3, 9, 19],
  xz: [1, 6, 9],
}

async function expectCorrupt(type: CompressionType, input: Buffer): Promise<EngineError> {
  const error = await runThrough(createDecompressor(type), input).then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error, `${type} accepted a damaged stream`).toBeInstanceOf(EngineError)
  expect((error as EngineError).code).toBe('CorruptFile')
  expect((error as EngineError).message).toMatch(new RegExp(`^${type} stream is damaged or truncated: `))
  return error as EngineError
}

describe.each(Object.entries(LEVELS))('%s', (name, levels) => {
  const type = name as Exclude<CompressionType, 'none'>

  it.each(levels)(
    'round-trips SQL at level %i',
    async (level) => {
      const input = inputFor(type, level)
      const packed = await runThrough(createCompressor(type, level), input, level)
      expect(packed.length).toBeLessThan(input.length / 2)
      const unpacked = await runThrough(createDecompressor(type), packed, level + 100)
      expect(unpacked.equals(input)).toBe(true)
    },
    LEVEL_TIMEOUT,
  )

  it('round-trips an empty input', async () => {
    const packed = await runThrough(createCompressor(type, 1), Buffer.alloc(0))
    expect(packed.length).toBeGreaterThan(0)
    expect((await runThrough(createDecompressor(type), packed)).length).toBe(0)
  })

  it('reports truncated and damaged streams as CorruptFile', async () => {
    const packed = await runThrough(createCompressor(type, 1), data.subarray(0, 200_000))
    for (const end of [0, 3, Math.floor(packed.length / 2), packed.length - 1]) {
      await expectCorrupt(type, packed.subarray(0, end))
    }
    const flipped = Buffer.from(packed)
    const at = Math.floor(flipped.length / 2)
    flipped[at] = (flipped[at] ?? 0) ^ 0x10
    await expectCorrupt(type, flipped)
    await expectCorrupt(type, Buffer.from('INSERT INTO t VALUES (1);\n'))
  })
})

describe('none', () => {
  it('passes bytes through unchanged', async () => {
    expect((await runThrough(createCompressor('none', 0), data)).equals(data)).toBe(true)
    expect((await runThrough(createDecompressor('none'), data)).equals(data)).toBe(true)
  })
})

describe('gzip reading', () => {
  it('accepts multi-member files (concatenated gzip members)', async () => {
    const a = data.subarray(0, 100_000)
    const b = data.subarray(100_000, 300_000)
    const members = Buffer.concat([
      await runThrough(createCompressor('gzip', 6), a),
      await runThrough(createCompressor('pgzip', 6), b),
    ])
    const out = await runThrough(createDecompressor('gzip'), members)
    expect(out.equals(data.subarray(0, 300_000))).toBe(true)
  })

  it('refuses trailing bytes that are not another member', async () => {
    const packed = await runThrough(createCompressor('gzip', 6), data.subarray(0, 10_000))
    await expectCorrupt('gzip', Buffer.concat([packed, Buffer.from('garbage')]))
  })
})

describe('createCompressor', () => {
  it('refuses an invalid level before creating a stream', () => {
    expect(() => createCompressor('gzip', 10)).toThrow(EngineError)
    expect(() => createCompressor('zstd', 20)).toThrow(/from 1 to 19/)
  })
})
