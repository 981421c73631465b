/**
 * The restore's SQL source without a server: the codec comes from the content, never from the name.
 */
import { Readable, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { describe, expect, it } from 'vitest'
import type { CompressionType } from '../../../shared/backup-types.ts'
import { createCompressor } from '../../../electron/engine/codecs/index.ts'
import { codecFromMagic, createSniffingDecompressor } from '../../../electron/engine/codecs/index.ts'

/** A few lines of a dump, repeated: SQL whose first bytes are no compressor's magic. */
const DUMP = [
  '-- MariaDB dump 10.19  Distrib 10.11.19-MariaDB, for debian-linux-gnu (x86_64)',
  '/*!40101 SET NAMES utf8mb4 */;',
  "INSERT INTO `customers` VALUES (1,'a\\nb'),(2,'b');",
  '-- Dump completed on 2026-01-01 10:00:00',
  '',
].join('\n')

describe('the codec comes from the content', () => {
  const sql = Buffer.from(DUMP.repeat(200))

  it('recognises each magic number, and plain SQL as none', async () => {
    for (const type of ['gzip', 'zstd', 'xz', 'zlib'] as const) {
      const compressed = await collect(Readable.from([sql]), createCompressor(type, type === 'zstd' ? 3 : 6))
      expect(codecFromMagic(compressed), type).toBe(type)
    }
    expect(codecFromMagic(sql)).toBeNull()
    expect(codecFromMagic(Buffer.from('x^'))).toBe('zlib')
    expect(codecFromMagic(Buffer.from([0x50, 0x2a, 0x4d, 0x18]))).toBe('zstd') // a skippable frame (pzstd)
    expect(codecFromMagic(Buffer.alloc(0))).toBeNull()
  })

  it('decompresses by the content whatever the name says', async () => {
    const cases: [CompressionType, string][] = [
      ['zstd', 'backup.sql'],
      ['gzip', 'backup.sql.zst'],
      ['xz', 'backup.sql.gz.enc'],
      ['pgzip', 'backup'],
      ['zlib', 'x.sql.xz'],
      ['none', 'backup.sql.gz'],
    ]
    for (const [type, name] of cases) {
      const compressed =
        type === 'none'
          ? sql
          : await collect(Readable.from([sql]), createCompressor(type, type === 'zstd' ? 3 : 6))
      let codec: CompressionType | null = null
      const pieces = chunksOf(compressed, 7)
      const out = await collect(
        Readable.from(pieces),
        createSniffingDecompressor(name, (c) => (codec = c)),
      )
      expect(out.equals(sql), `${type} named ${name}`).toBe(true)
      expect(codec).toBe(type === 'pgzip' ? 'gzip' : type)
    }
  })

  it('a damaged stream is CorruptFile; an empty .gz too, an empty .sql is empty SQL', async () => {
    const gz = await collect(Readable.from([sql]), createCompressor('gzip', 6))
    await expect(
      collect(Readable.from([gz.subarray(0, gz.length >> 1)]), createSniffingDecompressor('x.sql')),
    ).rejects.toMatchObject({ code: 'CorruptFile' })
    await expect(collect(Readable.from([]), createSniffingDecompressor('x.sql.gz'))).rejects.toMatchObject({
      code: 'CorruptFile',
    })
    expect((await collect(Readable.from([]), createSniffingDecompressor('x.sql'))).length).toBe(0)
  })
})

function chunksOf(b: Buffer, n: number): Buffer[] {
  const out: Buffer[] = []
  for (let i = 0; i < b.length; i += n) out.push(b.subarray(i, i + n))
  return out
}

async function collect(source: Readable, ...stages: NodeJS.ReadWriteStream[]): Promise<Buffer> {
  const out: Buffer[] = []
  await pipeline([
    source,
    ...stages,
    new Writable({
      write(c: Buffer, _e, cb) {
        out.push(c)
        cb()
      },
    }),
  ])
  return Buffer.concat(out)
}
