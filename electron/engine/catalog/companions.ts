import { lstat } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { META_SUFFIX } from '../backup/metadata.ts'
import type { MetadataSource } from './catalog-entry.ts'

/**
 * sfDBTools' base name of a dump: the name with `.enc`, one compression extension and `.sql` stripped
 * (reference §10), e.g. `db_20260127_030001_host.sql.gz.enc` → `db_20260127_030001_host`.
 */
export function sfdbtoolsBaseName(fileName: string): string {
  return fileName
    .replace(/\.enc$/i, '')
    .replace(/\.(gz|zst|xz|zlib)$/i, '')
    .replace(/\.sql$/i, '')
}

/** sfDBTools' grants and GTID files over its history (reference §10, §12): current name first. */
const SFDBTOOLS_SUFFIXES = ['_users.sql', '_users.cnf', '_user.sql', '_gtid.info', '_gtid.txt']
const OUR_SUFFIXES = ['.users.sql', '.gtid']

/**
 * The names a writer gives the grants and GTID files of a dump, in the dump's folder (whether they exist
 * is not checked). Ours: `<dump>.users.sql`, `<dump>.gtid`; sfDBTools: `<base>_users.sql` and the
 * historical `_users.cnf`, `_user.sql`, `_gtid.info`, `_gtid.txt`.
 */
export function conventionalCompanions(backupFile: string, source: MetadataSource): string[] {
  const dir = dirname(backupFile)
  const name = basename(backupFile)
  return source === 'ours'
    ? OUR_SUFFIXES.map((s) => join(dir, name + s))
    : SFDBTOOLS_SUFFIXES.map((s) => join(dir, sfdbtoolsBaseName(name) + s))
}

/**
 * A file named by metadata, placed in the metadata's folder. The recorded directory is dropped (sfDBTools
 * records absolute paths of where it wrote; folders get moved). Null for "none", empty, or `.`/`..`.
 */
export function companionInFolder(metaPath: string, recorded: string | null): string | null {
  if (recorded === null) return null
  const name = basename(recorded.replace(/\\/g, '/').trim())
  if (name === '' || name === '.' || name === '..' || name.toLowerCase() === 'none') return null
  return join(dirname(metaPath), name)
}

const isRegularFile = async (path: string): Promise<boolean> => {
  try {
    return (await lstat(path)).isFile()
  } catch {
    return false
  }
}

/**
 * The companions that are on disk: the metadata itself, the named files and the conventional names that
 * exist as regular files. A file with a `.meta.json` of its own is a backup in its own right, never a
 * companion (a database could be called `x_users`).
 */
export async function existingCompanions(
  metaPath: string,
  backupFile: string,
  source: MetadataSource,
  named: string[],
): Promise<string[]> {
  const candidates = [...new Set([...named, ...conventionalCompanions(backupFile, source)])].filter(
    (p) => p !== metaPath && p !== backupFile,
  )
  const found: string[] = [metaPath]
  for (const path of candidates) {
    if ((await isRegularFile(path)) && !(await isRegularFile(path + META_SUFFIX))) found.push(path)
  }
  return found
}
