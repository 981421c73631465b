import { describe, expect, it } from 'vitest'
import { exitCodeOf } from '../../../electron/cli/commands/restore.ts'
import { restoreErrorLines, restoreErrorLogName } from '../../../electron/cli/restore/restore-error-log.ts'
import { sqlErrorText, targetText } from '../../../electron/cli/restore/restore-report.ts'
import { describeRestoreProgress, RestoreProgressPrinter } from '../../../electron/cli/restore/restore-run.ts'
import type { RestoreItemResult, RestoreProgressView, RestoreResult } from '../../../shared/restore-types.ts'

const progress = (over: Partial<RestoreProgressView> = {}): RestoreProgressView => ({
  itemIndex: 0,
  itemCount: 2,
  phase: 'load',
  database: 'shop',
  table: 'orders',
  tablesDone: 3,
  tablesTotal: 7,
  sqlBytes: 12 * 1024 * 1024,
  totalSqlBytes: 40 * 1024 * 1024,
  fraction: 0.3,
  bytesPerSecond: 5 * 1024 * 1024,
  etaSeconds: 6,
  elapsedMs: 2400,
  final: false,
  ...over,
})

const item = (over: Partial<RestoreItemResult> = {}): RestoreItemResult => ({
  file: '/b/shop.sql.zst',
  databases: ['shop'],
  status: 'success',
  partlyRestored: false,
  createdDatabases: [],
  droppedDatabases: [],
  preRestoreBackup: null,
  undo: null,
  tables: 7,
  rows: 100,
  sqlBytes: 1000,
  durationMs: 10,
  bytesPerSecond: 100_000,
  compression: 'zstd',
  encrypted: true,
  grants: null,
  sqlErrors: [],
  warnings: [],
  error: null,
  ...over,
})

const result = (items: RestoreItemResult[], status: RestoreResult['status']): RestoreResult => ({
  ok: status === 'success',
  status,
  mode: 'single',
  ticket: 'CHG-1',
  profile: 'prod',
  server: { host: 'db1', port: 3306, version: null },
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: '2026-01-01T00:00:01.000Z',
  durationMs: 1000,
  parallel: 1,
  items,
  logFile: null,
})

describe('restore progress', () => {
  it('names the item, phase, database.table, tables done of total, bytes of total, percent, rate, ETA', () => {
    expect(describeRestoreProgress(progress())).toBe(
      '[1/2] load shop.orders, 3 of 7 tables done, 12.0 MiB of 40.0 MiB SQL 30.0% @ 5.0 MiB/s ETA 6.0 s',
    )
    const unknown = describeRestoreProgress(
      progress({ itemCount: 1, totalSqlBytes: null, fraction: null, tablesTotal: null, etaSeconds: null }),
    )
    expect(unknown).toMatch(/^load shop\.orders, 3 tables done, 12\.0 MiB SQL @ /)
  })

  it('prints at most 10 lines a second, always the final one', () => {
    const lines: string[] = []
    const printer = new RestoreProgressPrinter((l) => lines.push(l))
    printer.update(progress({ table: 'a' }), 1000)
    printer.update(progress({ table: 'b' }), 1050) // 50 ms later: dropped
    printer.update(progress({ table: 'c' }), 1100)
    printer.update(progress({ table: 'c', final: true, phase: 'done' }), 1101)
    expect(lines.map((l) => /shop\.(\w)/.exec(l)?.[1])).toEqual(['a', 'c', 'c'])
  })
})

describe('restore results', () => {
  it('exit 0 for success (with warnings), 1 for errors or failure, 130 for cancel', () => {
    expect(exitCodeOf(result([item()], 'success'))).toBe(0)
    expect(exitCodeOf(result([item()], 'success_with_warnings'))).toBe(0)
    expect(exitCodeOf(result([item()], 'success_with_errors'))).toBe(1)
    expect(exitCodeOf(result([item()], 'failed'))).toBe(1)
    expect(exitCodeOf(result([item()], 'cancelled'))).toBe(130)
  })

  it('a SQL error: where, the server message once, the first 200 characters of the statement', () => {
    const text = sqlErrorText({
      statement: 12,
      line: 40,
      text: `INSERT INTO t VALUES ${'(1),'.repeat(100)}`,
      errno: 1146,
      message: "Table 'x.t' doesn't exist",
    })
    expect(text).toMatch(/^SQL error at statement 12, line 40: ERROR 1146: Table 'x\.t' doesn't exist\n/)
    expect(text.split('\n')[1]?.trim()).toHaveLength(200)
    expect(
      sqlErrorText({ statement: null, line: 3, text: 'x', errno: 1, message: 'ERROR 1 (HY000): no' }),
    ).toBe('SQL error at line 3: ERROR 1 (HY000): no\n              x')
  })

  it('a target in the dry-run: what exists and what happens to it', () => {
    const t = {
      database: 'shop',
      exists: true,
      sizeBytes: 2048,
      tables: 7,
      preRestoreBackup: '/pre/x.sql.zst',
    }
    expect(targetText({ ...t, action: 'refuse' })).toBe(
      'shop: exists, 2.0 KiB, 7 tables → REFUSED (not empty)',
    )
    expect(targetText({ ...t, action: 'replace' })).toBe(
      'shop: exists, 2.0 KiB, 7 tables → backed up to /pre/x.sql.zst, dropped and loaded',
    )
    expect(targetText({ ...t, exists: false, tables: 0, action: 'create' })).toBe(
      'shop: does not exist → created',
    )
  })

  it('the error log gets failed items and those with SQL errors, never the ones that succeeded', () => {
    const now = new Date(2026, 0, 2, 3, 4, 5)
    expect(restoreErrorLogName(now)).toBe('sfdbtools_2026-01-02_error_restore.log')
    const failed = item({
      status: 'failed',
      partlyRestored: true,
      preRestoreBackup: '/pre/shop.sql.zst',
      sqlErrors: [{ statement: 3, line: 3, text: 'INSERT …', errno: 1146, message: 'no table' }],
      error: { code: 'SqlError', message: 'statement 3 failed' },
    })
    const ctx = { mode: 'single', ticket: 'CHG-1', profile: 'prod', host: 'db1' }
    const lines = restoreErrorLines(result([item(), failed], 'failed'), ctx, now).map((l) => JSON.parse(l))
    expect(lines).toEqual([
      expect.objectContaining({
        ticket: 'CHG-1',
        databases: ['shop'],
        status: 'failed',
        partly_restored: true,
        pre_restore_backup: '/pre/shop.sql.zst',
        code: 'SqlError',
        sql_errors: [{ statement: 3, line: 3, message: 'no table' }],
      }),
    ])
    expect(restoreErrorLines(result([item()], 'success'), ctx, now)).toEqual([])
    expect(restoreErrorLines({ code: 'JobCrashed', message: 'died' }, ctx, now)).toHaveLength(1)
  })
})
