// The backup readers (verify, decrypt) against files whose name lies about their content, truncated
// containers with a forged end marker, endless inputs and damaged first chunks. Real codecs and the real
// container writer; the files are built here, no server needed.
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { beforeAll, describe, expect, it } from 'vitest'
import type { CompressionType } from '../../../shared/backup-types.ts'
import { decryptToFile } from '../../../electron/engine/backup/decrypt-file.ts'
import { verifyBackup } from '../../../electron/engine/backup/verify.ts'
import { createCompressor } from '../../../electron/engine/codecs/index.ts'
import { createEncryptStream } from '../../../electron/engine/crypto/index.ts'
import {
  FULL_CHUNK_LENGTH,
  HEADER_LENGTH,
  LENGTH_PREFIX,
} from '../../../electron/engine/crypto/container-format.ts'

const KEY = 'proof tests key'

/** A dump-shaped SQL text of about `rows` × 70 bytes that compresses poorly (random hex), with its trailer. */
function dumpSql(rows: number): Buffer {
  const lines = ['-- MariaDB dump 10.19', 'CREATE TABLE t (id INT, v TEXT);']
  for (let i = 0; i < rows; i++)
    lines.push(`INSERT INTO t VALUES (${i},'${randomBytes(24).toString('hex')}');`)
  lines.push('-- Dump completed on 2026-12-02 16:00:00', '')
  return Buffer.from(lines.join('\n'))
}

async function build(sql: Buffer, codec: CompressionType, encrypt: boolean): Promise<Buffer> {
  const out: Buffer[] = []
  const stages = [
    createCompressor(codec, codec === 'none' ? 0 : 3),
    ...(encrypt ? [createEncryptStream(KEY)] : []),
  ]
  const sink = new Writable({
    write: (c: Buffer, _e, cb) => {
      out.push(c)
      cb()
    },
  })
  await pipeline([Readable.from([sql]), ...stages, sink])
  return Buffer.concat(out)
}

/** The container cut after `chunks` full chunks, with a forged (unauthenticated) 4-byte end marker. */
const forgedEnd = (file: Buffer, chunks: number): Buffer =>
  Buffer.concat([
    file.subarray(0, HEADER_LENGTH + chunks * (LENGTH_PREFIX + FULL_CHUNK_LENGTH)),
    Buffer.alloc(4),
  ])

