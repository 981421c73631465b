import { describe, expect, it } from 'vitest'
import { COMPRESSION_TYPES } from '../../../shared/backup-types.ts'
import {
  ANY_COMPRESSION_LEVEL,
  COMPRESSION_LEVELS,
  DEFAULT_COMPRESSION_TYPE,
  describeCompressionLevels,
  isCompressionLevel,
} from '../../../shared/compression.ts'
import {
  DEFAULT_COMPRESSION,
  compressionLevelRange,
  validateCompression,
} from '../../../electron/engine/codecs/compression-options.ts'
import { CONFIG_FIELDS } from '../../../electron/engine/config/app-config-schema.ts'

describe('the one table of compression levels', () => {
  it('has every compression type, each default inside its own range', () => {
    expect(Object.keys(COMPRESSION_LEVELS).sort()).toEqual([...COMPRESSION_TYPES].sort())
    for (const type of COMPRESSION_TYPES) {
      const { min, max, default: level } = COMPRESSION_LEVELS[type]
      expect(min).toBeLessThanOrEqual(max)
      expect(isCompressionLevel(type, level)).toBe(true)
    }
  })

  it('zstd 1-19 (default 3), the others 1-9 (default 6), none 0', () => {
    expect(COMPRESSION_LEVELS.zstd).toEqual({ min: 1, max: 19, default: 3 })
    for (const type of ['gzip', 'pgzip', 'zlib', 'xz'] as const)
      expect(COMPRESSION_LEVELS[type]).toEqual({ min: 1, max: 9, default: 6 })
    expect(COMPRESSION_LEVELS.none).toEqual({ min: 0, max: 0, default: 0 })
    expect(ANY_COMPRESSION_LEVEL).toEqual({ min: 1, max: 19 })
  })

  it('isCompressionLevel: whole numbers in range only', () => {
    expect(isCompressionLevel('zstd', 19)).toBe(true)
    expect(isCompressionLevel('zstd', 20)).toBe(false)
    expect(isCompressionLevel('gzip', 10)).toBe(false)
    expect(isCompressionLevel('gzip', 0)).toBe(false)
    expect(isCompressionLevel('gzip', 2.5)).toBe(false)
    expect(isCompressionLevel('gzip', Number.NaN)).toBe(false)
    expect(isCompressionLevel('none', 0)).toBe(true)
    expect(isCompressionLevel('none', 3)).toBe(false)
  })

  it('describes the ranges for help texts and messages', () => {
    expect(describeCompressionLevels()).toBe('1-9 (1-19 for zstd)')
    expect(describeCompressionLevels('–')).toBe('1–9 (1–19 for zstd)')
  })
})

// The window's side: test/unit/renderer/wizard-model.test.ts.
describe('the engine and the config file read it', () => {
  it('the engine: its default, ranges and validation', () => {
    expect(DEFAULT_COMPRESSION).toEqual({
      type: DEFAULT_COMPRESSION_TYPE,
      level: COMPRESSION_LEVELS[DEFAULT_COMPRESSION_TYPE].default,
    })
    for (const type of COMPRESSION_TYPES) {
      const { min, max } = COMPRESSION_LEVELS[type]
      expect(compressionLevelRange(type)).toEqual([min, max])
      if (type === 'none') continue
      expect(validateCompression(type, max)).toEqual({ type, level: max })
      expect(() => validateCompression(type, max + 1)).toThrow(`from ${min} to ${max}`)
    }
  })

  it('the config file: any level of any type passes the first check, its text names the ranges', () => {
    const level = CONFIG_FIELDS.find((f) => f.paths.includes('backup.compression.level'))
    expect(level?.expected).toBe('an integer 1-9 (1-19 for zstd)')
    expect(level?.parse(19).success).toBe(true)
    expect(level?.parse(1).success).toBe(true)
    expect(level?.parse(20).success).toBe(false)
    expect(level?.parse(0).success).toBe(false)
  })
})
