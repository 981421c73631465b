/**
 * The privilege pre-check reads what the account really holds: database-level grants and roles (issue 11
 * point 14), and what the chosen options need — GTID capture, the grants export (point 22). Real accounts on
 * the private server, each with exactly the grants of its case.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { planBackup, type BackupRequest } from '../../electron/engine/backup/plan-backup.ts'
import { toPlanView } from '../../electron/engine/backup/plan-view.ts'
import { testConnection } from '../../electron/engine/mysql/connection-test.ts'
import { trickyPassword, useBackupFixture } from '../harness/backup-user.ts'
import { runCli } from '../harness/cli.ts'
import { createSampleDatabase } from '../harness/fixtures.ts'

const PER_DATABASE = 'SELECT, SHOW VIEW, TRIGGER, EVENT, LOCK TABLES'

describe('privilege pre-check', () => {
  const f = useBackupFixture('privcheck', async (conn) => {
    for (const db of ['pv_direct', 'pv_role', 'pv_partial', 'pv_noacct'])
      await createSampleDatabase(conn, db, { rows: 5 })
    // An application account with grants on pv_direct only: that database's file gets a .users.sql.
    await conn.query(`DROP USER IF EXISTS 'pv_app'@'%'`)
    await conn.query(`CREATE USER 'pv_app'@'%' IDENTIFIED BY 'pv-app-pw'`)
    await conn.query('GRANT SELECT, INSERT ON pv_direct.* TO ?@?', ['pv_app', '%'])
  })

  /** A fresh account with exactly `grants` (each `GRANT … TO ?` for it) — and nothing else. */
  const account = async (user: string, grants: string[]): Promise<{ user: string; password: string }> => {
    const password = trickyPassword()
    await f.conn.query(`DROP USER IF EXISTS ?@'127.0.0.1'`, [user])
    await f.conn.query(`CREATE USER ?@'127.0.0.1' IDENTIFIED BY ?`, [user, password])
    for (const g of grants) await f.conn.query(`${g} ?@'127.0.0.1'`, [user])
    return { user, password }
  }

  const request = (who: { user: string; password: string }, over: Partial<BackupRequest>): BackupRequest => ({
    mode: 'single',
    profileName: 'privcheck',
    connection: { host: f.server.host, port: f.server.port, ...who },
    selection: {
      databases: [],
      excludeDatabases: [],
      excludeSystem: true,
      excludeEmpty: false,
      companions: [],
    },
    ticket: 'PV',
    compression: { type: 'none', level: 0 },
    encryptionKey: null,
    outputDir: join(f.sandbox.tmp, 'pv-out'),
    excludeUser: true,
    ...over,
  })
  const one = (db: string): Partial<BackupRequest> => ({
    selection: {
      databases: [db],
      excludeDatabases: [],
      excludeSystem: true,
      excludeEmpty: false,
      companions: [],
    },
  })
  const privilegeWarnings = (p: Awaited<ReturnType<typeof planBackup>>): string[] =>
    p.warnings.filter((w) => w.advice?.code === 'missingPrivileges').map((w) => w.message)

  it('counts database-level grants and grants through (nested) default roles on the databases of the plan', async () => {
    await f.conn.query('DROP ROLE IF EXISTS pv_reader, pv_outer')
    await f.conn.query('CREATE ROLE pv_reader')
    await f.conn.query(`GRANT ${PER_DATABASE} ON pv_role.* TO pv_reader`)
    await f.conn.query('CREATE ROLE pv_outer')
    await f.conn.query('GRANT pv_reader TO pv_outer')
    const who = await account('pv_dblevel', [
      'GRANT RELOAD ON *.* TO',
      `GRANT ${PER_DATABASE} ON pv_direct.* TO`,
      `GRANT SELECT ON pv_partial.* TO`,
      'GRANT pv_outer TO',
    ])
    await f.conn.query(`SET DEFAULT ROLE pv_outer FOR ?@'127.0.0.1'`, [who.user])

    expect(privilegeWarnings(await planBackup(request(who, one('pv_direct'))))).toEqual([])
    expect(privilegeWarnings(await planBackup(request(who, one('pv_role'))))).toEqual([])
    // Held on one database but not on the other: what the backup of both lacks is named, with the GRANT.
    const partial = await planBackup(request(who, one('pv_partial')))
    const warning = partial.warnings.find((w) => w.advice?.code === 'missingPrivileges')
    expect(warning?.message).toMatch(/lacks SHOW VIEW, TRIGGER, EVENT, LOCK TABLES;/)
    expect(warning?.advice?.params?.grant).toBe(
      `GRANT SHOW VIEW, TRIGGER, EVENT, LOCK TABLES ON *.* TO '${who.user}'@'127.0.0.1';`,
    )
  })

  it('GTID capture without BINLOG MONITOR and the grants export without SELECT on mysql: the dry-run warns and promises neither file', async () => {
    const who = await account('pv_noopts', [`GRANT ${PER_DATABASE}, RELOAD ON *.* TO`])
    await f.conn.query('REVOKE SELECT ON *.* FROM ?@?', [who.user, '127.0.0.1'])
    await f.conn.query(`GRANT SELECT ON pv_direct.* TO ?@'127.0.0.1'`, [who.user])
    const planned = await planBackup(
      request(who, { ...one('pv_direct'), captureGtid: true, excludeUser: false }),
    )
    const messages = privilegeWarnings(planned)
    expect(messages).toEqual([
      `GTID capture needs BINLOG MONITOR, which the account '${who.user}'@'127.0.0.1' lacks: no .gtid file will be written`,
      `the grants export needs SELECT ON mysql.*, which the account '${who.user}'@'127.0.0.1' lacks: no .users.sql file will be written`,
    ])
    const grants = planned.warnings.map((w) => w.advice?.params?.grant)
    expect(grants).toContain(`GRANT BINLOG MONITOR ON *.* TO '${who.user}'@'127.0.0.1';`)
    expect(grants).toContain(`GRANT SELECT ON mysql.* TO '${who.user}'@'127.0.0.1';`)
    const view = toPlanView(planned)
    expect(view.files[0]?.companions).toEqual([`${planned.files[0]?.path}.meta.json`])

    // The connection test names what those options need instead of "every privilege a backup needs".
    const report = await testConnection({ host: f.server.host, port: f.server.port, ...who }, {})
    // Its global grants show it every database, but SELECT it holds on pv_direct only.
    expect(report.missingPrivileges).toEqual(['SELECT'])
    expect(report.options).toEqual([
      {
        option: 'captureGtid',
        privilege: 'BINLOG MONITOR',
        fix: `GRANT BINLOG MONITOR ON *.* TO '${who.user}'@'127.0.0.1';`,
      },
      {
        option: 'grantsExport',
        privilege: 'SELECT ON mysql.*',
        fix: `GRANT SELECT ON mysql.* TO '${who.user}'@'127.0.0.1';`,
      },
    ])

    // With both granted, nothing is warned and both files are promised.
    await f.conn.query(`GRANT BINLOG MONITOR ON *.* TO ?@'127.0.0.1'`, [who.user])
    await f.conn.query(`GRANT SELECT ON mysql.* TO ?@'127.0.0.1'`, [who.user])
    const granted = await planBackup(
      request(who, { ...one('pv_direct'), captureGtid: true, excludeUser: false }),
    )
    expect(privilegeWarnings(granted)).toEqual([])
    const path = granted.files[0]?.path
    expect(toPlanView(granted).files[0]?.companions).toEqual([
      `${path}.meta.json`,
      `${path}.users.sql`,
      `${path}.gtid`,
    ])
  })

  it('promises a .users.sql only for databases some account holds grants on, and says why the others get none', async () => {
    const planned = await planBackup(
      request(f.account, {
        mode: 'filter',
        selection: {
          databases: ['pv_direct', 'pv_noacct'],
          excludeDatabases: [],
          excludeSystem: true,
          excludeEmpty: false,
          companions: [],
          filterMode: 'multi-file',
        },
        excludeUser: false,
      }),
    )
    const byDb = new Map(toPlanView(planned).files.map((v) => [v.databases[0]?.name, v.companions]))
    expect(byDb.get('pv_direct')?.some((c) => c.endsWith('.users.sql'))).toBe(true)
    expect(byDb.get('pv_noacct')?.some((c) => c.endsWith('.users.sql'))).toBe(false)
    const skipped = planned.warnings.find((w) => w.message.includes('.users.sql'))
    expect(skipped?.message).toMatch(
      /^no pv_noacct_.*\.users\.sql: no account holds grants on pv_noacct; accounts with only global grants \(on \*\.\*\) .*all databases$/,
    )
  })

  it('GTID capture without BINLOG MONITOR: the dry-run warns, and the run says its files ended with warnings', async () => {
    // The fixture's backup account holds the basics on *.*, not BINLOG MONITOR.
    const args = ['backup', 'single', '-p', 'privcheck', '--db', 'pv_direct', '-t', 'GW', '--capture-gtid']
    const out = join(f.sandbox.tmp, 'gtid-warn')
    const dry = await runCli([...args, '-o', out, '--dry-run'], { env: f.env })
    expect(dry.code, dry.stderr).toBe(0)
    expect(dry.stdout + dry.stderr).toContain('GTID capture needs BINLOG MONITOR')
    expect(dry.stdout).toMatch(/^ {4}\+ .*\.meta\.json$/m)
    expect(dry.stdout).not.toMatch(/^ {4}\+ .*\.gtid$/m)
    const run = await runCli([...args, '-o', out], { env: f.env })
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toMatch(/: 1 succeeded \(1 with warnings\), 0 failed, in /)
    expect(run.stdout).toContain('success_with_warnings')
  })
})
