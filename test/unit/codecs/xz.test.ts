import { describe, expect, it } from 'vitest'
import { xzThreads } from '../../../electron/engine/codecs/xz.ts'

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
