import { readdir, readFile, stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { CompressionType, PlanEstimate } from '../../../shared/backup-types.ts'
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

/** Earlier backups of the same databases and compression whose ratio an estimate uses (the newest ones). */
export const RATIO_SAMPLES = 3

/**
 * Metadata files read at most per folder, the newest first (by mtime): a folder of years of backups does not
 * slow the dry-run down (the README's target is ≤ 0.35 s), and what it needs is the last few anyway.
 */
export const MAX_META_READS = 1000

/** Metadata files read at once. */
const READ_BATCH = 32

/** A metadata file larger than this is not ours (ours are a few KiB). */
const MAX_META_BYTES = 1 << 20

export interface LearnedRatio {
  /** Backup bytes per byte of data (information_schema), over the newest earlier backups (≤ RATIO_SAMPLES). */
  ratio: number
  /** The newest backup it was learned from. */
  file: string
  /** How many earlier backups it was learned from (1..RATIO_SAMPLES). */
  backups: number
}

/** What the plan will estimate: the compression and each file's databases (reading stops once all are known). */
export interface RatioWanted {
  compression: CompressionType
  databases: string[][]
}

const setKey = (dbs: string[]): string => JSON.stringify([...dbs].sort())
const keyOf = (type: string, dbs: string[]): string => `${type} ${setKey(dbs)}`

interface Sample {
  key: string
  end: string
  bytes: number
  data: number
  file: string
}

/** One of our `.meta.json` as a sample (its output and data sizes), or null. */
async function sampleOf(path: string, name: string): Promise<Sample | null> {
  try {
    if ((await stat(path)).size > MAX_META_BYTES) return null
    const m = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>
    const file = m.file as { name?: unknown; size_bytes?: unknown } | undefined
    const data = m.source_data_bytes
    const dbs = m.databases
    const type = (m.compression as { type?: unknown } | undefined)?.type
    const end = String((m.time as { end?: unknown } | undefined)?.end ?? '')
    if (m.format !== 'sfdbtools-desktop/1' || !Array.isArray(dbs) || typeof type !== 'string') return null
    if (typeof data !== 'number' || data <= 0 || typeof file?.size_bytes !== 'number') return null
    return {
      key: keyOf(type, dbs.map(String)),
      end,
      bytes: file.size_bytes,
      data,
      file: String(file.name ?? name),
    }
  } catch {
    return null
  }
}

/**
 * The output/data ratios of the newest successful backups in `dirs` (not their sub-folders), per set of
 * databases and compression type, from our `.meta.json`, which records the data size each backup was made
 * from. With `wanted`, reading (newest metadata first) stops once every wanted file has RATIO_SAMPLES.
 * Unreadable files are skipped.
 */
export async function learnedRatios(
  dirs: string | string[],
  wanted?: RatioWanted,
): Promise<Map<string, LearnedRatio>> {
  const candidates: { path: string; name: string; mtime: number }[] = []
  for (const dir of new Set((Array.isArray(dirs) ? dirs : [dirs]).map((d) => resolve(d)))) {
    const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith(META_SUFFIX))
    const stamped = await Promise.all(
      names.map(async (name) => {
        const path = join(dir, name)
        const mtime = await stat(path).then(
          (s) => s.mtimeMs,
          () => -1,
        )
        return { path, name, mtime }
      }),
    )
    candidates.push(
      ...stamped
        .filter((c) => c.mtime >= 0)
        .sort((a, b) => b.mtime - a.mtime)
        .slice(0, MAX_META_READS),
    )
  }
  candidates.sort((a, b) => b.mtime - a.mtime)

  const want = wanted && new Set(wanted.databases.map((dbs) => keyOf(wanted.compression, dbs)))
  const samples = new Map<string, Sample[]>()
  const complete = (): boolean =>
    want !== undefined && [...want].every((k) => (samples.get(k)?.length ?? 0) >= RATIO_SAMPLES)
  for (let i = 0; i < candidates.length && !complete(); i += READ_BATCH) {
    const batch = candidates.slice(i, i + READ_BATCH)
    for (const s of await Promise.all(batch.map((c) => sampleOf(c.path, c.name)))) {
      if (s === null) continue
      const list = samples.get(s.key) ?? []
      list.push(s)
      samples.set(s.key, list)
    }
  }

  const learned = new Map<string, LearnedRatio>()
  for (const [key, list] of samples) {
    // The newest by the recorded end (an mtime can be a copy's); ties keep the order read.
    const newest = [...list].sort((a, b) => b.end.localeCompare(a.end)).slice(0, RATIO_SAMPLES)
    const bytes = newest.reduce((n, s) => n + s.bytes, 0)
    const data = newest.reduce((n, s) => n + s.data, 0)
    learned.set(key, { ratio: bytes / data, file: newest[0]?.file ?? '', backups: newest.length })
  }
  return learned
}

export interface FileEstimate {
  bytes: number
  /** How it was estimated, for the refusal and the dry-run. */
  how: string
  /** Earlier backups whose ratio it used; 0 when it used the conservative default ratio. */
  backups: number
}

/** The size of one backup file: from the newest backups of the same databases, else a conservative ratio. */
export function estimateFile(
  learned: Map<string, LearnedRatio>,
  databases: string[],
  dataBytes: number,
  type: CompressionType,
): FileEstimate {
  const known = learned.get(keyOf(type, databases))
  const fixed = (n: number): string => String(Math.round(n * 100) / 100)
  if (known) {
    const last = known.backups === 1 ? `the last ${type} backup` : `the last ${known.backups} ${type} backups`
    return {
      bytes: Math.round(dataBytes * known.ratio),
      how: `data size × ${fixed(known.ratio)}, the ratio of ${last} of ${databases.join(', ')} here (${known.file})`,
      backups: known.backups,
    }
  }
  const ratio = CONSERVATIVE_RATIO[type]
  return {
    bytes: Math.round(dataBytes * ratio),
    how: `data size × ${ratio}, a conservative ratio for ${type} (no earlier backup of ${databases.join(', ')} here to learn from)`,
    backups: 0,
  }
}

/** What the dry-run says of its size estimate: how many files were estimated from earlier backups. */
export function summarizeEstimates(estimates: FileEstimate[]): PlanEstimate {
  const learned = estimates.filter((e) => e.backups > 0)
  return {
    files: estimates.length,
    learnedFiles: learned.length,
    backups: learned.reduce((n, e) => n + e.backups, 0),
  }
}
