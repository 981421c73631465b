/**
 * Table-level control of a backup, end to end with the real mariadb-dump and the private mariadbd: the
 * CLI's --exclude-table / --structure-only / --data-only / --include-table / --dump-arg, the file's dumps
 * (main + a data-only dump into the same file), the metadata's table rules, and restores table by table —
 * the project's own restore (`restore single`, and its loader for a data-only file, sequential and
 * parallel) and the plain `mariadb db < file`. Unknown tables, table rules in the wrong mode and a refused
 * extra dump argument fail with their named errors before anything is written.
 */
import { createReadStream } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import type mysql from 'mysql2/promise'
import { beforeAll, describe, expect, it } from 'vitest'
import type { BackupPlanView, BackupResult } from '../../shared/backup-types.ts'
import type { ConnectionSettings } from '../../shared/job-protocol.ts'
import type { BackupMetadata } from '../../electron/engine/backup/metadata.ts'
import { loadSql } from '../../electron/engine/restore/load/load-sql.ts'
import { useBackupFixture } from '../harness/backup-user.ts'
import { runCli, type CliRun } from '../harness/cli.ts'
import { createSampleDatabase } from '../harness/fixtures.ts'
import { runMariadbClient } from '../harness/mariadb.ts'

const KEY = 'table rules key ✓'

/** A table's rows and a checksum of their content (equal content, equal sum). */
async function tableState(
  conn: mysql.Connection,
  db: string,
  table: string,
): Promise<{ rows: number; sum: string }> {
  const [cols] = await conn.query<mysql.RowDataPacket[]>(
    'SELECT COLUMN_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION',
    [db, table],
  )
  const list = cols.map((r) => `COALESCE(HEX(\`${String(r.c)}\`), 'N')`).join(', ')
  const [rows] = await conn.query<mysql.RowDataPacket[]>(
    `SELECT COUNT(*) AS n, COALESCE(SUM(CRC32(CONCAT_WS('|', ${list}))), 0) AS s FROM \`${db}\`.\`${table}\``,
  )
  return { rows: Number(rows[0]?.n), sum: String(rows[0]?.s) }
}

async function tablesOf(conn: mysql.Connection, db: string): Promise<string[]> {
  const [rows] = await conn.query<mysql.RowDataPacket[]>(
    'SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME',
    [db],
  )
  return rows.map((r) => String(r.t))
}

