/**
 * The restore test (electron/engine/restore/run/restore-test.ts): a backup into a throwaway database on the
 * private mariadbd, every object and each table's row count checked against the dump, the database dropped
 * whatever happens, the report written beside the backup.
 */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { copyFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import type mysql from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { TargetResult } from '../../shared/backup-types.ts'
import type { ConnectionSettings } from '../../shared/job-protocol.ts'
import type { RestoreProgressView, RestoreTestRequest } from '../../shared/restore-types.ts'
import { engineBackup } from '../harness/engine-backup.ts'
import { throwawayDatabaseName } from '../../electron/engine/restore/run/names.ts'
import { readLastRestoreTest, runRestoreTest } from '../../electron/engine/restore/run/restore-test.ts'
import { trickyPassword } from '../harness/backup-user.ts'
import { createSampleDatabase } from '../harness/fixtures.ts'
import { connectRoot } from '../harness/mariadb.ts'

const SOURCE = 'rt_src'
const USER = 'rt_user'
const KEY = 'restore test key'
const server = inject('mariadb')

describe('runRestoreTest: a backup into a throwaway database, checked, dropped', () => {
  let root: mysql.Connection
  let connection: ConnectionSettings
  let dir: string
  let zstd: TargetResult
  let plain: TargetResult

  const backup = async (
    name: string,
    compression: 'zstd' | 'none',
    key: string | null,
  ): Promise<TargetResult> => {
    const target = await engineBackup({ connection, database: SOURCE, dir, name, compression, key })
    return target
  }
  const leftovers = async (): Promise<string[]> => {
    const [rows] = await root.query<mysql.RowDataPacket[]>(
      `SELECT SCHEMA_NAME AS s FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE 'sfdb\\_restoretest\\_%'`,
    )
    return rows.map((r) => String(r.s))
  }
  const request = (file: string, key: string | null = null): RestoreTestRequest => ({
    ticket: 'RT-1',
    profileName: 'scratch',
    connection,
    clientBinary: null,
    file,
    key,
    sourceDatabase: SOURCE,
    totalSqlBytes: null,
    parallel: 1,
  })

  beforeAll(async () => {
    root = await connectRoot(server)
    dir = await mkdtemp(join(tmpdir(), 'sfdb-restore-test-'))
    const password = trickyPassword()
    await root.query(`DROP USER IF EXISTS ?@'127.0.0.1'`, [USER])
    await root.query(`CREATE USER ?@'127.0.0.1' IDENTIFIED BY ?`, [USER, password])
    await root.query(`GRANT ALL PRIVILEGES ON *.* TO ?@'127.0.0.1'`, [USER])
    connection = { host: server.host, port: server.port, user: USER, password }
    await createSampleDatabase(root, SOURCE, { rows: 250 })
    zstd = await backup('zstd', 'zstd', KEY)
    plain = await backup('plain', 'none', null)
  }, 120_000)

  afterAll(async () => {
    for (const db of [...(await leftovers()), SOURCE]) await root.query(`DROP DATABASE IF EXISTS \`${db}\``)
    await root.query(`DROP USER IF EXISTS ?@'127.0.0.1'`, [USER])
    await root.end()
  })

  it('passes on a good backup: every object found, every row count equal; nothing left; report beside the backup', async () => {
    const phases = new Set<string>()
    const report = await runRestoreTest(request(zstd.file ?? '', KEY), {
      signal: new AbortController().signal,
      onProgress: (p) => phases.add(p.phase),
    })
    expect(report.failures).toEqual([])
    expect(report).toMatchObject({
      ok: true,
      cleanedUp: true,
      error: null,
      file: zstd.file,
      sqlBytes: zstd.sqlBytes,
    })
    expect(report.database).toMatch(/^sfdb_restoretest_rt_src_\d{14}$/)
    expect(report.tables).toEqual(
      expect.arrayContaining([
        { name: 'customers', expectedRows: 250, rows: 250 },
        { name: 'settings', expectedRows: 4, rows: 4 },
        { name: 'audit_log', expectedRows: 100, rows: 100 },
      ]),
    )
    const objects = report.objects.map((o) => `${o.kind} ${o.name} ${o.found}`)
    expect(objects).toEqual(
      expect.arrayContaining([
        'table customers true',
        'table empty_table true',
        'view active_customers true',
        'trigger trg_customers_ai true',
        'procedure add_customer true',
        'function customer_count true',
        'event ev_cleanup true',
      ]),
    )
    expect([...phases]).toEqual(expect.arrayContaining(['load', 'check', 'cleanup', 'done']))
    expect(await leftovers()).toEqual([])
    const written = `${zstd.file}.restore-test.json`
    expect(JSON.parse(await readFile(written, 'utf8'))).toEqual(report)
    expect(await readFile(written, 'utf8')).not.toContain(KEY)
    expect(await readLastRestoreTest(zstd.file ?? '')).toEqual(report)
  })

  it('fails on a dump edited to drop rows, naming the table; nothing left behind', async () => {
    const sql = await readFile(plain.file ?? '', 'utf8')
    const at = sql.lastIndexOf('/*!40103 SET TIME_ZONE=@OLD_TIME_ZONE */;')
    expect(at).toBeGreaterThan(0)
    const edited = join(dir, 'edited.sql')
    await writeFile(
      edited,
      `${sql.slice(0, at)}DELETE FROM \`settings\` WHERE k = 'theme';\n${sql.slice(at)}`,
    )
    const report = await runRestoreTest(request(edited), { signal: new AbortController().signal })
    expect(report).toMatchObject({ ok: false, cleanedUp: true, error: null })
    expect(report.failures).toEqual(['table settings: 3 rows, the dump inserts 4'])
    expect(report.tables).toContainEqual({ name: 'settings', expectedRows: 4, rows: 3 })
    expect(await leftovers()).toEqual([])
    expect(await readLastRestoreTest(edited)).toMatchObject({ ok: false, failures: report.failures })
  })

  it('a cancel during the load: error Cancelled, not ok, the throwaway database dropped', async () => {
    const cancel = new AbortController()
    let loading: RestoreProgressView | null = null
    const report = await runRestoreTest(request(zstd.file ?? '', KEY), {
      signal: cancel.signal,
      onProgress: (p) => {
        if (p.phase === 'load' && loading === null) {
          loading = p
          cancel.abort()
        }
      },
    })
    expect(loading).not.toBeNull()
    expect(report).toMatchObject({ ok: false, cleanedUp: true, error: { code: 'Cancelled' } })
    expect(await leftovers()).toEqual([])
  })

  it('never uses an existing database: a name taken in the same second gets a suffix, the other is untouched', async () => {
    const now = new Date(2026, 4, 6, 7, 8, 9)
    const taken = throwawayDatabaseName(SOURCE, now)
    await root.query(`CREATE DATABASE \`${taken}\``)
    await root.query(`CREATE TABLE \`${taken}\`.keep (id INT)`)
    try {
      const report = await runRestoreTest(request(plain.file ?? ''), {
        signal: new AbortController().signal,
        now,
      })
      expect(report.database).toBe(`${taken}_2`)
      expect(report.ok).toBe(true)
      const left = await leftovers()
      expect(left).toContain(taken)
      expect(left).not.toContain(`${taken}_2`)
      const [rows] = await root.query<mysql.RowDataPacket[]>(
        `SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?`,
        [taken],
      )
      expect(rows.map((r) => String(r.t))).toEqual(['keep'])
    } finally {
      await root.query(`DROP DATABASE \`${taken}\``)
    }
  })

  it('the report goes to logDir when the backup folder is read-only, and is read back from there', async () => {
    const ro = join(dir, 'readonly')
    await mkdir(ro)
    const copy = join(ro, basename(plain.file ?? ''))
    await copyFile(plain.file ?? '', copy)
    execFileSync('mount', ['--bind', ro, ro])
    try {
      execFileSync('mount', ['-o', 'remount,ro,bind', ro])
      const logDir = join(dir, 'config-dir')
      // The job process passes the config dir in the request.
      const report = await runRestoreTest(
        { ...request(copy), logDir },
        { signal: new AbortController().signal },
      )
      expect(report.ok).toBe(true)
      expect(existsSync(`${copy}.restore-test.json`)).toBe(false)
      expect(JSON.parse(await readFile(join(logDir, `${basename(copy)}.restore-test.json`), 'utf8'))).toEqual(
        report,
      )
      expect(await readLastRestoreTest(copy, logDir)).toEqual(report)
      expect(await readLastRestoreTest(copy)).toBeNull()
    } finally {
      execFileSync('umount', [ro])
    }
  })

  it('readLastRestoreTest: null without a report, or for one that is not a report', async () => {
    expect(await readLastRestoreTest(join(dir, 'nothing.sql'))).toBeNull()
    await writeFile(join(dir, 'junk.sql.restore-test.json'), '{"ok": "yes"}')
    expect(await readLastRestoreTest(join(dir, 'junk.sql'))).toBeNull()
    expect(existsSync(join(dir, 'junk.sql.restore-test.json'))).toBe(true)
  })
})
