import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { BackupProgress } from '../../../shared/backup-types.ts'
import { ProgressTracker } from '../../../electron/engine/backup/progress.ts'

const tracker = (emit: (p: BackupProgress) => void) =>
  new ProgressTracker({
    targetIndex: 0,
    targetCount: 1,
    database: 'db',
    tables: [
      { database: 'db', table: 'small', bytes: 100 },
      { database: 'db', table: 'big', bytes: 900 },
    ],
    estimatedBytes: 1000,
    emit,
  })

describe('ProgressTracker', () => {
  // Its rate limit and ETA read the clock: fake timers, restored after each test even when it fails.
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('says nothing after its final event: no late bytes, stall, lock wait or second final', () => {
    const events: BackupProgress[] = []
    const t = tracker((p) => events.push(p))
    t.start()
    t.onMarker({ kind: 'data', table: 'small' })
    vi.advanceTimersByTime(1000)
    t.onSqlBytes(100)
    t.finish(true)
    const count = events.length
    expect(events.at(-1)).toMatchObject({ final: true, fraction: 1 })
    vi.advanceTimersByTime(1000)
    t.onSqlBytes(500)
    t.onMarker({ kind: 'data', table: 'big' })
    t.onLockWait({ database: 'db', table: 'big', holder: null, seconds: 1 })
    t.start()
    vi.advanceTimersByTime(30_000)
    t.finish(false)
    expect(events.length).toBe(count)
  })

  it('says "stalled for N s" (no rate, no ETA) while no SQL arrives, and goes on when it does', () => {
    const events: BackupProgress[] = []
    const t = tracker((p) => events.push(p))
    t.start()
    t.onMarker({ kind: 'structure', table: 'big' })
    t.onMarker({ kind: 'data', table: 'big' })
    vi.advanceTimersByTime(1000)
    t.onSqlBytes(300)
    expect(events.at(-1)?.stalledSeconds).toBeUndefined()
    vi.advanceTimersByTime(12_000)
    const stalled = events.at(-1)
    expect(stalled?.stalledSeconds).toBe(12)
    expect(stalled?.bytesPerSecond).toBe(0)
    expect(stalled?.etaSeconds).toBeNull()
    vi.advanceTimersByTime(1000)
    t.onSqlBytes(400)
    expect(events.at(-1)?.stalledSeconds).toBeUndefined()
    expect(events.at(-1)?.bytesPerSecond).toBeGreaterThan(0)
    t.finish(true)
    const count = events.length
    vi.advanceTimersByTime(60_000)
    expect(events.length).toBe(count) // finished: no more events
  })

  it('weights the fraction by table size and caps it below 1 until the end', () => {
    const events: BackupProgress[] = []
    const t = tracker((p) => events.push(p))
    vi.advanceTimersByTime(200)
    t.onMarker({ kind: 'structure', table: 'small' })
    t.onMarker({ kind: 'data', table: 'small' })
    vi.advanceTimersByTime(200)
    t.onSqlBytes(50)
    expect(events.at(-1)?.fraction).toBeCloseTo(0.05)
    expect(events.at(-1)?.table).toBe('small')
    t.onMarker({ kind: 'structure', table: 'big' })
    t.onMarker({ kind: 'data', table: 'big' })
    vi.advanceTimersByTime(200)
    t.onSqlBytes(500)
    // `small` wrote 50 bytes, not its estimated 100: the total is now 950, of which 50 + 450 are done.
    expect(events.at(-1)?.fraction).toBeCloseTo(500 / 950)
    expect(events.at(-1)?.tablesDone).toBe(1)
    vi.advanceTimersByTime(200)
    t.onSqlBytes(50_000) // far more SQL than the estimate: still below 1 until finish()
    expect(events.at(-1)?.fraction).toBe(0.99)
    expect(events.at(-1)?.etaSeconds).not.toBeNull()
    t.finish(true)
    expect(events.at(-1)).toMatchObject({
      final: true,
      fraction: 1,
      tablesDone: 2,
      sqlBytes: 50_000,
      etaSeconds: 0,
    })
  })

  it('keeps moving when the statistics are stale instead of stopping where the estimate ends', () => {
    const events: BackupProgress[] = []
    const t = new ProgressTracker({
      targetIndex: 0,
      targetCount: 1,
      database: 'db',
      // InnoDB statistics right after a bulk load: both tables look tiny.
      tables: [
        { database: 'db', table: 'a', bytes: 16_384 },
        { database: 'db', table: 'b', bytes: 16_384 },
      ],
      estimatedBytes: 32_768,
      emit: (p) => events.push(p),
    })
    t.onMarker({ kind: 'data', table: 'a' })
    const seen: number[] = []
    for (const bytes of [1e6, 5e6, 10e6, 15e6]) {
      vi.advanceTimersByTime(200)
      t.onSqlBytes(bytes)
      seen.push(events.at(-1)?.fraction ?? 0)
    }
    // Rising with the bytes (capped at 0.99 while the dump runs), never stuck where the estimate ended.
    expect(seen[0]).toBeGreaterThan(0.5)
    expect(seen[1]).toBeGreaterThan(seen[0] ?? 1)
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1] ?? 1)
    expect(Math.max(...seen)).toBe(0.99)
  })

  it('emits at most 10 events a second, plus the final one', () => {
    const events: BackupProgress[] = []
    const t = tracker((p) => events.push(p))
    for (let i = 1; i <= 1000; i++) {
      t.onSqlBytes(i)
      vi.advanceTimersByTime(1) // 1000 updates over one second
    }
    t.finish(true)
    expect(events.length).toBeLessThanOrEqual(11)
    expect(events.at(-1)?.final).toBe(true)
  })
})
