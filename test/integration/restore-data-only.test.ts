/**
 * A backup with data-only tables (rows without CREATE TABLE), restored with the real CLI, the real
 * mariadb-dump and the private mariadbd: a fresh target, a target that lacks the tables, a replace
 * (--drop-target) and a restore test are refused at plan time with DataOnlyTablesMissing (exit 1, nothing
 * changed on the server); a target that has the tables is kept and gets the rows added.
 */
import type mysql from 'mysql2/promise'
import { beforeAll, describe, expect, it } from 'vitest'
import type { BackupResult } from '../../shared/backup-types.ts'
import type { RestorePlanView, RestoreResult } from '../../shared/restore-types.ts'
import { useBackupFixture } from '../harness/backup-user.ts'
import { runCli } from '../harness/cli.ts'
import { createSampleDatabase } from '../harness/fixtures.ts'

const count = async (conn: mysql.Connection, sql: string, params: unknown[] = []): Promise<number> => {
  const [rows] = await conn.query<mysql.RowDataPacket[]>(sql, params)
  return Number(rows[0]?.n ?? 0)
}
const tableCount = (conn: mysql.Connection, db: string): Promise<number> =>
  count(conn, 'SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?', [db])
const schemaExists = async (conn: mysql.Connection, db: string): Promise<boolean> =>
  (await count(conn, 'SELECT COUNT(*) AS n FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [db])) > 0

describe('restore of a backup with data-only tables', () => {
  const f = useBackupFixture('rdo', async (conn) => {
    await createSampleDatabase(conn, 'rdo_shop', { rows: 50 })
    for (const db of ['rdo_fresh', 'rdo_lacks', 'rdo_has', 'rdo_drop'])
      await conn.query(`DROP DATABASE IF EXISTS \`${db}\``)
  })
  let file = ''
  let settingsRows = 0
  let customersRows = 0

  const restore = (args: string[]) => runCli(['restore', ...args, '--profile', 'rdo'], { env: f.env })

  beforeAll(async () => {
    settingsRows = await count(f.conn, 'SELECT COUNT(*) AS n FROM rdo_shop.settings')
    customersRows = await count(f.conn, 'SELECT COUNT(*) AS n FROM rdo_shop.customers')
    const out = await f.freshOut()
    const run = await runCli(
      [
        'backup',
        'single',
        '--db',
        'rdo_shop',
        '--data-only',
        'settings',
        '--exclude-table',
        'empty_table',
        '--compress-type',
        'zstd',
        '--no-encrypt',
        '--output-dir',
        out,
        '--profile',
        'rdo',
        '--ticket',
        'CHG-RDO',
        '--json',
      ],
      { env: f.env },
    )
    expect(run.code, run.stderr).toBe(0)
    file = (JSON.parse(run.stdout) as BackupResult).targets[0]?.file ?? ''
    // The account restores (triggers with a DEFINER need more than a database's privileges).
    await f.conn.query(`GRANT ALL PRIVILEGES ON *.* TO ?@'127.0.0.1' WITH GRANT OPTION`, [f.account.user])
    // A database that has some tables, but not the data-only one; one that has it (and another table).
    await f.conn.query('CREATE DATABASE rdo_lacks; CREATE TABLE rdo_lacks.other (id INT PRIMARY KEY)')
    await f.conn.query('CREATE DATABASE rdo_has; CREATE TABLE rdo_has.settings LIKE rdo_shop.settings')
    await f.conn.query(
      'CREATE TABLE rdo_has.keep_me (id INT PRIMARY KEY); INSERT INTO rdo_has.keep_me VALUES (7)',
    )
    await f.conn.query('CREATE DATABASE rdo_drop; CREATE TABLE rdo_drop.settings LIKE rdo_shop.settings')
  })

  it('the dry-run into a new database shows the table rules and refuses with the named reason', async () => {
    const human = await restore(['single', file, '--target-db', 'rdo_fresh', '--ticket', 'T', '--dry-run'])
    expect(human.code).toBe(1)
    expect(human.stdout).toMatch(
      /tables {4}rdo_shop: 1 table excluded \(empty_table\) · 1 data only \(settings\)/,
    )
    expect(human.stdout).toMatch(
      /rdo_fresh: does not exist → REFUSED \(the file's data-only tables settings need it/,
    )
    expect(human.stderr).toMatch(
      /error \[DataOnlyTablesMissing\]: the backup holds only the rows of the table settings/,
    )
    expect(human.stderr).toMatch(
      /fix: .*--target-db into a database that already has these tables, without --drop-target/,
    )
    const json = await restore([
      'single',
      file,
      '--target-db',
      'rdo_fresh',
      '--ticket',
      'T',
      '--dry-run',
      '--json',
    ])
    expect(json.code).toBe(1)
    const view = JSON.parse(json.stdout) as RestorePlanView
    expect(view.problems[0]).toMatchObject({
      code: 'DataOnlyTablesMissing',
      advice: { code: 'dataOnlyTargetMissing', params: { database: 'rdo_fresh', tables: 'settings' } },
    })
    expect(view.items[0]?.tableRules).toEqual({
      rdo_shop: { excluded: ['empty_table'], structureOnly: [], dataOnly: ['settings'], included: null },
    })
    expect(await schemaExists(f.conn, 'rdo_fresh')).toBe(false)
  })

  it('a real run into a new database or one that lacks the table is refused: exit 1, nothing changed', async () => {
    const fresh = await restore(['single', file, '--target-db', 'rdo_fresh', '--ticket', 'T'])
    expect(fresh.code, fresh.stderr).toBe(1)
    expect(fresh.stderr).toMatch(/error \[DataOnlyTablesMissing\].*rdo_fresh does not exist/)
    expect(await schemaExists(f.conn, 'rdo_fresh')).toBe(false)
    const lacks = await restore(['single', file, '--target-db', 'rdo_lacks', '--ticket', 'T'])
    expect(lacks.code, lacks.stderr).toBe(1)
    expect(lacks.stderr).toMatch(/error \[DataOnlyTablesMissing\].*rdo_lacks has no table settings/)
    expect(lacks.stderr).not.toMatch(/TargetNotEmpty/)
    expect(await tableCount(f.conn, 'rdo_lacks')).toBe(1)
  })

  it('--drop-target of a database that has the table is refused: replacing it would drop the table', async () => {
    const run = await restore(['single', file, '--target-db', 'rdo_drop', '--drop-target', '--ticket', 'T'])
    expect(run.code, run.stderr).toBe(1)
    expect(run.stderr).toMatch(
      /error \[DataOnlyTablesMissing\].*replacing rdo_drop would drop the table settings/,
    )
    expect(await tableCount(f.conn, 'rdo_drop')).toBe(1)
    expect(await count(f.conn, 'SELECT COUNT(*) AS n FROM rdo_drop.settings')).toBe(0)
  })

  it('into a database that has the table: kept, backed up first, the rows added', async () => {
    const backups = await f.freshOut()
    const dry = await restore(['single', file, '--target-db', 'rdo_has', '--ticket', 'T', '--dry-run'])
    expect(dry.code, dry.stderr).toBe(0)
    expect(dry.stdout).toMatch(
      /rdo_has: exists.* → backed up to .*kept \(not dropped\) and loaded: the rows of settings are added/,
    )
    expect(dry.stdout).toMatch(
      /warning {5}rdo_has: the rows of settings \(data only in this backup\) are added/,
    )
    const run = await restore([
      'single',
      file,
      '--target-db',
      'rdo_has',
      '--backup-dir',
      backups,
      '--ticket',
      'T',
      '--json',
    ])
    expect(run.code, run.stdout + run.stderr).toBe(0)
    const result = JSON.parse(run.stdout) as RestoreResult
    expect(result.items[0]).toMatchObject({ status: 'success', droppedDatabases: [] })
    expect(result.items[0]?.preRestoreBackup).toMatch(/rdo_has_.*_pre_restore/)
    expect(await count(f.conn, 'SELECT COUNT(*) AS n FROM rdo_has.settings')).toBe(settingsRows)
    expect(await count(f.conn, 'SELECT COUNT(*) AS n FROM rdo_has.customers')).toBe(customersRows)
    expect(await count(f.conn, 'SELECT COUNT(*) AS n FROM rdo_has.keep_me')).toBe(1)
  })

  it('a restore test is refused up front with the same reason; no throwaway database is made', async () => {
    const before = await count(
      f.conn,
      "SELECT COUNT(*) AS n FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE 'sfdb\\_restoretest\\_%'",
    )
    const run = await restore(['test', file, '--ticket', 'T'])
    expect(run.code, run.stderr).toBe(1)
    expect(run.stderr).toMatch(
      /error \[DataOnlyTablesMissing\].*a restore test loads it into a new, empty database/,
    )
    const after = await count(
      f.conn,
      "SELECT COUNT(*) AS n FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE 'sfdb\\_restoretest\\_%'",
    )
    expect(after).toBe(before)
  })

  it('verify names the table rules', async () => {
    const run = await runCli(['verify', file], { env: f.env })
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toMatch(
      /tables {7}rdo_shop: 1 table excluded \(empty_table\) · 1 data only \(settings\) — restores only/,
    )
  })
})
