/**
 * The Restore wizard's model and the restore jobs' store: what each step needs, the request a draft
 * becomes (valid for the IPC contract), how the target is described as it is now; how job events build
 * the running view and the finished result; and that every restore word has its Indonesian with the same
 * placeholders.
 */
import { describe, expect, it } from 'vitest'
import { restoreRequestSchema, type RestoreSourceView } from '../../../shared/ipc.ts'
import type { RestoreItemResult, RestoreResult } from '../../../shared/restore-types.ts'
import { en } from '../../../renderer/src/i18n/en.ts'
import { id } from '../../../renderer/src/i18n/id.ts'
import { translator } from '../../../renderer/src/i18n/messages.ts'
import {
  emptyDraft,
  isDatabaseName,
  requestOf,
  stepProblems,
  targetState,
  type RestoreDraft,
} from '../../../renderer/src/pages/restore/restore-model.ts'
import {
  applyRestoreEvent,
  finishedRestore,
  type RestoreJobView,
} from '../../../renderer/src/stores/restore-store.ts'

const source = (sourceDatabase: string | null = 'shop'): RestoreSourceView => ({
  file: '/b/shop.sql.zst.enc',
  sourceDatabase,
  databases: sourceDatabase === null ? ['a', 'b'] : [sourceDatabase],
  type: sourceDatabase === null ? 'combined' : 'single',
  encrypted: true,
  compression: 'zstd',
  sizeBytes: 1000,
  totalSqlBytes: 4000,
  grantsFile: null,
  host: '127.0.0.1',
  port: 3306,
  profile: 'prod',
  keyAvailable: true,
})

const draft = (extra: Partial<RestoreDraft> = {}): RestoreDraft => ({
  ...emptyDraft('/b/shop.sql.zst.enc'),
  profile: 'prod',
  targetDatabase: 'shop_copy',
  ticket: 'CHG-1',
  ...extra,
})

describe('restore wizard model', () => {
  it('each step says what it still needs', () => {
    expect(stepProblems('target', draft(), source())).toEqual([])
    expect(stepProblems('target', draft({ file: 'shop.sql' }), null)).toEqual(['restore.problem.file'])
    expect(stepProblems('target', draft(), null)).toEqual(['restore.problem.source'])
    expect(stepProblems('target', draft({ profile: '', targetDatabase: 'a.b' }), source())).toEqual([
      'restore.problem.profile',
      'restore.problem.database',
    ])
    // An all/combined file may keep its databases' own names: no target name is needed then.
    expect(stepProblems('target', draft({ targetDatabase: '', ownNames: true }), source(null))).toEqual([])
    expect(stepProblems('target', draft({ targetDatabase: '', ownNames: true }), source())).toEqual([
      'restore.problem.database',
    ])
    expect(stepProblems('options', draft(), source())).toEqual([])
    expect(
      stepProblems(
        'options',
        draft({ grants: 'file', grantsFile: 'x', parallel: 17, ticket: ' ' }),
        source(),
      ),
    ).toEqual(['restore.problem.grantsFile', 'restore.problem.parallel', 'restore.problem.ticket'])
  })

  it('database names as MariaDB takes them', () => {
    expect(['shop', 'shop_copy', 'ü-db', 'a'.repeat(64)].every(isDatabaseName)).toBe(true)
    expect(['', 'a.b', 'a/b', 'a\\b', 'trailing ', 'a'.repeat(65)].some(isDatabaseName)).toBe(false)
  })

  it('a draft becomes a request the IPC contract accepts, safe by default', () => {
    const request = requestOf(draft(), source())
    expect(request).toEqual({
      file: '/b/shop.sql.zst.enc',
      profile: 'prod',
      targetDatabase: 'shop_copy',
      grants: 'auto',
      preBackup: true,
      dropTarget: false,
      parallel: 1,
      force: false,
      ticket: 'CHG-1',
    })
    expect(restoreRequestSchema.safeParse(request).success).toBe(true)
    const chosen = requestOf(
      draft({ grants: 'file', grantsFile: ' /g/users.sql ', key: 'k', ownNames: true, dropTarget: true }),
      source(null),
    )
    expect(chosen).toMatchObject({
      targetDatabase: null,
      grants: { file: '/g/users.sql' },
      key: 'k',
      dropTarget: true,
    })
    expect(restoreRequestSchema.safeParse(chosen).success).toBe(true)
    expect(requestOf(draft({ grants: 'skip' }), source()).grants).toBe('skip')
  })

  it('says what the target is now, in both languages', () => {
    expect(targetState(null)).toBeNull()
    const info = { profile: 'prod', database: 'shop', exists: true, sizeBytes: 2048, tables: 5 }
    const state = targetState(info)
    expect(state?.key).toBe('restore.target.exists')
    const values = { ...state?.values, sizeBytes: '2 KiB' } as Record<string, string | number>
    expect(translator('en')(state?.key ?? 'restore.title', values)).toBe('shop exists with 5 tables (2 KiB).')
    expect(translator('id')(state?.key ?? 'restore.title', values)).toBe(
      'shop sudah ada dengan 5 tabel (2 KiB).',
    )
    expect(targetState({ ...info, tables: 0 })?.key).toBe('restore.target.empty')
    expect(targetState({ ...info, exists: false, tables: 0, sizeBytes: 0 })?.key).toBe(
      'restore.target.missing',
    )
  })

  it('every restore word has its Indonesian, with the same placeholders', () => {
    // `{name}` or a plural `{name, plural, …}`: the same values either way.
    const placeholders = (text: string): string[] =>
      [...new Set([...text.matchAll(/\{(\w+)(?:\}|, plural,)/g)].map((m) => m[1] ?? ''))].sort()
    const keys = (Object.keys(en) as (keyof typeof en)[]).filter((k) =>
      /^restore(Job|Result|Test)?\./.test(k),
    )
    expect(keys.length).toBeGreaterThan(100)
    for (const key of keys) {
      expect(id[key], key).not.toBe('')
      expect(placeholders(id[key]), key).toEqual(placeholders(en[key]))
    }
  })
})

