/**
 * `sfdbtools restore <mode> --from-destination NAME --file F`: the backup is read from an offsite
 * destination (its secret from the keychain, SFTP host keys from `<config dir>/known_hosts`, confirmed once
 * on a terminal) and streamed into the restore job — never copied to a local file (engine/restore/
 * remote-source.ts). Here: the destination of the run, how its files are described, and each item's source.
 */
import type { RemoteBackup, RestoreItem } from '../../../shared/restore-types.ts'
import type { RunDestination } from '../../engine/offsite/session.ts'
import type { SftpHostKeys } from '../../engine/offsite/sftp-copy.ts'
import { remoteLabel } from '../../engine/restore/remote-source.ts'
import { describeBackup, type BackupSource } from '../../engine/restore/run/describe-backup.ts'
import type { CliContext } from '../context.ts'
import { runDestinations, sftpHostKeys } from '../offsite.ts'
import type { ItemRequest } from './restore-plan.ts'

/** Where `--from-destination` reads: the destination with its secret, and how SFTP host keys are checked. */
export interface CliRemote {
  run: RunDestination
  hostKeys: SftpHostKeys
}

/** The destination named by `--from-destination` (an unknown name: InvalidInput with its advice). */
export async function cliRemote(destination: string, insecure: boolean, ctx: CliContext): Promise<CliRemote> {
  const [run] = await runDestinations([destination], ctx)
  return { run: run as RunDestination, hostKeys: sftpHostKeys(ctx, insecure) }
}

/** A file of the destination as the engine reads it; `grantsName`: the grants file beside it there. */
export function remoteBackup(remote: CliRemote, name: string, grantsName: string | null): RemoteBackup {
  const { run, hostKeys } = remote
  return {
    destination: run.destination,
    name,
    ...(run.secret ? { secret: run.secret } : {}),
    knownHostsFile: hostKeys.knownHostsFile,
    insecure: hostKeys.insecure,
    grantsName,
  }
}

/** Describes files of the destination by their names there (the main file, then its `_dmart` companion). */
export const describeOn =
  (remote: CliRemote) =>
  (name: string): Promise<BackupSource> =>
    describeBackup(
      { file: remoteLabel(remote.run.destination.name, name), remote: remoteBackup(remote, name, null) },
      { hostKeyPolicy: remote.hostKeys },
    )

/**
 * A plan item read from the destination: its remote source, with the grants file beside it there unless
 * grants are skipped or a local `--grants-file` is given.
 */
export function withRemoteSource(
  item: RestoreItem,
  req: ItemRequest,
  remote: CliRemote,
  skipGrants: boolean,
): RestoreItem {
  const name = req.source.remote?.name ?? item.file
  const grants = skipGrants || req.grantsFile !== null ? null : (req.source.remote?.grantsName ?? null)
  return { ...item, remote: remoteBackup(remote, name, grants) }
}
