/**
 * `sfdbtools restore …` as a DBA runs it: backups made by `sfdbtools backup`, restored through the BUILT CLI
 * and its job process into the private server, compared with CHECKSUM TABLE and object counts.
 */
import { readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type mysql from 'mysql2/promise'
import { beforeAll, describe, expect, it } from 'vitest'
import type { BackupResult } from '../../shared/backup-types.ts'
import type { RestorePlanView, RestoreResult, RestoreTestReport } from '../../shared/restore-types.ts'
import { useBackupFixture } from '../harness/backup-user.ts'
import { runCli, runCliInTerminal, type CliRun } from '../harness/cli.ts'
import { createSampleDatabase, fingerprint, type DatabaseFingerprint } from '../harness/fixtures.ts'

const KEY = 'restore key ünï & spaces'
const CRM_KEY = 'the crm key, from the CSV'

const exists = (p: string): Promise<boolean> =>
  stat(p).then(
    () => true,
    () => false,
  )

async function databaseExists(conn: mysql.Connection, db: string): Promise<boolean> {
  const [rows] = await conn.query<mysql.RowDataPacket[]>(
    'SELECT COUNT(*) AS n FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?',
    [db],
  )
  return Number(rows[0]?.n) === 1
}

describe('sfdbtools restore', () => {
  let shop: DatabaseFingerprint
  let crm: DatabaseFingerprint
  const f = useBackupFixture('rst', async (conn) => {
    await createSampleDatabase(conn, 'rshop', { rows: 300 })
    await createSampleDatabase(conn, 'rcrm', { rows: 120 })
    shop = await fingerprint(conn, 'rshop')
    crm = await fingerprint(conn, 'rcrm')
  })
  const files = { shop: '', crm: '', combined: '' }
  const backups = (): string => join(f.sandbox.tmp, 'backups')
  const preDir = (): string => join(f.sandbox.tmp, 'pre')
  const env = (): Record<string, string> => ({ ...f.env, SFDB_BACKUP_ENCRYPTION_KEY: KEY })
  const secretsIn = (run: CliRun): string[] =>
    [f.account.password, f.account.profileKey, KEY, CRM_KEY].filter((s) =>
      (run.stdout + run.stderr).includes(s),
    )

  const backup = async (args: string[], key = KEY): Promise<string> => {
    const run = await runCli(
      ['backup', ...args, '--profile', 'rst', '--ticket', 'CHG-B', '--output-dir', backups(), '--json'],
      { env: { ...f.env, SFDB_BACKUP_ENCRYPTION_KEY: key } },
    )
    expect(run.code, run.stdout + run.stderr).toBe(0)
    return (JSON.parse(run.stdout) as BackupResult).targets[0]?.file ?? ''
  }
  const restore = (args: string[], extraEnv: Record<string, string> = {}): Promise<CliRun> =>
    runCli(
      ['restore', ...args, '--profile', 'rst', ...(args[0] === 'test' ? [] : ['--backup-dir', preDir()])],
      { env: { ...env(), ...extraEnv } },
    )

  beforeAll(async () => {
    // The restore account writes: it is an administrator of the private server.
    await f.conn.query(`GRANT ALL PRIVILEGES ON *.* TO ?@'127.0.0.1' WITH GRANT OPTION`, [f.account.user])
    files.shop = await backup(['single', '--db', 'rshop', '--compress-type', 'zstd'])
    files.crm = await backup(['single', '--db', 'rcrm', '--compress-type', 'gzip'], CRM_KEY)
    files.combined = await backup([
      'filter',
      '--db',
      'rshop',
      '--db',
      'rcrm',
      '--mode',
      'single-file',
      '--no-encrypt',
    ])
  })

  it('single: an encrypted zstd backup into a new --target-db equals the source', async () => {
    const run = await restore([
      'single',
      files.shop,
      '--target-db',
      'rshop_copy',
      '--ticket',
      'CHG-1',
      '--json',
    ])
    expect(run.code, run.stdout + run.stderr).toBe(0)
    const result = JSON.parse(run.stdout) as RestoreResult
    expect(result).toMatchObject({ ok: true, status: 'success', mode: 'single', ticket: 'CHG-1' })
    expect(result.items[0]).toMatchObject({
      databases: ['rshop_copy'],
      createdDatabases: ['rshop_copy'],
      preRestoreBackup: null,
      encrypted: true,
      compression: 'zstd',
    })
    expect(result.items[0]?.tables).toBe(shop.counts.tables)
    expect(await fingerprint(f.conn, 'rshop_copy')).toEqual(shop)
    expect(result.logFile).not.toBeNull()
    expect(JSON.parse(await readFile(result.logFile ?? '', 'utf8'))).toMatchObject({ ticket: 'CHG-1' })
    expect(secretsIn(run)).toEqual([])
  })

  it('refuses a non-empty target (size and tables named, nothing changed); --drop-target backs it up first', async () => {
    await f.conn.query('DELETE FROM rshop_copy.settings')
    const changed = await fingerprint(f.conn, 'rshop_copy')
    const refused = await restore(['single', files.shop, '--target-db', 'rshop_copy', '--ticket', 'CHG-2'])
    expect(refused.code, refused.stdout + refused.stderr).toBe(1)
    expect(refused.stderr).toContain('[TargetNotEmpty]')
    expect(refused.stderr).toMatch(/rshop_copy/)
    // Tables as the server lists them (information_schema.TABLES: the base tables, and views with them).
    const listed = [shop.counts.tables, shop.counts.tables + shop.counts.views]
    expect(refused.stderr).toMatch(new RegExp(`exists with (${listed.join('|')}) tables`))
    expect(refused.stderr).toMatch(/\d+(\.\d+)? (B|KiB|MiB)/)
    expect(refused.stderr).toContain('--drop-target')
    expect(await fingerprint(f.conn, 'rshop_copy')).toEqual(changed)

    const run = await restore([
      'single',
      files.shop,
      '--target-db',
      'rshop_copy',
      '--drop-target',
      '--ticket',
      'CHG-3',
    ])
    expect(run.code, run.stdout + run.stderr).toBe(0)
    expect(await fingerprint(f.conn, 'rshop_copy')).toEqual(shop)
    const pre = /pre-restore backup: (\S+)/.exec(run.stdout)?.[1] ?? ''
    expect(pre.startsWith(join(preDir(), 'rshop_copy'))).toBe(true)
    expect(pre).toMatch(/_pre_restore/)
    expect(await exists(pre)).toBe(true)
    expect(run.stdout).toMatch(/undo: sfdbtools restore single .*--target-db rshop_copy --drop-target/)
    expect(secretsIn(run)).toEqual([])
  })

  it('--dry-run creates nothing; with --json it is one RestorePlanView', async () => {
    const text = await restore([
      'single',
      files.shop,
      '--target-db',
      'rshop_dry',
      '--ticket',
      'T',
      '--dry-run',
    ])
    expect(text.code, text.stdout + text.stderr).toBe(0)
    expect(text.stdout).toContain('rshop_dry: does not exist → created')
    expect(text.stdout).toMatch(/^loader +built-in loader: one connection over the MySQL protocol as /m)
    const viaClient = await restore([
      'single',
      files.shop,
      '--target-db',
      'rshop_dry',
      '--ticket',
      'T',
      '--dry-run',
      '--loader',
      'client',
    ])
    expect(viaClient.code, viaClient.stdout + viaClient.stderr).toBe(0)
    expect(viaClient.stdout).toMatch(/^loader +\S*(mariadb|mysql) --defaults-extra-file=/m)
    const wrong = await restore(['single', files.shop, '--ticket', 'T', '-d', '--loader', 'pipe'])
    expect(wrong.code).toBe(2)
    expect(wrong.stderr).toContain('--loader must be native or client, not "pipe"')
    const json = await restore([
      'single',
      files.shop,
      '--target-db',
      'rshop_dry',
      '--ticket',
      'T',
      '-d',
      '--json',
    ])
    expect(json.code, json.stdout + json.stderr).toBe(0)
    const view = JSON.parse(json.stdout) as RestorePlanView
    expect(view.items[0]?.targets).toEqual([
      expect.objectContaining({ database: 'rshop_dry', exists: false, action: 'create' }),
    ])
    expect(view.problems).toEqual([])
    expect(await databaseExists(f.conn, 'rshop_dry')).toBe(false)
    expect(secretsIn(json)).toEqual([])
  })

  it('without --ticket: a usage error naming it, exit 2', async () => {
    const run = await restore(['single', files.shop, '--target-db', 'x'])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('--ticket')
  })

  it('into the database it was made from: refused without a terminal and --yes (exit 2), runs with --yes', async () => {
    await f.conn.query("INSERT INTO rshop.settings VALUES ('added', 'after the backup')")
    const refused = await restore(['single', files.shop, '--drop-target', '--ticket', 'CHG-4'])
    expect(refused.code, refused.stdout + refused.stderr).toBe(2)
    expect(refused.stderr).toContain('--yes')
    expect(refused.stderr).toContain('rshop')
    const [rows] = await f.conn.query<mysql.RowDataPacket[]>(
      "SELECT COUNT(*) AS n FROM rshop.settings WHERE k = 'added'",
    )
    expect(Number(rows[0]?.n)).toBe(1)
    const run = await restore(['single', files.shop, '--drop-target', '--yes', '--ticket', 'CHG-4'])
    expect(run.code, run.stdout + run.stderr).toBe(0)
    expect(await fingerprint(f.conn, 'rshop')).toEqual(shop)
  })

  it('on a terminal, the same-server restore asks first; "y" runs it', async () => {
    await f.conn.query("INSERT INTO rshop.settings VALUES ('again', 'after the backup')")
    const run = await runCliInTerminal(
      [
        'restore',
        'single',
        files.shop,
        '--profile',
        'rst',
        '--backup-dir',
        preDir(),
        '--drop-target',
        '-t',
        'C',
      ],
      { env: env(), typed: 'y\r' },
    )
    expect(run.code, run.stdout).toBe(0)
    expect(run.stdout).toContain(`Restore rshop over itself on ${f.server.host}? [y/N]`)
    expect(await fingerprint(f.conn, 'rshop')).toEqual(shop)
  })

  it('all: every section into its own database, minus --exclude-db', async () => {
    await f.conn.query('DROP DATABASE rcrm')
    const run = await restore([
      'all',
      files.combined,
      '--exclude-db',
      'rshop',
      '--yes',
      '--ticket',
      'CHG-5',
      '--json',
    ])
    expect(run.code, run.stdout + run.stderr).toBe(0)
    const result = JSON.parse(run.stdout) as RestoreResult
    expect(result.items[0]?.databases).toEqual(['rcrm'])
    expect(await fingerprint(f.conn, 'rcrm')).toEqual(crm)
    // rshop was left out: still as the previous test restored it
    expect(await fingerprint(f.conn, 'rshop')).toEqual(shop)
  })

  it('selection: a CSV of two rows, one with its own key, one with the usual key', async () => {
    const csv = join(f.sandbox.tmp, 'selection.csv')
    await writeFile(
      csv,
      `filename,db_name,enc_key,grants_file\n${files.shop},rshop_sel,,\n${files.crm},rcrm_sel,"${CRM_KEY}",\n`,
    )
    const run = await restore(['selection', csv, '--ticket', 'CHG-6'])
    expect(run.code, run.stdout + run.stderr).toBe(0)
    expect(await fingerprint(f.conn, 'rshop_sel')).toEqual(shop)
    expect(await fingerprint(f.conn, 'rcrm_sel')).toEqual(crm)
    expect(run.stdout).toMatch(/success .*rshop_sel/)
    expect(run.stdout).toMatch(/success .*rcrm_sel/)
    expect(secretsIn(run)).toEqual([])
  })

  it('test: restores into a throwaway database, checks it, drops it, writes the report; exit 0', async () => {
    const run = await restore(['test', files.shop, '--ticket', 'CHG-7'])
    expect(run.code, run.stdout + run.stderr).toBe(0)
    expect(run.stdout).toContain('restore test PASSED')
    const report = JSON.parse(await readFile(`${files.shop}.restore-test.json`, 'utf8')) as RestoreTestReport
    expect(report).toMatchObject({ ok: true, ticket: 'CHG-7', cleanedUp: true })
    expect(report.tables.map((t) => t.name).sort()).toEqual(Object.keys(shop.checksums).sort())
    expect(await databaseExists(f.conn, report.database)).toBe(false)
    expect(secretsIn(run)).toEqual([])
  })

  it('answers to db-restore, dbrestore and import, whose --help lists every flag', async () => {
    const run = await runCli(
      ['db-restore', 'single', files.shop, '--profile', 'rst', '--target-db', 'rshop_alias', '-t', 'CHG-8'],
      { env: env() },
    )
    expect(run.code, run.stdout + run.stderr).toBe(0)
    expect(await fingerprint(f.conn, 'rshop_alias')).toEqual(shop)
    const imported = await runCli(
      ['import', 'single', files.shop, '--profile', 'rst', '--target-db', 'rshop_alias2', '-t', 'T', '-d'],
      { env: env() },
    )
    expect(imported.code, imported.stdout + imported.stderr).toBe(0)
    expect(imported.stdout).toContain('rshop_alias2: does not exist → created')
    for (const alias of ['restore', 'db-restore', 'dbrestore', 'import']) {
      const help = await runCli([alias, '--help'], { env: env() })
      expect(help.code).toBe(0)
      for (const flag of [
        '--profile',
        '--ticket',
        '--target-db',
        '--drop-target',
        '--skip-backup',
        '--parallel',
        '--force',
        '--yes',
        '--dry-run',
        '--json-progress',
        '--exclude-db',
        '--grants-file',
        '--skip-grants',
        '--verify-first',
        '--client-binary',
      ])
        expect(help.stdout).toContain(flag)
    }
    const top = await runCli(['--help'])
    expect(top.stdout).toMatch(/restore <mode>/)
  })

  it('a SQL error stops at its statement (partly restored); --force goes on and lists it (exit 1)', async () => {
    const bad = join(f.sandbox.tmp, 'bad_20260101_000000.sql')
    await writeFile(
      bad,
      [
        'CREATE TABLE t1 (id INT PRIMARY KEY);',
        'INSERT INTO t1 VALUES (1);',
        'INSERT INTO no_such_table VALUES (42);',
        'INSERT INTO t1 VALUES (2);',
        '-- Dump completed on 2026-01-01  0:00:00',
        '',
      ].join('\n'),
    )
    const stop = await restore(['single', bad, '--target-db', 'rbad', '--ticket', 'CHG-9'])
    expect(stop.code, stop.stdout + stop.stderr).toBe(1)
    expect(stop.stdout).toMatch(/SQL error at statement 3\b/)
    expect(stop.stdout).toContain('INSERT INTO no_such_table VALUES (42)')
    expect(stop.stdout).toMatch(/no_such_table.* doesn't exist/)
    expect(stop.stdout).toMatch(/partly restored/i)
    expect(stop.stderr).toMatch(/errors logged to .*sfdbtools_\d{4}-\d{2}-\d{2}_error_restore\.log/)
    const forced = await restore([
      'single',
      bad,
      '--target-db',
      'rbad2',
      '--force',
      '--ticket',
      'CHG-9',
      '--json',
    ])
    expect(forced.code, forced.stdout + forced.stderr).toBe(1)
    const result = JSON.parse(forced.stdout) as RestoreResult
    expect(result.status).toBe('success_with_errors')
    expect(result.items[0]?.sqlErrors).toEqual([expect.objectContaining({ statement: 3 })])
    const [rows] = await f.conn.query<mysql.RowDataPacket[]>('SELECT COUNT(*) AS n FROM rbad2.t1')
    expect(Number(rows[0]?.n)).toBe(2)
    const logDir = join(f.sandbox.env.SFDB_CONFIG_PATH ?? '', 'logs')
    const log = (await readdir(logDir)).find((n) => n.endsWith('_error_restore.log')) ?? ''
    const lines = (await readFile(join(logDir, log), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(lines.map((l: { ticket: string; status: string }) => [l.ticket, l.status])).toEqual([
      ['CHG-9', 'failed'],
      ['CHG-9', 'success_with_errors'],
    ])
    expect(await exists(join(logDir, log))).toBe(true)
  })
})
