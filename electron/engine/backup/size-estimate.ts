import { readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { CompressionType } from '../../../shared/backup-types.ts'
import { META_SUFFIX } from './metadata.ts'

/**
 * Conservative output/data ratios when no earlier backup tells better: a dump's SQL can be twice the data
 * (hex-encoded BLOBs), and incompressible data (already compressed, random) does not shrink at all.
 */
export const CONSERVATIVE_RATIO: Record<CompressionType, number> = {
  none: 2,
  gzip: 1,
  pgzip: 1,
  zlib: 1,
  zstd: 1,
  xz: 1,
}

/** A metadata file larger than this is not ours (ours are a few KiB). */
const MAX_META_BYTES = 1 << 20

export interface LearnedRatio {
  /** Backup bytes per byte of data (information_schema), of the last backup of the same databases. */
  ratio: number
  /** The backup it was learned from. */
  file: string
}

const setKey = (dbs: string[]): string => JSON.stringify([...dbs].sort())

/**
 * The output/data ratios of the last successful backups in `dir`, per set of databases and compression type
 * (from our `.meta.json`, which records the data size it was made from). Unreadable files are skipped.
 */
export async function learnedRatios(dir: string): Promise<Map<string, LearnedRatio>> {
  const found = new Map<string, LearnedRatio & { end: string }>()
  const names = await readdir(dir).catch(() => [] as string[])
  for (const name of names) {
    if (!name.endsWith(META_SUFFIX)) continue
    const path = join(dir, name)
    try {
      if ((await stat(path)).size > MAX_META_BYTES) continue
      const m = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>
      const file = m.file as { name?: unknown; size_bytes?: unknown } | undefined
      const data = m.source_data_bytes
      const dbs = m.databases
      const type = (m.compression as { type?: unknown } | undefined)?.type
      const end = String((m.time as { end?: unknown } | undefined)?.end ?? '')
      if (m.format !== 'sfdbtools-desktop/1' || !Array.isArray(dbs) || typeof type !== 'string') continue
      if (typeof data !== 'number' || data <= 0 || typeof file?.size_bytes !== 'number') continue
      const key = `${type} ${setKey(dbs.map(String))}`
      const prev = found.get(key)
      if (prev && prev.end >= end) continue
      found.set(key, { ratio: file.size_bytes / data, file: String(file.name ?? name), end })
    } catch {
      continue
    }
  }
  return new Map([...found].map(([k, v]) => [k, { ratio: v.ratio, file: v.file }]))
}

export interface FileEstimate {
  bytes: number
  /** How it was estimated, for the refusal and the dry-run. */
  how: string
}

/** The size of one backup file: from the last backup of the same databases, else a conservative ratio. */
export function estimateFile(
  learned: Map<string, LearnedRatio>,
  databases: string[],
  dataBytes: number,
  type: CompressionType,
): FileEstimate {
  const known = learned.get(`${type} ${setKey(databases)}`)
  const fixed = (n: number): string => String(Math.round(n * 100) / 100)
  if (known)
    return {
      bytes: Math.round(dataBytes * known.ratio),
      how: `data size × ${fixed(known.ratio)}, the ratio of the last ${type} backup of ${databases.join(', ')} here (${known.file})`,
    }
  const ratio = CONSERVATIVE_RATIO[type]
  return {
    bytes: Math.round(dataBytes * ratio),
    how: `data size × ${ratio}, a conservative ratio for ${type} (no earlier backup of ${databases.join(', ')} here to learn from)`,
  }
}
