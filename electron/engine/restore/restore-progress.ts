import { ProgressThrottle, rateAndEta } from '../backup/progress.ts'

/** Where a restore of one file stands. */
export interface RestoreProgress {
  database: string
  /** The table whose definition or rows are being loaded. */
  table: string | null
  tablesDone: number
  /** The tables the dump holds, when known (from the metadata, or counted at the end). */
  tablesTotal: number | null
  /** SQL bytes read and passed to the client so far. */
  sqlBytes: number
  /** The SQL size when known (the backup's metadata records it): the fraction is then of it. */
  totalSqlBytes: number | null
  /** Bytes of the file read so far, and its size: the fraction is of them when the SQL size is unknown. */
  fileBytes: number
  fileSize: number
  fraction: number | null
  bytesPerSecond: number
  etaSeconds: number | null
  elapsedMs: number
  final: boolean
}

export interface RestoreProgressOptions {
  database: string
  totalSqlBytes: number | null
  totalTables: number | null
  fileSize: number
  /** How many bytes of the file have been read now. */
  fileBytes: () => number
  emit: (p: RestoreProgress) => void
}

/**
 * Turns the SQL byte count and the table lines of a restore into progress events: at most 10 a second,
 * plus one final event with the totals (fraction 1 on success). Rate and ETA as for a backup.
 */
export class RestoreProgressTracker {
  private readonly options: RestoreProgressOptions
  private readonly started = Date.now()
  private readonly throttle = new ProgressThrottle()
  private table: string | null = null
  private readonly seen = new Set<string>()
  private sqlBytes = 0
  /** Tables whose data is known to be done (a parallel load counts them); null: "the current one is not". */
  private doneCount: number | null = null

  constructor(options: RestoreProgressOptions) {
    this.options = options
  }

  onTable(table: string): void {
    if (table === this.table) return
    this.table = table
    this.seen.add(table)
    this.maybeEmit()
  }

  /** The tables whose data has finished loading (when the loader knows it exactly). */
  onTablesDone(count: number): void {
    this.doneCount = count
    this.maybeEmit()
  }

  onSqlBytes(total: number): void {
    this.sqlBytes = total
    this.maybeEmit()
  }

  /** One last event with the totals. */
  finish(success: boolean): RestoreProgress {
    const last = this.snapshot(true, success ? 1 : this.fraction(), success)
    this.options.emit(last)
    return last
  }

  private fraction(): number | null {
    const { totalSqlBytes, fileSize } = this.options
    if (totalSqlBytes !== null && totalSqlBytes > 0) return Math.min(0.99, this.sqlBytes / totalSqlBytes)
    if (fileSize > 0) return Math.min(0.99, this.options.fileBytes() / fileSize)
    return null
  }

  private maybeEmit(): void {
    if (this.throttle.ready()) this.options.emit(this.snapshot(false, this.fraction(), false))
  }

  private snapshot(final: boolean, fraction: number | null, success: boolean): RestoreProgress {
    const elapsedMs = Date.now() - this.started
    const tables = this.seen.size
    return {
      database: this.options.database,
      table: this.table,
      // The current table is done only when the next one starts, or the whole restore succeeded.
      tablesDone: success ? tables : (this.doneCount ?? Math.max(0, tables - 1)),
      tablesTotal: this.options.totalTables ?? (success ? tables : null),
      sqlBytes: this.sqlBytes,
      totalSqlBytes: this.options.totalSqlBytes,
      fileBytes: this.options.fileBytes(),
      fileSize: this.options.fileSize,
      fraction,
      ...rateAndEta(this.sqlBytes, elapsedMs, fraction, final),
      elapsedMs,
      final,
    }
  }
}

/** The loader's counters as the restore's progress fields (the caller adds item, phase, elapsed time). */
export const loadCounters = (p: RestoreProgress) => ({
  table: p.table,
  tablesDone: p.tablesDone,
  tablesTotal: p.tablesTotal,
  sqlBytes: p.sqlBytes,
  totalSqlBytes: p.totalSqlBytes,
  fraction: p.fraction,
  bytesPerSecond: p.bytesPerSecond,
  etaSeconds: p.etaSeconds,
})
