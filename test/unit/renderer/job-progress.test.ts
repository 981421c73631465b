import { describe, expect, it } from 'vitest'
import type { BackupProgress, TargetResult } from '../../../shared/backup-types.ts'
import { summarizeJob } from '../../../renderer/src/lib/job-progress.ts'
import type { JobView } from '../../../renderer/src/stores/jobs-store.ts'

const STARTED = Date.parse('2026-01-01T00:00:00.000Z')

function job(changes: Partial<JobView> = {}): JobView {
  return {
    jobId: 'job-1',
    profile: 'prod',
    mode: 'filter',
    ticket: 'T-1',
    startedAt: new Date(STARTED).toISOString(),
    files: ['/out/a.sql.zst', '/out/b.sql.zst', '/out/c.sql.zst'],
    cancelling: false,
    request: null,
    estimates: null,
    targets: {},
    finished: [],
    logs: [],
    schedule: null,
    copies: {},
    ...changes,
  }
}

function progress(targetIndex: number, changes: Partial<BackupProgress> = {}): BackupProgress {
  return {
    targetIndex,
    targetCount: 3,
    database: `db${targetIndex}`,
    table: null,
    tablesDone: 0,
    tablesTotal: 0,
    sqlBytes: 0,
    outBytes: 0,
    estimatedBytes: 0,
    fraction: null,
    bytesPerSecond: 0,
    etaSeconds: null,
    elapsedMs: 0,
    final: false,
    ...changes,
  }
}

function finished(file: string | null, changes: Partial<TargetResult> = {}): TargetResult {
  return {
    databases: ['x'],
    status: file === null ? 'failed' : 'success',
    file,
    bytes: 0,
    sqlBytes: 0,
    sha256: null,
    durationMs: 1000,
    warnings: [],
    error: null,
    ...changes,
  }
}

describe('summarizeJob', () => {
  it('before any progress: nothing is known yet', () => {
    const summary = summarizeJob(job(), STARTED + 2_000)
    expect(summary).toMatchObject({
      fraction: null,
      etaSeconds: null,
      targetsDone: 0,
      targetCount: 3,
      sqlBytes: 0,
      outBytes: 0,
      bytesPerSecond: 0,
      elapsedMs: 2_000,
      active: [],
    })
  })

  it('a job without a known file list still counts one target', () => {
    expect(summarizeJob(job({ files: [] }), STARTED).targetCount).toBe(1)
  })

  it('without estimates, each file counts the same', () => {
    const summary = summarizeJob(
      job({
        targets: { 1: progress(1, { fraction: 0.5 }) },
        finished: [finished('/out/a.sql.zst')],
      }),
      STARTED + 10_000,
    )
    expect(summary.targetsDone).toBe(1)
    expect(summary.fraction).toBeCloseTo(1.5 / 3)
  })

  it('with the dry-run’s estimates, files weigh by their size', () => {
    const summary = summarizeJob(
      job({
        estimates: [600, 300, 100],
        targets: { 1: progress(1, { fraction: 0.5 }) },
        finished: [finished('/out/a.sql.zst')],
      }),
      STARTED + 10_000,
    )
    // a (600) done, half of b (150): 750 of 1000
    expect(summary.fraction).toBeCloseTo(0.75)
  })

  it('a finished file is matched by its name, whatever the path separator', () => {
    const summary = summarizeJob(
      job({
        files: ['C:\\out\\a.sql.zst', 'C:\\out\\b.sql.zst'],
        estimates: [100, 900],
        finished: [finished('/elsewhere/b.sql.zst')],
      }),
      STARTED,
    )
    expect(summary.fraction).toBeCloseTo(0.9)
  })

  it('a target that ended without a file falls back to counting files', () => {
    const summary = summarizeJob(
      job({ estimates: [600, 300, 100], finished: [finished(null)] }),
      STARTED + 1_000,
    )
    expect(summary.targetsDone).toBe(1)
    expect(summary.fraction).toBeCloseTo(1 / 3)
  })

  it('a final progress counts as done even before its result arrives, and is no longer active', () => {
    const summary = summarizeJob(
      job({
        estimates: [500, 500, 0],
        targets: { 0: progress(0, { fraction: 1, final: true }), 1: progress(1, { fraction: 0.2 }) },
      }),
      STARTED,
    )
    expect(summary.targetsDone).toBe(1)
    expect(summary.active.map((p) => p.targetIndex)).toEqual([1])
    expect(summary.fraction).toBeCloseTo(0.6)
  })

  it('says how long the longest-stalled running target has had no data, and nothing once it flows again', () => {
    const running = (stalled: (number | undefined)[]): JobView =>
      job({
        targets: Object.fromEntries(
          stalled.map((s, i) => [i, progress(i, s === undefined ? {} : { stalledSeconds: s })]),
        ),
      })
    expect(summarizeJob(running([undefined, undefined]), STARTED).stalledSeconds).toBeNull()
    expect(summarizeJob(running([7, undefined, 12]), STARTED).stalledSeconds).toBe(12)
    const finishedWhileStalled = job({ targets: { 0: progress(0, { stalledSeconds: 9, final: true }) } })
    expect(summarizeJob(finishedWhileStalled, STARTED).stalledSeconds).toBeNull()
  })

  it('sums bytes of finished and active targets; the rate of the active ones only', () => {
    const summary = summarizeJob(
      job({
        targets: {
          2: progress(2, { sqlBytes: 30, outBytes: 3, bytesPerSecond: 1_000 }),
          1: progress(1, { sqlBytes: 20, outBytes: 2, bytesPerSecond: 500 }),
        },
        finished: [finished('/out/a.sql.zst', { sqlBytes: 100, bytes: 10 })],
      }),
      STARTED,
    )
    expect(summary.sqlBytes).toBe(150)
    expect(summary.outBytes).toBe(15)
    expect(summary.bytesPerSecond).toBe(1_500)
    // in plan order, not the order the events came in
    expect(summary.active.map((p) => p.targetIndex)).toEqual([1, 2])
  })

  it('elapsed: the job’s clock, at least what a target measured, never negative', () => {
    const target = { 0: progress(0, { elapsedMs: 90_000 }) }
    expect(summarizeJob(job({ targets: target }), STARTED + 60_000).elapsedMs).toBe(90_000)
    expect(summarizeJob(job({ targets: target }), STARTED + 120_000).elapsedMs).toBe(120_000)
    expect(summarizeJob(job(), STARTED - 5_000).elapsedMs).toBe(0)
  })

  it('ETA from the fraction done and the time it took, once past 1 % and until done', () => {
    const at = (fraction: number) =>
      summarizeJob(
        job({ files: ['/out/a.sql.zst'], targets: { 0: progress(0, { fraction, targetCount: 1 }) } }),
        STARTED + 20_000,
      )
    expect(at(0.25).etaSeconds).toBeCloseTo(60)
    expect(at(0.5).etaSeconds).toBeCloseTo(20)
    expect(at(0.005).etaSeconds).toBeNull()
    expect(at(1).etaSeconds).toBeNull()
  })

  it('never more than all of it', () => {
    const summary = summarizeJob(
      job({ files: ['/out/a.sql.zst'], estimates: [10], targets: { 0: progress(0, { fraction: 3 }) } }),
      STARTED,
    )
    expect(summary.fraction).toBe(1)
  })
})

