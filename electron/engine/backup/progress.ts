import type { BackupProgress, LockWait } from '../../../shared/backup-types.ts'
import type { SqlMarker } from './sql-scanner.ts'

export interface TableWeight {
  database: string
  table: string
  /** information_schema DATA_LENGTH: how much SQL the table's rows will roughly become. */
  bytes: number
}

/** After this long without a byte of SQL the progress says "stalled" instead of a stale rate and ETA. */
export const STALL_AFTER_MS = 5_000

/** ≤ 10 progress events a second, for every job that reports progress. */
export const PROGRESS_INTERVAL_MS = 100

/** Lets through at most one event per PROGRESS_INTERVAL_MS. */
export class ProgressThrottle {
  private last = 0

  /** True when an event may be emitted now (and counts it as emitted). */
  ready(now = Date.now()): boolean {
    if (now - this.last < PROGRESS_INTERVAL_MS) return false
    this.last = now
    return true
  }
}

/**
 * The pace so far (bytes a second since the start) and the seconds left at that pace: 0 when final, null
 * while the fraction is unknown or too small to tell.
 */
export function rateAndEta(
  bytes: number,
  elapsedMs: number,
  fraction: number | null,
  final: boolean,
): { bytesPerSecond: number; etaSeconds: number | null } {
  const rate = elapsedMs > 0 ? (bytes * 1000) / elapsedMs : 0
  const eta =
    fraction !== null && fraction > 0.01 && !final
      ? Math.round(((elapsedMs / fraction) * (1 - fraction)) / 1000)
      : null
  return { bytesPerSecond: Math.round(rate), etaSeconds: final ? 0 : eta }
}

/**
 * Turns the dump's byte count and table markers into progress counters for one target. The fraction is
 * weighted by each table's size from information_schema, corrected by what the dump really wrote: a
 * finished table counts with its real SQL size, and the current one with the larger of its estimate and
 * what it has written so far — so stale statistics (InnoDB's after a bulk load) slow the bar down instead
 * of freezing it. Emission is throttled to 10 a second; finish() always emits one final event with the totals.
 */
export class ProgressTracker {
  private readonly weights: TableWeight[]
  private totalWeight: number
  private readonly started = Date.now()
  private readonly throttle = new ProgressThrottle()
  private database: string | null
  private table: string | null = null
  private tablesDone = 0
  private doneWeight = 0
  private currentWeight = 0
  private currentStartBytes = 0
  private sqlBytes = 0
  private outBytes = 0
  private lockWait: LockWait | null = null
  private finished = false
  private lastBytesAt = Date.now()
  private stallTimer: NodeJS.Timeout | undefined
  private readonly seen = new Set<string>()
  private readonly emit: (p: BackupProgress) => void
  private readonly targetIndex: number
  private readonly targetCount: number
  private readonly estimatedBytes: number

  constructor(opts: {
    targetIndex: number
    targetCount: number
    database: string | null
    tables: TableWeight[]
    estimatedBytes: number
    emit: (p: BackupProgress) => void
  }) {
    this.weights = opts.tables
    this.totalWeight = opts.tables.reduce((s, t) => s + Math.max(t.bytes, 1), 0)
    this.database = opts.database
    this.emit = opts.emit
    this.targetIndex = opts.targetIndex
    this.targetCount = opts.targetCount
    this.estimatedBytes = opts.estimatedBytes
  }

  onMarker(marker: SqlMarker): void {
    if (marker.kind === 'database') {
      this.database = marker.database
      return
    }
    if (marker.kind !== 'structure' && marker.kind !== 'data') return
    const key = `${this.database ?? ''}\u0000${marker.table}`
    if (marker.kind === 'structure') {
      this.closeCurrent()
      this.table = marker.table
      return
    }
    if (this.seen.has(key)) return
    this.seen.add(key)
    this.table = marker.table
    const w = this.weights.find(
      (t) => t.table === marker.table && (this.database === null || t.database === this.database),
    )
    this.currentWeight = Math.max(w?.bytes ?? 0, 1)
    this.currentStartBytes = this.sqlBytes
    this.maybeEmit()
  }

  /** Starts watching for a stall (the dump has started); finish() stops it. */
  start(): void {
    if (this.finished) return
    this.lastBytesAt = Date.now()
    this.stallTimer ??= setInterval(() => {
      if (Date.now() - this.lastBytesAt >= STALL_AFTER_MS && !this.lockWait)
        this.emit(this.snapshot(false, this.fraction()))
    }, 1_000)
    this.stallTimer.unref?.()
  }

  onSqlBytes(total: number): void {
    if (total !== this.sqlBytes) this.lastBytesAt = Date.now()
    this.sqlBytes = total
    this.maybeEmit()
  }

  onOutBytes(total: number): void {
    this.outBytes = total
  }

  /** The dump waits for a table's lock (null: it no longer does); shown at once, not throttled. */
  onLockWait(wait: LockWait | null): void {
    this.lockWait = wait
    if (!this.finished) this.emit(this.snapshot(false, this.fraction()))
  }

  /**
   * One last event with the totals (fraction 1 on success); nothing after it — a batched dump's file is
   * finished when the dump goes on to the next database, while its last bytes may still be on their way.
   */
  finish(success: boolean): void {
    if (this.finished) return
    this.finished = true
    clearInterval(this.stallTimer)
    this.closeCurrent()
    this.emit(this.snapshot(true, success ? 1 : null))
  }

  private closeCurrent(): void {
    if (this.currentWeight > 0) {
      // The estimate is replaced by the table's real size.
      const written = Math.max(this.sqlBytes - this.currentStartBytes, 1)
      this.totalWeight += written - this.currentWeight
      this.doneWeight += written
      this.tablesDone++
      this.currentWeight = 0
    }
  }

  private fraction(): number | null {
    if (this.totalWeight <= 0 || this.weights.length === 0) return null
    const inTable = Math.max(this.sqlBytes - this.currentStartBytes, 0)
    const current = this.currentWeight > 0 ? Math.max(this.currentWeight, inTable) : 0
    const total = this.totalWeight - this.currentWeight + current
    return Math.min(0.99, (this.doneWeight + (this.currentWeight > 0 ? inTable : 0)) / total)
  }

  private maybeEmit(): void {
    if (this.finished || !this.throttle.ready()) return
    this.emit(this.snapshot(false, this.fraction()))
  }

  private snapshot(final: boolean, fraction: number | null): BackupProgress {
    const now = Date.now()
    const elapsedMs = now - this.started
    const stalledMs = final ? 0 : now - this.lastBytesAt
    const stalled = stalledMs >= STALL_AFTER_MS ? { stalledSeconds: Math.floor(stalledMs / 1000) } : null
    return {
      targetIndex: this.targetIndex,
      targetCount: this.targetCount,
      database: this.database,
      table: this.table,
      tablesDone: this.tablesDone,
      tablesTotal: this.weights.length,
      sqlBytes: this.sqlBytes,
      outBytes: this.outBytes,
      estimatedBytes: this.estimatedBytes,
      fraction,
      ...(stalled
        ? { bytesPerSecond: 0, etaSeconds: null, ...stalled }
        : rateAndEta(this.sqlBytes, elapsedMs, fraction, final)),
      elapsedMs,
      final,
      ...(this.lockWait && !final ? { lockWait: this.lockWait } : {}),
    }
  }
}
