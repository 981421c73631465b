/**
 * What a run asks the server, on a private server of its own (its counters and general log see only this
 * test): the accounts and their grants once per run, not once per file — a run of three files asks as many
 * SHOW GRANTS as a run of one and SHOW CREATE USER once per exported account, and each `.users.sql` still
 * holds exactly its database's accounts; a one-database plan sizes only that database, not every table of
 * the server.
 * Real parts: the CLI and its job, mariadbd, mariadb-dump.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type mysql from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BackupResult } from '../../shared/backup-types.ts'
import { createBackupAccount, type BackupAccount } from '../harness/backup-user.ts'
import { cliSandbox, runCli } from '../harness/cli.ts'
import { connectRoot, startPrivateServer, stopPrivateServer, type PrivateServer } from '../harness/mariadb.ts'

describe('backup: what a run reads from the server', () => {
  let server: PrivateServer
  let conn: mysql.Connection
  let sandbox: Awaited<ReturnType<typeof cliSandbox>>
  let account: BackupAccount
  let runs = 0

  beforeAll(async () => {
    server = await startPrivateServer()
    conn = await connectRoot(server)
    for (const db of ['g_a', 'g_b', 'g_c']) {
      await conn.query(`CREATE DATABASE ${db}; CREATE TABLE ${db}.t (id INT PRIMARY KEY)`)
      await conn.query(`CREATE USER 'u_${db}'@'%' IDENTIFIED BY 'pw-${db}'`)
      await conn.query(`GRANT SELECT, INSERT ON ${db}.* TO 'u_${db}'@'%'`)
    }
    await conn.query(`CREATE ROLE r_reader; GRANT SELECT ON g_b.* TO r_reader; GRANT r_reader TO 'u_g_c'@'%'`)
    sandbox = await cliSandbox()
    account = await createBackupAccount(conn, server, sandbox.env, 'grantsonce')
  }, 120_000)
  afterAll(async () => {
    await conn?.end()
    if (server) await stopPrivateServer(server)
  })

  const counters = async (): Promise<Record<string, number>> => {
    const [rows] = await conn.query<mysql.RowDataPacket[]>(
      "SHOW GLOBAL STATUS WHERE Variable_name IN ('Com_show_grants', 'Com_show_create_user')",
    )
    return Object.fromEntries(rows.map((r) => [String(r.Variable_name), Number(r.Value)]))
  }
  /** A multi-file backup of `databases` with their grants; returns the result and the statements it asked. */
  const backup = async (databases: string[]) => {
    const before = await counters()
    const run = await runCli(
      [
        'backup',
        'filter',
        '-p',
        account.profile,
        '-t',
        'T-G',
        '--mode',
        'multi-file',
        ...databases.flatMap((d) => ['--db', d]),
        '--no-encrypt',
        '-o',
        join(sandbox.tmp, `out-${++runs}`),
        '--json',
      ],
      { env: { ...sandbox.env, SFDB_PROFILE_KEY: account.profileKey } },
    )
    expect(run.code, run.stderr).toBe(0)
    const after = await counters()
    const asked = Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - (before[k] ?? 0)]))
    return { result: JSON.parse(run.stdout) as BackupResult, asked }
  }

  it('reads the accounts once for three files as for one, and gives each file its own accounts', async () => {
    const one = await backup(['g_a'])
    const three = await backup(['g_a', 'g_b', 'g_c'])
    // Every account's grants once per run, whatever the number of files…
    expect(one.asked.Com_show_grants).toBeGreaterThan(0)
    expect(three.asked.Com_show_grants).toBe(one.asked.Com_show_grants)
    // …and the creation of only the accounts some file exports, each once (u_g_c is in two files; the
    // backup account, root and the other global accounts concern no database; a role has no CREATE USER).
    expect(one.asked.Com_show_create_user).toBe(1)
    expect(three.asked.Com_show_create_user).toBe(3)

    const users = async (db: string): Promise<string> => {
      const file = three.result.targets.find((t) => t.databases[0] === db)?.file as string
      return readFile(`${file}.users.sql`, 'utf8')
    }
    const a = await users('g_a')
    expect(a).toContain("'u_g_a'@'%'")
    expect(a).not.toMatch(/u_g_b|u_g_c|r_reader/)
    const b = await users('g_b')
    // u_g_c reads g_b through its role: both travel with g_b's file, the role first.
    expect(b).toContain("'u_g_b'@'%'")
    expect(b).toContain("'u_g_c'@'%'")
    expect(b.indexOf('CREATE ROLE IF NOT EXISTS `r_reader`')).toBeGreaterThan(-1)
    expect(b).not.toContain("'u_g_a'@'%'")
    const c = await users('g_c')
    expect(c).toContain('GRANT SELECT, INSERT ON `g_c`.* TO `u_g_c`@`%`')
  }, 120_000)

  it('a one-database plan sizes only its database: no scan of every table on the server', async () => {
    for (let i = 0; i < 5; i++)
      await conn.query(`CREATE DATABASE other_${i}; CREATE TABLE other_${i}.t (id INT)`)
    await conn.query(
      "SET GLOBAL log_output = 'TABLE'; TRUNCATE mysql.general_log; SET GLOBAL general_log = 1",
    )
    let log: mysql.RowDataPacket[]
    try {
      const run = await runCli(
        ['backup', 'single', '-p', account.profile, '--db', 'g_b', '-t', 'T-S', '--dry-run', '--json'],
        { env: { ...sandbox.env, SFDB_PROFILE_KEY: account.profileKey } },
      )
      expect(run.code, run.stderr).toBe(0)
      expect(JSON.parse(run.stdout).files[0].databases[0]).toMatchObject({ name: 'g_b', tables: 1 })
    } finally {
      await conn.query('SET GLOBAL general_log = 0')
      ;[log] = await conn.query<mysql.RowDataPacket[]>(
        "SELECT CONVERT(argument USING utf8mb4) AS q FROM mysql.general_log WHERE user_host LIKE ? AND command_type = 'Query'",
        [`${account.user}%`],
      )
    }
    const tableScans = log.map((r) => String(r.q)).filter((q) => /information_schema\.TABLES\b/i.test(q))
    expect(tableScans.length).toBeGreaterThan(0)
    // Every query of the TABLES view names its database on the view itself: joined from SCHEMATA, the
    // server opened every table of every database whatever the WHERE said.
    for (const q of tableScans) {
      expect(q, q).toMatch(/TABLE_SCHEMA (IN \('g_b'\)|= 'g_b')/)
      expect(q, q).not.toMatch(/\bJOIN\b/i)
    }
  }, 120_000)
})
