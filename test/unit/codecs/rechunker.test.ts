import { describe, expect, it } from 'vitest'
import { BlockAccumulator, createRechunker } from '../../../electron/engine/codecs/rechunker.ts'
import { generateSqlDump, runThrough } from './codec-fixtures.ts'

describe('createRechunker', () => {
  it('emits blocks of exactly the size, the last one shorter, with the same bytes', async () => {
    const data = generateSqlDump(1_000_003)
    const sizes: number[] = []
    const rechunker = createRechunker(65_536)
    rechunker.on('data', (chunk: Buffer) => sizes.push(chunk.length))
    const out = await runThrough(rechunker, data)
    expect(out.equals(data)).toBe(true)
    expect(sizes.slice(0, -1).every((n) => n === 65_536)).toBe(true)
    expect(sizes.at(-1)).toBe(1_000_003 % 65_536)
  })

  it('passes an empty stream through', async () => {
    expect((await runThrough(createRechunker(1024), Buffer.alloc(0))).length).toBe(0)
  })
})

describe('BlockAccumulator', () => {
  it('hands whole blocks of a big chunk on without copying them', () => {
    const blocks: Buffer[] = []
    const acc = new BlockAccumulator(4)
    const big = Buffer.alloc(10) // not from the shared pool, so its ArrayBuffer identifies it
    big.write('0123456789')
    acc.add(Buffer.from('ab'), (b) => blocks.push(b))
    acc.add(big, (b) => blocks.push(b))
    acc.add(Buffer.from('cdefgh'), (b) => blocks.push(b))
    expect(acc.buffered).toBe(2)
    acc.flush((b) => blocks.push(b))
    expect(blocks.map(String)).toEqual(['ab01', '2345', '6789', 'cdef', 'gh'])
    expect(blocks[0]?.buffer).not.toBe(big.buffer) // 'ab01' was assembled in a block of its own
    expect(blocks[1]?.buffer).toBe(big.buffer)
    expect(blocks[2]?.buffer).toBe(big.buffer)
  })
})
