/**
 * The loader's row counter: the tuples an INSERT / REPLACE of a dump holds, quote-aware, on raw bytes.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { countInsertRows } from '../../../electron/engine/restore/load/row-counter.ts'
import { classifyStatement, StatementSplitter } from '../../../electron/engine/restore/sql-statements.ts'

const rows = (sql: string, noBackslashEscapes = false): number =>
  countInsertRows(Buffer.from(sql, 'utf8'), noBackslashEscapes)

describe('countInsertRows', () => {
  it('counts the tuples of an extended INSERT, with and without a column list', () => {
    expect(rows('INSERT INTO `t` VALUES (1,2),(3,4),(5,6)')).toBe(3)
    expect(rows('INSERT INTO `t` (`a`, `b`) VALUES (1,2)')).toBe(1)
    expect(rows('insert ignore into t(a) value (1), (2) ,\n(3)')).toBe(3)
    expect(rows('REPLACE INTO `t` VALUES (1,NULL)')).toBe(1)
  })

  it('ignores parentheses and commas inside strings, identifiers and comments', () => {
    expect(rows("INSERT INTO `t(x)` VALUES ('a),(b',\"c),(\"),('it''s ),( ok'),('\\'),(')")).toBe(3)
    expect(rows('INSERT INTO t VALUES (1, CONCAT(\'(\', ")")), /* (9),(9) */ (2, (3))')).toBe(2)
    expect(rows('INSERT INTO `a``),(b` VALUES (1)')).toBe(1)
  })

  it('follows NO_BACKSLASH_ESCAPES: a backslash then ends nothing', () => {
    // With escapes, \' continues the string; without, the string ends at the quote after the backslash.
    expect(rows("INSERT INTO t VALUES ('a\\'),(2)')", false)).toBe(1)
    expect(rows("INSERT INTO t VALUES ('a\\'),(2)')", true)).toBe(2)
  })

  it('stops at ON DUPLICATE KEY UPDATE (its VALUES() is not a row), counts SET as one row and SELECT as none', () => {
    expect(rows('INSERT INTO t VALUES (1,2),(3,4) ON DUPLICATE KEY UPDATE b=VALUES(b)')).toBe(2)
    expect(rows('INSERT INTO t SET a = 1, b = 2')).toBe(1)
    expect(rows('INSERT INTO t SELECT * FROM u')).toBe(0)
  })

  it('counts binary bytes (a dump without --hex-blob) as data', () => {
    const head = Buffer.from("INSERT INTO `b` VALUES (1,'")
    const binary = Buffer.from([0x00, 0xff, 0x28, 0x29, 0x2c, 0x5c, 0x27, 0x80, 0xc3])
    const tail = Buffer.from("'),(2,'x')")
    expect(countInsertRows(Buffer.concat([head, binary, tail]))).toBe(2)
  })

  it('counts the rows of a real mariadb-dump file: the sample schema with 4 customers in each database', () => {
    const sample = readFileSync(join(import.meta.dirname, '..', '..', 'fixtures', 'dumps', 'sample.sql'))
    const perTable = new Map<string, number>()
    let database = ''
    const splitter = new StatementSplitter((s) => {
      const cls = classifyStatement(s.text)
      if (cls.kind === 'use') database = cls.database ?? ''
      if (cls.kind !== 'insert') return
      const key = `${database}.${cls.table}`
      perTable.set(key, (perTable.get(key) ?? 0) + countInsertRows(s.raw))
    })
    splitter.push(sample)
    splitter.end()
    // The oracle: the rows of each table, counted from the dump's text by a different route — every
    // tuple of the sample's INSERTs starts a line-free "(" after "VALUES " or "),".
    for (const [key, n] of perTable) {
      const [db, table] = key.split('.') as [string, string]
      const text = sample.toString('utf8')
      const section = text.slice(text.indexOf(`USE \`${db}\`;`))
      const from = section.indexOf(`INSERT INTO \`${table}\` VALUES`)
      const insert = from < 0 ? '' : section.slice(from, section.indexOf(');\n', from))
      const tuples = insert.length === 0 ? 0 : insert.split(/\),\s*\(/).length
      expect({ key, n }).toEqual({ key, n: tuples })
    }
    expect(perTable.size).toBeGreaterThan(3)
  })

  it('gets the raw bytes from the splitter: binary strings intact (never decoded), text limited to the head', () => {
    const binary = Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x3b, 0x27, 0x5c, 0x27, 0xc3])
    const big = Buffer.alloc(100_000, 0x61)
    const sql = Buffer.concat([
      Buffer.from("INSERT INTO `b` VALUES (1,'"),
      binary,
      Buffer.from("'),(2,'"),
      big,
      Buffer.from("');\nSELECT 1;\n"),
    ])
    const seen: { raw: Buffer; text: string; bytes: number }[] = []
    const splitter = new StatementSplitter(
      (s) => seen.push({ raw: Buffer.from(s.raw), text: s.text, bytes: s.bytes }),
      {
        textLimit: 4096,
      },
    )
    for (let i = 0; i < sql.length; i += 777) splitter.push(sql.subarray(i, i + 777))
    splitter.end()
    expect(seen).toHaveLength(2)
    const insert = seen[0]!
    expect(insert.raw.equals(sql.subarray(0, sql.indexOf(';\nSELECT')))).toBe(true)
    expect(insert.raw.includes(binary)).toBe(true)
    expect(insert.bytes).toBe(insert.raw.length)
    expect(insert.text.length).toBeLessThanOrEqual(4096)
    expect(countInsertRows(insert.raw)).toBe(2)
    expect(seen[1]!.raw.toString()).toBe('SELECT 1')
  })
})
