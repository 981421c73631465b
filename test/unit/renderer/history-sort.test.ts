import { describe, expect, it } from 'vitest'
import type { HistoryEntry } from '../../../shared/ipc.ts'
import {
  DEFAULT_SORT,
  compareRows,
  nextSort,
  sortHistoryRows,
  type HistoryRow,
  type HistorySort,
} from '../../../renderer/src/pages/history/history-sort.ts'
import type { UnwrittenRow } from '../../../renderer/src/pages/history/job-rows.ts'

const entry = (name: string, over: Partial<HistoryEntry> = {}): HistoryEntry => ({
  metaPath: `/b/${name}.sql.zst.meta.json`,
  backupFile: `/b/${name}.sql.zst`,
  fileName: `${name}.sql.zst`,
  source: 'ours',
  databases: [name],
  type: 'single',
  status: 'success',
  startedAt: '2026-03-01T10:00:00.000Z',
  durationMs: 1000,
  host: 'db1',
  hostname: 'db1',
  ticket: 'CHG-1',
  sizeBytes: 100,
  sha256: null,
  compression: { type: 'zstd', level: 3 },
  encrypted: false,
  gtid: null,
  binlog: null,
  fileExists: true,
  companions: [],
  profile: 'prod',
  lastVerified: null,
  ...over,
})

const unwritten = (
  db: string,
  startedAt: string,
  status: UnwrittenRow['status'] = 'failed',
): UnwrittenRow => ({
  key: `job-${db}#0`,
  jobId: `job-${db}`,
  startedAt,
  profile: 'prod',
  ticket: 'CHG-9',
  databases: [db],
  status,
  error: null,
  run: { trigger: 'manual', schedule: null },
})

const names = (rows: HistoryRow[]): string[] =>
  rows.map((r) => (r.kind === 'file' ? r.entry.databases[0] : `!${r.row.databases[0]}`) ?? '')

const asc = (key: HistorySort['key']): HistorySort => ({ key, direction: 'ascending' })
const desc = (key: HistorySort['key']): HistorySort => ({ key, direction: 'descending' })

describe('History sort', () => {
  const files = [
    entry('shop', { startedAt: '2026-03-02T10:00:00.000Z', sizeBytes: 300, ticket: 'chg-10' }),
    entry('crm', {
      startedAt: '2026-03-03T10:00:00.000Z',
      sizeBytes: 50,
      ticket: 'CHG-2',
      status: 'success_with_warnings',
    }),
    entry('hr', {
      startedAt: '2026-03-01T10:00:00.000Z',
      sizeBytes: null,
      ticket: null,
      lastVerified: { at: '2026-03-05T00:00:00.000Z', ok: false, error: null },
    }),
    entry('ops', {
      startedAt: null,
      sizeBytes: 1000,
      lastVerified: { at: '2026-03-04T00:00:00.000Z', ok: true, error: null },
    }),
  ]
  const jobs = [
    unwritten('billing', '2026-03-02T12:00:00.000Z'),
    unwritten('audit', '2026-02-01T00:00:00.000Z', 'cancelled'),
  ]

  it('opens newest first, failed jobs between the files by their date, undated last', () => {
    expect(DEFAULT_SORT).toEqual(desc('date'))
    expect(names(sortHistoryRows(files, jobs, DEFAULT_SORT))).toEqual([
      'crm',
      '!billing',
      'shop',
      'hr',
      '!audit',
      'ops',
    ])
    expect(names(sortHistoryRows(files, jobs, asc('date')))).toEqual([
      '!audit',
      'hr',
      'shop',
      '!billing',
      'crm',
      'ops',
    ])
  })

  it('sorts sizes as numbers; rows without one (unwritten files) stay last both ways', () => {
    expect(names(sortHistoryRows(files, jobs, asc('size')))).toEqual([
      'crm',
      'shop',
      'ops',
      '!billing',
      'hr',
      '!audit',
    ])
    expect(names(sortHistoryRows(files, jobs, desc('size')))).toEqual([
      'ops',
      'shop',
      'crm',
      '!billing',
      'hr',
      '!audit',
    ])
  })

  it('sorts names and tickets as text, numbers in them by value and case aside', () => {
    expect(names(sortHistoryRows(files, jobs, asc('databases')))).toEqual([
      '!audit',
      '!billing',
      'crm',
      'hr',
      'ops',
      'shop',
    ])
    // CHG-2 before chg-10; no ticket last; equal tickets newest first.
    expect(names(sortHistoryRows(files, [], asc('ticket')))).toEqual(['ops', 'crm', 'shop', 'hr'])
  })

  it('sorts statuses from good to bad, a missing file worst', () => {
    const missing = entry('gone', { fileExists: false })
    const rows = sortHistoryRows([...files, missing], jobs, asc('status'))
    expect(names(rows)).toEqual(['shop', 'hr', 'ops', 'crm', '!audit', '!billing', 'gone'])
  })

  it('sorts by the last verification, never-verified and unwritten rows last', () => {
    expect(names(sortHistoryRows(files, jobs, desc('lastVerified')))).toEqual([
      'hr',
      'ops',
      'crm',
      '!billing',
      'shop',
      '!audit',
    ])
    expect(names(sortHistoryRows(files, jobs, asc('lastVerified'))).slice(0, 2)).toEqual(['ops', 'hr'])
  })

  it('a click on the same header turns the direction, another header starts where it is useful', () => {
    expect(nextSort(DEFAULT_SORT, 'date')).toEqual(asc('date'))
    expect(nextSort(asc('date'), 'date')).toEqual(desc('date'))
    expect(nextSort(DEFAULT_SORT, 'databases')).toEqual(asc('databases'))
    expect(nextSort(asc('databases'), 'size')).toEqual(desc('size'))
    expect(nextSort(DEFAULT_SORT, 'lastVerified')).toEqual(desc('lastVerified'))
  })

  it('compares equal rows as equal (the sort keeps their order)', () => {
    const a: HistoryRow = { kind: 'file', entry: entry('a') }
    const b: HistoryRow = { kind: 'file', entry: entry('b') }
    expect(compareRows(a, b, desc('size'))).toBe(0)
  })
})
