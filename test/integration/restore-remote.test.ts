/**
 * Restores from an offsite destination (engine/restore/remote-source.ts): backups made by the engine, copied
 * by copyBackupOffsite to a folder destination and to the private sshd over SFTP, the local files deleted,
 * then restored from the destination into the private mariadbd — the download streamed into the restore,
 * never a local copy (the job's TMPDIR, its open files and the local folders are watched while it loads);
 * a damaged copy is a named error, never a success; a cancel mid-download ends cancelled, with the
 * pre-restore backup named and the destination's session closed.
 */
import { readdirSync, readlinkSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type mysql from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { FolderDestination, SftpDestination } from '../../shared/destination.ts'
import type { ConnectionSettings } from '../../shared/job-protocol.ts'
import type { RemoteBackup, RestoreItem, RestorePlan } from '../../shared/restore-types.ts'
import { copyBackupOffsite } from '../../electron/engine/offsite/copy-backup.ts'
import type { SftpHostKeys } from '../../electron/engine/offsite/sftp-copy.ts'
import { remoteLabel } from '../../electron/engine/restore/remote-source.ts'
import { describeBackup } from '../../electron/engine/restore/run/describe-backup.ts'
import { planRestore } from '../../electron/engine/restore/run/plan-restore.ts'
import { runRestore, type RunRestoreOptions } from '../../electron/engine/restore/run/run-restore.ts'
import { trickyPassword } from '../harness/backup-user.ts'
import { engineBackup } from '../harness/engine-backup.ts'
import { createSampleDatabase, fingerprint, type DatabaseFingerprint } from '../harness/fixtures.ts'
import { connectRoot } from '../harness/mariadb.ts'
import { descendants, waitFor } from '../harness/processes.ts'
import { startPrivateSshd, type PrivateSshd } from '../harness/sshd.ts'

const SOURCE = 'rrem_src'
const BIG = 'rrem_big'
const USER = 'rrem_user'
const KEY = 'remote restore key ü & spaces'
const server = inject('mariadb')

/** The files this process has open now (/proc/self/fd), by their targets. */
const openFiles = (): string[] =>
  readdirSync('/proc/self/fd').flatMap((fd) => {
    try {
      return [readlinkSync(`/proc/self/fd/${fd}`)]
    } catch {
      return [] // closed while we looked
    }
  })

/** Every file under a folder, recursively (none when it does not exist). */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => [])
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name))
}

