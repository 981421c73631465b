/**
 * The run's error policy: a full disk (or a refused output folder) stops the run — the next files would
 * fail the same way and fill the error log — while any other failure lets the next files run. The full
 * disk is real: a 256 KiB tmpfs mounted for this test (the suite runs as root, as CI does), filled by a
 * real mariadb-dump of incompressible data.
 */
import { execFile } from 'node:child_process'
import { mkdir, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BackupResult } from '../../shared/backup-types.ts'
import { useBackupFixture } from '../harness/backup-user.ts'
import { runCli } from '../harness/cli.ts'

const run = promisify(execFile)
const DATABASES = ['full_a', 'full_b', 'full_c']

describe('a full disk stops the run; the other files are reported as skipped', () => {
  const f = useBackupFixture('stoppolicy', async (conn) => {
    for (const db of DATABASES) {
      await conn.query(`DROP DATABASE IF EXISTS ${db}; CREATE DATABASE ${db}; USE ${db}`)
      // ~1 MiB of random bytes each: far more than the tmpfs holds, compressed or not.
      await conn.query(`CREATE TABLE ${db}.blobs (id INT PRIMARY KEY, b LONGBLOB) ENGINE=InnoDB`)
      // RANDOM_BYTES gives at most 1024 bytes: 256 of them per row (MariaDB's sequence engine).
      await conn.query(
        `INSERT INTO ${db}.blobs SELECT seq, (SELECT GROUP_CONCAT(RANDOM_BYTES(1024) SEPARATOR '') FROM seq_1_to_256) FROM seq_1_to_4`,
      )
    }
  })
  let out = ''
  beforeAll(async () => {
    out = join(f.sandbox.tmp, 'tiny')
    await mkdir(out)
    await run('mount', ['-t', 'tmpfs', '-o', 'size=256k,mode=0700', 'tmpfs', out])
  })
  afterAll(async () => {
    if (out) await run('umount', [out])
  })

  it('the first file fails with DiskFull, the rest are skipped with the same code, exit 1', async () => {
    const cli = await runCli(
      [
        'backup',
        'filter',
        '-p',
        f.account.profile,
        '-t',
        'FULL',
        '--mode',
        'multi-file',
        ...DATABASES.flatMap((d) => ['--db', d]),
        '--compress-type',
        'none',
        '--no-encrypt',
        '--skip-disk-check',
        '--exclude-user',
        '-o',
        out,
        '--json',
      ],
      { env: f.env },
    )
    expect(cli.code, cli.stderr).toBe(1)
    const result = JSON.parse(cli.stdout) as BackupResult
    expect(result.targets.map((t) => [t.databases[0], t.status, t.error?.code])).toEqual([
      ['full_a', 'failed', 'DiskFull'],
      ['full_b', 'skipped', 'DiskFull'],
      ['full_c', 'skipped', 'DiskFull'],
    ])
    expect(result.targets[1]?.error?.message).toMatch(/^not started: an earlier file failed with DiskFull/)
    // Nothing half-written is left under any name.
    expect(await readdir(out)).toEqual([])
  })
})
