import { COMPRESSION_TYPES, type CompressionType } from '../../../shared/backup-types.ts'
import {
  COMPRESSION_LEVELS,
  DEFAULT_COMPRESSION_TYPE,
  isCompressionLevel,
} from '../../../shared/compression.ts'
import { COMPRESSION_EXTENSIONS } from '../../../shared/file-names.ts'
import { EngineError } from '../errors.ts'

/** A compression type with a level that its codec accepts. */
export interface CompressionChoice {
  type: CompressionType
  level: number
}

/** zstd -3: about 110 MB/s a core, close to gzip -6's ratio at several times its speed. */
export const DEFAULT_COMPRESSION: Readonly<CompressionChoice> = Object.freeze({
  type: DEFAULT_COMPRESSION_TYPE,
  level: COMPRESSION_LEVELS[DEFAULT_COMPRESSION_TYPE].default,
})

/** The inclusive level range of a compression type (`none` has no level: [0, 0]); see shared/compression.ts. */
export function compressionLevelRange(type: CompressionType): readonly [number, number] {
  const { min, max } = COMPRESSION_LEVELS[type]
  return [min, max]
}

/** The file-name extension that a compressed output gets: '.gz' for gzip and pgzip, '' for none. */
export function compressionExtension(type: CompressionType): string {
  return COMPRESSION_EXTENSIONS[type]
}

/**
 * The compression of a backup file, from its name: the extension after stripping `.enc`, as sfDBTools
 * does (`DetectCompressionTypeFromFile`). A `.gz` file is reported as 'gzip' (a pgzip output is one too);
 * an unknown extension means 'none'.
 */
export function detectCompression(fileName: string): CompressionType {
  const lower = fileName.toLowerCase()
  const name = lower.endsWith('.enc') ? lower.slice(0, -'.enc'.length) : lower
  if (name.endsWith('.gz')) return 'gzip'
  if (name.endsWith('.zlib')) return 'zlib'
  if (name.endsWith('.zst')) return 'zstd'
  if (name.endsWith('.xz')) return 'xz'
  return 'none'
}

/**
 * Checks a type (case-insensitive) and level from the user against shared/compression.ts (1–9, and 1–19
 * for zstd); `none` ignores the level and reports 0.
 * @throws EngineError('InvalidInput') naming the allowed types or range.
 */
export function validateCompression(type: string, level: number): CompressionChoice {
  const normalized = type.trim().toLowerCase()
  const known = COMPRESSION_TYPES.find((t) => t === normalized)
  if (known === undefined) {
    throw new EngineError(
      'InvalidInput',
      `unknown compression type '${type}': use one of ${COMPRESSION_TYPES.join(', ')}`,
    )
  }
  if (known === 'none') return { type: known, level: 0 }
  if (!isCompressionLevel(known, level)) {
    const { min, max } = COMPRESSION_LEVELS[known]
    throw new EngineError(
      'InvalidInput',
      `invalid ${known} compression level ${level}: use a whole number from ${min} to ${max}`,
    )
  }
  return { type: known, level }
}
