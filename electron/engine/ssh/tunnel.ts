import { createHash } from 'node:crypto'
import { appendFile, mkdir, readFile } from 'node:fs/promises'
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net'
import { dirname } from 'node:path'
import type { Client as SshClient } from 'ssh2'
import type { ConnectionSettings } from '../../../shared/job-protocol.ts'
import { advice, EngineError } from '../errors.ts'

export type SshSettings = NonNullable<ConnectionSettings['ssh']>

export interface Tunnel {
  /** The local end on 127.0.0.1 that forwards to the database through the SSH server. */
  localPort: number
  close(): Promise<void>
}

/** How an unknown host key is handled: asked on a terminal, or refused (unless the insecure option is on). */
export interface HostKeyPolicy {
  confirm?: (host: string, fingerprint: string) => Promise<boolean>
  warn?: (message: string) => void
}

/** The OpenSSH host pattern: `host` for port 22, `[host]:port` otherwise. */
export const hostPattern = (host: string, port: number): string => (port === 22 ? host : `[${host}]:${port}`)

/** SHA256:base64 as `ssh-keygen -l` prints it. */
export const fingerprint = (key: Buffer): string =>
  `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`

/** Keys recorded for a host pattern in an OpenSSH-format known_hosts file (plain, unhashed lines). */
async function knownKeys(file: string, pattern: string): Promise<Buffer[]> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch {
    return []
  }
  const keys: Buffer[] = []
  for (const line of text.split('\n')) {
    const [hosts, , b64] = line.trim().split(/\s+/)
    if (!hosts || !b64 || hosts.startsWith('#')) continue
    if (hosts.split(',').includes(pattern)) keys.push(Buffer.from(b64, 'base64'))
  }
  return keys
}

const keyType = (key: Buffer): string => key.subarray(4, 4 + key.readUInt32BE(0)).toString('ascii')

/**
 * Checks the server's host key against `ssh.knownHostsFile`: a known key must match (a changed key is always
 * refused unless checking is off); an unknown key is confirmed on a terminal and then recorded, accepted
 * with a warning when `ssh.insecure`, and refused otherwise — never silently. Also the policy of SFTP
 * destinations (engine/offsite/sftp-copy.ts).
 */
export async function verifyHostKey(
  ssh: Pick<SshSettings, 'host' | 'port' | 'insecure' | 'knownHostsFile'>,
  key: Buffer,
  policy: HostKeyPolicy,
): Promise<void> {
  const pattern = hostPattern(ssh.host, ssh.port)
  const print = fingerprint(key)
  if (ssh.insecure) {
    policy.warn?.(`warning: SSH host key of ${pattern} not checked (${print}): insecure option given`)
    return
  }
  const known = await knownKeys(ssh.knownHostsFile, pattern)
  if (known.some((k) => k.equals(key))) return
  if (known.length > 0) {
    throw new EngineError(
      'ConnectFailed',
      `the SSH host key of ${pattern} CHANGED (now ${print}): someone may be intercepting the connection. ` +
        `If the server was really re-keyed, remove its line from ${ssh.knownHostsFile}`,
      {
        advice: advice('sshHostKeyChanged', {
          host: pattern,
          fingerprint: print,
          knownHosts: ssh.knownHostsFile,
        }),
      },
    )
  }
  if (policy.confirm && (await policy.confirm(pattern, print))) {
    await mkdir(dirname(ssh.knownHostsFile), { recursive: true, mode: 0o700 })
    await appendFile(ssh.knownHostsFile, `${pattern} ${keyType(key)} ${key.toString('base64')}\n`, {
      mode: 0o600,
    })
    return
  }
  throw new EngineError(
    'ConnectFailed',
    `unknown SSH host key for ${pattern} (${print}): it is not in ${ssh.knownHostsFile} and was not confirmed`,
    {
      advice: advice('sshHostKeyUnknown', {
        host: pattern,
        fingerprint: print,
        knownHosts: ssh.knownHostsFile,
      }),
    },
  )
}

