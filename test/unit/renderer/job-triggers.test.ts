/** How a run came about, for History's rows and its "How it started" filter (from the job history). */
import { describe, expect, it } from 'vitest'
import type { HistoryEntry, JobRecord } from '../../../shared/ipc.ts'
import {
  entryTrigger,
  recordTrigger,
  triggerMatches,
  triggersByFile,
} from '../../../renderer/src/pages/history/job-triggers.ts'
import { unwrittenRows } from '../../../renderer/src/pages/history/job-rows.ts'
import { EMPTY_FILTERS } from '../../../renderer/src/stores/history-store.ts'

const target = (file: string | null, status: 'success' | 'failed') => ({
  databases: [file ?? 'db'],
  status,
  file,
  bytes: 1,
  sqlBytes: 1,
  sha256: null,
  durationMs: 1,
  warnings: [],
  error: null,
})

const record = (over: Partial<JobRecord>): JobRecord => ({
  jobId: 'job-1',
  kind: 'backup',
  trigger: 'manual',
  profile: 'prod',
  mode: 'filter',
  ticket: 'T',
  startedAt: '2026-03-02T02:00:05.000Z',
  finishedAt: '2026-03-02T02:01:00.000Z',
  status: 'success',
  error: null,
  targets: [],
  items: [],
  warnings: [],
  request: null,
  retryOf: null,
  logLines: 0,
  ...over,
})

const entry = (backupFile: string): HistoryEntry => ({ backupFile }) as HistoryEntry

describe('job triggers', () => {
  const late = record({
    jobId: 'job-late',
    trigger: 'scheduled',
    schedule: { dueAt: '2026-03-02T01:00:00.000Z', late: true },
    targets: [target('/out/a.sql', 'success'), target('/out/b.sql', 'failed')],
  })
  const bare = record({ jobId: 'job-bare', trigger: 'scheduled', targets: [target('/out/c.sql', 'success')] })
  const retry = record({ jobId: 'job-retry', trigger: 'retry', targets: [target('/out/d.sql', 'success')] })

  it('reads a record: a scheduled one without its times was due when it started, on time', () => {
    expect(recordTrigger(late)).toEqual({ trigger: 'scheduled', schedule: late.schedule })
    expect(recordTrigger(bare)).toEqual({
      trigger: 'scheduled',
      schedule: { dueAt: bare.startedAt, late: false },
    })
    expect(recordTrigger(retry)).toEqual({ trigger: 'retry', schedule: null })
  })

  it('finds a file’s job by path; a file no job wrote was run by hand', () => {
    const byFile = triggersByFile([late, bare, retry, record({ kind: 'restore', trigger: 'scheduled' })])
    expect(entryTrigger(entry('/out/a.sql'), byFile).schedule).toEqual({
      dueAt: late.schedule?.dueAt,
      late: true,
    })
    expect(entryTrigger(entry('/out/d.sql'), byFile).trigger).toBe('retry')
    expect(entryTrigger(entry('/elsewhere/x.sql'), byFile)).toEqual({ trigger: 'manual', schedule: null })
  })

  it('filters by how the run started ("" and unknown values let everything through)', () => {
    const run = recordTrigger(late)
    expect(triggerMatches(run, '')).toBe(true)
    expect(triggerMatches(run, 'scheduled')).toBe(true)
    expect(triggerMatches(run, 'manual')).toBe(false)
    expect(triggerMatches(run, 'bogus')).toBe(true)
  })

  it('an unwritten file of a scheduled job carries its trigger and passes only its own filter', () => {
    const rows = unwrittenRows([late, retry], EMPTY_FILTERS)
    expect(rows.map((r) => [r.jobId, r.run.schedule?.late])).toEqual([['job-late', true]])
    expect(unwrittenRows([late], { ...EMPTY_FILTERS, trigger: 'scheduled' })).toHaveLength(1)
    expect(unwrittenRows([late], { ...EMPTY_FILTERS, trigger: 'manual' })).toHaveLength(0)
  })
})
