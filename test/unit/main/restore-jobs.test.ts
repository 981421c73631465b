/**
 * Restore and restore-test jobs in the app's supervisor, over a fake job process (the failure modes —
 * a crash, a lingering job — a real one cannot produce on demand): the start request, progress and items in
 * the running view, the end with onRestoreFinished, cancel, a crash said to leave a partly restored
 * target, two restores into the same database refused, secrets masked in the log; and what the
 * notification of an ended restore says.
 */
import { describe, expect, it } from 'vitest'
import type { JobEvent, JobKind } from '../../../shared/job-protocol.ts'
import type {
  RestoreItemResult,
  RestorePlan,
  RestoreProgressView,
  RestoreResult,
  RestoreTestReport,
  RestoreTestRequest,
} from '../../../shared/restore-types.ts'
import type { RestoreOutcome } from '../../../electron/engine/jobs/supervise-job.ts'
import { createJobSupervisor, type RestoreFinishedInfo } from '../../../electron/main/jobs/supervisor.ts'
import { restoreNotificationContent } from '../../../electron/main/notifications.ts'
import { FakeJobChild, recordingLogger } from './fake-job-child.ts'

const PASSWORD = 'db pw "x" #1'
const KEY = 'backup key ✓'
const PRE_KEY = 'pre-restore key'

const connection = { host: '127.0.0.1', port: 3306, user: 'dba', password: PASSWORD }

const plan = (target = 'shop_copy'): RestorePlan => ({
  mode: 'single',
  ticket: 'CHG-9',
  profileName: 'local',
  connection,
  clientBinary: null,
  items: [
    {
      file: '/b/shop_20261121_140502_T.sql.zst.enc',
      key: KEY,
      target,
      excludeDatabases: [],
      sourceDatabase: 'shop',
      totalSqlBytes: 1000,
      totalTables: 4,
      grantsFile: null,
    },
  ],
  dropTarget: true,
  preBackup: {
    outputDir: '/nonexistent-sfdb-test-dir',
    compression: { type: 'zstd', level: 3 },
    encryptionKey: PRE_KEY,
    dumpBinary: null,
  },
  parallel: 2,
  force: false,
  skipGrants: false,
  verifyFirst: false,
  logDir: '/tmp',
})

const testRequest: RestoreTestRequest = {
  ticket: 'CHG-T',
  profileName: 'scratch',
  connection,
  clientBinary: null,
  file: '/b/shop.sql.gz',
  key: null,
  sourceDatabase: 'shop',
  totalSqlBytes: null,
  parallel: 1,
}

const progress = (phase: RestoreProgressView['phase'], fraction: number): RestoreProgressView => ({
  itemIndex: 0,
  itemCount: 1,
  phase,
  database: 'shop_copy',
  table: 'orders',
  tablesDone: 1,
  tablesTotal: 4,
  sqlBytes: fraction * 1000,
  totalSqlBytes: 1000,
  fraction,
  bytesPerSecond: 500,
  etaSeconds: 1,
  elapsedMs: 1000,
  final: false,
})

const item = (
  partly = false,
  preRestoreBackup: string | null = '/b/shop_copy_pre_restore.sql.zst.enc',
): RestoreItemResult => ({
  file: '/b/shop_20261121_140502_T.sql.zst.enc',
  databases: ['shop_copy'],
  status: partly ? 'cancelled' : 'success',
  partlyRestored: partly,
  createdDatabases: [],
  droppedDatabases: ['shop_copy'],
  preRestoreBackup,
  undo: null,
  tables: 4,
  rows: 120,
  sqlBytes: 1000,
  durationMs: 2000,
  bytesPerSecond: 500,
  compression: 'zstd',
  encrypted: true,
  grants: null,
  sqlErrors: [],
  warnings: [],
  error: null,
})

const result = (items: RestoreItemResult[], status: RestoreResult['status'] = 'success'): RestoreResult => ({
  ok: status === 'success',
  status,
  mode: 'single',
  ticket: 'CHG-9',
  profile: 'local',
  server: { host: '127.0.0.1', port: 3306, version: '10.11' },
  startedAt: '2026-12-01T10:00:00.000Z',
  finishedAt: '2026-12-01T10:00:02.000Z',
  durationMs: 2000,
  parallel: 2,
  items,
  logFile: null,
})

