import { describe, expect, it, vi } from 'vitest'
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
  it('weights the fraction by table size and caps it below 1 until the end', () => {
    vi.useFakeTimers()
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
    expect(events.at(-1)?.fraction).toBeCloseTo(0.55)
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
    vi.useRealTimers()
  })

  it('emits at most 10 events a second, plus the final one', () => {
    vi.useFakeTimers()
    const events: BackupProgress[] = []
    const t = tracker((p) => events.push(p))
    for (let i = 1; i <= 1000; i++) {
      t.onSqlBytes(i)
      vi.advanceTimersByTime(1) // 1000 updates over one second
    }
    t.finish(true)
    expect(events.length).toBeLessThanOrEqual(11)
    expect(events.at(-1)?.final).toBe(true)
    vi.useRealTimers()
  })
})
