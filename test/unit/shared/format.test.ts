import { describe, expect, it } from 'vitest'
import { formatBytes, formatClock, formatDuration, formatRate } from '../../../shared/format.ts'

const KiB = 1024
const MiB = 1024 * KiB
const GiB = 1024 * MiB
const TiB = 1024 * GiB
const PiB = 1024 * TiB

describe('formatBytes: binary units with binary names', () => {
  it.each([
    [0, '0 B'],
    [1, '1 B'],
    [1023, '1023 B'],
    [1024, '1.0 KiB'],
    [1536, '1.5 KiB'],
    [2048, '2.0 KiB'],
    [99.94 * KiB, '99.9 KiB'],
    [100 * KiB, '100 KiB'],
    [12_900_000, '12.3 MiB'],
    [123_456_789, '118 MiB'],
    [5 * GiB, '5.0 GiB'],
    [1.5 * TiB, '1.5 TiB'],
    [3 * PiB, '3.0 PiB'],
    // PiB is the last unit: no "1.0 EiB"
    [2048 * PiB, '2048 PiB'],
  ])('%d → %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text)
  })

  it('a value that rounds up to 1024 of a unit is shown in the next unit', () => {
    expect(formatBytes(1023.6)).toBe('1.0 KiB')
    expect(formatBytes(1023.96 * KiB)).toBe('1.0 MiB')
    expect(formatBytes(MiB - 1)).toBe('1.0 MiB')
    expect(formatBytes(GiB - 1)).toBe('1.0 GiB')
  })

  it('from 99.95 of a unit on, no decimal ("100 KiB", never "100.0 KiB")', () => {
    expect(formatBytes(99.96 * KiB)).toBe('100 KiB')
  })

  it('never uses SI names', () => {
    for (const n of [KiB, MiB, GiB, TiB]) expect(formatBytes(n)).not.toMatch(/\b[KMGT]B\b/)
  })

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('%d is not a size: –', (bytes) => {
    expect(formatBytes(bytes)).toBe('–')
  })

  it('with a locale: its decimal mark and grouping', () => {
    expect(formatBytes(1536, 'id-ID')).toBe('1,5 KiB')
    expect(formatBytes(1536, 'en-GB')).toBe('1.5 KiB')
    expect(formatBytes(2000 * PiB, 'en-GB')).toBe('2,000 PiB')
    // without one, plain digits (no grouping) for logs and scripts
    expect(formatBytes(2000 * PiB)).toBe('2000 PiB')
  })
})

describe('formatRate', () => {
  it('bytes per second', () => {
    expect(formatRate(12.3 * MiB)).toBe('12.3 MiB/s')
    expect(formatRate(0)).toBe('0 B/s')
    expect(formatRate(1536, 'id-ID')).toBe('1,5 KiB/s')
  })

  it('an unknown rate is just –', () => {
    expect(formatRate(Number.NaN)).toBe('–')
  })
})

describe('formatDuration: as precise as its size makes useful', () => {
  it.each([
    [0, '0 ms'],
    [850, '850 ms'],
    [999.4, '999 ms'],
    [999.5, '1.0 s'],
    [1000, '1.0 s'],
    [4_200, '4.2 s'],
    [12_345, '12.3 s'],
    [59_940, '59.9 s'],
    [59_950, '1 min 00 s'],
    [60_000, '1 min 00 s'],
    [245_000, '4 min 05 s'],
    [3_599_400, '59 min 59 s'],
    [3_599_500, '1 h 00 min'],
    [3_723_000, '1 h 02 min'],
    [3_750_000, '1 h 03 min'],
    [100 * 3_600_000, '100 h 00 min'],
  ])('%d ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text)
  })

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('%d is not a duration: –', (ms) => {
    expect(formatDuration(ms)).toBe('–')
  })

  it('with a locale: its decimal mark', () => {
    expect(formatDuration(12_345, 'id-ID')).toBe('12,3 s')
    expect(formatDuration(245_000, 'id-ID')).toBe('4 min 05 s')
  })
})

describe('formatClock: a running clock in whole seconds', () => {
  it.each([
    [0, '0:00'],
    [4_200, '0:04'],
    [65_000, '1:05'],
    [3_599_499, '59:59'],
    [3_599_500, '1:00:00'],
    [3_723_000, '1:02:03'],
  ])('%d ms → %s', (ms, text) => {
    expect(formatClock(ms)).toBe(text)
  })

  it('an unknown time is –', () => {
    expect(formatClock(-5)).toBe('–')
    expect(formatClock(Number.NaN)).toBe('–')
  })
})
