/**
 * Runs a planned backup in its job process and shows it: progress on a terminal (or JSON lines), the
 * job's log lines at the chosen level, Ctrl-C / SIGTERM as cancel (a second one kills at once).
 */
import type { BackupPlan, JobEvent } from '../../../shared/job-protocol.ts'
import { LOG_LEVELS, type LogLevel } from '../../engine/config/index.ts'
import type { CliContext } from '../context.ts'
import { awaitJob } from '../job-signals.ts'
import type { JobOutcome, PendingJob } from '../job-runner.ts'
import { ProgressPrinter } from '../report.ts'
import type { BackupRunLog } from '../../engine/backup/backup-run-log.ts'
import { mark, TIMING_LOG_PREFIX, type TimingMark } from '../../engine/timing.ts'

export interface RunView {
  json: boolean
  jsonProgress: boolean
  quiet: boolean
  logLevel: LogLevel
}

export interface CliRun {
  outcome: JobOutcome
  /** The job's timing marks (SFDB_TIMING=1), else empty. */
  timing: TimingMark[]
  /** How many cancel signals arrived while the job ran. */
  signals: number
}

export async function runCliJob(
  pending: PendingJob,
  plan: BackupPlan,
  view: RunView,
  ctx: CliContext,
  runLog: BackupRunLog,
): Promise<CliRun> {
  const progress = view.quiet || view.jsonProgress ? null : new ProgressPrinter(ctx.err)
  const showLog = (e: Extract<JobEvent, { type: 'log' }>): void => {
    if (view.json || LOG_LEVELS.indexOf(e.level) < LOG_LEVELS.indexOf(view.logLevel)) return
    if (progress) progress.line(`${e.level}: ${e.message}`)
    else if (!view.quiet) ctx.err(`${e.level}: ${e.message}`)
  }
  const timing: TimingMark[] = []
  mark('cli: plan sent to the job')
  const job = pending.start(plan, (e) => {
    if (e.type === 'progress') {
      if (view.jsonProgress) ctx.err(JSON.stringify({ type: 'progress', ...e.progress }))
      else progress?.update(e.progress)
    } else if (e.type === 'target' && view.jsonProgress) ctx.err(JSON.stringify(e))
    else if (e.type === 'log' && e.level === 'debug' && e.message.startsWith(TIMING_LOG_PREFIX)) {
      timing.push(...(JSON.parse(e.message.slice(TIMING_LOG_PREFIX.length)) as TimingMark[]))
    } else if (e.type === 'log') {
      runLog.message(e.level, e.message) // every level: the log keeps what the screen may leave out
      showLog(e)
    }
  })
  try {
    const ended = await awaitJob(
      job,
      () => progress?.line('cancelling… (press Ctrl-C again to stop at once)'),
      (signal, count) => runLog.interrupted(signal, count),
    )
    return { ...ended, timing }
  } finally {
    progress?.done()
  }
}
