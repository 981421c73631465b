/**
 * A full disk is named as such (issue 11, point 6): the output folder and its free space, whatever the dump
 * child reports after its pipe broke; and the disk pre-check's estimate is an honest one, saying how it was
 * made. The full disk is real: a 512 KiB tmpfs mounted for this test (the suite runs as root, as CI does),
 * filled by a real mariadb-dump of incompressible data.
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

describe('a full disk during the dump is DiskFull, and the pre-check estimates honestly', () => {
  const f = useBackupFixture(
    'diskfull',
    async (conn) => {
      await conn.query('DROP DATABASE IF EXISTS noisy; CREATE DATABASE noisy; USE noisy')
      await conn.query('CREATE TABLE noisy.blobs (id INT PRIMARY KEY, b LONGBLOB) ENGINE=InnoDB')
      // ~1 MiB of random bytes: no codec makes it fit into 512 KiB.
      await conn.query(
        `INSERT INTO noisy.blobs SELECT seq, (SELECT GROUP_CONCAT(RANDOM_BYTES(1024) SEPARATOR '') FROM seq_1_to_256) FROM seq_1_to_4`,
      )
      await conn.query('ANALYZE TABLE noisy.blobs')
    },
    { SFDB_BACKUP_ENCRYPTION_KEY: 'disk-full backup key' },
  )
  let out = ''
  beforeAll(async () => {
    out = join(f.sandbox.tmp, 'small')
    await mkdir(out)
    await run('mount', ['-t', 'tmpfs', '-o', 'size=512k,mode=0700', 'tmpfs', out])
  })
  afterAll(async () => {
    if (out) await run('umount', [out])
  })
  const args = (extra: string[]): string[] => [
    'backup',
    'single',
    '-p',
    f.account.profile,
    '--db',
    'noisy',
    '-t',
    'T-6',
    '--compress-type',
    'gzip',
    '--exclude-user',
    '-o',
    out,
    '--json',
    ...extra,
  ]

  it('the writer failing with ENOSPC is DiskFull naming the folder and its free space', async () => {
    const cli = await runCli(args(['--skip-disk-check']), { env: f.env })
    expect(cli.code, cli.stderr).toBe(1)
    const result = JSON.parse(cli.stdout) as BackupResult
    const error = result.targets[0]?.error
    expect(error?.code).toBe('DiskFull')
    expect(error?.message).toContain(`the disk of ${out} is full`)
    expect(error?.message).toMatch(/\d+(\.\d+)? (B|KiB|MiB) free/)
    expect(await readdir(out)).toEqual([])
  })

  it('without compression or encryption (the dump writes the file itself) the full disk is DiskFull too', async () => {
    const cli = await runCli(
      args(['--skip-disk-check', '--no-encrypt']).map((a) => (a === 'gzip' ? 'none' : a)),
      { env: f.env },
    )
    expect(cli.code, cli.stderr).toBe(1)
    const error = (JSON.parse(cli.stdout) as BackupResult).targets[0]?.error
    expect(error?.code).toBe('DiskFull')
    expect(error?.message).toContain(`the disk of ${out} is full`)
    expect(await readdir(out)).toEqual([])
  })

  it('the pre-check refuses what cannot fit, and says how it estimated', async () => {
    const cli = await runCli(args([]), { env: f.env })
    expect(cli.code).not.toBe(0)
    const said = cli.stdout + cli.stderr
    expect(said).toContain(`not enough disk space in ${out}`)
    expect(said).toContain('estimated from the data size × 1, a conservative ratio for gzip')
    expect(await readdir(out)).toEqual([])
  })
})
