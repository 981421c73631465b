/**
 * A backup is committed as a whole: the data file gets its final name only once its companions
 * (`.meta.json`, `.gtid`, `.users.sql`) are written, and a companion name that is taken is refused before
 * the dump starts (issue 11, point 3). The GTID is read wherever the dump writes it (point 5).
 */
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BackupResult } from '../../shared/backup-types.ts'
import { useBackupFixture } from '../harness/backup-user.ts'
import { runCli, startCli } from '../harness/cli.ts'
import { createFakeDump, type FakeDump } from '../harness/fake-dump.ts'
import { createSampleDatabase } from '../harness/fixtures.ts'

describe('backup commit: companions first, the data file last', () => {
  const f = useBackupFixture('commit', async (conn) => {
    // ~3 MiB of rows: the dump is far larger than the scanner's 256 KiB header window.
    await createSampleDatabase(conn, 'bigshop', { rows: 6000, rowBytes: 500 })
  })
  /** FAKE dump binary: stops after its head until the test says how to end. */
  let fake: FakeDump
  beforeAll(async () => {
    fake = await createFakeDump()
    await f.conn.query(`GRANT BINLOG MONITOR ON *.* TO ?@'127.0.0.1'`, [f.account.user])
  })
  afterAll(async () => {
    await fake?.close()
  })
  const freshOut = f.freshOut
  const args = (out: string, extra: string[] = []): string[] => [
    'backup',
    'single',
    '-p',
    f.account.profile,
    '--db',
    'bigshop',
    '-t',
    'T-3',
    '--compress-type',
    'none',
    '--no-encrypt',
    '--exclude-user',
    '--filename',
    'big.sql',
    '-o',
    out,
    '--json',
    ...extra,
  ]

  it('reads the GTID that mariadb-dump writes past the header window, and records it', async () => {
    const out = await freshOut()
    const run = await runCli(args(out, ['--capture-gtid']), { env: f.env })
    expect(run.code, run.stderr).toBe(0)
    const result = JSON.parse(run.stdout) as BackupResult
    const sql = await readFile(join(out, 'big.sql'), 'utf8')
    const m = /^-- SET GLOBAL gtid_slave_pos='([^']+)'/m.exec(sql)
    expect(m, 'the real dump writes the GTID').not.toBeNull()
    // The reproduction of the report: the statement is beyond the first 256 KiB of the stream.
    expect(Buffer.byteLength(sql.slice(0, m?.index ?? 0))).toBeGreaterThan(256 * 1024)
    expect(result.targets[0]?.gtid?.executed).toBe(m?.[1])
    expect(result.targets[0]?.warnings.join('\n')).not.toContain('GTID')
    const gtidFile = await readFile(join(out, 'big.sql.gtid'), 'utf8')
    expect(gtidFile).toContain(`gtid_binlog = ${m?.[1]}`)
    const meta = JSON.parse(await readFile(join(out, 'big.sql.meta.json'), 'utf8'))
    expect(meta.gtid_info.executed).toBe(m?.[1])
  })

  it.each([
    ['big.sql.meta.json', []],
    ['big.sql.gtid', ['--capture-gtid']],
  ])('an existing companion name (%s) is refused before the dump starts', async (taken, extra) => {
    const out = await freshOut()
    await writeFile(join(out, taken), 'not ours\n')
    const run = await runCli(args(out, extra), { env: f.env })
    expect(run.code).not.toBe(0)
    expect(run.stderr + run.stdout).toContain('FileExists')
    expect(run.stderr + run.stdout).toContain(taken)
    expect(await readdir(out)).toEqual([taken])
    expect(await readFile(join(out, taken), 'utf8')).toBe('not ours\n')
  })

  it('a companion that cannot be written leaves no file under its final name', async () => {
    const out = await freshOut()
    const { done } = startCli(args(out, ['--dump-binary', fake.path]), { env: f.env })
    const dump = await fake.nextRun(done)
    // While the dump runs, another process takes the metadata's name: writing it must fail.
    await writeFile(join(out, 'big.sql.meta.json'), 'not ours\n')
    await dump.finish()
    const cli = await done
    expect(cli.code).toBe(1)
    const result = JSON.parse(cli.stdout) as BackupResult
    expect(result.targets[0]?.status).toBe('failed')
    expect(result.targets[0]?.error?.code).toBe('FileExists')
    expect(result.targets[0]?.file).toBeNull()
    expect(await readdir(out)).toEqual(['big.sql.meta.json'])
    expect(await readFile(join(out, 'big.sql.meta.json'), 'utf8')).toBe('not ours\n')
  })
})
