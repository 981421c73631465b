import { describe, expect, it } from 'vitest'
import { translator } from '../../../renderer/src/i18n/messages.ts'
import {
  baseName,
  formatBytes,
  formatClock,
  formatCount,
  formatDateTime,
  formatDuration,
  formatPercent,
  formatRate,
  formatShortDate,
  localeOf,
} from '../../../renderer/src/lib/format.ts'

describe('the window’s formats, in the UI language', () => {
  it('each language has its locale', () => {
    expect(localeOf('en')).toBe('en-GB')
    expect(localeOf('id')).toBe('id-ID')
  })

  it('sizes and rates: binary units, the language’s decimal mark and grouping', () => {
    expect(formatBytes(1536, 'en')).toBe('1.5 KiB')
    expect(formatBytes(1536, 'id')).toBe('1,5 KiB')
    expect(formatBytes(2000 * 1024 ** 5, 'en')).toBe('2,000 PiB')
    expect(formatBytes(2000 * 1024 ** 5, 'id')).toBe('2.000 PiB')
    expect(formatBytes(-1, 'en')).toBe('–')
    expect(formatRate(12.3 * 1024 * 1024, 'en')).toBe('12.3 MiB/s')
    expect(formatRate(12.3 * 1024 * 1024, 'id')).toBe('12,3 MiB/s')
  })

  it('durations: the shared forms, always with the language’s decimal mark', () => {
    expect(formatDuration(850, 'en')).toBe('850 ms')
    expect(formatDuration(12_345, 'en')).toBe('12.3 s')
    expect(formatDuration(12_345, 'id')).toBe('12,3 s')
    expect(formatDuration(245_000, 'en')).toBe('4 min 05 s')
    expect(formatDuration(3_723_000, 'id')).toBe('1 h 02 min')
    expect(formatClock(3_723_000)).toBe('1:02:03')
    expect(formatClock(4_200)).toBe('0:04')
  })

  it('counts with the language’s grouping', () => {
    expect(formatCount(1_234_567, 'en')).toBe('1,234,567')
    expect(formatCount(1_234_567, 'id')).toBe('1.234.567')
  })

  it('percent: a decimal below 10 % so a slow start still moves, none from there on', () => {
    expect(formatPercent(0.42, 'en')).toBe('42%')
    expect(formatPercent(0.054, 'en')).toBe('5.4%')
    expect(formatPercent(0.054, 'id')).toBe('5,4%')
    expect(formatPercent(0, 'en')).toBe('0%')
    expect(formatPercent(1, 'en')).toBe('100%')
  })

  it('dates: local, with a placeholder for none and the raw text for nonsense', () => {
    expect(formatDateTime(null, 'en')).toBe('–')
    expect(formatDateTime('not a date', 'en')).toBe('not a date')
    expect(formatShortDate('not a date', 'en')).toBe('not a date')
    const noon = '2026-11-21T12:00:00.000Z'
    expect(formatDateTime(noon, 'en')).toMatch(/2[01] Nov 2026, \d\d:\d\d/)
    expect(formatShortDate(noon, 'en')).toMatch(/^2[01] Nov$/)
    expect(formatShortDate(noon, 'id')).toMatch(/^2[01] Nov$/)
  })

  it('baseName: the last part of a path with either separator', () => {
    expect(baseName('/backups/shop.sql.zst.enc')).toBe('shop.sql.zst.enc')
    expect(baseName('C:\\backups\\shop.sql.gz')).toBe('shop.sql.gz')
    expect(baseName('mixed/dir\\file.sql')).toBe('file.sql')
    expect(baseName('plain.sql')).toBe('plain.sql')
    expect(baseName('/backups/')).toBe('')
  })
})

describe('translator: plurals', () => {
  it("picks the language's plural form for the count, # standing for it; Indonesian needs none", () => {
    const en = translator('en')
    expect(en('result.verdict.done', { ok: 1, failed: 0 })).toBe('Backup finished: 1 file written, 0 failed.')
    expect(en('result.verdict.done', { ok: 2, failed: 1 })).toBe(
      'Backup finished: 2 files written, 1 failed.',
    )
    expect(en('history.deleteBody', { count: 1 })).toBe('This file is deleted for good:')
    expect(en('history.deleteBody', { count: 3 })).toBe('These 3 files are deleted for good:')
    expect(translator('id')('result.verdict.done', { ok: 2, failed: 0 })).not.toMatch(/[{}#]/)
  })
})
