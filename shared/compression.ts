/**
 * The compression levels each type accepts, for the engine (which enforces them), the config file, the CLI's
 * help and the window's fields. Free of zod on purpose: the renderer imports it at run time (importing a
 * value from shared/backup-types.ts would put zod in its bundle).
 */
import type { CompressionType } from './backup-types.ts'

export interface CompressionLevelRange {
  /** Inclusive bounds. */
  readonly min: number
  readonly max: number
  /** The level a type gets when none is given (the CLI, the config, switching type in the window). */
  readonly default: number
}

/**
 * gzip, pgzip, zlib and xz take 1–9 (6 by default, their own tools' default); zstd 1–19 (3 by default:
 * about gzip -6's ratio at several times its speed; 20–22 are "ultra" levels that need a huge window on
 * restore too, so they are not offered). `none` has no level: 0.
 */
export const COMPRESSION_LEVELS: Readonly<Record<CompressionType, CompressionLevelRange>> = Object.freeze({
  gzip: { min: 1, max: 9, default: 6 },
  pgzip: { min: 1, max: 9, default: 6 },
  zlib: { min: 1, max: 9, default: 6 },
  zstd: { min: 1, max: 19, default: 3 },
  xz: { min: 1, max: 9, default: 6 },
  none: { min: 0, max: 0, default: 0 },
})

/** The compression a backup gets when nothing chooses one. */
export const DEFAULT_COMPRESSION_TYPE: CompressionType = 'zstd'

const typesWithLevels = (): [CompressionType, CompressionLevelRange][] =>
  (Object.entries(COMPRESSION_LEVELS) as [CompressionType, CompressionLevelRange][]).filter(
    ([type]) => type !== 'none',
  )

/** The lowest and highest level any type accepts (`none` aside): what a level can be before its type is known. */
export const ANY_COMPRESSION_LEVEL: Readonly<{ min: number; max: number }> = Object.freeze({
  min: Math.min(...typesWithLevels().map(([, r]) => r.min)),
  max: Math.max(...typesWithLevels().map(([, r]) => r.max)),
})

/** Whether `level` is a whole number in `type`'s range. */
export function isCompressionLevel(type: CompressionType, level: number): boolean {
  const { min, max } = COMPRESSION_LEVELS[type]
  return Number.isInteger(level) && level >= min && level <= max
}

/**
 * The ranges in words, the most common one first: "1-9 (1-19 for zstd)". `separator` joins a range's
 * bounds ("-" for help text and messages, "–" for prose).
 */
export function describeCompressionLevels(separator = '-'): string {
  const byRange = new Map<string, CompressionType[]>()
  for (const [type, { min, max }] of typesWithLevels()) {
    const key = `${min}${separator}${max}`
    byRange.set(key, [...(byRange.get(key) ?? []), type])
  }
  const [common, ...others] = [...byRange.entries()].sort((a, b) => b[1].length - a[1].length)
  if (common === undefined) return ''
  const exceptions = others.map(([range, types]) => `${range} for ${types.join(', ')}`)
  return exceptions.length === 0 ? common[0] : `${common[0]} (${exceptions.join('; ')})`
}
