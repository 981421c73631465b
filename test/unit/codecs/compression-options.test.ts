import { describe, expect, it } from 'vitest'
import { COMPRESSION_TYPES } from '../../../shared/backup-types.ts'
import {
  DEFAULT_COMPRESSION,
  compressionExtension,
  compressionLevelRange,
  detectCompression,
  validateCompression,
} from '../../../electron/engine/codecs/compression-options.ts'
import { EngineError } from '../../../electron/engine/errors.ts'

function invalidInput(fn: () => unknown): EngineError {
  try {
    fn()
  } catch (e) {
    expect(e).toBeInstanceOf(EngineError)
    expect((e as EngineError).code).toBe('InvalidInput')
    return e as EngineError
  }
  throw new Error('expected an InvalidInput error')
}

describe('compressionExtension', () => {
  it('maps every type to its sfDBTools extension', () => {
    expect(COMPRESSION_TYPES.map((t) => [t, compressionExtension(t)])).toEqual([
      ['gzip', '.gz'],
      ['pgzip', '.gz'],
      ['zlib', '.zlib'],
      ['zstd', '.zst'],
      ['xz', '.xz'],
      ['none', ''],
    ])
  })
})

describe('detectCompression', () => {
  it.each([
    ['db_20250101_120000.sql.gz', 'gzip'],
    ['db.sql.gz.enc', 'gzip'],
    ['DB.SQL.GZ.ENC', 'gzip'],
    ['db.sql.zst.enc', 'zstd'],
    ['db.sql.zst', 'zstd'],
    ['db.sql.xz', 'xz'],
    ['db.sql.zlib.enc', 'zlib'],
    ['db.sql', 'none'],
    ['db.sql.enc', 'none'],
    ['/backups/2025.gz.d/db.sql', 'none'],
  ])('%s → %s', (name, type) => {
    expect(detectCompression(name)).toBe(type)
  })

  it('round-trips with compressionExtension', () => {
    for (const type of COMPRESSION_TYPES) {
      const detected = detectCompression(`x.sql${compressionExtension(type)}.enc`)
      expect(detected).toBe(type === 'pgzip' ? 'gzip' : type)
    }
  })
})

describe('validateCompression', () => {
  it('defaults to zstd level 3', () => {
    expect(DEFAULT_COMPRESSION).toEqual({ type: 'zstd', level: 3 })
    expect(validateCompression(DEFAULT_COMPRESSION.type, DEFAULT_COMPRESSION.level)).toEqual(
      DEFAULT_COMPRESSION,
    )
  })

  it('accepts the types case-insensitively', () => {
    expect(validateCompression('GZip', 6)).toEqual({ type: 'gzip', level: 6 })
    expect(validateCompression(' PGZIP ', 1)).toEqual({ type: 'pgzip', level: 1 })
  })

  it('accepts levels 1–9, and up to 19 for zstd', () => {
    for (const type of ['gzip', 'pgzip', 'zlib', 'xz'] as const) {
      expect(compressionLevelRange(type)).toEqual([1, 9])
      expect(validateCompression(type, 1).level).toBe(1)
      expect(validateCompression(type, 9).level).toBe(9)
      expect(invalidInput(() => validateCompression(type, 10)).message).toContain('from 1 to 9')
      expect(invalidInput(() => validateCompression(type, 0)).message).toContain('from 1 to 9')
    }
    expect(validateCompression('zstd', 19)).toEqual({ type: 'zstd', level: 19 })
    expect(invalidInput(() => validateCompression('zstd', 20)).message).toContain('from 1 to 19')
    expect(invalidInput(() => validateCompression('zstd', 0)).message).toContain('from 1 to 19')
  })

  it('refuses fractional and non-finite levels', () => {
    invalidInput(() => validateCompression('gzip', 2.5))
    invalidInput(() => validateCompression('gzip', Number.NaN))
  })

  it('ignores the level for none', () => {
    expect(validateCompression('none', 42)).toEqual({ type: 'none', level: 0 })
  })

  it('names the allowed types for an unknown one', () => {
    const e = invalidInput(() => validateCompression('bzip2', 6))
    expect(e.message).toContain("'bzip2'")
    expect(e.message).toContain('none')
    expect(e.message).toContain('pgzip')
  })
})
