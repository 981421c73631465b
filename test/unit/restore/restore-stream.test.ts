/**
 * The restore's SQL path without a server: the codec comes from the content, and the line filter keeps a
 * `--databases` dump pointed at the target database whatever the chunk boundaries.
 */
import { Readable, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { describe, expect, it } from 'vitest'
import type { CompressionType } from '../../../shared/backup-types.ts'
import { createCompressor } from '../../../electron/engine/codecs/index.ts'
import { RestoreScanner } from '../../../electron/engine/restore/restore-scanner.ts'
import { codecFromMagic, createSniffingDecompressor } from '../../../electron/engine/restore/sql-source.ts'

const DUMP = [
  '/*M!999999\\- enable the sandbox mode */ ',
  '-- MariaDB dump 10.19  Distrib 10.11.19-MariaDB, for debian-linux-gnu (x86_64)',
  '--',
  '-- Host: 127.0.0.1    Database: shop',
  '/*!40101 SET NAMES utf8mb4 */;',
  '',
  '--',
  '-- Current Database: `shop`',
  '--',
  '',
  '/*!40000 DROP DATABASE IF EXISTS `shop`*/;',
  '',
  'CREATE DATABASE /*!32312 IF NOT EXISTS*/ `shop` /*!40100 DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci */;',
  '',
  'USE `shop`;',
  'DROP TABLE IF EXISTS `cust``omers`;',
  'CREATE TABLE `cust``omers` (',
  '  `id` int(11) NOT NULL,',
  "  `note` text DEFAULT 'USE `shop`;'",
  ') ENGINE=InnoDB;',
  "INSERT INTO `cust``omers` VALUES (1,'a\\nUSE `shop`;'),(2,'b');",
  "INSERT INTO `cust``omers` VALUES (3,'c');",
  'CREATE TABLE `日本` (id int);',
  'INSERT INTO `日本` VALUES (1);',
  'DELIMITER ;;',
  'ALTER DATABASE `shop` CHARACTER SET latin1 COLLATE latin1_swedish_ci ;;',
  'CREATE PROCEDURE p() SELECT 1 ;;',
  'ALTER DATABASE `shop` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci ;;',
  'DELIMITER ;',
  '-- Dump completed on 2026-01-01 10:00:00',
  '',
].join('\n')

async function scan(text: string, split: number[], target = 'copy') {
  const bytes = Buffer.from(text, 'utf8')
  const chunks: Buffer[] = []
  let at = 0
  for (const s of [...split, bytes.length]) {
    chunks.push(bytes.subarray(at, s))
    at = s
  }
  const tables: string[] = []
  const scanner = new RestoreScanner(target, { onTable: (t) => tables.push(t) })
  const out: Buffer[] = []
  await pipeline(
    Readable.from(chunks),
    scanner,
    new Writable({
      write(c: Buffer, _e, cb) {
        out.push(c)
        cb()
      },
    }),
  )
  return { sql: Buffer.concat(out).toString('utf8'), tables, scanner }
}

describe('RestoreScanner', () => {
  it('points the dump’s database lines at the target, keeps every line, sees tables and the trailer', async () => {
    const { sql, tables, scanner } = await scan(DUMP, [])
    const lines = sql.split('\n')
    expect(lines).toHaveLength(DUMP.split('\n').length)
    expect(lines[10]).toMatch(/^-- the dump's DROP DATABASE left out/)
    expect(lines[12]).toMatch(/^-- the dump's CREATE DATABASE left out/)
    expect(lines[14]).toBe('USE `copy`;')
    expect(lines[25]).toBe('ALTER DATABASE `copy` CHARACTER SET latin1 COLLATE latin1_swedish_ci ;;')
    expect(lines[27]).toBe('ALTER DATABASE `copy` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci ;;')
    // Anything else is untouched, also a `USE` inside a value or a column default.
    const untouched = DUMP.split('\n').filter((_, i) => ![10, 12, 14, 25, 27].includes(i))
    expect(lines.filter((_, i) => ![10, 12, 14, 25, 27].includes(i))).toEqual(untouched)
    expect(sql).not.toMatch(/`shop`;\n|DATABASE `shop`/)
    expect(tables).toEqual(['cust`omers', 'cust`omers', '日本', '日本'])
    expect([...scanner.tables]).toEqual(['cust`omers', '日本'])
    expect(scanner.sourceDatabase).toBe('shop')
    expect(scanner.databaseOptions).toEqual({ charset: 'utf8mb4', collation: 'utf8mb4_unicode_ci' })
    expect(scanner.bytes).toBe(Buffer.byteLength(DUMP))
    expect(scanner.completed).toBe(true)
  })

  it('gives the same output for every chunk boundary', async () => {
    const expected = (await scan(DUMP, [])).sql
    const size = Buffer.byteLength(DUMP)
    for (let cut = 1; cut < size; cut++) {
      const { sql, scanner } = await scan(DUMP, [cut])
      expect(sql, `cut at ${cut}`).toBe(expected)
      expect(scanner.tables.size).toBe(2)
    }
    const { sql } = await scan(
      DUMP,
      Array.from({ length: size - 1 }, (_, i) => i + 1),
    ) // a byte at a time
    expect(sql).toBe(expected)
  })

  it('holds the header back until the CREATE DATABASE line is read', async () => {
    const scanner = new RestoreScanner('copy')
    const seen: (object | null)[] = []
    scanner.on('data', () => seen.push(scanner.databaseOptions))
    await pipeline(Readable.from([Buffer.from(DUMP.slice(0, 200)), Buffer.from(DUMP.slice(200))]), scanner)
    expect(seen[0]).toEqual({ charset: 'utf8mb4', collation: 'utf8mb4_unicode_ci' })
  })

  it('leaves a dump without database lines as it is, CRLF lines too', async () => {
    const plain =
      'SET NAMES utf8mb4;\r\nCREATE TABLE IF NOT EXISTS `t` (a int);\r\nREPLACE INTO `t` VALUES (1);\r\n'
    const { sql, tables, scanner } = await scan(plain, [30])
    expect(sql).toBe(plain)
    expect(tables).toEqual(['t', 't'])
    expect(scanner.sourceDatabase).toBeNull()
    expect(scanner.completed).toBe(false)
    const crlf = (await scan('USE `a`;\r\nSELECT 1;\r\n', [])).sql
    expect(crlf).toBe('USE `copy`;\r\nSELECT 1;\r\n')
  })

  it('refuses a file that holds a second database', async () => {
    const two = 'USE `a`;\nCREATE TABLE `t` (a int);\nCREATE DATABASE `b`;\nUSE `b`;\n'
    await expect(scan(two, [])).rejects.toMatchObject({
      code: 'InvalidInput',
      message: expect.stringMatching(/more than one database \(a, b\)/),
    })
  })
})

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
