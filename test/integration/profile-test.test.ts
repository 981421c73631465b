import { describe, expect, it } from 'vitest'
import { useBackupFixture } from '../harness/backup-user.ts'
import { runCli } from '../harness/cli.ts'

interface TestReport {
  ok: boolean
  server: { flavor: string; version: string; hostname: string }
  binlog: boolean
  gtid: string
  account: string
  missingPrivileges: string[]
  fix: string | null
  options: { option: string; privilege: string; fix: string }[]
}

describe('profile test', () => {
  const f = useBackupFixture('ptest', async () => {})

  it('reports flavor, version, hostname, binlog/GTID and that nothing is missing', async () => {
    const run = await runCli(['profile', 'test', 'ptest', '--json'], { env: f.env })
    expect(run.code, run.stderr).toBe(0)
    const report = JSON.parse(run.stdout) as TestReport
    expect(report.ok).toBe(true)
    expect(report.server.flavor).toBe('mariadb')
    expect(report.server.version).toMatch(/^\d+\.\d+\.\d+/)
    expect(report.server.hostname).not.toBe('')
    expect(report.binlog).toBe(true)
    expect(report.gtid).toContain('MariaDB GTID')
    expect(report.account).toBe(`'${f.account.user}'@'127.0.0.1'`)
    expect(report.missingPrivileges).toEqual([])
    expect(run.stdout).not.toContain(f.account.password)
  })

  it('names each missing privilege with the GRANT that fixes it, and the GRANT works', async () => {
    await f.conn.query(`REVOKE RELOAD, EVENT, LOCK TABLES ON *.* FROM ?@'127.0.0.1'`, [f.account.user])
    const run = await runCli(['profile', 'test', 'ptest'], { env: f.env })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('EVENT, LOCK TABLES, RELOAD')
    const fix = `GRANT EVENT, LOCK TABLES, RELOAD ON *.* TO '${f.account.user}'@'127.0.0.1';`
    expect(run.stdout).toContain(fix)
    await f.conn.query(fix)
    expect((await runCli(['profile', 'test', 'ptest'], { env: f.env })).code).toBe(0)
  })

  it('names what GTID capture needs instead of claiming every privilege a backup needs', async () => {
    const account = `'${f.account.user}'@'127.0.0.1'`
    // The backup account holds the basics (and SELECT on *.*, which covers the grants export), not BINLOG MONITOR.
    const run = await runCli(['profile', 'test', 'ptest'], { env: f.env })
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toContain('everything a consistent backup needs, but not what these options need:')
    expect(run.stdout).toContain(
      `GTID capture (--capture-gtid) needs BINLOG MONITOR; an administrator can run: GRANT BINLOG MONITOR ON *.* TO ${account};`,
    )
    const json = JSON.parse(
      (await runCli(['profile', 'test', 'ptest', '--json'], { env: f.env })).stdout,
    ) as TestReport
    expect(json.options).toEqual([
      {
        option: 'captureGtid',
        privilege: 'BINLOG MONITOR',
        fix: `GRANT BINLOG MONITOR ON *.* TO ${account};`,
      },
    ])
    await f.conn.query(`GRANT BINLOG MONITOR ON *.* TO ${account}`)
    try {
      const granted = await runCli(['profile', 'test', 'ptest'], { env: f.env })
      expect(granted.stdout).toMatch(/^privileges everything a consistent backup needs$/m)
      expect(granted.stdout).not.toContain('option ')
    } finally {
      await f.conn.query(`REVOKE BINLOG MONITOR ON *.* FROM ${account}`)
    }
  })

  it('a wrong password is AuthFailed', async () => {
    await f.conn.query(`ALTER USER ?@'127.0.0.1' IDENTIFIED BY 'changed'`, [f.account.user])
    const run = await runCli(['profile', 'test', 'ptest'], { env: f.env })
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('[AuthFailed]')
  })
})
