/**
 * The phase assignment of a parallel load (PhaseRouter), on a real mariadb-dump file
 * (test/fixtures/dumps/sample.sql: two databases, views on views, triggers, routines, events) and on the
 * shapes of mysqldump's stand-in and final view sections.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { PhaseRouter, type DataTable } from '../../../electron/engine/restore/load/phases.ts'
import { classifyStatement, StatementSplitter } from '../../../electron/engine/restore/sql-statements.ts'

interface Routed {
  lane: 'ordered' | 'late' | 'both' | 'data'
  text: string
  index: number
  table?: string
}

/** Runs a dump through the router; returns each statement's lane, in call order, and the data sections. */
function route(sql: Buffer | string): {
  routed: Routed[]
  sections: DataTable[]
  header: string[]
  count: number
} {
  const routed: Routed[] = []
  const sections: DataTable[] = []
  let open: DataTable | null = null
  type Item = { text: string; index: number }
  const router = new PhaseRouter<Item>(
    {
      ordered: (i) => routed.push({ lane: 'ordered', ...i }),
      late: (i) => routed.push({ lane: 'late', ...i }),
      both: (i) => routed.push({ lane: 'both', ...i }),
      data: (i) => routed.push({ lane: 'data', ...i, table: open?.table ?? '?' }),
      dataOpen: (t) => {
        open = t
        sections.push(t)
      },
      dataClose: () => (open = null),
    },
    (i) => ({ ...i }),
  )
  let database: string | null = null
  let count = 0
  const splitter = new StatementSplitter((s) => {
    count++
    const cls = classifyStatement(s.text)
    if (cls.kind === 'use') database = cls.database ?? null
    router.route({ text: s.text, index: s.index }, cls, database, s.text)
  })
  splitter.push(typeof sql === 'string' ? Buffer.from(sql) : sql)
  splitter.end()
  router.end()
  return { routed, sections, header: router.header.map((h) => h.text), count }
}

const lanesOf = (routed: Routed[], pattern: RegExp): string[] =>
  routed.filter((r) => pattern.test(r.text)).map((r) => r.lane)

describe('PhaseRouter on a real mariadb-dump file', () => {
  const sample = readFileSync(join(import.meta.dirname, '..', '..', 'fixtures', 'dumps', 'sample.sql'))
  const { routed, sections, header, count } = route(sample)

  it('routes every statement exactly once and keeps the dump order when the lanes are concatenated', () => {
    expect(routed.map((r) => r.index)).toEqual(Array.from({ length: count }, (_, i) => i + 1))
  })

  it('puts table DDL and the views’ stand-ins in phase 1, data in phase 2, real views, triggers, routines and events in phase 3', () => {
    expect(new Set(lanesOf(routed, /^CREATE TABLE/))).toEqual(new Set(['ordered']))
    expect(new Set(lanesOf(routed, /^(?:INSERT|LOCK TABLES|UNLOCK TABLES|\/\*!40000 ALTER TABLE)/))).toEqual(
      new Set(['data']),
    )
    const standIn = /^\/\*!50001 CREATE VIEW `\w+` AS SELECT\s+NULL AS/
    // As many stand-ins as the file has "CREATE VIEW … AS SELECT" lines (a real view says `AS select`).
    const inFile = sample.toString('utf8').match(/^\/\*!50001 CREATE VIEW `\w+` AS SELECT$/gm)?.length ?? 0
    expect(inFile).toBeGreaterThan(0)
    expect(lanesOf(routed, standIn).length).toBe(inFile)
    expect(new Set(lanesOf(routed, standIn))).toEqual(new Set(['ordered']))
    const late =
      /^\/\*!50001 CREATE ALGORITHM|^\/\*!50003 CREATE\*\/ \/\*!50017 DEFINER|CREATE\*\/ \/\*!50020 DEFINER|^CREATE DEFINER|^\/\*!50106 CREATE\*\/ \/\*!50117 DEFINER/
    const lateInFile = sample
      .toString('utf8')
      .split('\n')
      .filter((l) => late.test(l)).length
    expect(lateInFile).toBeGreaterThan(4)
    expect(lanesOf(routed, late).length).toBe(lateInFile)
    expect(new Set(lanesOf(routed, late))).toEqual(new Set(['late']))
  })

  it('drops a stand-in only in phase 3, right before its real view (a view on a view needs the other stand-in till then)', () => {
    const drops = routed.filter((r) => /^\/\*!50001 DROP VIEW IF EXISTS/.test(r.text))
    expect(drops.length).toBeGreaterThan(0)
    for (const drop of drops) {
      const name = /`([^`]+)`/.exec(drop.text)?.[1]
      const next = routed.slice(routed.indexOf(drop) + 1).find((r) => r.lane !== 'both')
      if (next?.lane === 'late') expect(next.text).toMatch(new RegExp(`VIEW \`${name}\` AS select`))
      else expect(next?.text).toMatch(new RegExp(`CREATE VIEW \`${name}\` AS SELECT`))
      expect(drop.lane).toBe(next?.lane)
    }
  })

  it('opens one data section per table with rows, each with the table’s statements only, and collects the header SETs', () => {
    const withRows = routed.filter((r) => r.lane === 'data' && r.text.startsWith('INSERT INTO'))
    // Each table's data is one section (opened once, at its LOCK TABLES), every table with rows has one.
    expect(sections.length).toBe(new Set(sections.map((s) => `${s.database}.${s.table}`)).size)
    const locked = routed.filter((r) => r.text.startsWith('LOCK TABLES'))
    expect(sections.length).toBe(locked.length)
    expect(locked.every((r) => r.lane === 'data' && r.text.startsWith(`LOCK TABLES \`${r.table}\``))).toBe(
      true,
    )
    for (const r of withRows) expect(sections.map((s) => s.table)).toContain(r.table)
    for (const r of withRows)
      expect(r.text.startsWith(`INSERT INTO \`${r.table?.replace(/`/g, '``')}\``)).toBe(true)
    expect(header.length).toBeGreaterThan(5)
    expect(header.some((h) => /SET NAMES utf8mb4/.test(h))).toBe(true)
    expect(header.every((h) => classifyStatement(h).kind === 'set')).toBe(true)
  })
})

