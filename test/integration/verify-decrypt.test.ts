import { createHash } from 'node:crypto'
import { copyFile, mkdir, readFile, stat, truncate, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { BackupResult } from '../../shared/backup-types.ts'
import { useBackupFixture } from '../harness/backup-user.ts'
import { ROOT, runCli } from '../harness/cli.ts'
import { createSampleDatabase } from '../harness/fixtures.ts'

const VECTORS = join(ROOT, 'test', 'fixtures', 'sfdbtools') // the sfDBTools vectors (see its README)
const KEY = 'verify-tests key'

interface Vector {
  name: string
  kind: string
  layout: string
  passphrase: string
  compression: string
  plaintext_sha256: string
  plaintext_length: number
}

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex')

describe('verify and decrypt', () => {
  const f = useBackupFixture('verify', (conn) => createSampleDatabase(conn, 'verifydb', { rows: 3000 }), {
    SFDB_BACKUP_ENCRYPTION_KEY: KEY,
  })
  let good: string
  let n = 0

  beforeAll(async () => {
    const out = join(f.sandbox.tmp, 'good')
    const run = await runCli(
      ['backup', 'single', '-p', f.account.profile, '--db', 'verifydb', '-t', 'V1', '-o', out, '--json'],
      { env: f.env },
    )
    expect(run.code, run.stderr).toBe(0)
    good = (JSON.parse(run.stdout) as BackupResult).targets[0]?.file ?? ''
  })
  /** A copy of the good backup (and its metadata) to damage. */
  const copyOfGood = async (): Promise<string> => {
    const dir = join(f.sandbox.tmp, `copy-${++n}`)
    await mkdir(dir)
    const path = join(dir, good.split('/').pop() ?? 'x')
    await copyFile(good, path)
    await copyFile(`${good}.meta.json`, `${path}.meta.json`)
    return path
  }
  const verifyJson = async (path: string, extraEnv: Record<string, string> = {}) => {
    const run = await runCli(['verify', path, '--json'], { env: { ...f.env, ...extraEnv } })
    return {
      code: run.code,
      report: JSON.parse(run.stdout) as {
        ok: boolean
        error: { code: string } | null
        checks: Record<string, string>
      },
    }
  }

  it('accepts an intact backup with every check ok', async () => {
    const { code, report } = await verifyJson(good)
    expect(code).toBe(0)
    expect(report.ok).toBe(true)
    expect(report.checks).toEqual({ container: 'ok', compression: 'ok', trailer: 'ok', checksum: 'ok' })
  })

  it('reports a wrong key as WrongKey', async () => {
    const { code, report } = await verifyJson(good, { SFDB_BACKUP_ENCRYPTION_KEY: 'not the key' })
    expect(code).toBe(1)
    expect(report.error?.code).toBe('WrongKey')
  })

  it('reports a truncated file as CorruptFile', async () => {
    const path = await copyOfGood()
    await truncate(path, (await stat(path)).size - 4) // drops the end marker
    const { code, report } = await verifyJson(path)
    expect(code).toBe(1)
    expect(report.error?.code).toBe('CorruptFile')
    expect(report.checks.container).toBe('failed')
  })

  it('reports a flipped byte in a later chunk as CorruptFile', async () => {
    const path = await copyOfGood()
    const data = await readFile(path)
    expect(data.length).toBeGreaterThan(65_600)
    data[65_600] = (data[65_600] ?? 0) ^ 0x01
    await writeFile(path, data)
    const { code, report } = await verifyJson(path)
    expect(code).toBe(1)
    expect(report.error?.code).toBe('CorruptFile')
  })

  it('reports a file that differs from its recorded sha256 as ChecksumMismatch', async () => {
    const path = await copyOfGood()
    const meta = JSON.parse(await readFile(`${path}.meta.json`, 'utf8'))
    meta.file.sha256 = 'a'.repeat(64)
    await writeFile(`${path}.meta.json`, JSON.stringify(meta))
    const { code, report } = await verifyJson(path)
    expect(code).toBe(1)
    expect(report.error?.code).toBe('ChecksumMismatch')
  })

  it('reports SQL without the completion trailer as IncompleteDump', async () => {
    const dir = join(f.sandbox.tmp, 'plain')
    await mkdir(dir)
    const path = join(dir, 'cut.sql')
    await writeFile(path, '-- MariaDB dump\nCREATE TABLE t (id INT);\nINSERT INTO t VALUES (1')
    const run = await runCli(['verify', path], { env: f.env })
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('[IncompleteDump]')
  })

  it('refuses an endless stream (/dev/zero) and a directory at once, as InvalidInput', async () => {
    const cases: [string, string][] = [
      ['/dev/zero', 'is not a regular file (a character device)'],
      [f.sandbox.tmp, 'is a folder, not a backup file'],
    ]
    for (const [path, why] of cases) {
      // Bad input: the usage exit, as for every InvalidInput of a command.
      for (const args of [
        ['verify', path],
        ['decrypt', path, '--decompress', '-o', '-'],
      ]) {
        const run = await runCli(args, { env: f.env })
        expect(run.code, args.join(' ')).toBe(2)
        expect(run.stderr, args.join(' ')).toContain('[InvalidInput]')
        expect(run.stderr, args.join(' ')).toContain(why)
      }
    }
  })

  it('decrypts without decompressing, to a file that is never overwritten', async () => {
    const out = join(f.sandbox.tmp, 'dec-1.sql.zst')
    const first = await runCli(['decrypt', good, '-o', out], { env: f.env })
    expect(first.code, first.stderr).toBe(0)
    expect((await readFile(out)).subarray(0, 4).toString('hex')).toBe('28b52ffd') // zstd frame magic
    expect((await stat(out)).mode & 0o777).toBe(0o600)
    const again = await runCli(['decrypt', good, '-o', out], { env: f.env })
    expect(again.code).toBe(1)
    expect(again.stderr).toContain('[FileExists]')
  })

  it('turns every sfDBTools vector back into its plaintext (decrypt --decompress -o -)', async () => {
    const manifest = JSON.parse(await readFile(join(VECTORS, 'manifest.json'), 'utf8')) as {
      vectors: Vector[]
    }
    const backups = manifest.vectors.filter((v) => v.kind === 'backup-dump')
    expect(backups.length).toBeGreaterThanOrEqual(8)
    for (const v of backups) {
      // The vectors are not real dumps (no trailer, no .meta.json): an uncompressed chunked one cannot be
      // proven complete, so it decrypts only with --allow-incomplete, and says so.
      const unprovable = v.layout === 'chunked' && v.compression === 'none'
      const args = ['decrypt', join(VECTORS, v.name), '--decompress', '-o', '-']
      const env = { ...f.env, SFDB_BACKUP_ENCRYPTION_KEY: v.passphrase }
      if (unprovable) {
        const refused = await runCli(args, { env })
        expect(refused.code, v.name).toBe(1)
        expect(refused.stderr, v.name).toContain('[IncompleteDump]')
      }
      const run = await runCli(unprovable ? [...args, '--allow-incomplete'] : args, { env })
      expect(run.code, `${v.name}: ${run.stderr}`).toBe(0)
      if (unprovable) expect(run.stderr, v.name).toContain('could not be proven complete')
      else expect(run.stderr, v.name).not.toContain('could not be proven complete')
      const bytes = run.stdoutBytes
      expect(bytes.length, v.name).toBe(v.plaintext_length)
      expect(sha256(bytes), v.name).toBe(v.plaintext_sha256)
    }
  })

  it('reads an sfDBTools profile vector with its own key', async () => {
    const manifest = JSON.parse(await readFile(join(VECTORS, 'manifest.json'), 'utf8')) as {
      vectors: Vector[]
    }
    for (const v of manifest.vectors.filter((x) => x.kind === 'profile')) {
      const run = await runCli(['profile', 'show', join(VECTORS, v.name), '--json'], {
        env: { ...f.env, SFDB_PROFILE_KEY: v.passphrase },
      })
      expect(run.code, run.stderr).toBe(0)
      const shown = JSON.parse(run.stdout) as { password: string; host: string }
      expect(shown.password).toMatch(/^(\*+|\(empty\))$/)
      expect(shown.host).not.toBe('')
    }
  })
})
