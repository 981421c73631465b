import { readFile } from 'node:fs/promises'
import { basename, posix } from 'node:path'
import type { Readable } from 'node:stream'
import type { Client as SshClient, SFTPWrapper } from 'ssh2'
import type { SftpDestination } from '../../../shared/destination.ts'
import { advice, EngineError, toEngineError } from '../errors.ts'
import { verifyHostKey, type HostKeyPolicy } from '../ssh/tunnel.ts'
import { noRetry } from './retry.ts'
import {
  checkCopy,
  hashStream,
  PART_SUFFIX,
  sendFile,
  type CopiedFile,
  type CopyOptions,
  type RemoteFile,
} from './transfer.ts'

/** How host keys of SFTP destinations are checked: the SSH tunnel's known_hosts and policy. */
export interface SftpHostKeys extends HostKeyPolicy {
  knownHostsFile: string
  /** Accept an unknown or changed key with a warning (the explicit insecure option). */
  insecure: boolean
}

/** The secret of a destination: its password (from the keychain), or nothing for a key login. */
export interface SftpSecret {
  password?: string
}

/** An open SFTP session to one destination. */
export interface SftpSession {
  put(local: string, options?: CopyOptions): Promise<CopiedFile>
  /** Removes a file of the destination folder (`destination test`'s probe). */
  remove(name: string): Promise<void>
  /** The files of the destination folder, with their sizes and times (retention, History). */
  list(): Promise<RemoteFile[]>
  /** A file of the destination folder as a stream (a restore from the destination, a metadata read). */
  read(name: string): Promise<Readable>
  close(): void
}

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`

const urlOf = (d: SftpDestination, remote: string): string =>
  `sftp://${encodeURIComponent(d.user)}@${d.host.includes(':') ? `[${d.host}]` : d.host}:${d.port}${
    remote.startsWith('/') ? '' : '/'
  }${remote.split('/').map(encodeURIComponent).join('/')}`

function unreachable(d: SftpDestination, e: unknown): EngineError {
  const cause = toEngineError(e)
  if (cause.code === 'Cancelled' || cause.code === 'CopyFailed' || cause.code === 'ChecksumMismatch')
    return cause
  return new EngineError(
    'CopyFailed',
    `SFTP to the destination ${d.name} (${d.user}@${d.host}:${d.port}) failed: ${cause.message}`,
    { cause: e, advice: advice('copyUnreachable', { destination: d.name }) },
  )
}

const call = <T = void>(f: (cb: (err: Error | undefined | null, value?: T) => void) => void): Promise<T> =>
  new Promise<T>((resolve, reject) => f((err, value) => (err ? reject(err) : resolve(value as T))))

/**
 * Connects to an SFTP destination: the host key checked against known_hosts exactly as the SSH tunnel
 * does (engine/ssh/tunnel.ts verifyHostKey), the password or identity file as configured. A refused login
 * or host key is not retried; an unreachable server is.
 */
export async function openSftp(
  d: SftpDestination,
  secret: SftpSecret,
  hostKeys: SftpHostKeys,
): Promise<SftpSession> {
  const ssh2 = (await import('ssh2')) as { Client?: typeof SshClient; default?: { Client: typeof SshClient } }
  const Client = (ssh2.Client ?? ssh2.default?.Client) as typeof SshClient
  const privateKey =
    d.auth === 'key' && d.identityFile
      ? await readFile(d.identityFile).catch((e: unknown) => {
          throw noRetry(
            new EngineError(
              'CopyFailed',
              `cannot read the identity file ${d.identityFile} of the destination ${d.name}: ${(e as Error).message}`,
              { advice: advice('copyLoginRefused', { destination: d.name, user: d.user, host: d.host }) },
            ),
          )
        })
      : undefined
  if (d.auth === 'password' && !secret.password)
    throw noRetry(
      new EngineError('MissingKey', `no password of the SFTP destination ${d.name} in the OS keychain`, {
        advice: advice('copyLoginRefused', { destination: d.name, user: d.user, host: d.host }),
      }),
    )
  const client = new Client()
  let hostKeyError: EngineError | undefined
  await new Promise<void>((resolve, reject) => {
    client.once('ready', () => resolve())
    client.once('error', (e: Error & { level?: string }) => {
      if (hostKeyError) {
        reject(
          noRetry(
            new EngineError('CopyFailed', `destination ${d.name}: ${hostKeyError.message}`, {
              cause: hostKeyError,
              ...(hostKeyError.advice ? { advice: hostKeyError.advice } : {}),
            }),
          ),
        )
      } else if (e.level === 'client-authentication') {
        reject(
          noRetry(
            new EngineError(
              'CopyFailed',
              `the SFTP destination ${d.name} (${d.user}@${d.host}:${d.port}) refused the login with its ${
                d.auth === 'password' ? 'password' : 'identity file'
              }`,
              {
                cause: e,
                advice: advice('copyLoginRefused', { destination: d.name, user: d.user, host: d.host }),
              },
            ),
          ),
        )
      } else reject(unreachable(d, e))
    })
    client.connect({
      host: d.host,
      port: d.port,
      username: d.user,
      ...(d.auth === 'password' ? { password: secret.password ?? '' } : {}),
      ...(privateKey ? { privateKey } : {}),
      readyTimeout: 15_000,
      hostVerifier: (key: Buffer, verify: (ok: boolean) => void) => {
        verifyHostKey(
          {
            host: d.host,
            port: d.port,
            insecure: hostKeys.insecure,
            knownHostsFile: hostKeys.knownHostsFile,
          },
          key,
          hostKeys,
        ).then(
          () => verify(true),
          (e: unknown) => {
            hostKeyError = toEngineError(e)
            verify(false)
          },
        )
      },
    })
  })
  // Later failures (a dropped connection) reach the pending SFTP calls; the event itself must not crash the job.
  client.on('error', () => {})
  let sftp: SFTPWrapper
  try {
    sftp = await call<SFTPWrapper>((cb) => client.sftp(cb))
  } catch (e) {
    client.end()
    throw unreachable(d, e)
  }
  await call((cb) => sftp.mkdir(d.path, cb)).catch(() => {}) // exists already, or the write says why not

  /** `sha256sum` on the server when it can run it (a login shell), else null. */
  const remoteSha256 = (remote: string): Promise<string | null> =>
    new Promise((resolve) => {
      client.exec(`sha256sum -- ${quote(remote)}`, (err, stream) => {
        if (err) return resolve(null)
        let out = ''
        stream.on('data', (b: Buffer) => (out += b.toString()))
        stream.stderr.resume()
        stream.on('close', (code: number | null) => {
          const m = /^([0-9a-f]{64})\s/.exec(out)
          resolve(code === 0 && m ? (m[1] as string) : null)
        })
      })
    })
  /** The copy read back and hashed; its remote handle closed before the session may end. */
  const readBack = async (remote: string): Promise<{ bytes: number; sha256: string }> => {
    const stream = sftp.createReadStream(remote)
    const closed = new Promise((resolve) => stream.once('close', resolve))
    const hashed = await hashStream(stream)
    await closed
    return hashed
  }

  const put = async (local: string, options: CopyOptions = {}): Promise<CopiedFile> => {
    const name = basename(local)
    const final = posix.join(d.path, name)
    const part = final + PART_SUFFIX
    let handle: Buffer | undefined
    let renamed = false
    try {
      await call((cb) => sftp.unlink(part, cb)).catch(() => {})
      handle = await call<Buffer>((cb) => sftp.open(part, 'w', { mode: 0o600 }, cb))
      const open = handle
      const sent = await sendFile(
        local,
        (chunk, position) => call((cb) => sftp.write(open, chunk, 0, chunk.length, position, cb)),
        options,
      )
      // fsync@openssh.com where the server offers it: the bytes on its disk before the rename.
      await call((cb) => sftp.ext_openssh_fsync(open, (err) => cb(err))).catch(() => {})
      handle = undefined
      await call((cb) => sftp.close(open, cb))
      // posix-rename@openssh.com replaces a copy an earlier attempt left; plain SFTP rename does not.
      await call((cb) => sftp.ext_openssh_rename(part, final, cb)).catch(() =>
        call((cb) => sftp.rename(part, final, cb)),
      )
      renamed = true
      const size = (await call<{ size: number }>((cb) => sftp.stat(final, cb))).size
      const hashed = await remoteSha256(final)
      checkCopy(d.name, name, sent, hashed === null ? await readBack(final) : { bytes: size, sha256: hashed })
      return { url: urlOf(d, final), ...sent }
    } catch (e) {
      if (handle) {
        const open = handle
        await call((cb) => sftp.close(open, cb)).catch(() => {})
      }
      await call((cb) => sftp.unlink(part, cb)).catch(() => {})
      if (renamed) await call((cb) => sftp.unlink(final, cb)).catch(() => {})
      throw unreachable(d, e)
    }
  }
  return {
    put,
    remove: async (name) => {
      await call((cb) => sftp.unlink(posix.join(d.path, name), cb)).catch((e: unknown) => {
        throw unreachable(d, e)
      })
    },
    list: async () => {
      const entries = await call<
        { filename: string; attrs: { size: number; mtime: number; mode: number } }[]
      >((cb) => sftp.readdir(d.path, cb)).catch((e: unknown) => {
        throw unreachable(d, e)
      })
      return entries
        .filter((e) => (e.attrs.mode & 0o170000) === 0o100000)
        .map((e) => ({ name: e.filename, bytes: e.attrs.size, modifiedAt: new Date(e.attrs.mtime * 1000) }))
    },
    read: async (name) => {
      const remote = posix.join(d.path, name)
      await call<unknown>((cb) => sftp.stat(remote, cb)).catch((e: unknown) => {
        throw unreachable(d, e)
      })
      const stream = sftp.createReadStream(remote)
      // The reader sees every error through its own listener. This one only keeps a late failure — the
      // remote handle's close answered after the session ended ("No response from server") — from
      // crashing the process once the data has all been read.
      stream.on('error', () => {})
      return stream
    },
    close: () => client.end(),
  }
}
