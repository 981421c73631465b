/** The job history in the renderer: a record as a result, and the History rows of files a job did not write. */
import { describe, expect, it } from 'vitest'
import type { TargetResult } from '../../../shared/backup-types.ts'
import type { BackupRequestInput, HistoryEntry, JobRecord } from '../../../shared/ipc.ts'
import { lastRunPerProfile } from '../../../renderer/src/pages/dashboard/last-runs.ts'
import { unwrittenRows } from '../../../renderer/src/pages/history/job-rows.ts'
import { EMPTY_FILTERS } from '../../../renderer/src/stores/history-store.ts'
import { fromRecord } from '../../../renderer/src/stores/results-store.ts'

const target = (db: string, status: TargetResult['status'], warnings: string[] = []): TargetResult => ({
  databases: [db],
  status,
  file:
    status === 'success' || status === 'success_with_warnings' ? `/b/${db}_20261203_120000_T.sql.zst` : null,
  bytes: 1,
  sqlBytes: 2,
  sha256: null,
  durationMs: 3,
  warnings,
  error: status === 'failed' ? { code: 'DumpFailed', message: `dump of ${db} failed` } : null,
})

const record = (over: Partial<JobRecord>): JobRecord => ({
  jobId: 'job-1',
  kind: 'backup',
  trigger: 'manual',
  profile: 'prod',
  mode: 'primary',
  ticket: 'T-1',
  startedAt: '2026-12-03T12:00:00.000Z',
  finishedAt: '2026-12-03T12:00:30.000Z',
  status: 'failed',
  error: null,
  targets: [],
  items: [],
  warnings: [],
  request: { databases: ['dbsf_nbc_acme'] } as BackupRequestInput,
  retryOf: null,
  logLines: 3,
  ...over,
})

describe('fromRecord', () => {
  it('a job with failed files is a result with its files; a job that failed before any is a failed one', () => {
    const partly = fromRecord(record({ targets: [target('a', 'success'), target('b', 'failed')] }))
    expect(partly).toMatchObject({ outcome: 'done', past: true, result: { ok: false, durationMs: 30_000 } })
    expect(partly.targets).toHaveLength(2)
    const failed = fromRecord(record({ error: { code: 'ConnectFailed', message: 'refused' } }))
    expect(failed).toMatchObject({ outcome: 'failed', result: null, error: { code: 'ConnectFailed' } })
    expect(fromRecord(record({ status: 'cancelled', targets: [target('a', 'cancelled')] })).outcome).toBe(
      'cancelled',
    )
  })
})

describe('unwrittenRows', () => {
  const records = [
    record({
      jobId: 'job-2',
      profile: 'prod',
      targets: [
        target('dbsf_nbc_acme', 'success'),
        target('dbsf_nbc_globex', 'failed'),
        target('dbsf_nbc_x', 'skipped'),
      ],
    }),
    record({
      jobId: 'job-3',
      profile: 'stage',
      ticket: 'CHG-77',
      status: 'cancelled',
      targets: [target('shop', 'cancelled')],
    }),
    record({ jobId: 'job-4', error: { code: 'ConnectFailed', message: 'refused' } }),
    record({ jobId: 'job-5', status: 'success', targets: [target('ok', 'success')] }),
    record({ jobId: 'job-6', kind: 'restore', status: 'failed' }),
  ]

  it('one row per file a backup job did not write, and one for a job that wrote none', () => {
    expect(unwrittenRows(records, EMPTY_FILTERS).map((r) => [r.jobId, r.databases.join(), r.status])).toEqual(
      [
        ['job-2', 'dbsf_nbc_globex', 'failed'],
        ['job-2', 'dbsf_nbc_x', 'cancelled'],
        ['job-3', 'shop', 'cancelled'],
        ['job-4', 'dbsf_nbc_acme', 'failed'],
      ],
    )
  })

  it('filtered like the files: status, a part of the database name, profile, dates', () => {
    const rows = (f: Partial<typeof EMPTY_FILTERS>) =>
      unwrittenRows(records, { ...EMPTY_FILTERS, ...f }).map((r) => r.key)
    expect(rows({ status: 'failed' })).toEqual(['job-2#1', 'job-4'])
    expect(rows({ status: 'cancelled' })).toEqual(['job-2#2', 'job-3#0'])
    expect(rows({ database: 'GLOBEX' })).toEqual(['job-2#1'])
    expect(rows({ profile: 'stage' })).toEqual(['job-3#0'])
    expect(rows({ ticket: 'chg-7' })).toEqual(['job-3#0'])
    expect(rows({ from: '2026-12-04' })).toEqual([])
    expect(rows({ to: '2026-12-03' })).toHaveLength(4)
  })
})

describe('lastRunPerProfile', () => {
  const file = (over: Partial<HistoryEntry>): HistoryEntry =>
    ({
      metaPath: '/b/a.meta.json',
      fileName: 'a.sql.zst',
      databases: ['a'],
      profile: 'prod',
      hostname: null,
      host: null,
      startedAt: '2026-12-03T12:00:05.000Z',
      sizeBytes: 10,
      durationMs: 5,
      status: 'success',
      fileExists: true,
      ...over,
    }) as HistoryEntry

  it("a profile's last job — all its files, failures included — wins over the files it wrote", () => {
    const job = record({
      jobId: 'job-9',
      finishedAt: '2026-12-03T12:00:30.000Z',
      targets: [target('a', 'success'), target('b', 'failed')],
    })
    const [run] = lastRunPerProfile([job], [file({})])
    expect(run).toMatchObject({
      key: 'job-9',
      status: 'failed',
      written: 1,
      notWritten: 1,
      databases: ['a', 'b'],
    })
  })

  it("a newer file the app did not write (the command line's) wins; profiles without jobs show their files", () => {
    const job = record({ jobId: 'job-9', status: 'success', targets: [target('a', 'success')] })
    const later = file({ metaPath: '/b/cli.meta.json', startedAt: '2026-12-03T13:00:00.000Z' })
    const other = file({
      metaPath: '/b/o.meta.json',
      profile: 'stage',
      startedAt: '2026-12-01T00:00:00.000Z',
    })
    expect(lastRunPerProfile([job], [later, other]).map((r) => r.key)).toEqual([
      '/b/cli.meta.json',
      '/b/o.meta.json',
    ])
  })
})
