/**
 * A table held with LOCK TABLES … WRITE by another session: the dump's wait for its metadata lock is shown in
 * the progress (which table, which connection holds it, for how long) and ends after the configured lock wait
 * with a named LockTimeout, instead of waiting the server's lock_wait_timeout (a day by default). Real parts
 * only: the private mariadbd (with its metadata_lock_info plugin) and the real mariadb-dump.
 */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type mysql from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { BackupProgress } from '../../shared/backup-types.ts'
import type { ConnectionSettings } from '../../shared/job-protocol.ts'
import { planBackup } from '../../electron/engine/backup/plan-backup.ts'
import { runBackup } from '../../electron/engine/backup/run-backup.ts'
import { useBackupFixture } from '../harness/backup-user.ts'
import { runCli } from '../harness/cli.ts'
import { connectRoot } from '../harness/mariadb.ts'

const DB = 'lockwait_shop'

describe('backup: a table locked by another session', () => {
  const server = inject('mariadb')
  let admin: mysql.Connection
  let dir: string
  const connection: ConnectionSettings = {
    host: server.host,
    port: server.port,
    user: server.rootUser,
    password: server.rootPassword,
  }
  /** A plan of one uncompressed file of DB in `dir`. */
  const planDump = (ticket: string, over: { lockWaitTimeoutSeconds?: number } = {}) =>
    planBackup({
      mode: 'single',
      profileName: 'lockwait',
      connection,
      selection: {
        databases: [DB],
        excludeDatabases: [],
        excludeSystem: true,
        excludeEmpty: false,
        companions: [],
      },
      ticket,
      compression: { type: 'none', level: 0 },
      encryptionKey: null,
      outputDir: dir,
      excludeUser: true,
      ...over,
    })
  beforeAll(async () => {
    admin = await connectRoot(server)
    await admin.query(`DROP DATABASE IF EXISTS ${DB}; CREATE DATABASE ${DB}`)
    await admin.query(`CREATE TABLE ${DB}.a (id INT PRIMARY KEY); INSERT INTO ${DB}.a VALUES (1), (2)`)
    await admin.query(`CREATE TABLE ${DB}.orders (id INT PRIMARY KEY); INSERT INTO ${DB}.orders VALUES (1)`)
    // Names the lock's holder; where the plugin is missing the progress says "another session".
    await admin.query(`INSTALL SONAME 'metadata_lock_info'`).catch(() => undefined)
    dir = await mkdtemp(join(tmpdir(), 'sfdb-lockwait-'))
  })
  afterAll(async () => {
    await admin?.query(`DROP DATABASE IF EXISTS ${DB}`)
    await admin?.end()
    await rm(dir, { recursive: true, force: true })
  })

  it('shows the wait and its holder, and fails with LockTimeout after the configured lock wait', async () => {
    const holder = await connectRoot(server)
    try {
      await holder.query(`LOCK TABLES ${DB}.orders WRITE`)
      const { plan } = await planDump('T-lock', { lockWaitTimeoutSeconds: 3 })
      expect(plan.lockWaitTimeoutSeconds).toBe(3)
      const events: BackupProgress[] = []
      const started = Date.now()
      const result = await runBackup(plan, {
        signal: new AbortController().signal,
        onProgress: (p) => events.push(p),
      })
      const seconds = (Date.now() - started) / 1000
      const target = result.targets[0]
      expect(result.ok).toBe(false)
      expect(target?.error?.code).toBe('LockTimeout')
      expect(target?.error?.message).toContain(`\`${DB}\`.\`orders\``)
      expect(target?.error?.message).toContain(`connection ${holder.threadId}`)
      expect(seconds).toBeGreaterThanOrEqual(3)
      expect(seconds).toBeLessThan(30)
      const waits = events.flatMap((e) => (e.lockWait ? [e.lockWait] : []))
      expect(waits.length).toBeGreaterThan(0)
      expect(waits.at(-1)).toMatchObject({
        database: DB,
        table: 'orders',
        holder: { id: holder.threadId, user: 'root' },
      })
      expect(waits.at(-1)?.seconds).toBeGreaterThanOrEqual(1)
      // Nothing left behind, and the holder's lock and session are untouched.
      expect((await readdir(dir)).filter((n) => !n.startsWith('.'))).toEqual([])
      const [rows] = await holder.query<mysql.RowDataPacket[]>(`SELECT COUNT(*) AS n FROM ${DB}.orders`)
      expect(rows[0]?.n).toBe(1)
    } finally {
      await holder.query('UNLOCK TABLES').catch(() => undefined)
      await holder.end()
    }
  }, 60_000)

  it('a dump that gets its locks in time is not disturbed by the lock watch', async () => {
    const { plan } = await planDump('T-nolock')
    expect(plan.lockWaitTimeoutSeconds).toBe(300)
    const events: BackupProgress[] = []
    const result = await runBackup(plan, {
      signal: new AbortController().signal,
      onProgress: (p) => events.push(p),
    })
    expect(result.ok).toBe(true)
    expect(events.some((e) => e.lockWait)).toBe(false)
  }, 60_000)
})

describe('sfdbtools backup: backup.dump.lock_wait_timeout', () => {
  const f = useBackupFixture('lockwait', async (conn) => {
    await conn.query(`INSTALL SONAME 'metadata_lock_info'`).catch(() => undefined)
    await conn.query('DROP DATABASE IF EXISTS lockwait_cli; CREATE DATABASE lockwait_cli')
    await conn.query(
      'CREATE TABLE lockwait_cli.items (id INT PRIMARY KEY); INSERT INTO lockwait_cli.items VALUES (7)',
    )
  })
  afterAll(async () => {
    await f.conn?.query('DROP DATABASE IF EXISTS lockwait_cli')
  })

  it('a table locked past the configured wait fails the run after that wait, names table and holder, and leaves no file', async () => {
    await writeFile(
      join(f.sandbox.configDir, 'sfDBTools_config.yaml'),
      'backup:\n  dump:\n    lock_wait_timeout: 2\n',
    )
    const out = join(f.sandbox.tmp, 'out')
    const holder = await connectRoot(f.server)
    try {
      await holder.query('LOCK TABLES lockwait_cli.items WRITE')
      const run = await runCli(
        [
          'backup',
          'single',
          '--profile',
          f.account.profile,
          '--db',
          'lockwait_cli',
          '--ticket',
          'T-L',
          '--output-dir',
          out,
        ],
        { env: f.env },
      )
      expect(run.code).toBe(1)
      expect(run.stderr).toContain('error: lockwait_cli: the dump waited')
      expect(run.stderr).toContain('`lockwait_cli`.`items`')
      expect(run.stderr).toContain(`connection ${holder.threadId} (root@`)
      expect(run.stderr).toContain('lock wait limit 2 s')
      // Off a terminal the wait is a plain progress line (as cron's mail would show it).
      expect(run.stderr).toMatch(
        /waiting for a metadata lock on `lockwait_cli`\.`items` held by connection \d+ \(root@[^)]+\) for \d+ s/,
      )
      expect((await readdir(out).catch(() => [])).filter((n) => !n.startsWith('.'))).toEqual([])
    } finally {
      await holder.query('UNLOCK TABLES').catch(() => undefined)
      await holder.end()
    }
  }, 60_000)
})
