import { lstat, realpath, unlink } from 'node:fs/promises'
import { dirname, relative, resolve, isAbsolute } from 'node:path'
import type { CatalogEntry } from '../catalog/catalog-entry.ts'
import { errno, toEngineError } from '../errors.ts'
import type { RetentionPlan } from './retention.ts'

export interface RemovedFile {
  path: string
  bytes: number
  role: 'backup' | 'companion'
}

export interface FileError {
  path: string
  message: string
}

export interface BackupRemoval {
  entry: CatalogEntry
  reason: string
  /** The dump was already gone: only its metadata and companions were left. */
  orphan: boolean
  /** Removed (or, in a dry run, to be removed) files, the dump first and the metadata last. */
  files: RemovedFile[]
  bytes: number
  errors: FileError[]
}

export interface RetentionResult {
  dryRun: boolean
  backups: BackupRemoval[]
  bytesFreed: number
  errors: FileError[]
}

const isInside = (folder: string, root: string): boolean => {
  const rel = relative(root, folder)
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))
}

/**
 * Why a backup's files may not be touched, or null. Every file must sit in the metadata's own folder (the
 * catalog places them there, whatever path the metadata recorded), and that folder — symlinks resolved —
 * inside one of the scanned roots.
 */
async function refusal(
  entry: CatalogEntry,
  paths: string[],
  roots: string[] | undefined,
): Promise<string | null> {
  const folder = dirname(resolve(entry.metaPath))
  const stray = paths.find((p) => dirname(resolve(p)) !== folder)
  if (stray) return `refused: ${stray} is not in the folder of its metadata`
  if (!roots) return null
  const real = await realpath(folder).catch(() => folder)
  for (const root of roots) {
    if (isInside(real, await realpath(resolve(root)).catch(() => resolve(root)))) return null
  }
  return `refused: ${folder} resolves outside the scanned folders`
}

/** Removes one file (never following a link, never a folder); null when it was not there. */
async function removeFile(path: string, dryRun: boolean): Promise<number | null> {
  let bytes: number
  try {
    const st = await lstat(path)
    if (!st.isFile() && !st.isSymbolicLink()) throw new Error('not a regular file, left alone')
    bytes = st.size
  } catch (e) {
    if (errno(e) === 'ENOENT') return null
    throw e
  }
  if (!dryRun) {
    try {
      await unlink(path)
    } catch (e) {
      if (errno(e) === 'ENOENT') return null
      throw e
    }
  }
  return bytes
}

async function removeBackup(
  entry: CatalogEntry,
  reason: string,
  dryRun: boolean,
  roots: string[] | undefined,
): Promise<BackupRemoval> {
  const companions = entry.companions.filter((p) => p !== entry.metaPath)
  const ordered: [string, RemovedFile['role']][] = [
    [entry.backupFile, 'backup'],
    ...companions.map((p): [string, RemovedFile['role']] => [p, 'companion']),
    [entry.metaPath, 'companion'],
  ]
  const out: BackupRemoval = {
    entry,
    reason,
    orphan: entry.fileExists === false,
    files: [],
    bytes: 0,
    errors: [],
  }
  const refused = await refusal(
    entry,
    ordered.map(([p]) => p),
    roots,
  )
  if (refused) {
    out.errors.push({ path: entry.backupFile, message: refused })
    return out
  }
  for (const [path, role] of ordered) {
    try {
      const bytes = await removeFile(path, dryRun)
      if (bytes === null) {
        if (role === 'backup') out.orphan = true
        continue
      }
      out.files.push({ path, bytes, role })
      out.bytes += bytes
    } catch (e) {
      out.errors.push({ path, message: toEngineError(e, path).message })
      // A dump that stays keeps its metadata and companions, so it is still described and found next time.
      if (role === 'backup') break
    }
  }
  return out
}

/**
 * Removes the planned backups: each dump, then its companions (grants, GTID, package dumps), then its
 * `.meta.json` — only files the catalog recognised through metadata, all in the metadata's folder, never
 * anything else. A dump already gone is an orphan: its companions still go. Errors are collected per file
 * and never stop the run; a dump that cannot be removed keeps its companions. `dryRun` removes nothing and
 * reports the same files. `roots`: the scanned folders; a backup whose folder resolves outside is refused.
 */
export async function applyRetention(
  plan: RetentionPlan,
  options: { dryRun: boolean; roots?: string[] },
): Promise<RetentionResult> {
  const result: RetentionResult = { dryRun: options.dryRun, backups: [], bytesFreed: 0, errors: [] }
  for (const entry of plan.remove) {
    const reason = plan.reasons.get(entry.metaPath) ?? 'planned for removal'
    const removal = await removeBackup(entry, reason, options.dryRun, options.roots)
    result.backups.push(removal)
    result.bytesFreed += removal.bytes
    result.errors.push(...removal.errors)
  }
  return result
}
