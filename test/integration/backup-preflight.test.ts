import { access, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { planBackup, flavorMismatch } from '../../electron/engine/backup/plan-backup.ts'
import type { BackupRequest } from '../../electron/engine/backup/plan-backup.ts'
import { useBackupFixture } from '../harness/backup-user.ts'
import { runCli, runCliInTerminal } from '../harness/cli.ts'
import { createSampleDatabase } from '../harness/fixtures.ts'

describe('pre-flight checks and interactive backup options', () => {
  const f = useBackupFixture('preflight', async (conn) => {
    await createSampleDatabase(conn, 'pf_a', { rows: 200 })
    await createSampleDatabase(conn, 'pf_b', { rows: 20 })
  })
  const request = (over: Partial<BackupRequest> = {}): BackupRequest => ({
    mode: 'single',
    profileName: 'preflight',
    connection: {
      host: f.server.host,
      port: f.server.port,
      user: f.account.user,
      password: f.account.password,
    },
    selection: {
      databases: ['pf_a'],
      excludeDatabases: [],
      excludeSystem: true,
      excludeEmpty: false,
      companions: [],
    },
    ticket: 'PF',
    compression: { type: 'none', level: 0 },
    encryptionKey: null,
    outputDir: join(f.sandbox.tmp, 'pf-out'),
    ...over,
  })

  it('refuses a run the free disk space clearly cannot hold, warns when it is tight (a full disk is simulated)', async () => {
    const planned = await planBackup(request())
    const need = planned.estimatedOutputBytes
    expect(need).toBeGreaterThan(0)
    const refused = await planBackup(request({ diskFree: async () => need - 1 })).catch((e: unknown) => e)
    expect(refused).toMatchObject({
      code: 'InvalidInput',
      message: expect.stringMatching(
        /^not enough disk space in .*pf-out: about .* needed, .* free \(estimated from the data size × .*\)$/,
      ),
      // Surface-neutral: the facts travel as data, each surface phrases the fix (CLI flags, app buttons).
      advice: {
        code: 'diskSpace',
        params: { dir: expect.stringMatching(/pf-out$/), neededBytes: need, freeBytes: need - 1 },
      },
    })
    expect((refused as Error).message).not.toMatch(/--/)
    const tight = await planBackup(request({ diskFree: async () => need + 1 }))
    expect(tight.warnings.map((w) => w.message).join()).toContain('disk space is tight')
    expect(tight.warnings.map((w) => w.advice?.code)).toContain('diskSpaceTight')
    const skipped = await planBackup(request({ diskFree: async () => 0, skipDiskCheck: true }))
    expect(skipped.files).toHaveLength(1)
    // The real file system has room: no warning, and nothing was created.
    expect(planned.warnings.filter((w) => w.message.includes('disk'))).toEqual([])
    await expect(access(join(f.sandbox.tmp, 'pf-out'))).rejects.toThrow()
  })

  it('warns about missing privileges with the GRANT that fixes them', async () => {
    await f.conn.query(`REVOKE RELOAD ON *.* FROM ?@'127.0.0.1'`, [f.account.user])
    try {
      const planned = await planBackup(request())
      const warning = planned.warnings.find((w) => w.advice?.code === 'missingPrivileges')
      expect(warning?.message).toMatch(/lacks RELOAD/)
      expect(warning?.advice?.params?.grant).toMatch(/^GRANT RELOAD ON \*\.\* TO/)
    } finally {
      await f.conn.query(`GRANT RELOAD ON *.* TO ?@'127.0.0.1'`, [f.account.user])
    }
  })

  it('names a dump binary of the other flavor', () => {
    const server = {
      flavor: 'mariadb',
      version: '10.11.6',
      versionString: '',
      hostname: 'h',
      logBin: true,
    } as const
    expect(flavorMismatch({ flavor: 'mysql', path: '/usr/bin/mysqldump' }, server)).toEqual({
      message: expect.stringMatching(
        /mysqldump is MySQL's but the server is MariaDB 10\.11\.6: .*\(mariadb-dump\)/,
      ),
      advice: {
        code: 'dumpBinaryFlavor',
        params: {
          binary: '/usr/bin/mysqldump',
          binaryFlavor: 'MySQL',
          serverFlavor: 'MariaDB',
          serverVersion: '10.11.6',
          client: 'mariadb-dump',
        },
      },
    })
    expect(flavorMismatch({ flavor: 'mariadb', path: '/usr/bin/mariadb-dump' }, server)).toBeNull()
  })

  it('--json-progress writes progress as JSON lines on stderr, ending at 100 %', async () => {
    const out = join(f.sandbox.tmp, 'jp')
    const run = await runCli(
      [
        'backup',
        'single',
        '-p',
        'preflight',
        '--db',
        'pf_a',
        '-t',
        'JP',
        '-o',
        out,
        '--json-progress',
        '--json',
      ],
      { env: f.env },
    )
    expect(run.code, run.stderr).toBe(0)
    const events = run.stderr
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { type: string; fraction?: number; final?: boolean; table?: string })
    const progress = events.filter((e) => e.type === 'progress')
    expect(progress.length).toBeGreaterThan(1)
    expect(progress.some((e) => typeof e.table === 'string' && e.table.length > 0)).toBe(true)
    expect(progress.at(-1)).toMatchObject({ final: true, fraction: 1 })
    expect(events.some((e) => e.type === 'target')).toBe(true)
    expect(JSON.parse(run.stdout).ok).toBe(true)
  })

  it('--force shows the options on a terminal and runs nothing when the answer is no', async () => {
    const out = join(f.sandbox.tmp, 'forced')
    const no = await runCliInTerminal(
      ['backup', 'single', '-p', 'preflight', '--db', 'pf_a', '-t', 'F', '-o', out, '--force'],
      {
        env: f.env,
        typed: 'n\r',
      },
    )
    expect(no.code).toBe(130)
    expect(no.stdout).toContain('Run this backup? [y/N]')
    expect(no.stdout).toMatch(/pf_a_\d{8}_\d{6}_F\.sql\.zst/)
    await expect(access(out)).rejects.toThrow()
    const yes = await runCliInTerminal(
      ['backup', 'single', '-p', 'preflight', '--db', 'pf_a', '-t', 'F', '-o', out, '--force'],
      {
        env: f.env,
        typed: 'y\r',
      },
    )
    expect(yes.code, yes.stdout).toBe(0)
    expect((await readdir(out)).filter((n) => n.endsWith('.sql.zst'))).toHaveLength(1)
  })

  it('filter on a terminal without --db: pick databases from a numbered list, then the file mode', async () => {
    const out = join(f.sandbox.tmp, 'picked')
    const list = await runCli(['db-scan', '-p', 'preflight', '--json'], { env: f.env })
    const names = (JSON.parse(list.stdout) as { databases: { name: string }[] }).databases.map((d) => d.name)
    const a = names.indexOf('pf_a') + 1
    const b = names.indexOf('pf_b') + 1
    const run = await runCliInTerminal(['backup', 'filter', '-p', 'preflight', '-t', 'PICK', '-o', out], {
      env: f.env,
      typed: `${a},${b}\rm\r`,
    })
    expect(run.code, run.stdout).toBe(0)
    expect(run.stdout).toContain('Databases to back up')
    expect((await readdir(out)).filter((n) => n.endsWith('.sql.zst')).sort()).toEqual([
      expect.stringMatching(/^pf_a_\d{8}_\d{6}_PICK\.sql\.zst$/),
      expect.stringMatching(/^pf_b_\d{8}_\d{6}_PICK\.sql\.zst$/),
    ])
  })

  it('filter without a terminal and without --db is a usage error', async () => {
    const run = await runCli(['backup', 'filter', '-p', 'preflight', '-t', 'X', '--mode', 'single-file'], {
      env: f.env,
    })
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('backup filter needs --db NAME (repeatable) or --db-file FILE')
  })
})
