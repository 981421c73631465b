import { describe, expect, it } from 'vitest'
import { fileNameParts } from '../../../renderer/src/components/FileName.tsx'

describe('fileNameParts', () => {
  it('cuts a name after each separator, losing nothing', () => {
    const name = 'dbsf_nbc_acme_20261203_120000_CHG-7.sql.zst.enc'
    expect(fileNameParts(name)).toEqual([
      'dbsf_',
      'nbc_',
      'acme_',
      '20261203_',
      '120000_',
      'CHG-',
      '7.',
      'sql.',
      'zst.',
      'enc',
    ])
    expect(fileNameParts(name).join('')).toBe(name)
    expect(fileNameParts('plain')).toEqual(['plain'])
  })
})
