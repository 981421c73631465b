import { basename } from 'node:path'
import type { BackupPlan, PlanTarget } from '../../../shared/job-protocol.ts'
import { toEngineError } from '../errors.ts'
import { writePartFile } from '../fs/atomic-write.ts'
import {
  exportFromSnapshot,
  writeGrantsFile,
  type GrantsScope,
  type GrantsSnapshot,
} from '../grants/export-grants.ts'
import type { ServerInfo } from '../mysql/server-info.ts'
import { GTID_SUFFIX, gtidFileText } from './gtid.ts'
import { META_SUFFIX } from './metadata.ts'
import { partPathOf } from './output-file.ts'
import type { WrittenTarget } from './run-target.ts'

export const USERS_SUFFIX = '.users.sql'

/** The companions a target gets besides `.meta.json`, whose names planning checks are free. */
export const companionSuffixes = (captureGtid: boolean, grants: PlanTarget['grants']): string[] => [
  META_SUFFIX,
  ...(captureGtid ? [GTID_SUFFIX] : []),
  ...(grants !== 'none' ? [USERS_SUFFIX] : []),
]

/** Whose accounts a target's `.users.sql` holds; null when it has none. */
export const grantsScopeOf = (target: PlanTarget): GrantsScope | null =>
  target.grants === 'none'
    ? null
    : target.grants === 'all'
      ? { kind: 'all' }
      : { kind: 'databases', databases: target.databases }

/**
 * Writes the companion files of a finished backup file — `<file>.gtid` and `<file>.users.sql` — as
 * `.part`s (their final names are pushed onto `pending`, for `commitSet`) and returns their names for the
 * metadata. A grants export that cannot be made is a warning (appended to `warnings`): the dump itself is
 * complete; a `.gtid` that cannot be written fails the backup (the caller removes every `.part`).
 */
export async function writeCompanions(
  plan: BackupPlan,
  target: PlanTarget,
  written: WrittenTarget,
  prepared: {
    server: ServerInfo
    gtidArgs: string[]
    /** The run's accounts and grants, read once on first use (see runBackup). */
    grants: () => Promise<GrantsSnapshot>
  },
  warnings: string[],
  pending: string[],
): Promise<{ grants: string | null; gtid: string | null }> {
  let gtid: string | null = null
  if (written.gtid) {
    const path = written.path + GTID_SUFFIX
    await writePartFile(
      partPathOf(path),
      gtidFileText(written.gtid, basename(written.path), written.finishedAt),
    ).catch((e: unknown) => {
      throw toEngineError(e, `writing ${path}`)
    })
    pending.push(path)
    gtid = basename(path)
  } else if (prepared.gtidArgs.length) {
    warnings.push('GTID not captured: the dump wrote no replication coordinates')
  }

  let grants: string | null = null
  if (target.grants !== 'none') {
    try {
      const exported = exportFromSnapshot(await prepared.grants(), grantsScopeOf(target) as GrantsScope)
      warnings.push(...exported.warnings)
      // No account has grants on these databases: nothing to restore, no file (not a warning).
      if (exported.accounts.length > 0) {
        const path = written.path + USERS_SUFFIX
        await writeGrantsFile(partPathOf(path), exported.sql)
        pending.push(path)
        grants = basename(path)
      }
    } catch (e) {
      warnings.push(`user grants not exported: ${toEngineError(e).message}`)
    }
  }
  return { grants, gtid }
}
