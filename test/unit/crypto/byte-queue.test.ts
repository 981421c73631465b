import { describe, expect, it } from 'vitest'
import { ByteQueue } from '../../../electron/engine/crypto/byte-queue.ts'

describe('ByteQueue', () => {
  it('reads, peeks and takes across buffer boundaries', () => {
    const q = new ByteQueue()
    const all = Buffer.from(Array.from({ length: 40 }, (_, i) => i))
    for (const [a, b] of [
      [0, 3],
      [3, 3],
      [3, 10],
      [10, 11],
      [11, 40],
    ] as const)
      q.append(all.subarray(a, b))
    expect(q.length).toBe(40)
    expect(q.readUInt32BE(1)).toBe(all.readUInt32BE(1))
    expect(q.readUInt32BE(8)).toBe(all.readUInt32BE(8))
    expect(q.peek(2, 12).equals(all.subarray(2, 12))).toBe(true)
    expect(q.take(5).equals(all.subarray(0, 5))).toBe(true)
    q.skip(6)
    expect(q.length).toBe(29)
    expect(q.take(20).equals(all.subarray(11, 31))).toBe(true)
    expect(q.takeAll().equals(all.subarray(31))).toBe(true)
    expect(q.length).toBe(0)
  })

  it('hands out views, not copies, when a frame lies inside one buffer', () => {
    const q = new ByteQueue()
    const big = Buffer.alloc(100)
    q.append(big)
    const frame = q.take(50)
    expect(frame.buffer).toBe(big.buffer)
  })

  it('refuses to read past the end', () => {
    const q = new ByteQueue()
    q.append(Buffer.alloc(3))
    expect(() => q.take(4)).toThrow(RangeError)
    expect(() => q.skip(4)).toThrow(RangeError)
  })
})
