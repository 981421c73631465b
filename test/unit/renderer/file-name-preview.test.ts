import { describe, expect, it } from 'vitest'
import {
  patternProblem,
  previewFileName,
  type NamePreviewInput,
} from '../../../renderer/src/lib/file-name-preview.ts'

const input = (changes: Partial<NamePreviewInput> = {}): NamePreviewInput => ({
  pattern: 'default',
  mode: 'single',
  combined: false,
  database: 'dbsf_nbc_acme',
  host: 'db1',
  ticket: '',
  databaseCount: 1,
  excludeData: false,
  compression: 'zstd',
  encrypted: true,
  date: new Date(2026, 11, 3, 9, 5, 7),
  ...changes,
})

describe('previewFileName', () => {
  it('shows <ticket> before the ticket is known, not a made-up one', () => {
    expect(previewFileName(input())).toBe('dbsf_nbc_acme_20261203_090507_<ticket>.sql.zst.enc')
    expect(previewFileName(input({ ticket: '   ' }))).toBe(
      'dbsf_nbc_acme_20261203_090507_<ticket>.sql.zst.enc',
    )
    expect(previewFileName(input({ pattern: '{ticket}-{db}' }))).toBe('<ticket>-dbsf_nbc_acme.sql.zst.enc')
  })
  it('the ticket as names carry it once typed', () => {
    expect(previewFileName(input({ ticket: 'CHG-42' }))).toBe(
      'dbsf_nbc_acme_20261203_090507_CHG42.sql.zst.enc',
    )
  })
  it('an unusable pattern gives no name, and the problem names the unknown token', () => {
    expect(previewFileName(input({ pattern: '{db}_{foo}' }))).toBeNull()
    expect(patternProblem('{db}_{foo}')).toEqual({ unknown: ['foo'] })
  })
})
