/**
 * The job history (job-journal.ts) on a real folder: records and logs written as jobs end, read back newest
 * first, a torn line skipped, the file pruned to the newest JOURNAL_KEEP with their logs, modes 0600/0700.
 */
import { appendFile, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { TargetResult } from '../../../shared/backup-types.ts'
import type { BackupRequestInput } from '../../../shared/ipc.ts'
import {
  createJobJournal,
  JOURNAL_KEEP,
  jobLogPath,
  journalDir,
  LOG_KEEP,
  readJobJournal,
  readJobLog,
  type JournalStart,
} from '../../../electron/main/jobs/job-journal.ts'
import type { JobOutcome } from '../../../electron/engine/jobs/supervise-job.ts'

const id = (n: number): string => `job-00000000-0000-4000-8000-${String(n).padStart(12, '0')}`

const target = (db: string, status: TargetResult['status'], warnings: string[] = []): TargetResult => ({
  databases: [db],
  status,
  file: status === 'failed' ? null : `/out/${db}_20261203_120000_T.sql.zst`,
  bytes: 10,
  sqlBytes: 20,
  sha256: null,
  durationMs: 5,
  warnings,
  error: status === 'failed' ? { code: 'DumpFailed', message: `mariadb-dump of ${db} exited 2` } : null,
})

const request = { profile: 'prod', mode: 'primary', ticket: 'T-1' } as unknown as BackupRequestInput
const start = (over: Partial<JournalStart> = {}): JournalStart => ({
  kind: 'backup',
  trigger: 'manual',
  profile: 'prod',
  mode: 'primary',
  ticket: 'T-1',
  startedAt: '2026-12-03T12:00:00.000Z',
  request,
  retryOf: null,
  ...over,
})
const done = (targets: TargetResult[], kind: 'done' | 'cancelled' = 'done'): JobOutcome => ({
  kind,
  result: {
    ok: targets.every((t) => t.status !== 'failed'),
    mode: 'primary',
    ticket: 'T-1',
    startedAt: '2026-12-03T12:00:00.000Z',
    finishedAt: '2026-12-03T12:00:09.000Z',
    durationMs: 9000,
    targets,
  },
})

describe('job journal', () => {
  let dir = ''
  const warnings: string[] = []
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sfdb-journal-'))
    warnings.length = 0
  })
  afterEach(async () => rm(dir, { recursive: true, force: true }))

  it('records every ending — failed files, a failed job, a cancel — with its log, newest first, 0600 in 0700', async () => {
    const journal = createJobJournal(dir, (m) => warnings.push(m))
    journal.started(id(1), start())
    journal.line(id(1), 'info', 'backup started')
    journal.line(id(1), 'error', 'b: failed: [DumpFailed] mariadb-dump of b exited 2')
    await journal.backupEnded(
      id(1),
      done([target('a', 'success'), target('b', 'failed')]),
      '2026-12-03T12:00:09Z',
    )
    journal.started(id(2), start({ trigger: 'retry', retryOf: id(1) }))
    await journal.backupEnded(
      id(2),
      { kind: 'failed', error: { code: 'ConnectFailed', message: 'connect ECONNREFUSED' } },
      '2026-12-03T12:01:00Z',
    )
    journal.started(id(3), start())
    await journal.backupEnded(id(3), done([target('a', 'success')], 'cancelled'), '2026-12-03T12:02:00Z')

    const records = await readJobJournal(dir)
    expect(records.map((r) => [r.jobId, r.status])).toEqual([
      [id(3), 'cancelled'],
      [id(2), 'failed'],
      [id(1), 'failed'],
    ])
    expect(records[2]?.targets.map((t) => t.status)).toEqual(['success', 'failed'])
    expect(records[2]?.request).toEqual(request)
    expect(records[2]?.logLines).toBe(2)
    expect(records[1]).toMatchObject({ trigger: 'retry', retryOf: id(1), error: { code: 'ConnectFailed' } })
    const log = await readJobLog(dir, id(1))
    expect(log).toMatch(/^\S+ INFO backup started\n\S+ ERROR b: failed: \[DumpFailed\]/)
    expect(await readJobLog(dir, id(2))).toBe('')
    expect(await readJobLog(dir, '../../etc/passwd')).toBeNull()
    expect((await stat(join(journalDir(dir), 'journal.jsonl'))).mode & 0o777).toBe(0o600)
    expect((await stat(jobLogPath(dir, id(1)) as string)).mode & 0o777).toBe(0o600)
    expect((await stat(journalDir(dir))).mode & 0o777).toBe(0o700)
    expect(warnings).toEqual([])
  })

  it('a warning seen for several files is kept once, with the files; warnings make the status', async () => {
    const journal = createJobJournal(dir, (m) => warnings.push(m))
    journal.started(id(1), start())
    const warned = 'mariadb-dump: Warning: column statistics not supported'
    await journal.backupEnded(
      id(1),
      done([target('a', 'success_with_warnings', [warned]), target('b', 'success_with_warnings', [warned])]),
      '2026-12-03T12:00:09Z',
    )
    const [record] = await readJobJournal(dir)
    expect(record?.status).toBe('success_with_warnings')
    expect(record?.warnings).toEqual([
      { message: warned, where: ['a_20261203_120000_T.sql.zst', 'b_20261203_120000_T.sql.zst'] },
    ])
  })

  it('a torn last line (a crash while appending) loses that record only', async () => {
    const journal = createJobJournal(dir, (m) => warnings.push(m))
    journal.started(id(1), start())
    await journal.backupEnded(id(1), done([target('a', 'success')]), '2026-12-03T12:00:09Z')
    await appendFile(join(journalDir(dir), 'journal.jsonl'), '{"jobId":"job-torn","finis')
    expect((await readJobJournal(dir)).map((r) => r.jobId)).toEqual([id(1)])
  })

  it('a long log keeps its first and last lines and says how many were left out', async () => {
    const journal = createJobJournal(dir, (m) => warnings.push(m))
    journal.started(id(1), start())
    for (let i = 1; i <= LOG_KEEP + 500; i++) journal.line(id(1), 'info', `line ${i}`)
    await journal.backupEnded(id(1), done([target('a', 'success')]), '2026-12-03T12:00:09Z')
    const lines = ((await readJobLog(dir, id(1))) ?? '').trimEnd().split('\n')
    expect(lines).toHaveLength(LOG_KEEP + 1)
    expect(lines[0]).toMatch(/ line 1$/)
    expect(lines).toContain('… 500 line(s) left out …')
    expect(lines.at(-1)).toMatch(new RegExp(` line ${LOG_KEEP + 500}$`))
  })

  it('keeps the newest JOURNAL_KEEP jobs and removes the logs of the others', async () => {
    const journal = createJobJournal(dir, (m) => warnings.push(m))
    const total = JOURNAL_KEEP + 51
    for (let n = 1; n <= total; n++) {
      journal.started(id(n), start())
      journal.line(id(n), 'info', `job ${n}`)
      void journal.backupEnded(id(n), done([target('a', 'success')]), '2026-12-03T12:00:09Z')
    }
    await journal.flushed()
    const records = await readJobJournal(dir)
    expect(records).toHaveLength(JOURNAL_KEEP)
    expect(records[0]?.jobId).toBe(id(total))
    expect(records.at(-1)?.jobId).toBe(id(total - JOURNAL_KEEP + 1))
    const logs = await readdir(join(journalDir(dir), 'logs'))
    expect(logs).toHaveLength(JOURNAL_KEEP)
    expect(logs).not.toContain(`${id(1)}.log`)
    expect(await readFile(jobLogPath(dir, id(total)) as string, 'utf8')).toMatch(
      new RegExp(`job ${total}\\n$`),
    )

    // A later session counts what the file holds already: 51 more jobs prune it again.
    const next = createJobJournal(dir, (m) => warnings.push(m))
    for (let n = total + 1; n <= total + 51; n++) {
      next.started(id(n), start())
      void next.backupEnded(id(n), done([target('a', 'success')]), '2026-12-03T12:00:09Z')
    }
    await next.flushed()
    const after = await readJobJournal(dir)
    expect(after).toHaveLength(JOURNAL_KEEP)
    expect(after[0]?.jobId).toBe(id(total + 51))
    expect(warnings).toEqual([])
  }, 60_000)
})