describe('restore jobs store', () => {
  const job: RestoreJobView = {
    jobId: 'restore-1',
    kind: 'restore',
    profile: 'prod',
    ticket: 'CHG-1',
    files: ['/b/shop.sql.zst.enc'],
    targets: ['shop_copy'],
    startedAt: '2026-12-01T10:00:00.000Z',
    progress: null,
    items: [],
    cancelling: false,
    logs: [],
  }
  const item: RestoreItemResult = {
    file: '/b/shop.sql.zst.enc',
    databases: ['shop_copy'],
    status: 'failed',
    partlyRestored: true,
    createdDatabases: ['shop_copy'],
    droppedDatabases: [],
    preRestoreBackup: null,
    undo: null,
    tables: 2,
    rows: 10,
    sqlBytes: 100,
    durationMs: 10,
    bytesPerSecond: 10,
    compression: 'zstd',
    encrypted: true,
    grants: null,
    sqlErrors: [{ statement: 7, line: 40, text: 'INSERT INTO t …', errno: 1062, message: 'Duplicate entry' }],
    warnings: [],
    error: { code: 'SqlError', message: 'statement 7 failed' },
  }

  it('progress, items and log lines build the running view (debug lines left out)', () => {
    const progress = {
      itemIndex: 0,
      itemCount: 1,
      phase: 'load' as const,
      database: 'shop_copy',
      table: 't',
      tablesDone: 1,
      tablesTotal: 2,
      sqlBytes: 50,
      totalSqlBytes: 100,
      fraction: 0.5,
      bytesPerSecond: 10,
      etaSeconds: 5,
      elapsedMs: 5000,
      final: false,
    }
    let view = applyRestoreEvent(job, { type: 'restore-progress', jobId: 'restore-1', progress })
    view = applyRestoreEvent(view, { type: 'restore-log', jobId: 'restore-1', level: 'debug', message: 'x' })
    view = applyRestoreEvent(view, {
      type: 'restore-log',
      jobId: 'restore-1',
      level: 'warn',
      message: 'slow',
    })
    view = applyRestoreEvent(view, { type: 'restore-item', jobId: 'restore-1', item })
    expect(view).toEqual({ ...job, progress, logs: [{ level: 'warn', message: 'slow' }], items: [item] })
  })

  it('a final event becomes the finished result', () => {
    const result: RestoreResult = {
      ok: false,
      status: 'failed',
      mode: 'single',
      ticket: 'CHG-1',
      profile: 'prod',
      server: { host: 'db', port: 3306, version: null },
      startedAt: '',
      finishedAt: '',
      durationMs: 10,
      parallel: 1,
      items: [item],
      logFile: null,
    }
    expect(finishedRestore({ type: 'restore-done', jobId: 'restore-1', result }, job)).toMatchObject({
      outcome: 'done',
      result,
      items: [item],
      targets: ['shop_copy'],
    })
    // A crash's cancel (no result) is a cancel; the items that ended before are kept.
    expect(
      finishedRestore(
        { type: 'restore-failed', jobId: 'restore-1', error: { code: 'Cancelled', message: 'cancelled' } },
        { ...job, items: [item] },
      ),
    ).toMatchObject({ outcome: 'cancelled', result: null, items: [item] })
    expect(
      finishedRestore(
        { type: 'restore-failed', jobId: 'restore-x', error: { code: 'JobCrashed', message: 'x' } },
        null,
      ),
    ).toMatchObject({ outcome: 'failed', kind: 'restore', profile: '' })
  })
})
