/**
 * Runs a restore (or a restore test) in its job process and shows it: a progress line on stderr (or JSON
 * lines), the job's log lines at the chosen level, Ctrl-C / SIGTERM as cancel (a second one kills at once).
 */
import type { RestoreJobEvent } from '../../../shared/job-protocol.ts'
import type { RestoreProgressView } from '../../../shared/restore-types.ts'
import { LOG_LEVELS, type LogLevel } from '../../engine/config/index.ts'
import type { CliContext } from '../context.ts'
import { awaitJob } from '../job-signals.ts'
import type { PendingJob, RestoreOutcome, RestoreStart } from '../job-runner.ts'
import { formatBytes, formatDuration, formatRate } from '../terminal.ts'

export interface RestoreRunView {
  json: boolean
  jsonProgress: boolean
  quiet: boolean
  logLevel: LogLevel
}

export interface CliRestoreRun {
  outcome: RestoreOutcome
  /** How many cancel signals arrived while the job ran. */
  signals: number
}

/** At most this many progress lines (or redraws) a second. */
const MAX_UPDATES_PER_SECOND = 10
/** Plain lines (when stderr is not a terminal): on a new table or phase, else at most every 5 s. */
const PLAIN_INTERVAL_MS = 5_000

/** "[1/2] load shop.customers — table 3 of 7 — 12 MiB of 40 MiB 30.0% @ 5 MiB/s ETA 4 s". */
export function describeRestoreProgress(p: RestoreProgressView): string {
  const which = p.itemCount > 1 ? `[${p.itemIndex + 1}/${p.itemCount}] ` : ''
  const where = p.database ? ` ${p.database}${p.table ? `.${p.table}` : ''}` : ''
  const tables = `, ${p.tablesDone}${p.tablesTotal === null ? '' : ` of ${p.tablesTotal}`} tables done`
  const total = p.totalSqlBytes === null ? '' : ` of ${formatBytes(p.totalSqlBytes)}`
  const pct = p.fraction === null ? '' : ` ${(p.fraction * 100).toFixed(p.final ? 0 : 1)}%`
  const eta = p.etaSeconds !== null && !p.final ? ` ETA ${formatDuration(p.etaSeconds * 1000)}` : ''
  return `${which}${p.phase}${where}${tables}, ${formatBytes(p.sqlBytes)}${total} SQL${pct} @ ${formatRate(p.bytesPerSecond)}${eta}`
}

/** A live line redrawn in place on a terminal; plain lines when stderr is a pipe or a file. */
export class RestoreProgressPrinter {
  private readonly tty = Boolean(process.stderr.isTTY)
  private lastKey: string | null = null
  private lastPlain = 0
  private lastDrawn = 0
  private live = false
  private readonly write: (line: string) => void

  constructor(write: (line: string) => void) {
    this.write = write
  }

  update(p: RestoreProgressView, now = Date.now()): void {
    if (!p.final && now - this.lastDrawn < 1000 / MAX_UPDATES_PER_SECOND) return
    this.lastDrawn = now
    const text = describeRestoreProgress(p)
    if (this.tty) {
      process.stderr.write(`\r\x1b[2K${text}`)
      this.live = true
      return
    }
    const key = `${p.itemIndex}|${p.phase}|${p.database}|${p.table}`
    if (p.final || key !== this.lastKey || now - this.lastPlain >= PLAIN_INTERVAL_MS) {
      this.write(text)
      this.lastKey = key
      this.lastPlain = now
    }
  }

  /** A message between progress updates. */
  line(text: string): void {
    this.done()
    this.write(text)
  }

  done(): void {
    if (this.live) process.stderr.write('\r\x1b[2K')
    this.live = false
  }
}

/** Starts the job in the pre-forked process, relays what it says, and turns signals into cancel / kill. */
export async function runCliRestoreJob(
  pending: PendingJob,
  start: RestoreStart,
  view: RestoreRunView,
  ctx: CliContext,
): Promise<CliRestoreRun> {
  const progress = view.quiet || view.jsonProgress ? null : new RestoreProgressPrinter(ctx.err)
  const showLog = (e: Extract<RestoreJobEvent, { type: 'restore-log' }>): void => {
    if (view.json || LOG_LEVELS.indexOf(e.level) < LOG_LEVELS.indexOf(view.logLevel)) return
    if (progress) progress.line(`${e.level}: ${e.message}`)
    else if (!view.quiet) ctx.err(`${e.level}: ${e.message}`)
  }
  const job = pending.startRestore(start, (e) => {
    if (e.type === 'restore-progress') {
      if (view.jsonProgress) ctx.err(JSON.stringify({ type: 'progress', ...e.progress }))
      else progress?.update(e.progress)
    } else if (e.type === 'restore-item' && view.jsonProgress)
      ctx.err(JSON.stringify({ type: 'item', ...e.item }))
    else if (e.type === 'restore-log') showLog(e)
  })
  try {
    return await awaitJob(job, () => {
      if (progress) progress.line('cancelling… (press Ctrl-C again to stop at once)')
      else if (!view.json) ctx.err('cancelling…')
    })
  } finally {
    progress?.done()
  }
}
