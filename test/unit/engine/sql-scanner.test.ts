import { Readable, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { describe, expect, it } from 'vitest'
import {
  hasCompletionTrailer,
  parseMarker,
  SqlScanner,
  type SqlMarker,
} from '../../../electron/engine/backup/sql-scanner.ts'
import { gtidStatementFound, parseGtidHeader } from '../../../electron/engine/backup/gtid.ts'

const DUMP = [
  '-- MariaDB dump 10.19  Distrib 10.11.19-MariaDB',
  '--',
  '-- Current Database: `shop`',
  '--',
  '-- Table structure for table `a``b`',
  'CREATE TABLE `a``b` (id int);',
  '--',
  '-- Dumping data for table `a``b`',
  "INSERT INTO `a``b` VALUES (1),(2),('-- Dumping data for table `fake`');",
  '-- Table structure for table `customers`',
  '-- Dumping data for table `customers`',
  'INSERT INTO customers VALUES ' + '(1,"x"),'.repeat(20_000) + '(2,"y");',
  '-- Temporary table structure for view `v`',
  "-- Dumping routines for database 'shop'",
  '-- Dump completed on 2026-11-21 12:00:00',
  '',
].join('\n')

async function scan(
  text: string,
  chunkSize: number,
): Promise<{ markers: SqlMarker[]; scanner: SqlScanner; out: Buffer }> {
  const markers: SqlMarker[] = []
  const scanner = new SqlScanner((m) => markers.push(m))
  const data = Buffer.from(text)
  const chunks: Buffer[] = []
  for (let i = 0; i < data.length; i += chunkSize) chunks.push(data.subarray(i, i + chunkSize))
  const got: Buffer[] = []
  await pipeline(Readable.from(chunks), scanner, new Writable({ write: (c, _e, cb) => (got.push(c), cb()) }))
  return { markers, scanner, out: Buffer.concat(got) }
}

describe('SqlScanner', () => {
  it.each([1, 2, 3, 7, 64, 4096, 1 << 20])(
    'finds every marker whatever the chunk size (%i)',
    async (size) => {
      const { markers, scanner, out } = await scan(DUMP, size)
      expect(markers).toEqual([
        { kind: 'database', database: 'shop' },
        { kind: 'structure', table: 'a`b' },
        { kind: 'data', table: 'a`b' },
        { kind: 'structure', table: 'customers' },
        { kind: 'data', table: 'customers' },
        { kind: 'view', table: 'v' },
        { kind: 'routines', database: 'shop' },
      ])
      expect(scanner.bytes).toBe(Buffer.byteLength(DUMP))
      expect(out.toString()).toBe(DUMP)
      expect(scanner.completed).toBe(true)
    },
  )

  it.each([3, 100, 4096])(
    'feed(): a buffer the caller reuses (overwritten after each call) still gives every marker, the trailer and the head (%i)',
    (size) => {
      const markers: SqlMarker[] = []
      const scanner = new SqlScanner((m) => markers.push(m))
      const data = Buffer.from(DUMP)
      const reused = Buffer.alloc(size)
      for (let i = 0; i < data.length; i += size) {
        const n = data.copy(reused, 0, i, i + size)
        scanner.feed(reused.subarray(0, n))
        reused.fill(0x2d) // '-': what a reader's next read would put there
      }
      expect(markers.map((m) => m.kind)).toEqual([
        'database',
        'structure',
        'data',
        'structure',
        'data',
        'view',
        'routines',
      ])
      expect(markers[1]).toEqual({ kind: 'structure', table: 'a`b' })
      expect(scanner.bytes).toBe(data.length)
      expect(scanner.completed).toBe(true)
      expect(scanner.head.startsWith('-- MariaDB dump 10.19')).toBe(true)
    },
  )

  it('sees a dump cut short as incomplete', async () => {
    const { scanner } = await scan(DUMP.slice(0, DUMP.indexOf('-- Dump completed')), 100)
    expect(scanner.completed).toBe(false)
  })

  it('recognises both trailer spellings', () => {
    expect(hasCompletionTrailer('x\n-- Dump completed on 2026-01-01  1:02:03\n')).toBe(true)
    expect(hasCompletionTrailer('x\n-- Dump completed\n')).toBe(true)
    expect(hasCompletionTrailer('x\n-- Dump completed on 2026\nINSERT')).toBe(false)
  })

  it('ignores comment lines that are not markers', () => {
    expect(parseMarker('-- MariaDB dump 10.19')).toBeNull()
    expect(parseMarker("-- Dumping events for database 'x'")).toEqual({ kind: 'routines', database: 'x' })
  })
})

describe('SqlScanner: replication coordinates anywhere in the stream', () => {
  // mariadb-dump 10.11 writes the GTID near the END of a large dump (issue 11, point 5), far past the head.
  const big = [
    '-- MariaDB dump 10.19  Distrib 10.11.19-MariaDB',
    "-- CHANGE MASTER TO MASTER_LOG_FILE='mysql-bin.000007', MASTER_LOG_POS=1234;",
    '-- Dumping data for table `t`',
    ...Array.from({ length: 400 }, (_, i) => `INSERT INTO t VALUES (${i},'${'x'.repeat(1000)}');`),
    '--',
    '-- GTID to start replication from',
    '--',
    '',
    "-- SET GLOBAL gtid_slave_pos='0-1-4242,1-2-77';",
    '-- Dump completed on 2026-11-21 12:00:00',
    '',
  ].join('\n')

  it.each([3, 4096, 1 << 20])('reads a GTID written past the header window (chunks of %i)', async (size) => {
    expect(big.indexOf('gtid_slave_pos')).toBeGreaterThan(256 * 1024)
    const { scanner } = await scan(big, size)
    expect(parseGtidHeader(scanner.replication)).toEqual({
      executed: '0-1-4242,1-2-77',
      purged: null,
      binlog_file: 'mysql-bin.000007',
      binlog_position: 1234,
    })
    expect(gtidStatementFound(scanner.replication)).toBe(true)
  })

  it('says when the GTID statement is missing', async () => {
    const { scanner } = await scan(big.replace(/^-- SET GLOBAL gtid_slave_pos.*$/m, '--'), 4096)
    expect(gtidStatementFound(scanner.replication)).toBe(false)
    expect(parseGtidHeader(scanner.replication)?.binlog_file).toBe('mysql-bin.000007')
  })
})
