/**
 * `sfdbtools destination …` and `backup --copy-to` through the built CLI: a folder and an SFTP destination
 * on the private sshd (password in a real keyring), the copies recorded in the metadata, a wrong password
 * as a warning with the local file kept — and the password never in argv, output, logs, config or metadata.
 */
import { execFile } from 'node:child_process'
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BackupResult } from '../../shared/backup-types.ts'
import { useBackupFixture } from '../harness/backup-user.ts'
import { runCli } from '../harness/cli.ts'
import { createSampleDatabase } from '../harness/fixtures.ts'
import { startKeyringSession, type KeyringSession } from '../harness/keyring.ts'
import { startPrivateSshd, type PrivateSshd } from '../harness/sshd.ts'

const execFileAsync = promisify(execFile)

/** Every file under a folder, read as text. */
async function allText(dir: string): Promise<string> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => [])
  const texts = await Promise.all(
    entries
      .filter((e) => e.isFile())
      .map((e) => readFile(join(e.parentPath, e.name), 'utf8').catch(() => '')),
  )
  return texts.join('\n')
}

describe('offsite copies from the command line (folder + SFTP on the private sshd)', () => {
  const f = useBackupFixture('offsite', (conn) => createSampleDatabase(conn, 'offdb', { rows: 30 }))
  let keyring: KeyringSession
  let sshd: PrivateSshd
  let login = { user: '', password: '' }
  /** Outside the run's private TMPDIR (0700): the password account must reach it. */
  let remoteRoot = ''
  const remote = (): string => join(remoteRoot, 'in')
  const nas = (): string => join(f.sandbox.tmp, 'nas')
  const env = (): Record<string, string | undefined> => ({ ...f.env, ...keyring.env })
  const addSftp = (password: string): ReturnType<typeof runCli> =>
    runCli(
      ['destination', 'add-sftp', 'offpw', '--host', sshd.host, '--port', String(sshd.port)].concat([
        '--user',
        login.user,
        '--path',
        remote(),
        '--password-stdin',
      ]),
      { env: env(), input: `${password}\n` },
    )
  const backup = async (ticket: string): Promise<BackupResult> => {
    const run = await runCli(
      [
        'backup',
        'single',
        '-p',
        'offsite',
        '--db',
        'offdb',
        '-t',
        ticket,
        '-o',
        join(f.sandbox.tmp, 'out'),
      ].concat(['--copy-to', 'offpw', '--copy-to', 'nas', '--json']),
      { env: env() },
    )
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout + run.stderr).not.toContain(login.password)
    return JSON.parse(run.stdout) as BackupResult
  }

  beforeAll(async () => {
    keyring = await startKeyringSession()
    sshd = await startPrivateSshd({ passwordLogin: true })
    login = sshd.passwordLogin ?? login
    remoteRoot = await mkdtemp('/tmp/sfdb-offsite-cli-')
    await chmod(remoteRoot, 0o755)
    await mkdir(remote())
    await execFileAsync('chown', [login.user, remote()])
    await writeFile(join(f.sandbox.configDir, 'known_hosts'), `[${sshd.host}]:${sshd.port} ${sshd.hostKey}\n`)
  })
  afterAll(async () => {
    await sshd?.stop()
    await keyring?.stop()
    if (remoteRoot) await rm(remoteRoot, { recursive: true, force: true })
  })

  it('adds, lists and tests destinations; the password goes to the keychain only', async () => {
    expect((await addSftp(login.password)).code).toBe(0)
    const folder = await runCli(['destination', 'add-folder', 'nas', nas()], { env: env() })
    expect(folder.code, folder.stderr).toBe(0)
    const file = join(f.sandbox.configDir, 'destinations.json')
    expect((await stat(file)).mode & 0o777).toBe(0o600)
    expect(await readFile(file, 'utf8')).not.toContain(login.password)
    const list = await runCli(['destination', 'list', '--json'], { env: env() })
    expect(JSON.parse(list.stdout).destinations.map((d: { name: string }) => d.name)).toEqual([
      'offpw',
      'nas',
    ])
    for (const name of ['offpw', 'nas']) {
      const test = await runCli(['destination', 'test', name], { env: env() })
      expect(test.code, test.stderr).toBe(0)
      expect(test.stdout).toContain('written, verified and removed')
    }
    expect(await readdir(remote())).toEqual([])
    expect(await readdir(nas())).toEqual([])
    const unknown = await runCli(['destination', 'test', 'nope'], { env: env() })
    expect(unknown.code).not.toBe(0)
    expect(unknown.stderr).toContain('destination list')
  })

  it('backup --copy-to copies the file and companions to both, verified and recorded in the metadata', async () => {
    const result = await backup('OFF1')
    const target = result.targets[0]
    expect(target?.status).toBe('success')
    const name = (target?.file ?? '').split('/').pop() ?? ''
    expect(await readdir(remote())).toEqual(expect.arrayContaining([name, `${name}.meta.json`]))
    expect(await readdir(nas())).toEqual(expect.arrayContaining([name, `${name}.meta.json`]))
    expect((await readdir(remote())).some((n) => n.endsWith('.part'))).toBe(false)
    const meta = JSON.parse(await readFile(`${target?.file}.meta.json`, 'utf8'))
    expect(meta.copies.map((c: { destination: string }) => c.destination)).toEqual(['offpw', 'nas'])
    expect(meta.copies[0].url).toMatch(/^sftp:\/\//)
    expect(meta.file.sha256).toBe(target?.sha256)
    expect(await readFile(join(nas(), name))).toEqual(await readFile(target?.file ?? ''))
  })

  it('a wrong password: success_with_warnings naming the destination, the local file kept, no secret anywhere', async () => {
    expect((await addSftp('a-wrong-password')).code).toBe(0)
    const result = await backup('OFF2')
    const target = result.targets[0]
    expect(target?.status).toBe('success_with_warnings')
    expect(target?.warnings.join('\n')).toMatch(
      /offsite copy to offpw failed \[CopyFailed\].*refused the login/,
    )
    await stat(target?.file ?? '') // kept
    const meta = JSON.parse(await readFile(`${target?.file}.meta.json`, 'utf8'))
    expect(meta.status).toBe('success_with_warnings')
    expect(meta.copies.map((c: { destination: string }) => c.destination)).toEqual(['nas'])
    const everything = (await allText(f.sandbox.configDir)) + (await allText(join(f.sandbox.tmp, 'out')))
    expect(everything).not.toContain(login.password)
    expect(everything).not.toContain('a-wrong-password')
  })
})
