import { createReadStream } from 'node:fs'
import { readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { BackupResult } from '../../shared/backup-types.ts'
import { useBackupFixture } from '../harness/backup-user.ts'
import { runCli } from '../harness/cli.ts'
import { createSampleDatabase, fingerprint, type DatabaseFingerprint } from '../harness/fixtures.ts'
import { runMariadbClient } from '../harness/mariadb.ts'

const COMPRESSIONS = ['gzip', 'pgzip', 'zlib', 'zstd', 'xz', 'none'] as const
const EXT: Record<(typeof COMPRESSIONS)[number], string> = {
  gzip: '.gz',
  pgzip: '.gz',
  zlib: '.zlib',
  zstd: '.zst',
  xz: '.xz',
  none: '',
}
const BACKUP_KEY = 'backup key with spaces & ünïcode'

describe('backup single: every compression × encryption restores identically', () => {
  let source: DatabaseFingerprint
  const f = useBackupFixture('matrix', async (conn) => {
    await createSampleDatabase(conn, 'shop', { rows: 400 })
    source = await fingerprint(conn, 'shop')
  })
  const outDir = (): string => join(f.sandbox.tmp, 'backups')

  const cases = COMPRESSIONS.flatMap((c) => [
    { compression: c, encrypted: true },
    { compression: c, encrypted: false },
  ])

  it.each(cases)('$compression, encrypted=$encrypted', async ({ compression, encrypted }) => {
    const ticket = `CHG-${compression}-${encrypted ? 'enc' : 'plain'}`
    const env = {
      ...f.env,
      ...(encrypted ? { SFDB_BACKUP_ENCRYPTION_KEY: BACKUP_KEY } : {}),
    }
    const run = await runCli(
      [
        'backup',
        'single',
        '--profile',
        f.account.profile,
        '--db',
        'shop',
        '--ticket',
        ticket,
        '--compress-type',
        compression,
        '--output-dir',
        outDir(),
        '--json',
      ],
      { env },
    )
    expect(run.stderr).not.toContain('internal error')
    expect(run.code, run.stderr).toBe(0)
    const result = JSON.parse(run.stdout) as BackupResult
    expect(result.ok).toBe(true)
    const target = result.targets[0]
    expect(target?.status).toBe('success')
    const file = target?.file ?? ''
    // {db}_{YYYYMMDD}_{HHMMSS}_{ticket letters+digits}.sql[.ext][.enc]
    const ticketName = ticket.replace(/[^A-Za-z0-9]/g, '')
    expect(file.split('/').pop()).toMatch(
      new RegExp(
        `^shop_\\d{8}_\\d{6}_${ticketName}\\.sql${EXT[compression].replace('.', '\\.')}${encrypted ? '\\.enc' : ''}$`,
      ),
    )
    expect((await stat(file)).mode & 0o777).toBe(0o600)
    expect((await stat(file)).size).toBe(target?.bytes)
    const meta = JSON.parse(await readFile(`${file}.meta.json`, 'utf8'))
    expect(meta.file.sha256).toBe(target?.sha256)
    expect(meta.ticket).toBe(ticket)
    expect(meta.encryption.enabled).toBe(encrypted)
    expect(meta.compression.type).toBe(compression)
    expect(JSON.stringify(meta)).not.toContain(f.account.password)
    expect(JSON.stringify(meta)).not.toContain(BACKUP_KEY)
    if (encrypted) expect((await readFile(file)).subarray(0, 8).toString()).toBe('Salted__')

    const verify = await runCli(['verify', file, '--json'], { env })
    expect(verify.code, verify.stdout + verify.stderr).toBe(0)

    const sql = join(f.sandbox.tmp, `${ticketName}.sql`)
    const dec = await runCli(['decrypt', file, '--decompress', '-o', sql], { env })
    expect(dec.code, dec.stderr).toBe(0)
    const restored = `restored_${compression}_${encrypted ? 'e' : 'p'}`
    await f.conn.query(`DROP DATABASE IF EXISTS ${restored}; CREATE DATABASE ${restored}`)
    await runMariadbClient(f.server, createReadStream(sql), restored)
    expect(await fingerprint(f.conn, restored)).toEqual(source)
    await f.conn.query(`DROP DATABASE ${restored}`)
  })

  it('left no partial or temporary file behind', async () => {
    const names = await readdir(outDir())
    expect(names.filter((n) => n.endsWith('.part') || n.includes('.tmp-'))).toEqual([])
    expect(names.filter((n) => n.endsWith('.meta.json'))).toHaveLength(cases.length)
  })
})