function loginRefused(ssh: SshSettings, cause: Error): EngineError {
  const used = [ssh.password ? 'password' : '', ssh.identityFile ? 'identity file' : ''].filter(Boolean)
  const tried = used.length ? used.join(' and ') : 'empty credentials'
  return new EngineError(
    'ConnectFailed',
    `SSH to ${ssh.user}@${ssh.host}:${ssh.port} refused the login with the profile's ${tried}`,
    { cause, advice: advice('sshLoginRefused', { user: ssh.user, host: ssh.host, port: ssh.port, tried }) },
  )
}

/**
 * Opens an SSH connection and a local port forward to `target` (the database as seen from the SSH server).
 * The caller closes it when its job ends — also on failure and cancel.
 */
export async function openTunnel(
  ssh: SshSettings,
  target: { host: string; port: number },
  policy: HostKeyPolicy = {},
): Promise<Tunnel> {
  // Loaded on first use: most runs have no tunnel, and ssh2 costs ≈ 50–90 ms of every start on 2 cores.
  const ssh2 = (await import('ssh2')) as { Client?: typeof SshClient; default?: { Client: typeof SshClient } }
  const Client = (ssh2.Client ?? ssh2.default?.Client) as typeof SshClient
  const client = new Client()
  let hostKeyError: unknown
  const privateKey = ssh.identityFile
    ? await readFile(ssh.identityFile).catch((e: unknown) => {
        throw new EngineError(
          'InvalidProfile',
          `cannot read the SSH identity file ${ssh.identityFile}: ${(e as Error).message}`,
        )
      })
    : undefined
  await new Promise<void>((resolve, reject) => {
    client.once('ready', () => {
      client.setNoDelay(true) // see the note on the local sockets below
      resolve()
    })
    client.once('error', (e: Error & { level?: string }) =>
      reject(
        hostKeyError ??
          (e.level === 'client-authentication'
            ? loginRefused(ssh, e)
            : new EngineError(
                'ConnectFailed',
                `SSH to ${ssh.user}@${ssh.host}:${ssh.port} failed: ${e.message}`,
                {
                  cause: e,
                },
              )),
      ),
    )
    client.connect({
      host: ssh.host,
      port: ssh.port,
      username: ssh.user,
      ...(ssh.password ? { password: ssh.password } : {}),
      ...(privateKey ? { privateKey } : {}),
      readyTimeout: 15_000,
      hostVerifier: (key: Buffer, verify: (ok: boolean) => void) => {
        verifyHostKey(ssh, key, policy).then(
          () => verify(true),
          (e: unknown) => {
            hostKeyError = e
            verify(false)
          },
        )
      },
    })
  })
  const sockets = new Set<Socket>()
  const server: Server = createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    // The dump and the SQL client talk in many small request/response round trips: Nagle's algorithm
    // plus delayed ACKs would add ≈40 ms to each (seconds for a dump of a few tables).
    socket.setNoDelay(true)
    client.forwardOut('127.0.0.1', socket.remotePort ?? 0, target.host, target.port, (err, stream) => {
      if (err) {
        socket.destroy()
        return
      }
      socket.pipe(stream).pipe(socket)
      socket.on('error', () => stream.destroy())
      stream.on('error', () => socket.destroy())
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) => {
      client.end()
      reject(
        new EngineError(
          'ConnectFailed',
          `cannot listen on 127.0.0.1:${ssh.localPort} for the SSH tunnel: ${e.message}`,
        ),
      )
    })
    server.listen(ssh.localPort, '127.0.0.1', () => resolve())
  })
  return {
    localPort: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        // The job is over: cut forwarded connections that are still open rather than wait for them.
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
        client.end()
      }),
  }
}

/**
 * Runs `fn` with connection settings that reach the database through the profile's SSH tunnel when it has
 * one (host 127.0.0.1 and the tunnel's port), and closes the tunnel afterwards whatever happens.
 */
export async function withTunnel<T>(
  settings: ConnectionSettings,
  fn: (direct: ConnectionSettings) => Promise<T>,
  policy: HostKeyPolicy = {},
): Promise<T> {
  if (!settings.ssh) return fn(settings)
  const tunnel = await openTunnel(settings.ssh, { host: settings.host, port: settings.port }, policy)
  try {
    const { ssh: _ssh, socket: _socket, ...rest } = settings
    return await fn({ ...rest, host: '127.0.0.1', port: tunnel.localPort })
  } finally {
    await tunnel.close()
  }
}
