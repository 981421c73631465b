import { describe, expect, it } from 'vitest'
import type { CatalogEntry } from '../../../electron/engine/catalog/catalog-entry.ts'
import { EngineError } from '../../../electron/engine/errors.ts'
import { planRetention, retentionGroup } from '../../../electron/engine/retention/retention.ts'

const NOW = new Date(2026, 2, 15, 12, 0, 0) // local time, like the cutoff
const daysAgo = (d: number, hours = 0): Date => {
  const t = new Date(NOW)
  t.setDate(t.getDate() - d)
  t.setHours(t.getHours() - hours)
  return t
}

let n = 0
/** A catalog entry: `name` identifies it in expectations. */
function entry(name: string, over: Partial<CatalogEntry> & { age?: number } = {}): CatalogEntry {
  const { age = 0, ...rest } = over
  const file = `/b/${name}.sql.zst`
  n++
  return {
    source: 'ours',
    metaPath: `${file}.meta.json`,
    backupFile: file,
    fileName: `${name}.sql.zst`,
    recordedFile: null,
    databases: ['shop'],
    type: 'single',
    status: 'success',
    startedAt: daysAgo(age),
    durationMs: null,
    host: '10.0.0.1',
    port: 3306,
    hostname: 'db1',
    ticket: null,
    sizeBytes: 100 + n,
    sha256: null,
    compression: null,
    encrypted: false,
    gtid: null,
    binlog: null,
    companions: [`${file}.meta.json`],
    fileExists: true,
    modifiedAt: null,
    ...rest,
  }
}

const names = (list: CatalogEntry[]): string[] => list.map((e) => e.fileName.replace('.sql.zst', '')).sort()

interface Case {
  name: string
  entries: CatalogEntry[]
  policy: { retentionDays: number; minBackups: number }
  scope?: { databases?: string[]; host?: string }
  remove: string[]
}

const CASES: Case[] = [
  {
    name: 'keeps the newest min_backups even when every backup is old',
    entries: [
      entry('a', { age: 100 }),
      entry('b', { age: 90 }),
      entry('c', { age: 80 }),
      entry('d', { age: 70 }),
    ],
    policy: { retentionDays: 30, minBackups: 2 },
    remove: ['a', 'b'],
  },
  {
    name: 'min_backups 0 removes every old backup',
    entries: [entry('a', { age: 100 }), entry('b', { age: 40 })],
    policy: { retentionDays: 30, minBackups: 0 },
    remove: ['a', 'b'],
  },
  {
    name: 'the retention boundary: exactly N days old stays, a second older goes',
    entries: [
      entry('edge', { startedAt: daysAgo(7) }),
      entry('past', { startedAt: new Date(daysAgo(7).getTime() - 1000) }),
      entry('fresh', { startedAt: daysAgo(6, 23) }),
    ],
    policy: { retentionDays: 7, minBackups: 0 },
    remove: ['past'],
  },
  {
    name: 'groups by database set: each set keeps its own newest',
    entries: [
      entry('shop1', { age: 50 }),
      entry('shop2', { age: 60 }),
      entry('crm1', { age: 55, databases: ['crm'] }),
      entry('both1', { age: 40, databases: ['shop', 'crm'] }),
      entry('both2', { age: 45, databases: ['crm', 'shop'] }),
    ],
    policy: { retentionDays: 10, minBackups: 1 },
    remove: ['both2', 'shop2'],
  },
  {
    name: 'groups by server: the same database on two servers keeps one each',
    entries: [
      entry('db1-a', { age: 50 }),
      entry('db1-b', { age: 60 }),
      entry('db2-a', { age: 70, hostname: 'db2', host: '10.0.0.2' }),
      // No hostname recorded: host:port identifies the server.
      entry('db3-a', { age: 80, hostname: null, host: '10.0.0.3' }),
      entry('db3-b', { age: 90, hostname: null, host: '10.0.0.3' }),
    ],
    policy: { retentionDays: 10, minBackups: 1 },
    remove: ['db1-b', 'db3-b'],
  },
  {
    name: 'failed backups and missing dumps do not count toward min_backups',
    entries: [
      entry('failed', { age: 20, status: 'failed' }),
      entry('gone', { age: 25, fileExists: false }),
      entry('good', { age: 30 }),
      entry('older', { age: 40 }),
    ],
    policy: { retentionDays: 10, minBackups: 1 },
    remove: ['failed', 'gone', 'older'],
  },
  {
    name: 'a recent failed backup stays (it is not old)',
    entries: [entry('failed', { age: 1, status: 'failed' }), entry('good', { age: 30 })],
    policy: { retentionDays: 10, minBackups: 1 },
    remove: [],
  },
  {
    name: 'success_with_warnings counts as a good backup',
    entries: [entry('warned', { age: 20, status: 'success_with_warnings' }), entry('old', { age: 30 })],
    policy: { retentionDays: 10, minBackups: 1 },
    remove: ['old'],
  },
  {
    name: 'retention 0 keeps everything',
    entries: [entry('a', { age: 1000 }), entry('b', { age: 2000, status: 'failed' })],
    policy: { retentionDays: 0, minBackups: 0 },
    remove: [],
  },
  {
    name: 'no date at all: kept; the file mtime stands in for a missing start time',
    entries: [
      entry('undated', { startedAt: null }),
      entry('by-mtime', { startedAt: null, modifiedAt: daysAgo(50) }),
      entry('newest', { age: 2 }),
    ],
    policy: { retentionDays: 10, minBackups: 1 },
    remove: ['by-mtime'],
  },
  {
    name: 'scope by database: only backups containing it are considered',
    entries: [
      entry('shop', { age: 50 }),
      entry('crm', { age: 50, databases: ['crm'] }),
      entry('s2', { age: 1 }),
    ],
    policy: { retentionDays: 10, minBackups: 1 },
    scope: { databases: ['shop'] },
    remove: ['shop'],
  },
  {
    name: 'scope by host (hostname or host)',
    entries: [entry('db1', { age: 50 }), entry('db2', { age: 50, hostname: 'db2', host: '10.0.0.2' })],
    policy: { retentionDays: 10, minBackups: 0 },
    scope: { host: '10.0.0.2' },
    remove: ['db2'],
  },
]

