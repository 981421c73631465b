import { describe, expect, it } from 'vitest'
import { BlockAccumulator } from '../../../electron/engine/codecs/rechunker.ts'

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
