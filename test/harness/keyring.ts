/**
 * A real Secret Service for tests: a private D-Bus session bus with an unlocked gnome-keyring-daemon, in
 * a throwaway HOME. Never the developer's own keyring.
 */
import { execFile, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll } from 'vitest'

const execFileAsync = promisify(execFile)

export interface KeyringSession {
  /** Environment for processes that should see this keyring (and only it). */
  env: { HOME: string; XDG_RUNTIME_DIR: string; DBUS_SESSION_BUS_ADDRESS: string }
  stop(): Promise<void>
}

export async function startKeyringSession(): Promise<KeyringSession> {
  const base = await mkdtemp(join(tmpdir(), 'sfdb-keyring-'))
  const home = join(base, 'home')
  const runtime = join(base, 'run')
  await execFileAsync('mkdir', ['-p', '-m', '700', home, runtime])
  const { stdout } = await execFileAsync(
    'dbus-daemon',
    ['--session', '--fork', '--print-address=1', '--print-pid=1', '--nosyslog'],
    { env: { ...process.env, HOME: home, XDG_RUNTIME_DIR: runtime } },
  )
  const [address = '', pid = ''] = stdout.trim().split('\n')
  const env = { HOME: home, XDG_RUNTIME_DIR: runtime, DBUS_SESSION_BUS_ADDRESS: address.trim() }
  await new Promise<void>((resolve, reject) => {
    const daemon = spawn('gnome-keyring-daemon', ['--unlock', '--components=secrets'], {
      env: { ...process.env, ...env },
      stdio: ['pipe', 'ignore', 'ignore'],
    })
    daemon.on('error', reject)
    daemon.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`gnome-keyring-daemon exited ${code}`)),
    )
    daemon.stdin.end('test-keyring-password')
  })
  return {
    env,
    async stop() {
      // gnome-keyring-daemon quits when its session bus goes away.
      if (pid) process.kill(Number(pid), 'SIGTERM')
      await rm(base, { recursive: true, force: true })
    },
  }
}

/**
 * A real gnome-keyring on a private D-Bus session bus for this test file's process: the OS keychain module
 * finds the bus through DBUS_SESSION_BUS_ADDRESS of this process, so it is set here (vitest runs each
 * file in its own process) and restored afterwards.
 */
export function useKeyring(): void {
  let keyring: KeyringSession | undefined
  let previous: string | undefined
  beforeAll(async () => {
    keyring = await startKeyringSession()
    previous = process.env.DBUS_SESSION_BUS_ADDRESS
    process.env.DBUS_SESSION_BUS_ADDRESS = keyring.env.DBUS_SESSION_BUS_ADDRESS
  })
  afterAll(async () => {
    if (previous === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS
    else process.env.DBUS_SESSION_BUS_ADDRESS = previous
    await keyring?.stop()
  })
}
