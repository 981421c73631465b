/**
 * The job history: every backup and restore job the app ran — done, with warnings, failed or cancelled —
 * with what was asked, how each file ended, its warnings and its log, kept in the config folder so that a
 * failure still leaves a trace after the app restarts.
 *
 * Format: JSON lines. `<config>/jobs/journal.jsonl` holds one record per finished job, appended as the job
 * ends; `<config>/jobs/logs/<jobId>.log` its log. All files 0600 in 0700 folders. Chosen over SQLite: one
 * appended line per job is all a write needs (a torn last line after a crash is skipped when read), the
 * history is small enough to filter in memory (the last JOURNAL_KEEP jobs), and a native SQLite module would
 * have to be rebuilt for every Electron version. When the file holds more than JOURNAL_KEEP + JOURNAL_SLACK
 * records it is rewritten (atomically) with the newest JOURNAL_KEEP, and the logs of the dropped jobs removed.
 */
import { appendFile, chmod, mkdir, readdir, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { BackupRequestInput, JobRecord, JobRecordStatus, JobTrigger } from '../../../shared/ipc.ts'
import type { LogLevel } from '../../../shared/job-protocol.ts'
import { groupWarnings, targetWhere } from '../../../shared/job-warnings.ts'
import type { RestoreResult } from '../../../shared/restore-types.ts'
import { errno } from '../../engine/errors.ts'
import { writeFileAtomic } from '../../engine/fs/atomic-write.ts'
import type { JobOutcome, RestoreOutcome, VerifyOutcome } from '../../engine/jobs/supervise-job.ts'
import { createVerifyRecorder } from './verify-records.ts'

/** Jobs the history keeps. */
export const JOURNAL_KEEP = 500
/** Records past JOURNAL_KEEP before the file is rewritten (a rewrite per job would be wasteful). */
const JOURNAL_SLACK = 50
/** Log lines kept per job: the first LOG_HEAD and the last LOG_KEEP − LOG_HEAD. */
export const LOG_KEEP = 2000
const LOG_HEAD = 200

export const journalDir = (configDir: string): string => join(configDir, 'jobs')
const journalFile = (configDir: string): string => join(journalDir(configDir), 'journal.jsonl')
const logDir = (configDir: string): string => join(journalDir(configDir), 'logs')
/** Job ids are ours (`job-<uuid>`, `restore-<uuid>`); anything else never names a file. */
const SAFE_ID = /^[a-z-]+-[0-9a-f-]{36}$/

export const jobLogPath = (configDir: string, jobId: string): string | null =>
  SAFE_ID.test(jobId) ? join(logDir(configDir), `${jobId}.log`) : null

/** What the journal learns when a job starts. */
export interface JournalStart {
  kind: JobRecord['kind']
  trigger: JobTrigger
  profile: string
  mode: JobRecord['mode']
  ticket: string
  startedAt: string
  request: BackupRequestInput | null
  retryOf: string | null
  presetId?: string
  schedule?: JobRecord['schedule']
}

/** One job's lines as they come (already masked by the job's log), kept until the job ends. */
class LineBuffer {
  readonly head: string[] = []
  readonly tail: string[] = []
  dropped = 0

  add(line: string): void {
    if (this.head.length < LOG_HEAD) return void this.head.push(line)
    this.tail.push(line)
    if (this.tail.length > LOG_KEEP - LOG_HEAD) {
      this.tail.shift()
      this.dropped++
    }
  }

  get count(): number {
    return this.head.length + this.tail.length
  }

  text(): string {
    const gap = this.dropped > 0 ? [`… ${this.dropped} line(s) left out …`] : []
    return [...this.head, ...gap, ...this.tail].map((l) => `${l}\n`).join('')
  }
}

/** A backup's status as the history shows it: the worst of its files, a cancel as such. */
export function backupStatus(outcome: JobOutcome): JobRecordStatus {
  if (outcome.kind === 'failed') return 'failed'
  if (outcome.kind === 'cancelled') return 'cancelled'
  const { targets } = outcome.result
  if (targets.some((t) => t.status === 'failed')) return 'failed'
  return targets.some((t) => t.status === 'success_with_warnings' || t.warnings.length > 0)
    ? 'success_with_warnings'
    : 'success'
}

function restoreStatus(outcome: RestoreOutcome): JobRecordStatus {
  switch (outcome.kind) {
    case 'failed':
      return 'failed'
    case 'cancelled':
      return 'cancelled'
    case 'test-done':
      return outcome.report.ok ? 'success' : 'failed'
    case 'done':
      if (!outcome.result.ok) return 'failed'
      return outcome.result.items.some((i) => i.warnings.length > 0) ? 'success_with_warnings' : 'success'
  }
}

const restoreItems = (result: RestoreResult | null): JobRecord['items'] =>
  (result?.items ?? []).map((i) => ({
    file: i.file,
    databases: i.databases,
    status: i.status,
    error: i.error,
  }))

export interface JobJournal {
  /** A job started: its lines are collected from now on. */
  started(jobId: string, start: JournalStart): void
  /** One line of a running job's log (masked by the caller). */
  line(jobId: string, level: LogLevel, message: string): void
  /** A backup job ended: its record and log are written. Never throws (a failure goes to `warn`). */
  backupEnded(jobId: string, outcome: JobOutcome, finishedAt: string): Promise<void>
  /** A restore or restore-test job ended. */
  restoreEnded(jobId: string, outcome: RestoreOutcome, finishedAt: string): Promise<void>
  /** Settles when every record being written is on disk. */
  flushed(): Promise<void>
  /**
   * A line about a job after its end (a preset's notification that failed): appended to its kept log, or
   * to its lines while it still runs. Never throws.
   */
  note?(jobId: string, level: LogLevel, message: string): Promise<void>
  /** A verify job ended: its outcome is kept as the file's last verification (verify-records.ts). */
  verifyEnded?(jobId: string, file: string, outcome: VerifyOutcome, finishedAt: string): Promise<void>
}

/** The journal of the app's jobs in `configDir`. */
export function createJobJournal(configDir: string, warn: (message: string) => void): JobJournal {
  const running = new Map<string, { start: JournalStart; lines: LineBuffer }>()
  let writes: Promise<void> = Promise.resolve()
  /** Records in the file: read once, at the first write, then counted (no re-read per job). */
  let records: number | undefined
  const verifications = createVerifyRecorder(configDir, warn)

  const write = async (record: JobRecord, log: string): Promise<void> => {
    records ??= (await readJobJournal(configDir)).length
    await mkdir(logDir(configDir), { recursive: true, mode: 0o700 })
    const path = jobLogPath(configDir, record.jobId)
    if (path !== null) await writeFileAtomic(path, log, { mode: 0o600 })
    await appendFile(journalFile(configDir), `${JSON.stringify(record)}\n`, { mode: 0o600 })
    await chmod(journalFile(configDir), 0o600)
    records++
    if (records > JOURNAL_KEEP + JOURNAL_SLACK) records = await prune(configDir)
  }

  const finish = (jobId: string, finishedAt: string, fill: (start: JournalStart) => Partial<JobRecord>) => {
    const job = running.get(jobId)
    if (job === undefined) return Promise.resolve()
    running.delete(jobId)
    const record: JobRecord = {
      jobId,
      kind: job.start.kind,
      trigger: job.start.trigger,
      profile: job.start.profile,
      mode: job.start.mode,
      ticket: job.start.ticket,
      startedAt: job.start.startedAt,
      finishedAt,
      status: 'failed',
      error: null,
      targets: [],
      items: [],
      warnings: [],
      request: job.start.request,
      retryOf: job.start.retryOf,
      ...(job.start.presetId === undefined ? {} : { presetId: job.start.presetId }),
      ...(job.start.schedule === undefined ? {} : { schedule: job.start.schedule }),
      logLines: job.lines.count,
      ...fill(job.start),
    }
    // One write at a time, in the order the jobs ended.
    writes = writes.then(() =>
      write(record, job.lines.text()).catch((e: unknown) =>
        warn(`the job history could not record ${jobId}: ${e instanceof Error ? e.message : String(e)}`),
      ),
    )
    return writes
  }

  return {
    started(jobId, start) {
      running.set(jobId, { start, lines: new LineBuffer() })
    },
    line(jobId, level, message) {
      running.get(jobId)?.lines.add(`${new Date().toISOString()} ${level.toUpperCase()} ${message}`)
    },
    backupEnded: (jobId, outcome, finishedAt) =>
      finish(jobId, finishedAt, () => {
        const targets = outcome.kind === 'failed' ? [] : outcome.result.targets
        return {
          status: backupStatus(outcome),
          error: outcome.kind === 'failed' ? outcome.error : null,
          targets,
          warnings: groupWarnings(targets.map((t) => ({ where: targetWhere(t), warnings: t.warnings }))),
          ...(outcome.kind === 'failed' ? {} : { ticket: outcome.result.ticket, mode: outcome.result.mode }),
        }
      }),
    restoreEnded: (jobId, outcome, finishedAt) =>
      finish(jobId, finishedAt, () => {
        const result = outcome.kind === 'done' || outcome.kind === 'cancelled' ? outcome.result : null
        return {
          status: restoreStatus(outcome),
          error: outcome.kind === 'failed' ? outcome.error : null,
          items: restoreItems(result),
          warnings: groupWarnings(
            (result?.items ?? []).map((i) => ({
              where: i.databases.join(', ') || i.file,
              warnings: i.warnings,
            })),
          ),
        }
      }),
    flushed: () => writes,
    note(jobId, level, message) {
      const line = `${new Date().toISOString()} ${level.toUpperCase()} ${message}\n`
      const job = running.get(jobId)
      if (job !== undefined) return Promise.resolve(job.lines.add(line.trimEnd()))
      const path = jobLogPath(configDir, jobId)
      if (path === null) return Promise.resolve()
      // After the record and its log were written (one write at a time).
      writes = writes.then(() =>
        appendFile(path, line, { mode: 0o600 }).catch((e: unknown) =>
          warn(
            `the job history could not add to the log of ${jobId}: ${e instanceof Error ? e.message : String(e)}`,
          ),
        ),
      )
      return writes
    },
    verifyEnded: (jobId, file, outcome, finishedAt) => verifications.record(jobId, file, outcome, finishedAt),
  }
}

/** The records in the journal, newest first; a line that does not parse (a torn write) is skipped. */
export async function readJobJournal(configDir: string): Promise<JobRecord[]> {
  let text: string
  try {
    text = await readFile(journalFile(configDir), 'utf8')
  } catch (e) {
    if (errno(e) === 'ENOENT') return []
    throw e
  }
  const records: JobRecord[] = []
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue
    try {
      const record = JSON.parse(line) as JobRecord
      if (typeof record.jobId === 'string' && typeof record.finishedAt === 'string') records.push(record)
    } catch {
      // A torn last line after a crash: that one job is lost, not the history.
    }
  }
  return records.reverse()
}

/** The log of a finished job, null when the history has none. */
export async function readJobLog(configDir: string, jobId: string): Promise<string | null> {
  const path = jobLogPath(configDir, jobId)
  if (path === null) return null
  try {
    return await readFile(path, 'utf8')
  } catch (e) {
    if (errno(e) === 'ENOENT') return null
    throw e
  }
}

/** Rewrites the file with its newest JOURNAL_KEEP records and removes the others' logs; returns the count. */
async function prune(configDir: string): Promise<number> {
  const kept = (await readJobJournal(configDir)).slice(0, JOURNAL_KEEP)
  const lines = [...kept].reverse().map((r) => `${JSON.stringify(r)}\n`)
  await writeFileAtomic(journalFile(configDir), lines.join(''), { mode: 0o600 })
  const keptIds = new Set(kept.map((r) => r.jobId))
  for (const name of await readdir(logDir(configDir)).catch(() => [] as string[])) {
    const id = name.replace(/\.log$/, '')
    if (!keptIds.has(id)) await rm(join(logDir(configDir), name), { force: true })
  }
  return kept.length
}