const report = (ok: boolean): RestoreTestReport => ({
  ok,
  file: '/b/shop.sql.gz',
  ticket: 'CHG-T',
  profile: 'scratch',
  server: { host: '127.0.0.1', port: 3306, version: null },
  database: 'sfdb_restoretest_shop_20261201',
  startedAt: '2026-12-01T10:00:00.000Z',
  finishedAt: '2026-12-01T10:00:03.000Z',
  durationMs: 3000,
  sqlBytes: 1000,
  tables: [{ name: 'orders', expectedRows: 12, rows: ok ? 12 : 10 }],
  objects: [{ kind: 'view', name: 'v', found: true }],
  failures: ok ? [] : ['table orders: 10 rows, the dump inserts 12'],
  cleanedUp: true,
  error: null,
})

function setup() {
  const children: { child: FakeJobChild; kind: JobKind }[] = []
  const events: JobEvent[] = []
  const finished: { jobId: string; outcome: RestoreOutcome; info: RestoreFinishedInfo }[] = []
  const logger = recordingLogger()
  const supervisor = createJobSupervisor({
    forkJob: ({ kind }) => {
      const child = new FakeJobChild()
      // A restore job answers its cancel itself (below), as the real one does.
      child.onCancel = 'ignore'
      children.push({ child, kind })
      return child
    },
    onEvent: (e) => events.push(e),
    onRestoreFinished: (jobId, outcome, info) => finished.push({ jobId, outcome, info }),
    log: logger.log,
    cancelGraceMs: 5_000,
  })
  return { supervisor, children, events, finished, lines: logger.lines }
}

describe('restore jobs in the supervisor', () => {
  it('runs a restore plan in its own process: progress and items in the running view, then its end', async () => {
    const { supervisor, children, events, finished, lines } = setup()
    const p = plan()
    const jobId = supervisor.startRestore(p)
    const { child, kind } = children[0] ?? expect.fail('no process')
    expect(kind).toBe('restore')
    expect(child.sent).toEqual([{ type: 'restore', jobId, plan: p }])

    child.post({ type: 'restore-progress', jobId, progress: progress('load', 0.5) })
    child.post({ type: 'restore-progress', jobId, progress: { nonsense: true } }) // invalid: dropped
    child.post({ type: 'restore-log', jobId, level: 'warn', message: `slow table; key ${KEY}` })
    child.post({ type: 'restore-item', jobId, item: item() })
    expect(supervisor.runningRestores()).toEqual([
      expect.objectContaining({
        jobId,
        kind: 'restore',
        profile: 'local',
        ticket: 'CHG-9',
        files: ['/b/shop_20261121_140502_T.sql.zst.enc'],
        targets: ['shop_copy'],
        progress: progress('load', 0.5),
        items: [item()],
        cancelling: false,
      }),
    ])
    // The backups' list (the tray, the close guard's backups) is not the restores'.
    expect(supervisor.running()).toEqual([])

    child.finish({ type: 'restore-done', jobId, result: result([item()]) })
    const end = await supervisor.whenRestored(jobId)
    expect(end?.outcome).toEqual({ kind: 'done', result: result([item()]) })
    expect(finished).toEqual([
      {
        jobId,
        outcome: { kind: 'done', result: result([item()]) },
        info: expect.objectContaining({ kind: 'restore', profile: 'local', targets: ['shop_copy'] }),
      },
    ])
    expect(events.map((e) => e.type)).toEqual([
      'restore-progress',
      'restore-log',
      'restore-item',
      'restore-done',
    ])
    expect(supervisor.runningRestores()).toEqual([])
    const log = lines.join('\n')
    expect(log).toContain(`[job ${jobId} pid 4321] restore started: profile local, mode single, ticket CHG-9`)
    expect(log).toContain('slow table; key ***')
    expect(log).toMatch(/restore success: 1 item\(s\) in 2000 ms \(exit code 0\)/)
    for (const secret of [PASSWORD, KEY, PRE_KEY]) expect(log).not.toContain(secret)
  })

  it('refuses a second restore into the same database of the same profile while the first runs', () => {
    const { supervisor } = setup()
    const jobId = supervisor.startRestore(plan('shop_copy'))
    expect(() => supervisor.startRestore(plan('shop_copy'))).toThrow(
      expect.objectContaining({ code: 'InvalidInput', message: expect.stringContaining(jobId) }),
    )
    expect(() => supervisor.startRestore(plan('other'))).not.toThrow()
    expect(supervisor.runningRestores()).toHaveLength(2)
  })

  it('cancel asks the job; its restore-cancelled says what is partly restored', async () => {
    const { supervisor, children } = setup()
    const jobId = supervisor.startRestore(plan())
    const { child } = children[0] ?? expect.fail('no process')
    expect(supervisor.cancel(jobId)).toBe(true)
    expect(child.sent.at(-1)).toEqual({ type: 'cancel' })
    expect(supervisor.runningRestores()[0]?.cancelling).toBe(true)
    child.finish({ type: 'restore-cancelled', jobId, result: result([item(true)], 'cancelled') })
    const end = await supervisor.whenRestored(jobId)
    expect(end?.outcome).toEqual({ kind: 'cancelled', result: result([item(true)], 'cancelled') })
    expect(supervisor.cancel(jobId)).toBe(false)
  })

  it('a job process that dies without a final event is JobCrashed, saying the target may be partly restored', async () => {
    const { supervisor, children, events, finished } = setup()
    const jobId = supervisor.startRestore(plan())
    const { child } = children[0] ?? expect.fail('no process')
    child.post({ type: 'restore-progress', jobId, progress: progress('load', 0.2) })
    child.exit(null, 'SIGSEGV')
    const end = await supervisor.whenRestored(jobId)
    expect(end?.outcome.kind).toBe('failed')
    const final = events.at(-1)
    expect(final).toMatchObject({ type: 'restore-failed', jobId, error: { code: 'JobCrashed' } })
    expect(final?.type === 'restore-failed' && final.error.message).toMatch(/signal SIGSEGV.*partly restored/)
    expect(finished[0]?.info.exit).toMatchObject({ crashed: true, signal: 'SIGSEGV' })
  })

  it('runs a restore test: its report ends it', async () => {
    const { supervisor, children, finished } = setup()
    const jobId = supervisor.startRestoreTest(testRequest)
    const { child, kind } = children[0] ?? expect.fail('no process')
    expect(kind).toBe('restore-test')
    expect(child.sent).toEqual([{ type: 'restore-test', jobId, request: testRequest }])
    expect(supervisor.runningRestores()[0]).toMatchObject({
      kind: 'restore-test',
      profile: 'scratch',
      files: ['/b/shop.sql.gz'],
    })
    child.finish({ type: 'restore-test-done', jobId, report: report(true) })
    expect((await supervisor.whenRestored(jobId))?.outcome).toEqual({
      kind: 'test-done',
      report: report(true),
    })
    expect(finished[0]?.info.kind).toBe('restore-test')
  })
})

