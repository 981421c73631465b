/**
 * The backups a restore can take from an offsite destination: the backup sets this project copied there
 * (each recognised by its `.meta.json`, offsite/remote-retention.ts findRemoteSets) whose dump is there,
 * newest first — `sfdbtools destination files NAME`, the Restore page's "On a destination" list.
 */
import type { RemoteBackupFile } from '../../../shared/destination.ts'
import { findRemoteSets } from '../offsite/remote-retention.ts'
import { openDestination, type RunDestination } from '../offsite/session.ts'
import type { SftpHostKeys } from '../offsite/sftp-copy.ts'

/** Lists the restorable backups of a destination (its session opened and closed here). */
export async function listRemoteBackups(
  run: RunDestination,
  hostKeys: SftpHostKeys,
): Promise<RemoteBackupFile[]> {
  const session = await openDestination(run, hostKeys)
  try {
    const { sets } = await findRemoteSets(session)
    return sets
      .filter(({ set }) => set.dumpPresent)
      .map(({ set, entry }) => ({
        name: set.dump,
        bytes: set.files.find((f) => f.name === set.dump)?.bytes ?? 0,
        date:
          (set.date ?? set.files.find((f) => f.name === set.dump)?.modifiedAt ?? null)?.toISOString() ?? null,
        databases: set.databases,
        type: entry.type,
        encrypted: entry.encrypted,
        compression: entry.compression?.type ?? null,
        ticket: entry.ticket,
        server: set.server,
      }))
      .sort((a, b) => (b.date ?? '').localeCompare(a.date ?? '') || a.name.localeCompare(b.name))
  } finally {
    session.close()
  }
}
