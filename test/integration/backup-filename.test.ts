// `--filename` as the manual's Example 1 uses it: a name ending in .sql for a zstd + encrypted backup, and
// a single backup with its companions. Real server, real mariadb-dump, the built CLI.
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { BackupResult } from '../../shared/backup-types.ts'
import { useBackupFixture } from '../harness/backup-user.ts'
import { runCli } from '../harness/cli.ts'
import { createSampleDatabase } from '../harness/fixtures.ts'

const KEY = 'filename tests key'

describe('backup --filename', () => {
  const f = useBackupFixture(
    'fname',
    async (conn) => {
      await createSampleDatabase(conn, 'fnamedb', { rows: 200 })
      await createSampleDatabase(conn, 'fnamedb_dmart', { rows: 20 })
    },
    { SFDB_BACKUP_ENCRYPTION_KEY: KEY },
  )

  it('Example 1: myapp_backup.sql with zstd and a key warns about the name, then verifies and decrypts to SQL', async () => {
    const out = join(f.sandbox.tmp, 'example1')
    const args = ['backup', 'single', '-p', f.account.profile, '--db', 'fnamedb', '-t', 'EX1', '-o', out]
    const run = await runCli([...args, '--filename', 'myapp_backup.sql', '--json'], { env: f.env })
    expect(run.code, run.stderr).toBe(0)
    const file = join(out, 'myapp_backup.sql')
    expect((JSON.parse(run.stdout) as BackupResult).targets[0]?.file).toBe(file)
    expect(run.stderr).toMatch(/myapp_backup\.sql.*\.sql\.zst\.enc/)

    const verify = await runCli(['verify', file], { env: f.env })
    expect(verify.code, verify.stdout + verify.stderr).toBe(0)
    const sql = await runCli(['decrypt', file, '--decompress', '-o', '-'], { env: f.env })
    expect(sql.code, sql.stderr).toBe(0)
    expect(sql.stdout).toContain('CREATE TABLE')
    expect(sql.stdout).toMatch(/-- Dump completed/)
  })

  it('a name whose extension matches the content draws no warning', async () => {
    const out = join(f.sandbox.tmp, 'matching')
    const run = await runCli(
      [
        'backup',
        'single',
        '-p',
        f.account.profile,
        '--db',
        'fnamedb',
        '-t',
        'M',
        '-o',
        out,
        '-f',
        'm.sql.zst.enc',
      ],
      { env: f.env },
    )
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).not.toMatch(/m\.sql\.zst\.enc.*(does not|contradict)/)
  })

  it('with companions the name applies to the main database; the companions keep the pattern', async () => {
    const out = join(f.sandbox.tmp, 'companions')
    const run = await runCli(
      [
        'backup',
        'single',
        '-p',
        f.account.profile,
        '--db',
        'fnamedb',
        '--include-dmart',
        '-t',
        'C1',
        '-o',
        out,
        '--filename',
        'main_only',
        '--json',
      ],
      { env: f.env },
    )
    expect(run.code, run.stderr).toBe(0)
    const result = JSON.parse(run.stdout) as BackupResult
    expect(result.targets.map((t) => t.databases)).toEqual([['fnamedb'], ['fnamedb_dmart']])
    expect(result.targets[0]?.file).toBe(join(out, 'main_only.sql.zst.enc'))
    const names = (await readdir(out)).filter((n) => n.endsWith('.enc'))
    expect(names).toContain('main_only.sql.zst.enc')
    expect(names.some((n) => /^fnamedb_dmart_\d{8}_\d{6}_C1\.sql\.zst\.enc$/.test(n))).toBe(true)
  })
})
