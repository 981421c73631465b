/**
 * `sfdbtools destination files` and `sfdbtools restore … --from-destination NAME --file F` through the BUILT
 * CLI: a backup copied by `backup --copy-to` to a folder and to the private sshd (SFTP with a password kept
 * in a real keyring), the local backup deleted, then listed and restored from the destinations — the dry-run
 * from the remote metadata, the run streamed from SFTP — and the password never in any output.
 */
import { execFile } from 'node:child_process'
import { chmod, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type mysql from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BackupResult } from '../../shared/backup-types.ts'
import type { RemoteBackupFile } from '../../shared/destination.ts'
import type { RestorePlanView, RestoreResult } from '../../shared/restore-types.ts'
import { useBackupFixture } from '../harness/backup-user.ts'
import { runCli, type CliRun } from '../harness/cli.ts'
import { createSampleDatabase, fingerprint, type DatabaseFingerprint } from '../harness/fixtures.ts'
import { startKeyringSession, type KeyringSession } from '../harness/keyring.ts'
import { startPrivateSshd, type PrivateSshd } from '../harness/sshd.ts'

const execFileAsync = promisify(execFile)
const KEY = 'remote cli key ü'

async function databaseExists(conn: mysql.Connection, db: string): Promise<boolean> {
  const [rows] = await conn.query<mysql.RowDataPacket[]>(
    'SELECT COUNT(*) AS n FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?',
    [db],
  )
  return Number(rows[0]?.n) === 1
}