describe('summarizeJob: numbers that stay true', () => {
  it('at 100 % the totals do not drop to 0 between the final progress and the target result', () => {
    const one = job({ files: ['/out/a.sql.zst'] })
    const running = summarizeJob(
      {
        ...one,
        targets: { 0: progress(0, { targetCount: 1, sqlBytes: 500, outBytes: 120, fraction: 0.99 }) },
      },
      STARTED + 10_000,
    )
    const final = summarizeJob(
      {
        ...one,
        targets: {
          0: progress(0, { targetCount: 1, sqlBytes: 510, outBytes: 125, fraction: 1, final: true }),
        },
      },
      STARTED + 10_500,
    )
    const ended = summarizeJob(
      {
        ...one,
        targets: {
          0: progress(0, { targetCount: 1, sqlBytes: 510, outBytes: 125, fraction: 1, final: true }),
        },
        finished: [finished('/out/a.sql.zst', { sqlBytes: 510, bytes: 125 })],
      },
      STARTED + 10_600,
    )
    expect([running.sqlBytes, final.sqlBytes, ended.sqlBytes]).toEqual([500, 510, 510])
    expect([running.outBytes, final.outBytes, ended.outBytes]).toEqual([120, 125, 125])
  })

  it('a stall has no ETA (the card says "unknown"), and there is one ETA for the job', () => {
    const flowing = summarizeJob(
      {
        ...job({ files: ['/out/a.sql.zst'] }),
        targets: { 0: progress(0, { targetCount: 1, fraction: 0.5, etaSeconds: 3 }) },
      },
      STARTED + 10_000,
    )
    expect(flowing.etaSeconds).toBe(10)
    const stalled = summarizeJob(
      {
        ...job({ files: ['/out/a.sql.zst'] }),
        targets: { 0: progress(0, { targetCount: 1, fraction: 0.5, stalledSeconds: 25 }) },
      },
      STARTED + 10_000,
    )
    expect(stalled.etaSeconds).toBeNull()
    expect(stalled.stalledSeconds).toBe(25)
  })
})