describe('restore from an offsite destination (folder and SFTP)', () => {
  let root: mysql.Connection
  let connection: ConnectionSettings
  let source: DatabaseFingerprint
  let big: DatabaseFingerprint
  let sshd: PrivateSshd
  let dir = ''
  let hostKeys: SftpHostKeys
  let nas: FolderDestination
  let off: SftpDestination

  const remote = (destination: FolderDestination | SftpDestination, name: string): RemoteBackup => ({
    destination,
    name,
    knownHostsFile: hostKeys.knownHostsFile,
    insecure: false,
    grantsName: null,
  })
  const item = (r: RemoteBackup, over: Partial<RestoreItem> = {}): RestoreItem => ({
    file: remoteLabel(r.destination.name, r.name),
    key: null,
    target: null,
    excludeDatabases: [],
    sourceDatabase: SOURCE,
    totalSqlBytes: null,
    totalTables: null,
    grantsFile: null,
    remote: r,
    ...over,
  })
  const plan = (items: RestoreItem[], over: Partial<RestorePlan> = {}): RestorePlan => ({
    mode: 'single',
    ticket: 'RREM-1',
    profileName: 'rrem',
    connection,
    clientBinary: null,
    items,
    dropTarget: false,
    preBackup: null,
    parallel: 1,
    force: false,
    skipGrants: false,
    verifyFirst: false,
    logDir: join(dir, 'logs'),
    ...over,
  })
  const run = (p: RestorePlan, over: Partial<RunRestoreOptions> = {}) =>
    runRestore(p, { signal: new AbortController().signal, ...over })
  const exists = async (db: string): Promise<boolean> => {
    const [rows] = await root.query<mysql.RowDataPacket[]>(
      'SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?',
      [db],
    )
    return rows.length > 0
  }

  /** A backup of `db` copied to `destination`, its local folder deleted: only the copy is left. */
  async function copiedBackup(
    name: string,
    destination: FolderDestination | SftpDestination,
    o: { compression: 'none' | 'zstd' | 'xz'; key: string | null; includeUsers?: boolean; db?: string },
  ): Promise<{ name: string; bytes: number }> {
    const t = await engineBackup({
      connection,
      database: o.db ?? SOURCE,
      dir: join(dir, 'local'),
      name,
      compression: o.compression,
      key: o.key,
      includeUsers: o.includeUsers ?? false,
    })
    const outcome = await copyBackupOffsite(t.file, [{ destination }], { hostKeys })
    expect(outcome.failures).toEqual([])
    const meta = JSON.parse(await readFile(`${t.file}.meta.json`, 'utf8'))
    expect(meta.copies[0]).toMatchObject({ destination: destination.name })
    await rm(join(dir, 'local', name), { recursive: true, force: true })
    const fileName = t.file.slice(t.file.lastIndexOf('/') + 1)
    return { name: fileName, bytes: t.bytes }
  }

  beforeAll(async () => {
    root = await connectRoot(server)
    dir = await mkdtemp(join(tmpdir(), 'sfdb-restore-remote-'))
    sshd = await startPrivateSshd()
    await writeFile(join(dir, 'known_hosts'), `[${sshd.host}]:${sshd.port} ${sshd.hostKey}\n`)
    hostKeys = { knownHostsFile: join(dir, 'known_hosts'), insecure: false }
    await mkdir(join(dir, 'nas'))
    await mkdir(join(dir, 'sftp'))
    nas = { kind: 'folder', name: 'nas', path: join(dir, 'nas') }
    off = {
      kind: 'sftp',
      name: 'off1',
      host: sshd.host,
      port: sshd.port,
      user: sshd.user,
      path: join(dir, 'sftp'),
      auth: 'key',
      identityFile: sshd.identityFile,
    }
    const password = trickyPassword()
    await root.query(`DROP USER IF EXISTS ?@'127.0.0.1'`, [USER])
    await root.query(`CREATE USER ?@'127.0.0.1' IDENTIFIED BY ?`, [USER, password])
    await root.query(`GRANT ALL PRIVILEGES ON *.* TO ?@'127.0.0.1' WITH GRANT OPTION`, [USER])
    connection = { host: server.host, port: server.port, user: USER, password }
    await createSampleDatabase(root, SOURCE, { rows: 300 })
    source = await fingerprint(root, SOURCE)
    // Tens of MB of SQL: the download is still under way while the load runs.
    await createSampleDatabase(root, BIG, { rows: 30_000, rowBytes: 600 })
    big = await fingerprint(root, BIG)
  }, 240_000)

  afterAll(async () => {
    const [rows] = await root.query<mysql.RowDataPacket[]>(
      `SELECT SCHEMA_NAME AS db FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE 'rrem\\_%'`,
    )
    for (const r of rows) await root.query(`DROP DATABASE \`${String(r.db)}\``)
    await root.query(`DROP USER IF EXISTS ?@'127.0.0.1'`, [USER])
    await root.query(`DROP USER IF EXISTS 'rrem_app'@'%'`)
    await root.end()
    await sshd.stop()
    await rm(dir, { recursive: true, force: true })
  })

  it('folder: back up, copy, delete the local file, restore from the destination — rows match, no local copy', async () => {
    const { name, bytes } = await copiedBackup('folder', nas, { compression: 'none', key: null, db: BIG })
    const r = remote(nas, name)
    const label = `nas:${name}`
    expect(await describeBackup({ file: label, remote: r })).toMatchObject({
      file: label,
      metaPath: `${label}.meta.json`,
      sourceDatabase: BIG,
      compression: 'none',
      compressionFrom: 'metadata',
      encrypted: false,
      sizeBytes: bytes,
      grantsFile: null,
      remote: { destination: 'nas', name, grantsName: null },
    })
    const p = plan([item(r, { target: 'rrem_folder', sourceDatabase: BIG })])
    const view = await planRestore(p)
    expect(view.problems).toEqual([])
    expect(view.items[0]).toMatchObject({ file: label, destination: 'nas', sizeBytes: bytes })
    expect(view.items[0]?.targets[0]).toMatchObject({ database: 'rrem_folder', action: 'create' })
    expect(view.warnings.join('\n')).toContain('streamed into the restore, never copied to a local file')
    expect(JSON.stringify(view)).not.toContain(connection.password)

    // The job's temp folder is an empty one of its own; what it opens while it loads is watched.
    const jobTmp = await mkdtemp(join(dir, 'job-tmp-'))
    const before = new Set(openFiles())
    const opened = new Set<string>()
    const tmpSeen: string[] = []
    const savedTmp = process.env.TMPDIR
    process.env.TMPDIR = jobTmp
    let loads = 0
    try {
      const result = await run(p, {
        onProgress: (progress) => {
          if (progress.phase !== 'load' || progress.sqlBytes === 0) return
          loads++
          for (const f of openFiles()) if (!before.has(f)) opened.add(f)
          tmpSeen.push(...readdirSync(jobTmp))
        },
      })
      expect(result).toMatchObject({ ok: true, status: 'success' })
      expect(result.items[0]).toMatchObject({ file: label, status: 'success', databases: ['rrem_folder'] })
      // The restore log goes to the log folder (there is no backup folder to write it beside).
      expect(result.logFile?.startsWith(`${join(dir, 'logs', name)}.restore-`)).toBe(true)
    } finally {
      process.env.TMPDIR = savedTmp
    }
    expect(loads).toBeGreaterThan(0)
    expect(await fingerprint(root, 'rrem_folder')).toEqual(big)
    // Nothing in the job's temp folder, during or after; the only files it opened were the copy itself.
    expect(tmpSeen).toEqual([])
    expect(await filesUnder(jobTmp)).toEqual([])
    const files = [...opened].filter((f) => f.startsWith('/') && !f.startsWith('/dev/'))
    expect(files).toContain(join(nas.path, name)) // the watch sees the files it opens: the copy, read in place
    expect(
      files.every((f) => f.startsWith(nas.path)),
      files.join(', '),
    ).toBe(true)
    expect(await filesUnder(join(dir, 'local'))).toEqual([])
    expect((await readdir(join(dir, 'logs'))).every((n) => n.includes('.restore-'))).toBe(true)
  })

  it('SFTP: an encrypted, compressed backup with its grants file restored from the destination', async () => {
    // An account with grants on the database: the backup's grants file holds it; gone before the restore.
    await root.query(`CREATE USER IF NOT EXISTS 'rrem_app'@'%' IDENTIFIED BY 'app-pw-1'`)
    await root.query(`GRANT SELECT ON \`${SOURCE}\`.* TO 'rrem_app'@'%'`)
    const { name } = await copiedBackup('sftp-enc', off, { compression: 'xz', key: KEY, includeUsers: true })
    await root.query(`DROP USER 'rrem_app'@'%'`)
    expect((await readdir(off.path)).sort()).toEqual([name, `${name}.meta.json`, `${name}.users.sql`].sort())
    const described = await describeBackup({ file: `off1:${name}`, remote: remote(off, name) }, { key: KEY })
    expect(described).toMatchObject({
      encrypted: true,
      compression: 'xz',
      remote: { destination: 'off1', name, grantsName: `${name}.users.sql` },
    })
    const r = { ...remote(off, name), grantsName: `${name}.users.sql` }
    const before = new Set(openFiles())
    const opened = new Set<string>()
    const result = await run(plan([item(r, { key: KEY, target: 'rrem_sftp' })], { parallel: 2 }), {
      onProgress: (progress) => {
        if (progress.phase === 'load') for (const f of openFiles()) if (!before.has(f)) opened.add(f)
      },
    })
    expect(result).toMatchObject({ ok: true, status: 'success' })
    expect(result.items[0]).toMatchObject({
      file: `off1:${name}`,
      encrypted: true,
      compression: 'xz',
      grants: { file: `off1:${name}.users.sql`, createdAccounts: ["'rrem_app'@'%'"] },
    })
    expect(await fingerprint(root, 'rrem_sftp')).toEqual(source)
    // Over SFTP the process opens sockets only: no local file at all.
    expect([...opened].filter((f) => f.startsWith('/') && !f.startsWith('/dev/'))).toEqual([])
    await waitFor(async () => (await descendants(sshd.pid)).length === 0, 30_000, 'the SFTP sessions to end')
  })

  it('a file the destination does not have: a named problem of the dry-run, a failed item of a run', async () => {
    const r = remote(nas, 'rrem_nothing_20260101_000000.sql.zst')
    const view = await planRestore(plan([item(r, { target: 'rrem_nothing' })]))
    expect(view.problems[0]).toMatchObject({ code: 'FileNotFound' })
    expect(view.problems[0]?.message).toContain('no such file on the destination nas')
    const result = await run(plan([item(r, { target: 'rrem_nothing' })]))
    expect(result).toMatchObject({ ok: false, status: 'failed' })
    expect(result.items[0]?.error?.code).toBe('FileNotFound')
    expect(await exists('rrem_nothing')).toBe(false)
  })

  describe('a damaged copy (one byte changed on the folder destination)', () => {
    let name = ''
    beforeAll(async () => {
      name = (await copiedBackup('damaged', nas, { compression: 'none', key: null })).name
      const path = join(nas.path, name)
      const bytes = await readFile(path)
      const at = bytes.indexOf("'Pelanggan 5")
      expect(at).toBeGreaterThan(0)
      bytes[at + 1] = 'Q'.charCodeAt(0) // still valid SQL: only the sha256 can tell
      await writeFile(path, bytes)
    })

    it('checked before the server is touched (a file up to 256 MiB): ChecksumMismatch, nothing created', async () => {
      const result = await run(plan([item(remote(nas, name), { target: 'rrem_damaged' })]))
      expect(result).toMatchObject({ ok: false, status: 'failed' })
      expect(result.items[0]).toMatchObject({
        status: 'failed',
        partlyRestored: false,
        error: { code: 'ChecksumMismatch' },
      })
      expect(result.items[0]?.error?.message).toContain('recorded in its metadata')
      expect(await exists('rrem_damaged')).toBe(false)
    })

    it('checked while it loads (a larger file): ChecksumMismatch at its end, partly restored, never success', async () => {
      const result = await run(plan([item(remote(nas, name), { target: 'rrem_damaged_late' })]), {
        verifyFirstMaxBytes: 0,
      })
      expect(result).toMatchObject({ ok: false, status: 'failed' })
      expect(result.items[0]).toMatchObject({
        status: 'failed',
        partlyRestored: true,
        error: { code: 'ChecksumMismatch', advice: { code: 'partlyRestored' } },
      })
      expect(result.items[0]?.error?.message).toContain('rrem_damaged_late is partly restored')
    })
  })

  it('a cancel mid-download: cancelled, partly restored, the pre-restore backup named, the session closed', async () => {
    const { name, bytes } = await copiedBackup('big', off, { compression: 'none', key: null, db: BIG })
    await createSampleDatabase(root, 'rrem_cancel', { rows: 10 })
    const cancel = new AbortController()
    let atCancel = -1
    const jobTmp = await mkdtemp(join(dir, 'job-tmp-'))
    const savedTmp = process.env.TMPDIR
    process.env.TMPDIR = jobTmp
    let result
    try {
      result = await run(
        plan([item(remote(off, name), { target: 'rrem_cancel', sourceDatabase: BIG })], {
          dropTarget: true,
          preBackup: {
            outputDir: join(dir, 'pre'),
            compression: { type: 'zstd', level: 3 },
            encryptionKey: null,
            dumpBinary: null,
          },
        }),
        {
          signal: cancel.signal,
          verifyFirstMaxBytes: 0,
          onProgress: (p) => {
            if (p.phase !== 'load' || p.sqlBytes === 0 || cancel.signal.aborted) return
            atCancel = p.sqlBytes
            cancel.abort()
          },
        },
      )
    } finally {
      process.env.TMPDIR = savedTmp
    }
    expect(atCancel).toBeGreaterThan(0)
    expect(atCancel).toBeLessThan(bytes) // really mid-way
    expect(result).toMatchObject({ ok: false, status: 'cancelled' })
    const r = result.items[0]
    expect(r).toMatchObject({
      status: 'cancelled',
      partlyRestored: true,
      droppedDatabases: ['rrem_cancel'],
      error: { code: 'Cancelled', advice: { code: 'partlyRestored', params: { database: 'rrem_cancel' } } },
    })
    expect((await stat(r?.preRestoreBackup ?? '')).isFile()).toBe(true)
    expect(r?.undo).toContain('--target-db rrem_cancel')
    expect(await filesUnder(jobTmp)).toEqual([])
    // The download was stopped and the destination's connection closed.
    await waitFor(async () => (await descendants(sshd.pid)).length === 0, 30_000, 'the SFTP session to end')
  })
})
