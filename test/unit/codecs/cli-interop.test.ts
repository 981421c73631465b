import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createCompressor, createDecompressor } from '../../../electron/engine/codecs/compression-streams.ts'
import { generateSqlDump, runThrough, runTool } from './codec-fixtures.ts'

// The command-line tools a DBA would reach for must read our files, and we must read theirs.
const data = generateSqlDump(2_000_000, 9)

async function expectToolDecodes(tool: string, packed: Buffer): Promise<void> {
  const test = await runTool(tool, ['-t'], packed)
  expect(test.code, test.stderr).toBe(0)
  const out = await runTool(tool, ['-dc'], packed)
  expect(out.code, out.stderr).toBe(0)
  expect(out.stdout.equals(data)).toBe(true)
}

describe('files we write', () => {
  it('xz -dc reads our xz output (multi-threaded, several blocks)', async () => {
    await expectToolDecodes('/usr/bin/xz', await runThrough(createCompressor('xz', 1), data))
  })

  it('zstd -dc reads our zstd output, and checks its content checksum', async () => {
    const packed = await runThrough(createCompressor('zstd', 3), data)
    await expectToolDecodes('/usr/bin/zstd', packed)
    const dir = await mkdtemp(join(tmpdir(), 'codecs-'))
    try {
      await writeFile(join(dir, 'dump.sql.zst'), packed)
      const listed = await runTool('/usr/bin/zstd', ['-lv', join(dir, 'dump.sql.zst')], Buffer.alloc(0))
      expect(listed.stdout.toString()).toMatch(/Check: XXH64/)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('gzip -dc reads our gzip output', async () => {
    await expectToolDecodes('/usr/bin/gzip', await runThrough(createCompressor('gzip', 6), data))
  })
})

describe('files the tools write', () => {
  it('reads xz -T2 output, also two streams concatenated', async () => {
    const packed = (await runTool('/usr/bin/xz', ['-1', '-T2', '--block-size=300000', '-c'], data)).stdout
    expect((await runThrough(createDecompressor('xz'), packed)).equals(data)).toBe(true)
    const half = data.length / 2
    const twice = Buffer.concat([
      (await runTool('/usr/bin/xz', ['-1', '-c'], data.subarray(0, half))).stdout,
      (await runTool('/usr/bin/xz', ['-1', '-c'], data.subarray(half))).stdout,
    ])
    expect((await runThrough(createDecompressor('xz'), twice)).equals(data)).toBe(true)
  })

  it('reads zstd output, also two frames concatenated', async () => {
    const half = data.length / 2
    const frames = Buffer.concat([
      (await runTool('/usr/bin/zstd', ['-3', '-c'], data.subarray(0, half))).stdout,
      (await runTool('/usr/bin/zstd', ['-19', '-c'], data.subarray(half))).stdout,
    ])
    expect((await runThrough(createDecompressor('zstd'), frames)).equals(data)).toBe(true)
  })

  it('reads GNU gzip output, also two members concatenated', async () => {
    const half = data.length / 2
    const members = Buffer.concat([
      (await runTool('/usr/bin/gzip', ['-6', '-c'], data.subarray(0, half))).stdout,
      (await runTool('/usr/bin/gzip', ['-1', '-c'], data.subarray(half))).stdout,
    ])
    expect((await runThrough(createDecompressor('gzip'), members)).equals(data)).toBe(true)
  })
})
