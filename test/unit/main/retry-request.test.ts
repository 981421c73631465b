/** "Retry failed": which databases a retry runs again, per mode. */
import { describe, expect, it } from 'vitest'
import type { TargetResult } from '../../../shared/backup-types.ts'
import type { BackupRequestInput, JobRecord } from '../../../shared/ipc.ts'
import { retryRequest } from '../../../electron/main/services/retry-request.ts'

const target = (db: string, status: TargetResult['status']): TargetResult => ({
  databases: [db],
  status,
  file: null,
  bytes: 0,
  sqlBytes: 0,
  sha256: null,
  durationMs: 0,
  warnings: [],
  error: null,
})

const request = (over: Partial<BackupRequestInput>): BackupRequestInput =>
  ({
    profile: 'prod',
    mode: 'primary',
    databases: [],
    companions: [],
    excludeDatabases: ['dbsf_nbc_old'],
    ticket: 'T-7',
    ...over,
  }) as BackupRequestInput

const record = (
  req: BackupRequestInput | null,
  targets: TargetResult[],
  over: Partial<JobRecord> = {},
): JobRecord => ({
  jobId: 'job-1',
  kind: 'backup',
  trigger: 'manual',
  profile: 'prod',
  mode: req?.mode ?? null,
  ticket: 'T-7',
  startedAt: '',
  finishedAt: '',
  status: 'failed',
  error: null,
  targets,
  items: [],
  warnings: [],
  request: req,
  retryOf: null,
  logLines: 0,
  ...over,
})

describe('retryRequest', () => {
  it('primary/secondary: the same rules, leaving out every database already written', () => {
    const req = request({ mode: 'primary' })
    const got = retryRequest(
      record(req, [
        target('dbsf_nbc_a', 'success'),
        target('dbsf_nbc_b', 'failed'),
        target('dbsf_nbc_c', 'skipped'),
        target('dbsf_nbc_d', 'success_with_warnings'),
      ]),
    )
    expect(got).toEqual({ ...req, excludeDatabases: ['dbsf_nbc_old', 'dbsf_nbc_a', 'dbsf_nbc_d'] })
  })

  it('filter, one file per database: only the databases that were not written', () => {
    const req = request({ mode: 'filter', filterMode: 'multi-file', databases: ['a', 'b', 'c'] })
    const got = retryRequest(
      record(req, [target('a', 'success'), target('b', 'failed'), target('c', 'cancelled')], {
        status: 'cancelled',
      }),
    )
    expect(got.databases).toEqual(['b', 'c'])
    expect(got.excludeDatabases).toEqual(req.excludeDatabases)
  })

  it('filter, one file per database: keeps the table rules of the databases retried only', () => {
    const req = request({
      mode: 'filter',
      filterMode: 'multi-file',
      databases: ['a', 'b'],
      tables: { a: { exclude: ['logs'] }, b: { dataOnly: ['audit'] } },
    })
    const got = retryRequest(
      record(req, [target('a', 'success'), target('b', 'failed')], { status: 'failed' }),
    )
    expect(got.tables).toEqual({ b: { dataOnly: ['audit'] } })
  })

  it('one file for the whole selection (single, all, filter into one file), or a job that failed before any file: all of it again', () => {
    for (const req of [
      request({ mode: 'single', databases: ['a'] }),
      request({ mode: 'all' }),
      request({ mode: 'filter', filterMode: 'single-file', databases: ['a', 'b'] }),
    ]) {
      expect(retryRequest(record(req, [target('a', 'failed')]))).toEqual(req)
    }
    const req = request({ mode: 'primary' })
    expect(retryRequest(record(req, [], { error: { code: 'ConnectFailed', message: 'refused' } }))).toEqual(
      req,
    )
  })

  it('refuses a job with nothing to retry, a restore, or one without its request', () => {
    const req = request({ mode: 'primary' })
    expect(() => retryRequest(record(req, [target('a', 'success')], { status: 'success' }))).toThrow(
      /nothing to retry/,
    )
    expect(() =>
      retryRequest(
        record(request({ mode: 'filter', filterMode: 'multi-file', databases: ['a'] }), [
          target('a', 'success'),
        ]),
      ),
    ).toThrow(/nothing to retry/)
    expect(() => retryRequest(record(null, [target('a', 'failed')]))).toThrow(/cannot be retried/)
    expect(() => retryRequest(record(req, [], { kind: 'restore' }))).toThrow(/cannot be retried/)
  })
})
