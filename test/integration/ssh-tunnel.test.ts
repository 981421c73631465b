import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type mysql from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BackupResult } from '../../shared/backup-types.ts'
import { openConnection } from '../../electron/engine/mysql/connection.ts'
import { withTunnel } from '../../electron/engine/ssh/tunnel.ts'
import { useBackupFixture } from '../harness/backup-user.ts'
import { runCli, runCliInTerminal } from '../harness/cli.ts'
import { createSampleDatabase, fingerprint } from '../harness/fixtures.ts'
import { freePort } from '../harness/mariadb.ts'
import { descendants, waitFor } from '../harness/processes.ts'
import { startPrivateSshd, type PrivateSshd } from '../harness/sshd.ts'

describe('SSH tunnel (a real sshd on loopback, forwarding to the private mariadbd)', () => {
  const f = useBackupFixture('sshprof', (conn) => createSampleDatabase(conn, 'sshdb', { rows: 40 }))
  let sshd: PrivateSshd
  /** The backup made through the tunnel, restored through it next. */
  let backupFile = ''
  const knownHosts = (): string => join(f.sandbox.configDir, 'known_hosts')

  beforeAll(async () => {
    sshd = await startPrivateSshd()
    const run = await runCli(
      [
        'profile',
        'edit',
        'sshprof',
        '--ssh-host',
        sshd.host,
        '--ssh-port',
        String(sshd.port),
        '--ssh-user',
        sshd.user,
        '--ssh-identity-file',
        sshd.identityFile,
      ],
      { env: f.env },
    )
    expect(run.code, run.stderr).toBe(0)
  })
  afterAll(async () => {
    await sshd.stop()
  })

  it('refuses an unknown host key when nobody can confirm it, and says how to go on', async () => {
    const run = await runCli(['profile', 'test', 'sshprof'], { env: f.env })
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('unknown SSH host key')
    expect(run.stderr).toMatch(/SHA256:[A-Za-z0-9+/]{43}/)
    expect(run.stderr).toContain('SFDB_SSH_INSECURE_IGNORE_HOSTKEY')
  })

  it('asks on a terminal, records the key in known_hosts, and connects through the tunnel', async () => {
    const run = await runCliInTerminal(['profile', 'test', 'sshprof'], { env: f.env, typed: 'y\r' })
    expect(run.code, run.stdout).toBe(0)
    expect(run.stdout).toContain('Unknown SSH host key')
    expect(run.stdout).toContain('connected to')
    expect(await readFile(knownHosts(), 'utf8')).toBe(`[${sshd.host}]:${sshd.port} ${sshd.hostKey}\n`)
  })

  it('backs up through the tunnel without asking once the key is known', async () => {
    const out = join(f.sandbox.tmp, 'ssh-out')
    const run = await runCli(
      ['backup', 'single', '-p', 'sshprof', '--db', 'sshdb', '-t', 'SSH', '-o', out, '--json'],
      {
        env: f.env,
      },
    )
    expect(run.code, run.stderr).toBe(0)
    const result = JSON.parse(run.stdout) as BackupResult
    expect(result.targets[0]?.status).toBe('success')
    expect((await runCli(['verify', result.targets[0]?.file ?? ''], { env: f.env })).code).toBe(0)
    // The metadata names the database server as the profile does, not the tunnel's local end.
    const meta = JSON.parse(await readFile(`${result.targets[0]?.file}.meta.json`, 'utf8'))
    expect(meta.server).toMatchObject({ host: f.server.host, port: f.server.port })
    backupFile = result.targets[0]?.file ?? ''
  })

  it('restores through the tunnel — and cannot without it', async () => {
    // A restore writes, and its triggers name their definer (root): the account gets every privilege.
    await f.conn.query(`GRANT ALL PRIVILEGES ON *.* TO ?@'127.0.0.1'`, [f.account.user])
    const restore = (target: string) =>
      runCli(
        ['restore', 'single', backupFile, '-p', 'sshprof', '--target-db', target, '-t', 'SSH', '--json'],
        { env: f.env },
      )
    const run = await restore('sshdb_copy')
    expect(run.code, run.stderr + run.stdout).toBe(0)
    expect(JSON.parse(run.stdout)).toMatchObject({
      status: 'success',
      items: [{ databases: ['sshdb_copy'] }],
    })
    expect(await fingerprint(f.conn, 'sshdb_copy')).toEqual(await fingerprint(f.conn, 'sshdb'))

    // The same profile with its SSH server unreachable: the restore depends on the tunnel.
    const edit = (port: number) =>
      runCli(['profile', 'edit', 'sshprof', '--ssh-port', String(port)], { env: f.env })
    expect((await edit(await freePort())).code).toBe(0)
    try {
      const refused = await restore('sshdb_copy2')
      expect(refused.code).toBe(1)
      expect(refused.stderr + refused.stdout).toMatch(/ConnectFailed/)
      expect(refused.stderr + refused.stdout).toMatch(/SSH/)
    } finally {
      expect((await edit(sshd.port)).code).toBe(0)
    }
    const [rows] = await f.conn.query<mysql.RowDataPacket[]>(
      `SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'sshdb_copy2'`,
    )
    expect(rows).toEqual([])
  })

  it('withTunnel closes the tunnel when its work ends, after a success and after a failure', async () => {
    const sessions = async (): Promise<number> => (await descendants(sshd.pid)).length
    const settings = {
      host: f.server.host,
      port: f.server.port,
      user: f.account.user,
      password: f.account.password,
      ssh: {
        host: sshd.host,
        port: sshd.port,
        user: sshd.user,
        password: '',
        identityFile: sshd.identityFile,
        localPort: 0,
        knownHostsFile: knownHosts(),
        insecure: false,
      },
    }
    await withTunnel(settings, async (direct) => {
      expect(await sessions()).toBeGreaterThan(0) // the session exists while the work runs
      const conn = await openConnection(direct)
      await conn.end()
    })
    await waitFor(async () => (await sessions()) === 0, 10_000, 'the SSH session to end after a success')
    await expect(
      withTunnel(settings, async () => {
        throw new Error('the work failed')
      }),
    ).rejects.toThrow('the work failed')
    await waitFor(async () => (await sessions()) === 0, 10_000, 'the SSH session to end after a failure')
  })

  it('refuses a changed host key, unless the insecure option is given explicitly', async () => {
    const good = await readFile(knownHosts(), 'utf8')
    const other = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKxT6bgf0eLd6kZ9v4kV4t0h2gXyS5m3fJcqGm0l1v2w'
    await writeFile(knownHosts(), `[${sshd.host}]:${sshd.port} ${other}\n`)
    const run = await runCli(['profile', 'test', 'sshprof'], { env: f.env })
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('CHANGED')
    const insecure = await runCli(['profile', 'test', 'sshprof'], {
      env: { ...f.env, SFDB_SSH_INSECURE_IGNORE_HOSTKEY: '1' },
    })
    expect(insecure.code, insecure.stderr).toBe(0)
    expect(insecure.stderr).toContain('not checked')
    await writeFile(knownHosts(), good)
  })

  it('a dead SSH server is ConnectFailed naming the SSH hop', async () => {
    await sshd.kill()
    const run = await runCli(['backup', 'single', '-p', 'sshprof', '--db', 'sshdb', '-t', 'SSH2', '--json'], {
      env: f.env,
    })
    expect(run.code).toBe(1)
    const error = (JSON.parse(run.stdout) as BackupResult).targets[0]?.error
    expect(error?.code).toBe('ConnectFailed')
    expect(error?.message).toContain('SSH to')
  })
})