describe('backup with table rules', () => {
  const f = useBackupFixture('tblr', async (conn) => {
    await createSampleDatabase(conn, 'tblr_shop', { rows: 300 })
    await createSampleDatabase(conn, 'tblr_crm', { rows: 20 })
  })
  const source: Record<string, { rows: number; sum: string }> = {}

  const backup = (args: string[], extraEnv: Record<string, string> = {}, json = true): Promise<CliRun> =>
    runCli(['backup', ...args, '--profile', 'tblr', '--ticket', 'CHG-TBL', ...(json ? ['--json'] : [])], {
      env: { ...f.env, ...extraEnv },
    })
  const connection = (): ConnectionSettings => ({
    host: '127.0.0.1',
    port: f.server.port,
    user: f.server.rootUser,
    password: f.server.rootPassword,
  })
  const scratchWithSettings = async (db: string): Promise<void> => {
    // Data-only tables restore into a database where they exist (as a DBA reloads a table's rows).
    await f.conn.query(`DROP DATABASE IF EXISTS \`${db}\`; CREATE DATABASE \`${db}\``)
    await f.conn.query(`CREATE TABLE \`${db}\`.settings LIKE tblr_shop.settings`)
  }
  /** excluded absent, structure-only empty, data-only rows present, the rest whole. */
  const expectRestored = async (db: string): Promise<void> => {
    const tables = await tablesOf(f.conn, db)
    expect(tables).not.toContain('empty_table')
    expect(tables).toEqual(expect.arrayContaining(['active_customers', 'audit_log', 'customers', 'settings']))
    expect(await tableState(f.conn, db, 'audit_log')).toEqual({ rows: 0, sum: '0' })
    expect(await tableState(f.conn, db, 'settings')).toEqual(source.settings)
    expect(await tableState(f.conn, db, 'customers')).toEqual(source.customers)
    const [view] = await f.conn.query<mysql.RowDataPacket[]>(
      `SELECT COUNT(*) AS n FROM \`${db}\`.active_customers`,
    )
    expect(Number(view[0]?.n)).toBeGreaterThan(0)
  }

  let plainFile = ''
  beforeAll(async () => {
    await f.conn.query(`GRANT ALL PRIVILEGES ON *.* TO ?@'127.0.0.1' WITH GRANT OPTION`, [f.account.user])
    for (const t of ['customers', 'audit_log', 'settings'])
      source[t] = await tableState(f.conn, 'tblr_shop', t)
    expect(source.audit_log?.rows).toBeGreaterThan(0)
    expect(source.settings?.rows).toBe(4)
  })

  it('the dry-run shows both dumps of the file; the run writes them into one file with its table rules recorded', async () => {
    const out = await f.freshOut()
    const flags = [
      'single',
      '--db',
      'tblr_shop',
      '--exclude-table',
      'empty_table',
      '--structure-only',
      'tblr_shop.audit_log',
      '--data-only',
      'settings',
      '--dump-arg=--max-allowed-packet=64M',
      '--compress-type',
      'none',
      '--no-encrypt',
      '--output-dir',
      out,
    ]
    const dry = await backup([...flags, '--dry-run'])
    expect(dry.code, dry.stderr).toBe(0)
    const view = JSON.parse(dry.stdout) as BackupPlanView
    if ('error' in view.dump) throw new Error(view.dump.error.message)
    const commands = view.dump.fileCommands?.[0] ?? []
    expect(commands).toHaveLength(2)
    expect(commands[0]).toEqual(
      expect.arrayContaining([
        '--ignore-table=tblr_shop.empty_table',
        '--ignore-table=tblr_shop.settings',
        '--ignore-table-data=tblr_shop.audit_log',
        '--max-allowed-packet=64M',
      ]),
    )
    expect(commands[1]?.slice(-4)).toEqual(['--no-create-info', '--', 'tblr_shop', 'settings'])
    expect(view.dump.args).toEqual(commands[0])
    expect(view.files[0]?.tables).toEqual([
      {
        database: 'tblr_shop',
        excluded: ['empty_table'],
        structureOnly: ['audit_log'],
        dataOnly: ['settings'],
      },
    ])
    expect(view.warnings.map((w) => w.advice?.code)).toContain('dataOnlyTables')
    expect(await readdir(out)).toEqual([])
    const text = await backup([...flags, '--dry-run'], {}, false)
    expect(text.stdout).toContain('2 dumps into the one file, in this order')
    expect(text.stdout).toContain('tblr_shop: 1 excluded: empty_table')

    const run = await backup(flags)
    expect(run.code, run.stderr).toBe(0)
    const result = JSON.parse(run.stdout) as BackupResult
    plainFile = result.targets[0]?.file ?? ''
    const meta = JSON.parse(await readFile(`${plainFile}.meta.json`, 'utf8')) as BackupMetadata
    expect(meta.table_rules).toEqual({
      tblr_shop: { excluded: ['empty_table'], structure_only: ['audit_log'], data_only: ['settings'] },
    })
    expect(meta.dump.passes).toHaveLength(2)
    expect(meta.dump.args).toContain('--ignore-table=tblr_shop.empty_table')
    expect(meta.dump.args.join(' ')).not.toContain('defaults-extra-file')
    expect(meta.database_name).toBe('tblr_shop')
    const sql = await readFile(plainFile, 'utf8')
    // Two dumps, one after the other, each complete; the second holds the settings rows only.
    expect(sql.match(/^-- Dump completed/gm)).toHaveLength(2)
    const second = sql.slice(sql.indexOf('-- Dump completed') + 1)
    expect(second.match(/INSERT INTO `\w+`/g)).toEqual(['INSERT INTO `settings`'])
    expect(second.match(/CREATE TABLE[^\n]*/g)).toBeNull()
    expect(sql.match(/CREATE TABLE `\w+`/g)).toEqual(['CREATE TABLE `audit_log`', 'CREATE TABLE `customers`'])
    expect(sql.match(/INSERT INTO `audit_log`/g)).toBeNull()
    expect(sql.match(/^USE [^\n]*/gm)).toBeNull()
  })

  it('restores table by table with the plain client and with the project loader, sequential and parallel', async () => {
    expect(plainFile).not.toBe('')
    await scratchWithSettings('tblr_plain')
    await runMariadbClient(f.server, createReadStream(plainFile), 'tblr_plain')
    await expectRestored('tblr_plain')
    for (const parallel of [1, 2]) {
      const db = `tblr_load${parallel}`
      await scratchWithSettings(db)
      const loaded = await loadSql({
        file: plainFile,
        key: null,
        connection: connection(),
        target: { kind: 'one', database: db },
        parallel,
        force: false,
        inventory: false,
        signal: new AbortController().signal,
      })
      expect(loaded.status, JSON.stringify(loaded.error)).toBe('success')
      await expectRestored(db)
    }
  })

  it("the project's restore brings an encrypted zstd backup with excluded and structure-only tables back whole", async () => {
    const out = await f.freshOut()
    const run = await backup(
      [
        'single',
        '--db',
        'tblr_shop',
        '--exclude-table',
        'empty_table',
        '--structure-only',
        'audit_log',
        '--compress-type',
        'zstd',
        '--output-dir',
        out,
      ],
      { SFDB_BACKUP_ENCRYPTION_KEY: KEY },
    )
    expect(run.code, run.stderr).toBe(0)
    const file = (JSON.parse(run.stdout) as BackupResult).targets[0]?.file ?? ''
    const restored = await runCli(
      ['restore', 'single', file, '--profile', 'tblr', '--target-db', 'tblr_restored', '--ticket', 'CHG-R'],
      { env: { ...f.env, SFDB_BACKUP_ENCRYPTION_KEY: KEY } },
    )
    expect(restored.code, restored.stdout + restored.stderr).toBe(0)
    const tables = await tablesOf(f.conn, 'tblr_restored')
    expect(tables).toEqual(['active_customers', 'audit_log', 'customers', 'settings'])
    expect(await tableState(f.conn, 'tblr_restored', 'audit_log')).toEqual({ rows: 0, sum: '0' })
    expect(await tableState(f.conn, 'tblr_restored', 'customers')).toEqual(source.customers)
    expect(await tableState(f.conn, 'tblr_restored', 'settings')).toEqual(source.settings)
  })

  it('--include-table keeps only the named tables; a combined file writes USE before its data-only dump', async () => {
    const out = await f.freshOut()
    const run = await backup([
      'filter',
      '--mode',
      'single-file',
      '--db',
      'tblr_shop',
      '--db',
      'tblr_crm',
      '--include-table',
      'tblr_crm.customers',
      '--data-only',
      'tblr_shop.settings',
      '--compress-type',
      'none',
      '--no-encrypt',
      '--output-dir',
      out,
    ])
    expect(run.code, run.stderr).toBe(0)
    const file = (JSON.parse(run.stdout) as BackupResult).targets[0]?.file ?? ''
    const meta = JSON.parse(await readFile(`${file}.meta.json`, 'utf8')) as BackupMetadata
    expect(meta.table_rules?.tblr_crm).toEqual({
      excluded: ['active_customers', 'audit_log', 'empty_table', 'settings'],
      structure_only: [],
      data_only: [],
      included: ['customers'],
    })
    const sql = await readFile(file, 'utf8')
    const start = sql.indexOf('USE `tblr_crm`')
    const next = sql.indexOf('-- Current Database', start)
    const crm = sql.slice(start, next > start ? next : sql.indexOf('-- Dump completed'))
    expect(crm).toContain('CREATE TABLE `customers`')
    expect(crm.match(/CREATE TABLE `\w+`/g)).toEqual(['CREATE TABLE `customers`'])
    const second = sql.slice(sql.indexOf('-- Dump completed') + 1)
    expect(/USE `tblr_shop`;[\s\S]*INSERT INTO `settings`/.test(second)).toBe(true)
    expect(second.match(/CREATE (DATABASE|TABLE)[^\n]*/g)).toBeNull()
  })

  it('unknown tables, the wrong mode and a refused extra dump argument are named errors; nothing is written', async () => {
    const out = await f.freshOut()
    const unknown = await backup(
      [
        'single',
        '--db',
        'tblr_shop',
        '--exclude-table',
        'nope',
        '--data-only',
        'Settings',
        '--output-dir',
        out,
        '--no-encrypt',
      ],
      {},
      false,
    )
    expect(unknown.code, unknown.stderr).toBe(1)
    expect(unknown.stderr).toContain(
      'error [UnknownTable]: tables nope, Settings are not in the database tblr_shop',
    )
    expect(unknown.stderr).toContain('did you mean settings?')

    const json = await backup([
      'single',
      '--db',
      'tblr_shop',
      '--exclude-table',
      'nope',
      '--output-dir',
      out,
      '--no-encrypt',
    ])
    const failed = JSON.parse(json.stdout) as BackupResult
    expect(failed.targets[0]?.error?.code).toBe('UnknownTable')
    expect(failed.targets[0]?.error?.advice).toMatchObject({
      code: 'unknownTable',
      params: { tables: 'nope' },
    })

    const other = await backup([
      'single',
      '--db',
      'tblr_shop',
      '--exclude-table',
      'tblr_crm.settings',
      '--output-dir',
      out,
    ])
    expect(other.code).toBe(2)
    expect((JSON.parse(other.stdout) as BackupResult).targets[0]?.error?.advice?.code).toBe(
      'tableRulesDatabase',
    )

    const mode = await backup(['all', '--exclude-table', 'tblr_shop.settings', '--output-dir', out])
    expect(mode.code).toBe(2)
    expect(mode.stderr).toContain('belong to modes single and filter, not all')

    const refused = await backup(
      [
        'single',
        '--db',
        'tblr_shop',
        '--dump-arg=--result-file=/tmp/tblr.sql',
        '--output-dir',
        out,
        '--no-encrypt',
      ],
      {},
      false,
    )
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain(
      "error [InvalidInput]: the extra dump argument '--result-file=/tmp/tblr.sql' of this backup is refused: --result-file writes the dump outside the backup pipeline",
    )
    const selection = await backup([
      'single',
      '--db',
      'tblr_shop',
      '--dump-arg=--all-databases',
      '--output-dir',
      out,
    ])
    expect(selection.code).toBe(2)
    expect((JSON.parse(selection.stdout) as BackupResult).targets[0]?.error?.message).toContain(
      '--all-databases changes which databases',
    )
    expect(await readdir(out)).toEqual([])
  })
})
