/**
 * The benches' order of contenders per round (scripts/bench-common.ts roundOrder): every contender once,
 * reproducible, and — unlike a rotation — not always after the same predecessor.
 */
import { describe, expect, it } from 'vitest'
import { roundOrder } from '../../../scripts/bench-common.ts'

const items = [
  'shell zstd',
  'ours zstd',
  'ours enc',
  'shell none',
  'ours none',
  'shell primary',
  'ours primary',
]

describe('the order of a bench round', () => {
  it('holds every contender once, and is the same for the same round', () => {
    for (let round = 0; round < 10; round++) {
      expect([...roundOrder(items, round)].sort()).toEqual([...items].sort())
      expect(roundOrder(items, round)).toEqual(roundOrder(items, round))
    }
  })

  it('gives a contender different predecessors over five rounds', () => {
    const before = new Set<string>()
    for (let round = 0; round < 5; round++) {
      const order = roundOrder(items, round)
      const k = order.indexOf('ours zstd')
      before.add(k === 0 ? '(first)' : (order[k - 1] as string))
    }
    expect(before.size).toBeGreaterThanOrEqual(3)
  })
})
