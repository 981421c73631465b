import { readFile, stat } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import type { OffsiteCopy } from '../../../shared/destination.ts'
import type { TargetResult } from '../../../shared/backup-types.ts'
import { metadataPathOf, type BackupMetadata } from '../backup/metadata.ts'
import { EngineError, toEngineError } from '../errors.ts'
import { writeFileAtomic } from '../fs/atomic-write.ts'
import { DEFAULT_RETRY, withRetry, type RetryOptions } from './retry.ts'
import { openDestination, type RunDestination } from './session.ts'
import type { SftpHostKeys } from './sftp-copy.ts'
import type { CopiedFile, CopyOptions } from './transfer.ts'

export type { RunDestination }

export interface OffsiteOptions {
  signal?: AbortSignal
  retry?: RetryOptions
  hostKeys: SftpHostKeys
  /** Bytes of one file sent to one destination so far. */
  onProgress?: (p: { destination: string; file: string; bytes: number; total: number }) => void
  onLog?: (level: 'info' | 'warn', message: string) => void
}

export interface OffsiteOutcome {
  copies: OffsiteCopy[]
  /** A destination that still failed after the retries (or was cancelled): the local file is kept. */
  failures: { destination: string; error: EngineError }[]
}

/**
 * The files of one backup in the order they are copied: the companions the metadata names (`.users.sql`,
 * `.gtid`), the dump, then the metadata last — on the destination a `.meta.json` means the set is complete.
 */
export async function backupFilesOf(
  file: string,
): Promise<{ files: string[]; sha256: string | null; meta: BackupMetadata }> {
  const metaPath = metadataPathOf(file)
  const meta = JSON.parse(await readFile(metaPath, 'utf8')) as BackupMetadata
  const folder = dirname(file)
  const companions = [meta.user_grants_file, meta.gtid_file]
    .filter((n): n is string => typeof n === 'string' && n !== '')
    .map((n) => join(folder, basename(n)))
  for (const c of companions) await stat(c) // a named companion that is gone fails the copy, named
  return { files: [...companions, file, metaPath], sha256: meta.file?.sha256 ?? null, meta }
}

/** One attempt: every file of the backup to one destination. Returns the dump's copy. */
async function copySet(
  run: RunDestination,
  files: string[],
  dump: string,
  sha256: string | null,
  options: OffsiteOptions,
): Promise<CopiedFile> {
  const { destination } = run
  const perFile = (local: string): CopyOptions => ({
    ...(options.signal ? { signal: options.signal } : {}),
    expectedSha256: local === dump ? sha256 : null,
    onProgress: (bytes, total) =>
      options.onProgress?.({ destination: destination.name, file: basename(local), bytes, total }),
  })
  let dumpCopy: CopiedFile | undefined
  const session = await openDestination(run, options.hostKeys)
  try {
    for (const local of files) {
      const copied = await session.put(local, perFile(local))
      if (local === dump) dumpCopy = copied
    }
  } finally {
    session.close()
  }
  if (!dumpCopy) throw new EngineError('Internal', 'the dump was not among the files copied')
  return dumpCopy
}

/**
 * Copies a finished backup (the dump and its companions) to each destination, each copy verified (size
 * and sha256), a failed destination tried again with backoff (3 attempts by default). Then records the
 * verified copies in the `.meta.json` (rewritten atomically, every other field kept) — and, when a
 * destination failed, the reason as a warning with status `success_with_warnings`. The local files are
 * never touched otherwise. Never throws for a destination's failure: the outcome lists it.
 */
export async function copyBackupOffsite(
  file: string,
  destinations: RunDestination[],
  options: OffsiteOptions,
): Promise<OffsiteOutcome> {
  const outcome: OffsiteOutcome = { copies: [], failures: [] }
  const { files, sha256 } = await backupFilesOf(file)
  for (const run of destinations) {
    const name = run.destination.name
    if (options.signal?.aborted) {
      outcome.failures.push({
        destination: name,
        error: new EngineError('Cancelled', 'the offsite copy was cancelled'),
      })
      continue
    }
    try {
      const copied = await withRetry(() => copySet(run, files, file, sha256, options), {
        ...(options.retry ?? DEFAULT_RETRY),
        ...(options.signal ? { signal: options.signal } : {}),
        onRetry: (e, attempt, delay) =>
          options.onLog?.(
            'warn',
            `copy to ${name} failed (attempt ${attempt}): ${e.message}; trying again in ${Math.round(delay / 1000)} s`,
          ),
      })
      outcome.copies.push({ destination: name, url: copied.url, verified_at: new Date().toISOString() })
      options.onLog?.('info', `copied ${basename(file)} to ${name}: ${copied.url} (verified)`)
    } catch (e) {
      const error = toEngineError(e)
      outcome.failures.push({ destination: name, error })
      options.onLog?.('warn', `copy to ${name} failed: ${error.message}; the local file is kept`)
    }
  }
  await recordCopies(file, outcome)
  return outcome
}

/** The warning a failed destination leaves on the backup. */
export const copyWarning = (f: OffsiteOutcome['failures'][number]): string =>
  `offsite copy to ${f.destination} failed [${f.error.code}]: ${f.error.message}; the local file is kept`

/**
 * Writes the copies (and failures, as warnings) into the backup's `.meta.json`: read, changed, written
 * atomically with its mode kept. Copies of other destinations already recorded stay.
 */
export async function recordCopies(file: string, outcome: OffsiteOutcome): Promise<void> {
  const metaPath = metadataPathOf(file)
  const meta = JSON.parse(await readFile(metaPath, 'utf8')) as BackupMetadata & { copies?: OffsiteCopy[] }
  const mode = (await stat(metaPath)).mode & 0o777
  const names = new Set(outcome.copies.map((c) => c.destination))
  meta.copies = [...(meta.copies ?? []).filter((c) => !names.has(c.destination)), ...outcome.copies]
  const failed = outcome.failures.filter((f) => f.error.code !== 'Cancelled')
  if (failed.length > 0) {
    meta.warnings = [...(meta.warnings ?? []), ...failed.map(copyWarning)]
    meta.status = 'success_with_warnings'
  }
  await writeFileAtomic(metaPath, JSON.stringify(meta, null, 2) + '\n', { mode })
}

/** A target's result after its copies: a failed destination makes it `success_with_warnings`. */
export function withCopies(target: TargetResult, outcome: OffsiteOutcome): TargetResult {
  const failed = outcome.failures
  if (failed.length === 0) return target
  return {
    ...target,
    status: 'success_with_warnings',
    warnings: [...target.warnings, ...failed.map(copyWarning)],
  }
}