describe('verify and decrypt read the content, not the name', () => {
  let dir: string
  let sql: Buffer
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sfdb-proof-'))
    sql = dumpSql(8000) // ~560 KB of SQL, ~300 KB of zstd: several chunks
  })

  it('verifies a zstd + encrypted backup named .sql (the codec from the magic bytes)', async () => {
    const path = join(dir, 'myapp_backup.sql')
    await writeFile(path, await build(sql, 'zstd', true))
    const report = await verifyBackup(path, KEY)
    expect(report.error).toBeNull()
    expect(report.ok).toBe(true)
    expect(report.layers?.compression).toBe('zstd')
    expect(report.checks).toMatchObject({ container: 'ok', compression: 'ok', trailer: 'ok' })
    expect(report.sqlBytes).toBe(sql.length)
  })

  it('decrypt --decompress of a zstd + encrypted backup named .sql gives the SQL, not zstd', async () => {
    const path = join(dir, 'named-sql.sql')
    await writeFile(path, await build(sql, 'zstd', true))
    const out = join(dir, 'named-sql.out.sql')
    await decryptToFile(path, out, { key: KEY, decompress: true })
    expect((await readFile(out)).equals(sql)).toBe(true)
  })

  it('decrypt refuses a chunked file cut at a chunk boundary with a forged end marker, and leaves nothing', async () => {
    const whole = await build(sql, 'zstd', true)
    expect(whole.length).toBeGreaterThan(HEADER_LENGTH + 3 * (LENGTH_PREFIX + FULL_CHUNK_LENGTH))
    const sub = await mkdtemp(join(dir, 'forged-'))
    const path = join(sub, 'cut.sql.zst.enc')
    await writeFile(path, forgedEnd(whole, 2))
    for (const decompress of [false, true]) {
      const out = join(sub, decompress ? 'cut.sql' : 'cut.sql.zst')
      // Decompressing, the zstd decoder itself meets the cut; without, the probe's decoder on the side does.
      await expect(decryptToFile(path, out, { key: KEY, decompress })).rejects.toMatchObject({
        code: decompress ? 'CorruptFile' : 'IncompleteDump',
      })
      expect(existsSync(out)).toBe(false)
    }
    expect((await readdir(sub)).sort()).toEqual(['cut.sql.zst.enc'])
  })

  it('decrypt refuses an uncompressed chunked file cut at a chunk boundary (no trailer)', async () => {
    const sub = await mkdtemp(join(dir, 'forged-plain-'))
    const path = join(sub, 'cut.sql.enc')
    await writeFile(path, forgedEnd(await build(sql, 'none', true), 3))
    await expect(
      decryptToFile(path, join(sub, 'cut.sql'), { key: KEY, decompress: false }),
    ).rejects.toMatchObject({
      code: 'IncompleteDump',
    })
    expect(existsSync(join(sub, 'cut.sql'))).toBe(false)
  })

  it('decrypt with allowIncomplete keeps what it read and says what it could not prove', async () => {
    const sub = await mkdtemp(join(dir, 'allowed-'))
    const path = join(sub, 'cut.sql.enc')
    const whole = await build(sql, 'none', true)
    await writeFile(path, forgedEnd(whole, 3))
    const out = join(sub, 'cut.sql')
    const result = await decryptToFile(path, out, { key: KEY, decompress: false, allowIncomplete: true })
    expect((await readFile(out)).equals(sql.subarray(0, 3 * 65_536))).toBe(true)
    expect(result.unproven.join(' ')).toMatch(/Dump completed/)
  })

  it('decrypt proves an intact file complete (no note)', async () => {
    const path = join(dir, 'intact.sql.gz.enc')
    await writeFile(path, await build(sql, 'gzip', true))
    const result = await decryptToFile(path, join(dir, 'intact.sql'), { key: KEY, decompress: true })
    expect(result.bytes).toBe(sql.length)
    expect(result.unproven).toEqual([])
  })

  it('refuses what is not a regular file (an endless /dev/zero, a directory) at once', async () => {
    const started = Date.now()
    for (const path of ['/dev/zero', dir]) {
      const report = await verifyBackup(path, null)
      expect(report.ok, path).toBe(false)
      expect(report.error?.code, path).toBe('InvalidInput')
      expect(report.error?.message, path).toMatch(/not a regular file/)
      await expect(
        decryptToFile(path, join(dir, 'zero.out'), { key: null, decompress: true }),
      ).rejects.toMatchObject({
        code: 'InvalidInput',
      })
    }
    expect(Date.now() - started).toBeLessThan(10_000)
  })

  it('stops a regular file that cannot be SQL at its first NUL byte', async () => {
    const path = join(dir, 'zeros.sql')
    await writeFile(path, Buffer.concat([Buffer.from('-- MariaDB dump\n'), Buffer.alloc(4 << 20)]))
    const report = await verifyBackup(path, null)
    expect(report.ok).toBe(false)
    expect(report.error?.code).toBe('InvalidInput')
    expect(report.sqlBytes).toBe(0)
    expect(report.error?.message).toMatch(/not SQL/)
  })

  it('tells a damaged first chunk (CorruptFile) from a wrong key (WrongKey)', async () => {
    const whole = await build(sql, 'zstd', true)
    const damaged = Buffer.from(whole)
    const at = HEADER_LENGTH + LENGTH_PREFIX + 100
    damaged[at] = (damaged[at] ?? 0) ^ 0x01
    const path = join(dir, 'first-chunk.sql.zst.enc')
    await writeFile(path, damaged)
    const report = await verifyBackup(path, KEY)
    expect(report.error?.code).toBe('CorruptFile')
    expect(report.error?.message).toMatch(/chunk 0/)
    const wrong = await verifyBackup(path, 'not the key')
    expect(wrong.error?.code).toBe('WrongKey')
  })
})