describe('planRetention', () => {
  it.each(CASES)('$name', ({ entries, policy, scope, remove }) => {
    const plan = planRetention(entries, policy, NOW, scope)
    expect(names(plan.remove)).toEqual([...remove].sort())
    const inScope = plan.remove.length + plan.keep.length
    if (!scope) expect(inScope).toBe(entries.length)
    for (const e of [...plan.remove, ...plan.keep]) expect(plan.reasons.get(e.metaPath)).toBeTruthy()
  })

  it('explains its decisions', () => {
    const plan = planRetention(
      [entry('keep', { age: 40 }), entry('drop', { age: 50, status: 'failed' })],
      { retentionDays: 30, minBackups: 1 },
      NOW,
    )
    expect(plan.reasons.get('/b/keep.sql.zst.meta.json')).toBe('one of the newest 1 successful backups')
    expect(plan.reasons.get('/b/drop.sql.zst.meta.json')).toBe('older than 30 days, status failed')
  })

  it('orders by date, not by the order it is given', () => {
    const list = [entry('old', { age: 60 }), entry('new', { age: 50 })]
    const plan = planRetention(list, { retentionDays: 10, minBackups: 1 }, NOW)
    expect(names(plan.keep)).toEqual(['new'])
  })

  it('puts the same databases in any order from the same hostname in one group', () => {
    expect(retentionGroup(entry('x', { databases: ['b', 'a'], hostname: 'DB1' }))).toBe(
      retentionGroup(entry('y', { databases: ['a', 'b'], hostname: 'db1', host: 'other' })),
    )
  })

  it.each([
    { retentionDays: -1, minBackups: 1 },
    { retentionDays: 1.5, minBackups: 1 },
    { retentionDays: 1, minBackups: Number.NaN },
  ])('rejects the policy %o', (policy) => {
    expect(() => planRetention([], policy, NOW)).toThrow(EngineError)
  })
})