describe('SSH tunnel with password login (a throwaway system account on the private sshd)', () => {
  const f = useBackupFixture('sshpw', (conn) => createSampleDatabase(conn, 'sshpwdb', { rows: 25 }))
  let sshd: PrivateSshd
  let login: { user: string; password: string }

  const setPassword = (password: string): ReturnType<typeof runCli> =>
    runCli(
      [
        'profile',
        'edit',
        'sshpw',
        '--ssh-host',
        sshd.host,
        '--ssh-port',
        String(sshd.port),
        '--ssh-user',
        login.user,
        '--ssh-password-stdin',
      ],
      { env: f.env, input: `${password}\n` },
    )

  beforeAll(async () => {
    sshd = await startPrivateSshd({ passwordLogin: true })
    login = sshd.passwordLogin ?? { user: '', password: '' }
    expect(login.password).not.toBe('')
    // The host key is known already, as after a confirmed first use.
    await writeFile(join(f.sandbox.configDir, 'known_hosts'), `[${sshd.host}]:${sshd.port} ${sshd.hostKey}\n`)
  })
  afterAll(async () => {
    await sshd.stop()
  })

  it('backs up through a tunnel opened with the password read from stdin, which no output shows', async () => {
    const edit = await setPassword(login.password)
    expect(edit.code, edit.stderr).toBe(0)
    const show = await runCli(['profile', 'show', 'sshpw', '--json'], { env: f.env })
    expect(show.code, show.stderr).toBe(0)
    expect(show.stdout).toContain(login.user)
    const out = join(f.sandbox.tmp, 'sshpw-out')
    const run = await runCli(
      ['backup', 'single', '-p', 'sshpw', '--db', 'sshpwdb', '-t', 'PW', '-o', out, '--json'],
      {
        env: f.env,
      },
    )
    expect(run.code, run.stderr).toBe(0)
    const file = (JSON.parse(run.stdout) as BackupResult).targets[0]?.file ?? ''
    expect((await runCli(['verify', file], { env: f.env })).code).toBe(0)
    const meta = await readFile(`${file}.meta.json`, 'utf8')
    for (const text of [edit.stdout, edit.stderr, show.stdout, run.stdout, run.stderr, meta]) {
      expect(text).not.toContain(login.password)
    }
  })

  it('a wrong SSH password is ConnectFailed saying the login was refused and how to fix it', async () => {
    expect((await setPassword('not-the-password')).code).toBe(0)
    const run = await runCli(['profile', 'test', 'sshpw'], { env: f.env })
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(`SSH to ${login.user}@${sshd.host}:${sshd.port} refused the login`)
    expect(run.stderr).toContain('--ssh-password-stdin')
    expect(run.stderr).not.toContain('not-the-password')
  })
})
