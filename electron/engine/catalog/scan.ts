import { readdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { META_SUFFIX } from '../backup/metadata.ts'
import { toEngineError } from '../errors.ts'
import { backupDate, type CatalogEntry } from './catalog-entry.ts'
import { readBackupMetadata } from './read-metadata.ts'

export interface ScanProblem {
  path: string
  message: string
}

export interface ScanResult {
  /** Newest first (recorded start, else mtime); undated backups last. */
  entries: CatalogEntry[]
  /** Unreadable folders and damaged metadata: reported, never fatal. */
  problems: ScanProblem[]
}

/** A dump still being written (`.part`) or a metadata file mid-write (`.tmp`) is not a backup yet. */
const isBackupMetadata = (name: string): boolean => {
  if (!name.endsWith(META_SUFFIX)) return false
  const dump = name.slice(0, -META_SUFFIX.length)
  return dump !== '' && !/\.(part|tmp)$/i.test(dump)
}

async function collect(
  dir: string,
  recursive: boolean,
  found: string[],
  problems: ScanProblem[],
): Promise<void> {
  let items
  try {
    items = await readdir(dir, { withFileTypes: true })
  } catch (e) {
    problems.push({ path: dir, message: withoutPath(toEngineError(e, dir).message, dir) })
    return
  }
  for (const item of items) {
    const path = join(dir, item.name)
    // Dirent types come from lstat: symlinks are neither files nor folders here, so never followed.
    if (item.isDirectory() && recursive) await collect(path, recursive, found, problems)
    else if (item.isFile() && isBackupMetadata(item.name)) found.push(path)
  }
}

/** A problem carries its path already; its message need not repeat it. */
const withoutPath = (message: string, path: string): string =>
  message.startsWith(`${path}: `) ? message.slice(path.length + 2) : message

const newestFirst = (a: CatalogEntry, b: CatalogEntry): number =>
  (backupDate(b)?.getTime() ?? -Infinity) - (backupDate(a)?.getTime() ?? -Infinity) ||
  a.backupFile.localeCompare(b.backupFile)

/**
 * Every backup described by a `*.meta.json` under the folders, in any metadata layout. Symbolic links are
 * not followed; a folder listed twice (or inside another) is read once.
 */
export async function scanBackups(
  dirs: string[],
  options: { recursive?: boolean } = {},
): Promise<ScanResult> {
  const recursive = options.recursive ?? true
  const found: string[] = []
  const problems: ScanProblem[] = []
  for (const dir of new Set(dirs.map((d) => resolve(d)))) await collect(dir, recursive, found, problems)
  const entries: CatalogEntry[] = []
  for (const path of new Set(found)) {
    try {
      entries.push(await readBackupMetadata(path))
    } catch (e) {
      problems.push({ path, message: withoutPath(toEngineError(e, path).message, path) })
    }
  }
  return { entries: entries.sort(newestFirst), problems }
}
