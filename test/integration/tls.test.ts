import { join } from 'node:path'
import type { RowDataPacket } from 'mysql2/promise'
import { describe, expect, it } from 'vitest'
import type { BackupResult } from '../../shared/backup-types.ts'
import { startDump } from '../../electron/engine/dump/dump-process.ts'
import { openConnection } from '../../electron/engine/mysql/connection.ts'
import { useBackupFixture } from '../harness/backup-user.ts'
import { runCli } from '../harness/cli.ts'
import { createSampleDatabase } from '../harness/fixtures.ts'

describe('TLS to the server (a private CA and server certificate)', () => {
  const f = useBackupFixture('tls', async (conn) => {
    await createSampleDatabase(conn, 'tlsdb', { rows: 30 })
  })
  const setTls = async (mode: string, ca?: string) => {
    const run = await runCli(
      ['profile', 'edit', 'tls', '--ssl-mode', mode, ...(ca ? ['--ssl-ca', ca] : [])],
      {
        env: f.env,
      },
    )
    expect(run.code, run.stderr).toBe(0)
  }

  it('an account that REQUIRES SSL is refused without TLS and served with verify-ca (connection and dump)', async () => {
    await f.conn.query(`ALTER USER ?@'127.0.0.1' REQUIRE SSL`, [f.account.user])
    const plain = await runCli(['profile', 'test', 'tls'], { env: f.env })
    expect(plain.code).toBe(1)
    expect(plain.stderr).toContain('[AuthFailed]')

    await setTls('verify-ca', f.server.tls.ca)
    const shown = JSON.parse((await runCli(['profile', 'show', 'tls', '--json'], { env: f.env })).stdout)
    expect(shown.tls).toEqual({ mode: 'verify-ca', ca: f.server.tls.ca })
    expect((await runCli(['profile', 'test', 'tls'], { env: f.env })).code).toBe(0)
    // The dump binary must use TLS too, or the server would refuse it.
    const out = join(f.sandbox.tmp, 'tls-out')
    const run = await runCli(
      ['backup', 'single', '-p', 'tls', '--db', 'tlsdb', '-t', 'TLS', '-o', out, '--json'],
      {
        env: f.env,
      },
    )
    expect(run.code, run.stderr).toBe(0)
    expect((JSON.parse(run.stdout) as BackupResult).targets[0]?.status).toBe('success')
  })

  it('the SQL connection really is encrypted', async () => {
    const conn = await openConnection({
      host: f.server.host,
      port: f.server.port,
      user: f.account.user,
      password: f.account.password,
      tls: { mode: 'verify-identity', ca: f.server.tls.ca },
    })
    const [rows] = await conn.query<RowDataPacket[]>("SHOW SESSION STATUS LIKE 'Ssl_cipher'")
    expect(String(rows[0]?.Value)).not.toBe('')
    await conn.end()
  })

  it('verify-ca with the wrong CA fails clearly, for the connection and for the dump binary', async () => {
    await setTls('verify-ca', f.server.tls.wrongCa)
    const run = await runCli(['profile', 'test', 'tls'], { env: f.env })
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('[ConnectFailed]')
    expect(run.stderr).toContain('ssl_ca')
    const settings = {
      host: f.server.host,
      port: f.server.port,
      user: f.account.user,
      password: f.account.password,
      tls: { mode: 'verify-ca' as const, ca: f.server.tls.wrongCa },
    }
    const dump = await startDump('/usr/bin/mariadb-dump', settings, ['--', 'tlsdb'], 'mariadb')
    for await (const _ of dump.stdout) void _
    const exit = await dump.exited
    expect(exit.outcome).toBe('fatal')
    expect(exit.stderrTail.toLowerCase()).toMatch(/ssl|tls|certificate/)
  })

  it('required encrypts without checking the certificate', async () => {
    await setTls('required')
    expect((await runCli(['profile', 'test', 'tls'], { env: f.env })).code).toBe(0)
    await f.conn.query(`ALTER USER ?@'127.0.0.1' REQUIRE NONE`, [f.account.user])
  })
})