describe('the notification of an ended restore', () => {
  const info = (kind: RestoreFinishedInfo['kind'] = 'restore'): RestoreFinishedInfo => ({
    kind,
    profile: 'local',
    ticket: 'CHG-9',
    files: ['/b/shop.sql.zst.enc'],
    targets: kind === 'restore' ? ['shop_copy'] : [],
    startedAt: '2026-12-01T10:00:00.000Z',
    finishedAt: '2026-12-01T10:00:02.000Z',
    exit: { code: 0, signal: null, crashed: false, killed: false },
  })

  it('says where, how much and how long; a failure its reason; a cancel only when it left a partly restored target', () => {
    expect(restoreNotificationContent({ kind: 'done', result: result([item()]) }, info())).toEqual({
      title: 'Restore finished: shop_copy on local',
      body: '4 tables, 1000 B of SQL in 2.0 s',
    })
    expect(
      restoreNotificationContent(
        { kind: 'failed', error: { code: 'AuthFailed', message: 'access denied' } },
        info(),
      ),
    ).toEqual({ title: 'Restore failed: shop_copy on local', body: 'access denied' })
    expect(restoreNotificationContent({ kind: 'cancelled', result: null }, info())).toBeNull()
    expect(
      restoreNotificationContent({ kind: 'cancelled', result: result([item(true)], 'cancelled') }, info()),
    ).toEqual({
      title: 'Restore cancelled: shop_copy on local',
      body: 'shop_copy is partly restored; /b/shop_copy_pre_restore.sql.zst.enc holds its state before',
    })
    expect(
      restoreNotificationContent({ kind: 'test-done', report: report(true) }, info('restore-test')),
    ).toEqual({
      title: 'Restore test passed: local',
      body: '1 table, 1 object checked in 3.0 s',
    })
    expect(
      restoreNotificationContent({ kind: 'test-done', report: report(false) }, info('restore-test')),
    ).toEqual({ title: 'Restore test failed: local', body: 'table orders: 10 rows, the dump inserts 12' })
  })
})
