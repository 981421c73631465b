/**
 * One way to open any destination: a folder, SFTP or S3 session behind the same interface
 * (transfer.ts DestinationSession), so copies, retention, History and restores do not care which.
 */
import { createReadStream } from 'node:fs'
import { readdir, stat, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import type { Destination } from '../../../shared/destination.ts'
import { advice, EngineError, toEngineError } from '../errors.ts'
import type { Keychain, SecretKind } from '../secrets/keychain.ts'
import { copyToFolder } from './folder-copy.ts'
import { openS3, type S3Secret } from './s3-copy.ts'
import { openSftp, type SftpHostKeys, type SftpSecret } from './sftp-copy.ts'
import type { DestinationSession, RemoteFile } from './transfer.ts'

/** A destination of a run, with its secret (an SFTP password, an S3 secret key) when it has one. */
export interface RunDestination {
  destination: Destination
  secret?: SftpSecret & S3Secret
  /** The part size of S3 multipart uploads (default 8 MiB, at least 5 MiB); tests use the smallest. */
  s3PartBytes?: number
}

function folderUnreadable(name: string, path: string, e: unknown): EngineError {
  return new EngineError(
    'CopyFailed',
    `cannot read the destination ${name} (${path}): ${toEngineError(e).message}`,
    { cause: e, advice: advice('copyUnreachable', { destination: name }) },
  )
}

/** A folder destination as a session (no connection to hold). */
function folderSession(run: RunDestination & { destination: { kind: 'folder' } }): DestinationSession {
  const d = run.destination
  return {
    put: (local, options) => copyToFolder(d, local, options),
    async list(): Promise<RemoteFile[]> {
      const names = await readdir(d.path).catch((e: unknown) => {
        throw folderUnreadable(d.name, d.path, e)
      })
      const files: RemoteFile[] = []
      for (const name of names) {
        const s = await stat(join(d.path, name)).catch(() => null)
        if (s?.isFile()) files.push({ name, bytes: s.size, modifiedAt: s.mtime })
      }
      return files
    },
    async read(name) {
      const path = join(d.path, name)
      await stat(path).catch((e: unknown) => {
        throw folderUnreadable(d.name, d.path, e)
      })
      return createReadStream(path)
    },
    async remove(name) {
      await unlink(join(d.path, name)).catch((e: unknown) => {
        throw folderUnreadable(d.name, d.path, e)
      })
    },
    close: () => {},
  }
}

/** The keychain entry holding a destination's secret (account `<kind>:<name>`), when it has one. */
export function secretKindOf(destination: Destination): SecretKind | null {
  if (destination.kind === 'sftp' && destination.auth === 'password') return 'sftp-password'
  if (destination.kind === 's3' && destination.credentials === 'keychain') return 's3-secret-key'
  return null
}

/**
 * A destination with its secret from the keychain (the CLI's runs, the app's plans, tests and probes). A
 * secret that is not stored is left out: the login then fails naming the missing secret. A keychain that
 * cannot be asked is an error of its own (its advice says what to do), not a missing secret.
 */
export async function withSecret(destination: Destination, keychain: Keychain): Promise<RunDestination> {
  const kind = secretKindOf(destination)
  if (kind === null) return { destination }
  const stored = await keychain.get(kind, destination.name)
  if (stored === null) return { destination }
  return {
    destination,
    secret: kind === 'sftp-password' ? { password: stored } : { secretAccessKey: stored },
  }
}

/** Opens a session to the destination (connects for SFTP and S3). */
export async function openDestination(
  run: RunDestination,
  hostKeys: SftpHostKeys,
): Promise<DestinationSession> {
  const d = run.destination
  if (d.kind === 'folder') return folderSession({ ...run, destination: d })
  if (d.kind === 'sftp') return openSftp(d, run.secret ?? {}, hostKeys)
  return openS3(d, run.secret ?? {}, run.s3PartBytes === undefined ? {} : { partBytes: run.s3PartBytes })
}