describe('PhaseRouter on mysqldump’s shapes', () => {
  it('holds a DROP TABLE / DROP VIEW with the SETs after it until the next statement decides the phase', () => {
    const { routed } = route(
      [
        'SET NAMES utf8mb4;',
        'DROP TABLE IF EXISTS `v1`;',
        '/*!50001 DROP VIEW IF EXISTS `v1`*/;',
        'SET @saved_cs_client = @@character_set_client;',
        '/*!50001 CREATE VIEW `v1` AS SELECT \n 1 AS `a` */;',
        'DROP TABLE IF EXISTS `t`;',
        'CREATE TABLE `t` (`a` int);',
        'LOCK TABLES `t` WRITE;',
        'INSERT INTO `t` VALUES (1);',
        'UNLOCK TABLES;',
        '/*!50001 DROP TABLE IF EXISTS `v1`*/;',
        '/*!50001 DROP VIEW IF EXISTS `v1`*/;',
        '/*!50001 SET character_set_client = utf8mb4 */;',
        '/*!50001 CREATE ALGORITHM=UNDEFINED */ /*!50001 VIEW `v1` AS select `t`.`a` AS `a` from `t` */;',
        'SET NAMES latin1;',
      ].join('\n'),
    )
    expect(routed.map((r) => r.lane)).toEqual([
      'both',
      'ordered',
      'ordered',
      'both',
      'ordered',
      'ordered',
      'ordered',
      'data',
      'data',
      'data',
      'late',
      'late',
      'both',
      'late',
      'both',
    ])
  })

  it('keeps a table’s data on one section through SET / COMMIT, and ends it at the next table or a non-data statement', () => {
    const { sections, routed } = route(
      [
        'INSERT INTO `a` VALUES (1);',
        'set autocommit=0;',
        '/*!40000 ALTER TABLE `a` ENABLE KEYS */;',
        'commit;',
        'INSERT INTO `b` VALUES (1);',
        'CREATE TABLE `c` (x int);',
        'INSERT INTO `b` VALUES (2);',
      ].join('\n'),
    )
    expect(sections.map((s) => s.table)).toEqual(['a', 'b', 'b'])
    expect(routed.map((r) => `${r.lane}:${r.table ?? ''}`)).toEqual([
      'data:a',
      'data:a',
      'data:a',
      'data:a',
      'data:b',
      'ordered:',
      'data:b',
    ])
  })
})