describe('restore from a destination on the command line', () => {
  let source: DatabaseFingerprint
  const f = useBackupFixture('rremcli', async (conn) => {
    await createSampleDatabase(conn, 'rremdb', { rows: 200 })
    source = await fingerprint(conn, 'rremdb')
  })
  let keyring: KeyringSession
  let sshd: PrivateSshd
  let login = { user: '', password: '' }
  /** Outside the run's private TMPDIR (0700): the password account must reach it. */
  let remoteRoot = ''
  let name = ''
  const remote = (): string => join(remoteRoot, 'in')
  const nas = (): string => join(f.sandbox.tmp, 'nas')
  const env = (): Record<string, string | undefined> => ({
    ...f.env,
    ...keyring.env,
    SFDB_BACKUP_ENCRYPTION_KEY: KEY,
  })
  const cli = (args: string[]): Promise<CliRun> => runCli(args, { env: env() })
  const restore = (args: string[]): Promise<CliRun> =>
    cli(['restore', ...args, '--profile', 'rremcli', '--backup-dir', join(f.sandbox.tmp, 'pre')])
  const secrets = (run: CliRun): string[] =>
    [login.password, KEY, f.account.password].filter((s) => (run.stdout + run.stderr).includes(s))

  beforeAll(async () => {
    await f.conn.query(`GRANT ALL PRIVILEGES ON *.* TO ?@'127.0.0.1' WITH GRANT OPTION`, [f.account.user])
    keyring = await startKeyringSession()
    sshd = await startPrivateSshd({ passwordLogin: true })
    login = sshd.passwordLogin ?? login
    remoteRoot = await mkdtemp('/tmp/sfdb-restore-remote-cli-')
    await chmod(remoteRoot, 0o755)
    await mkdir(remote())
    await execFileAsync('chown', [login.user, remote()])
    await writeFile(join(f.sandbox.configDir, 'known_hosts'), `[${sshd.host}]:${sshd.port} ${sshd.hostKey}\n`)
    const sftp = await runCli(
      ['destination', 'add-sftp', 'offpw', '--host', sshd.host, '--port', String(sshd.port)].concat([
        '--user',
        login.user,
        '--path',
        remote(),
        '--password-stdin',
      ]),
      { env: env(), input: `${login.password}\n` },
    )
    expect(sftp.code, sftp.stderr).toBe(0)
    expect((await cli(['destination', 'add-folder', 'nas', nas()])).code).toBe(0)
    const out = join(f.sandbox.tmp, 'out')
    const backup = await cli(
      ['backup', 'single', '-p', 'rremcli', '--db', 'rremdb', '-t', 'REM-1', '-o', out].concat([
        '--copy-to',
        'offpw',
        '--copy-to',
        'nas',
        '--json',
      ]),
    )
    expect(backup.code, backup.stderr).toBe(0)
    const target = (JSON.parse(backup.stdout) as BackupResult).targets[0]
    expect(target?.status).toBe('success')
    name = (target?.file ?? '').split('/').pop() ?? ''
    // Only the copies are left.
    await rm(out, { recursive: true, force: true })
  })
  afterAll(async () => {
    await f.conn.query('DROP DATABASE IF EXISTS rremdb_nas')
    await f.conn.query('DROP DATABASE IF EXISTS rremdb_sftp')
    await sshd?.stop()
    await keyring?.stop()
    if (remoteRoot) await rm(remoteRoot, { recursive: true, force: true })
  })

  it('destination files lists the backups on a destination (name, size, date, databases)', async () => {
    const json = await cli(['destination', 'files', 'offpw', '--json'])
    expect(json.code, json.stderr).toBe(0)
    const listed = JSON.parse(json.stdout) as { destination: string; files: RemoteBackupFile[] }
    expect(listed.destination).toBe('offpw')
    expect(listed.files).toEqual([
      expect.objectContaining({
        name,
        databases: ['rremdb'],
        encrypted: true,
        compression: 'zstd',
        ticket: 'REM-1',
        date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      }),
    ])
    expect(listed.files[0]?.bytes).toBeGreaterThan(0)
    const text = await cli(['destination', 'files', 'nas'])
    expect(text.code, text.stderr).toBe(0)
    expect(text.stdout).toContain(name)
    expect(text.stdout).toContain('rremdb')
    expect(text.stdout).toContain('--from-destination nas --file NAME')
    expect(secrets(json)).toEqual([])
  })

  it('--dry-run reads the remote metadata and prints the plan; nothing is created', async () => {
    const run = await restore(
      ['single', '--from-destination', 'offpw', '--file', name].concat([
        '--target-db',
        'rremdb_sftp',
        '--ticket',
        'REM-2',
        '--dry-run',
        '--json',
      ]),
    )
    expect(run.code, run.stderr).toBe(0)
    const view = JSON.parse(run.stdout) as RestorePlanView
    expect(view.problems).toEqual([])
    expect(view.items[0]).toMatchObject({
      file: `offpw:${name}`,
      destination: 'offpw',
      encrypted: true,
      compression: 'zstd',
      compressionFrom: 'metadata',
      sourceDatabase: 'rremdb',
      targets: [{ database: 'rremdb_sftp', action: 'create' }],
    })
    expect(view.warnings.join('\n')).toContain('streamed into the restore, never copied to a local file')
    expect(await databaseExists(f.conn, 'rremdb_sftp')).toBe(false)
    const text = await restore(
      ['single', '--from-destination', 'nas', '--file', name, '--target-db', 'rremdb_nas'].concat([
        '--ticket',
        'REM-2',
        '--dry-run',
      ]),
    )
    expect(text.code, text.stderr).toBe(0)
    expect(text.stdout).toContain(`nas:${name} (on the destination nas, streamed)`)
    expect(secrets(run)).toEqual([])
  })

  it('restores from SFTP (password from the keychain) into a new database: equal to the source', async () => {
    const run = await restore(
      ['single', '--from-destination', 'offpw', '--file', name].concat([
        '--target-db',
        'rremdb_sftp',
        '--ticket',
        'REM-3',
        '--json',
      ]),
    )
    expect(run.code, run.stdout + run.stderr).toBe(0)
    const result = JSON.parse(run.stdout) as RestoreResult
    expect(result).toMatchObject({ ok: true, status: 'success' })
    expect(result.items[0]).toMatchObject({
      file: `offpw:${name}`,
      databases: ['rremdb_sftp'],
      createdDatabases: ['rremdb_sftp'],
      encrypted: true,
      compression: 'zstd',
    })
    expect(await fingerprint(f.conn, 'rremdb_sftp')).toEqual(source)
    // Its log goes to the log folder: the backup has no local folder.
    expect(result.logFile?.startsWith(join(f.sandbox.configDir, 'logs', `${name}.restore-`))).toBe(true)
    expect(secrets(run)).toEqual([])
    // Nothing of it was written locally (the log aside).
    expect(await readdir(f.sandbox.tmp)).not.toContain('out')
  })

  it('refuses what it cannot do: named errors before anything runs', async () => {
    const noDestination = await restore(['single', '--file', name, '--ticket', 'T'])
    expect(noDestination.code).toBe(2)
    expect(noDestination.stderr).toContain('--from-destination')
    const withPath = await restore([
      'single',
      '--from-destination',
      'nas',
      '--file',
      `/x/${name}`,
      '--ticket',
      'T',
    ])
    expect(withPath.code).toBe(2)
    const test = await cli(
      ['restore', 'test', '--from-destination', 'nas', '--file', name].concat(['-p', 'rremcli', '-t', 'T']),
    )
    expect(test.code).toBe(2)
    expect(test.stderr).toContain('--from-destination belongs to restore single, all, primary, secondary')
    const unknown = await restore(['single', '--from-destination', 'nope', '--file', name, '--ticket', 'T'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('destination list')
    const missing = await restore(
      ['single', '--from-destination', 'nas', '--file', 'rremdb_20200101_000000_X.sql.zst'].concat([
        '--target-db',
        'rremdb_nas',
        '--ticket',
        'T',
      ]),
    )
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain('no such file on the destination nas')
    expect(await databaseExists(f.conn, 'rremdb_nas')).toBe(false)
  })
})
