/**
 * A real OpenSSH server for tunnel tests: own host key and user key, listening on a free loopback port,
 * allowing TCP forwarding, for the current user only. Never the machine's own sshd.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { connect } from 'node:net'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { randomBytes } from 'node:crypto'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { freePort } from './mariadb.ts'

const execFileAsync = promisify(execFile)

export interface PrivateSshd {
  host: string
  port: number
  user: string
  /** Private key the server accepts. */
  identityFile: string
  /** A throwaway system account that logs in with a password (only when asked for; created as root). */
  passwordLogin?: { user: string; password: string }
  /** The server's public host key line (`type base64`). */
  hostKey: string
  /** The listening server process; each SSH session runs in a child of it. */
  pid: number
  /** Stops the server process only (its keys stay), e.g. to test a dead SSH hop. */
  kill(): Promise<void>
  /** Stops it and removes every file; safe to call twice. */
  stop(): Promise<void>
}

/**
 * Creates a system account with a random password for password logins, removed by `stop()`. sshd checks
 * passwords against the system's accounts, so this needs root — as the whole harness does (apt, /run/sshd).
 * The password goes to `chpasswd` on stdin, never on an argument list.
 */
async function createPasswordUser(): Promise<{ user: string; password: string; remove(): Promise<void> }> {
  if (process.getuid?.() !== 0) throw new Error('a password login for the test sshd needs root (useradd)')
  const user = `sfdbssh${randomBytes(4).toString('hex')}`
  const password = randomBytes(12).toString('base64url')
  await execFileAsync('useradd', ['--no-create-home', '--shell', '/usr/sbin/nologin', user])
  const remove = async (): Promise<void> => {
    await execFileAsync('userdel', ['--force', user]).catch(() => {})
  }
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn('chpasswd', [], { stdio: ['pipe', 'ignore', 'pipe'] })
      let err = ''
      child.stderr.on('data', (d: Buffer) => (err += d.toString()))
      child.on('error', reject)
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`chpasswd failed: ${err}`))))
      child.stdin.end(`${user}:${password}\n`)
    })
  } catch (e) {
    await remove()
    throw e
  }
  return { user, password, remove }
}

export async function startPrivateSshd(options: { passwordLogin?: boolean } = {}): Promise<PrivateSshd> {
  const passwordUser = options.passwordLogin ? await createPasswordUser() : undefined
  const dir = await mkdtemp(join(tmpdir(), 'sfdb-sshd-'))
  const keygen = (file: string): Promise<unknown> =>
    execFileAsync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'sfdb-test', '-f', join(dir, file)])
  await keygen('host_key')
  await keygen('user_key')
  await writeFile(join(dir, 'authorized_keys'), await readFile(join(dir, 'user_key.pub')), { mode: 0o600 })
  const port = await freePort()
  await writeFile(
    join(dir, 'sshd_config'),
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${join(dir, 'host_key')}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'StrictModes no',
      `PasswordAuthentication ${passwordUser ? 'yes' : 'no'}`,
      'KbdInteractiveAuthentication no',
      'PermitRootLogin prohibit-password',
      'AllowTcpForwarding yes',
      // SFTP destinations (offsite copies); in-process, so also for accounts without a login shell.
      'Subsystem sftp internal-sftp',
      'UsePAM no',
      'LogLevel ERROR',
    ].join('\n') + '\n',
  )
  await mkdir('/run/sshd', { recursive: true }).catch(() => {}) // privilege separation dir (as root)
  const child: ChildProcess = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', join(dir, 'sshd_config')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let log = ''
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()))
  // Ready when the port accepts connections (polled, with an overall deadline a busy machine meets).
  const deadline = Date.now() + 30_000
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1', () => {
        s.destroy()
        resolve(true)
      })
      s.on('error', () => resolve(false))
    })
    if (ok) break
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL')
      await passwordUser?.remove()
      throw new Error(`sshd did not start: ${log}`)
    }
    await new Promise((r) => setTimeout(r, 50))
  }
  const kill = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise((r) => child.once('exit', r))
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
    await exited
    clearTimeout(timer)
  }
  const hostKey = (await readFile(join(dir, 'host_key.pub'), 'utf8')).trim().split(' ').slice(0, 2).join(' ')
  return {
    host: '127.0.0.1',
    port,
    user: userInfo().username,
    identityFile: join(dir, 'user_key'),
    ...(passwordUser ? { passwordLogin: { user: passwordUser.user, password: passwordUser.password } } : {}),
    hostKey,
    pid: child.pid ?? 0,
    kill,
    async stop() {
      await kill()
      await rm(dir, { recursive: true, force: true })
      await passwordUser?.remove()
    },
  }
}
