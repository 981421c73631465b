/**
 * The app's job supervisor: many jobs at once — backups and verifications — each in its own process (a
 * utility process in the app, a Node child in tests), supervised by the engine's superviseJob /
 * superviseVerifyJob: events validated and relayed, cancel → wait → kill, a crash told apart from a clean
 * end (a backup's `.part` files removed). Each job's start, end, warnings and process output go to the log,
 * prefixed `[job <id> pid <n>]`, with the job's secrets masked.
 */
import { randomUUID } from 'node:crypto'
import type { RunningJobView, RunningRestoreView, RunningVerifyView } from '../../../shared/ipc.ts'
import type { TargetResult } from '../../../shared/backup-types.ts'
import type {
  BackupPlan,
  JobEvent,
  JobKind,
  OffsiteSecrets,
  VerifyJobRequest,
} from '../../../shared/job-protocol.ts'
import type { RestorePlan, RestoreTestRequest } from '../../../shared/restore-types.ts'
import { EngineError } from '../../engine/errors.ts'
import type { JobChild } from '../../engine/jobs/job-child.ts'
import {
  superviseJob,
  superviseRestoreJob,
  superviseVerifyJob,
  type JobEnd,
  type JobExit,
  type JobOutcome,
  type RestoreOutcome,
  type Supervised,
  type VerifyOutcome,
} from '../../engine/jobs/supervise-job.ts'
import { silentLogger, type Logger } from '../logging/logger.ts'
import {
  backupPlanSecrets,
  createJobLog,
  offsiteSecretValues,
  restorePlanSecrets,
  restoreTestSecrets,
  verifySecrets,
  type JobLog,
} from './job-log.ts'
import type { JobJournal } from './job-journal.ts'
import type { JobRunLog, JobStartInfo, JobSupervisorApi } from './types.ts'

/** What onFinished learns besides the outcome: the job as it ran, and how its process ended. */
export interface JobFinishedInfo extends Omit<JobStartInfo, 'runLog'> {
  mode: BackupPlan['mode']
  ticket: string
  startedAt: string
  finishedAt: string
  exit: JobExit
}

/** What onRestoreFinished learns besides the outcome: the restore (or test) as it ran. */
export interface RestoreFinishedInfo {
  kind: 'restore' | 'restore-test'
  profile: string
  ticket: string
  files: string[]
  targets: string[]
  startedAt: string
  finishedAt: string
  exit: JobExit
}

export interface JobSupervisorOptions {
  /** Starts one job process (utility-process.ts in the app, node-fork.ts in tests). */
  forkJob(info: { jobId: string; kind: JobKind }): JobChild
  /** Every event of every job, in order; each job ends with exactly one final event. */
  onEvent(event: JobEvent): void
  /** After a backup job's process has ended (its final event went through onEvent before). */
  onFinished?(jobId: string, outcome: JobOutcome, info: JobFinishedInfo): void
  /** After a restore or restore-test job's process has ended (its final event went through onEvent before). */
  onRestoreFinished?(jobId: string, outcome: RestoreOutcome, info: RestoreFinishedInfo): void
  /** The list of running backups changed: one started, made progress, is cancelling or ended. */
  onChange?(): void
  /** Cancel → wait this long → kill (default: the engine's CANCEL_GRACE_MS). */
  cancelGraceMs?: number
  /** Where each job's start, end, warnings and process output are logged (default: nowhere). */
  log?: Logger
  /** The job history (job-journal.ts): every backup and restore job, its end and its log lines. */
  journal?: JobJournal
}

export interface JobSupervisor extends JobSupervisorApi {
  /** Cancels every running job (backups and verifications); returns how many were asked. */
  cancelAll(): number
  /** Settles when this backup job has ended (null when no such job runs). */
  whenFinished(jobId: string): Promise<{ outcome: JobOutcome; info: JobFinishedInfo }> | null
  /** Settles when this verify job has ended (null when no such job runs). */
  whenVerified(jobId: string): Promise<JobEnd<VerifyOutcome>> | null
  /** Settles when this restore or restore-test job has ended (null when no such job runs). */
  whenRestored(jobId: string): Promise<{ outcome: RestoreOutcome; info: RestoreFinishedInfo }> | null
  /** Settles when no job runs any more. */
  whenIdle(): Promise<void>
}

interface BackupEntry {
  kind: 'backup'
  view: RunningJobView
  runLog: JobRunLog | undefined
  job: Supervised<JobOutcome>
  finished: Promise<{ outcome: JobOutcome; info: JobFinishedInfo }>
}

interface VerifyEntry {
  kind: 'verify'
  view: RunningVerifyView
  job: Supervised<VerifyOutcome>
  finished: Promise<JobEnd<VerifyOutcome>>
}

interface RestoreEntry {
  kind: 'restore'
  view: RunningRestoreView
  job: Supervised<RestoreOutcome>
  finished: Promise<{ outcome: RestoreOutcome; info: RestoreFinishedInfo }>
}

type Entry = BackupEntry | VerifyEntry | RestoreEntry

/** How the process ended, for the log: "exit code 0", "signal SIGKILL, killed after the grace", … */
function exitText(exit: JobExit): string {
  const parts = [exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`]
  if (exit.reason !== undefined) parts.push(exit.reason)
  if (exit.killed) parts.push('killed by the supervisor')
  if (exit.crashed) parts.push('no final event')
  return parts.join(', ')
}

function backupOutcomeText(outcome: JobOutcome): string {
  if (outcome.kind === 'failed') return `failed: [${outcome.error.code}] ${outcome.error.message}`
  const { result } = outcome
  const files = result.targets.filter((t) => t.file !== null).length
  const failed = result.targets.filter((t) => t.status === 'failed')
  const errors = failed.map((t) => ` [${t.error?.code}] ${t.error?.message}`).join(';')
  return `${outcome.kind === 'cancelled' ? 'cancelled' : result.ok ? 'done' : 'done with errors'}: ${files} file(s) written, ${failed.length} failed${errors} in ${result.durationMs} ms`
}

function verifyOutcomeText(outcome: VerifyOutcome): string {
  if (outcome.kind === 'cancelled') return 'cancelled'
  if (outcome.kind === 'failed') return `could not run: [${outcome.error.code}] ${outcome.error.message}`
  const { report } = outcome
  return report.ok
    ? `verified: ${report.bytes} bytes, sha256 ${report.sha256}`
    : `verification failed: [${report.error?.code}] ${report.error?.message}`
}

function restoreOutcomeText(outcome: RestoreOutcome): string {
  switch (outcome.kind) {
    case 'failed':
      return `failed: [${outcome.error.code}] ${outcome.error.message}`
    case 'test-done': {
      const { report } = outcome
      return `${report.ok ? 'passed' : 'failed'}: ${report.tables.length} table(s) in ${report.database}, cleaned up ${report.cleanedUp}${report.failures.length ? `; ${report.failures.join('; ')}` : ''}`
    }
    case 'cancelled':
    case 'done': {
      const { result } = outcome
      if (result === null) return 'cancelled'
      const partly = result.items.filter((i) => i.partlyRestored).map((i) => i.databases.join(', '))
      return `${outcome.kind === 'cancelled' ? 'cancelled' : result.status}: ${result.items.length} item(s)${partly.length ? `, partly restored: ${partly.join('; ')}` : ''} in ${result.durationMs} ms`
    }
  }
}

/** A finished file in the job's log: its status, its warnings, and for a failure the error with its detail (the dump's stderr tail). */
function logTarget(log: JobLog, target: TargetResult): void {
  const name = target.file ?? target.databases.join(', ')
  const { error } = target
  if (error === null) log.info(`${name}: ${target.status}`)
  else
    log.error(
      `${name}: ${target.status}: [${error.code}] ${error.message}${error.detail ? `\n${error.detail}` : ''}`,
    )
  for (const warning of target.warnings) log.warn(`${name}: ${warning}`)
}

export function createJobSupervisor(options: JobSupervisorOptions): JobSupervisor {
  const jobs = new Map<string, Entry>()
  const logger = options.log ?? silentLogger
  const changed = (): void => options.onChange?.()
  const grace = options.cancelGraceMs === undefined ? {} : { graceMs: options.cancelGraceMs }

  /** Forks the job's process and routes its log: spawn, output lines. */
  const fork = (jobId: string, kind: JobKind, secrets: string[], started: string) => {
    const child = options.forkJob({ jobId, kind })
    const log = createJobLog(
      logger,
      jobId,
      () => child.pid,
      secrets,
      (level, message) => options.journal?.line(jobId, level, message),
    )
    if (child.onSpawn) child.onSpawn(() => log.info(started))
    else log.info(started)
    child.onOutput?.((stream, line) => log.log(stream === 'stderr' ? 'warn' : 'info', `${stream}: ${line}`))
    child.onError((e) => log.error(`process error: ${e.message}`))
    return { child, log }
  }

  /** Runs a listener of the end without letting its bug become an unhandled rejection of the main process. */
  const guarded = (log: JobLog, what: string, run: () => void): void => {
    try {
      run()
    } catch (e) {
      log.error(`${what} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`)
      console.error(`${what} failed`, e)
    }
  }

  const start = (plan: BackupPlan, info: JobStartInfo, offsiteSecrets?: OffsiteSecrets): string => {
    assertNoOverlap(jobs, info.files)
    const jobId = `job-${randomUUID()}`
    const view: RunningJobView = {
      jobId,
      profile: info.profile,
      mode: plan.mode,
      ticket: plan.ticket,
      startedAt: new Date().toISOString(),
      files: [...info.files],
      progress: null,
      cancelling: false,
      ...(info.presetId === undefined ? {} : { presetId: info.presetId }),
      ...(info.schedule === undefined ? {} : { schedule: info.schedule }),
    }
    options.journal?.started(jobId, {
      kind: 'backup',
      trigger: info.trigger ?? 'manual',
      profile: info.profile,
      mode: plan.mode,
      ticket: plan.ticket,
      startedAt: view.startedAt,
      request: info.request ?? null,
      retryOf: info.retryOf ?? null,
      ...(info.presetId === undefined ? {} : { presetId: info.presetId }),
      ...(info.schedule === undefined ? {} : { schedule: info.schedule }),
    })
    const { child, log } = fork(
      jobId,
      'backup',
      [...backupPlanSecrets(plan), ...offsiteSecretValues(offsiteSecrets)],
      `backup started: profile ${info.profile}, mode ${plan.mode}, ticket ${plan.ticket}, ${info.files.length} file(s): ${info.files.join(', ')}`,
    )
    const job = superviseJob(child, {
      jobId,
      plan,
      ...(offsiteSecrets === undefined ? {} : { offsiteSecrets }),
      ...grace,
      onEvent(event) {
        if (event.type === 'progress') view.progress = event.progress
        else if (event.type === 'log') {
          // Every level goes to the run log (it keeps what the app's own log leaves out).
          info.runLog?.message(event.level, event.message)
          if (event.level !== 'debug') log.log(event.level, event.message)
        } else if (event.type === 'target') logTarget(log, event.target)
        options.onEvent(event)
        if (event.type === 'progress') changed()
      },
    })
    const finished = job.ended.then(async ({ outcome, exit }) => {
      jobs.delete(jobId)
      const level =
        outcome.kind === 'failed' || (outcome.kind === 'done' && !outcome.result.ok) ? 'error' : 'info'
      log.log(level, `backup ${backupOutcomeText(outcome)} (${exitText(exit)})`)
      // On disk before anyone hears the job has finished.
      await options.journal?.backupEnded(jobId, outcome, new Date().toISOString())
      guarded(log, 'the run log', () => info.runLog?.ended(outcome))
      const done = {
        outcome,
        info: {
          profile: info.profile,
          files: view.files,
          mode: view.mode,
          ticket: view.ticket,
          startedAt: view.startedAt,
          finishedAt: new Date().toISOString(),
          exit,
          ...(info.trigger === undefined ? {} : { trigger: info.trigger }),
          ...(info.presetId === undefined ? {} : { presetId: info.presetId }),
          ...(info.schedule === undefined ? {} : { schedule: info.schedule }),
        },
      }
      guarded(log, 'a finish listener', () => {
        options.onFinished?.(jobId, outcome, done.info)
        changed()
      })
      return done
    })
    jobs.set(jobId, { kind: 'backup', view, job, finished, runLog: info.runLog })
    changed()
    return jobId
  }

  const startVerify = (request: VerifyJobRequest): string => {
    for (const entry of jobs.values()) {
      if (entry.kind === 'verify' && entry.view.file === request.file && !entry.view.cancelling)
        return entry.view.jobId
    }
    const jobId = `verify-${randomUUID()}`
    const view: RunningVerifyView = {
      jobId,
      file: request.file,
      startedAt: new Date().toISOString(),
      progress: null,
      cancelling: false,
    }
    const { child, log } = fork(
      jobId,
      'verify',
      verifySecrets(request),
      `verify started: ${request.file} (${request.keys.length} key(s) to try)`,
    )
    const job = superviseVerifyJob(child, {
      jobId,
      request,
      ...grace,
      onEvent(event) {
        if (event.type === 'verify-progress') view.progress = event.progress
        options.onEvent(event)
      },
    })
    const finished = job.ended.then(async (end) => {
      jobs.delete(jobId)
      const { outcome } = end
      const level =
        outcome.kind === 'failed' || (outcome.kind === 'done' && !outcome.report.ok) ? 'warn' : 'info'
      log.log(level, `verify ${verifyOutcomeText(outcome)} (${exitText(end.exit)})`)
      // The file's last verification, kept across restarts: on disk when whenVerified settles.
      await options.journal?.verifyEnded?.(jobId, request.file, outcome, new Date().toISOString())
      return end
    })
    jobs.set(jobId, { kind: 'verify', view, job, finished })
    return jobId
  }

  /** Runs a restore or a restore test: the shared part of both. */
  const superviseRestore = (
    view: RunningRestoreView,
    start: Parameters<typeof superviseRestoreJob>[1]['start'],
    secrets: string[],
    started: string,
  ): string => {
    const { jobId } = view
    options.journal?.started(jobId, {
      kind: view.kind,
      trigger: 'manual',
      profile: view.profile,
      mode: null,
      ticket: view.ticket,
      startedAt: view.startedAt,
      request: null,
      retryOf: null,
    })
    const { child, log } = fork(jobId, view.kind, secrets, started)
    const job = superviseRestoreJob(child, {
      jobId,
      start,
      ...grace,
      onEvent(event) {
        if (event.type === 'restore-progress') view.progress = event.progress
        else if (event.type === 'restore-item') {
          view.items.push(event.item)
          log.info(`${event.item.file} → ${event.item.databases.join(', ') || '-'}: ${event.item.status}`)
        } else if (event.type === 'restore-log' && event.level !== 'debug')
          log.log(event.level, event.message)
        options.onEvent(event)
      },
    })
    const finished = job.ended.then(async ({ outcome, exit }) => {
      jobs.delete(jobId)
      const bad =
        outcome.kind === 'failed' ||
        (outcome.kind === 'done' && !outcome.result.ok) ||
        (outcome.kind === 'test-done' && !outcome.report.ok)
      log.log(bad ? 'error' : 'info', `${view.kind} ${restoreOutcomeText(outcome)} (${exitText(exit)})`)
      await options.journal?.restoreEnded(jobId, outcome, new Date().toISOString())
      const info: RestoreFinishedInfo = {
        kind: view.kind,
        profile: view.profile,
        ticket: view.ticket,
        files: view.files,
        targets: view.targets,
        startedAt: view.startedAt,
        finishedAt: new Date().toISOString(),
        exit,
      }
      guarded(log, 'a restore finish listener', () => {
        options.onRestoreFinished?.(jobId, outcome, info)
        changed()
      })
      return { outcome, info }
    })
    jobs.set(jobId, { kind: 'restore', view, job, finished })
    changed()
    return jobId
  }

  const startRestore = (plan: RestorePlan): string => {
    const targets = plan.items.flatMap((i) => (i.target === null ? [] : [i.target]))
    assertNoRestoreOverlap(jobs, plan.profileName, targets)
    const view = restoreView(
      'restore',
      plan.profileName,
      plan.ticket,
      plan.items.map((i) => i.file),
      targets,
    )
    return superviseRestore(
      view,
      { type: 'restore', plan },
      restorePlanSecrets(plan),
      `restore started: profile ${plan.profileName}, mode ${plan.mode}, ticket ${plan.ticket}, ` +
        `${plan.items.map((i) => `${i.file} → ${i.target ?? '(its own databases)'}`).join(', ')}; ` +
        `drop target ${plan.dropTarget}, pre-restore backup ${plan.preBackup === null ? 'off' : 'on'}, parallel ${plan.parallel}`,
    )
  }

  const startRestoreTest = (request: RestoreTestRequest): string => {
    const view = restoreView('restore-test', request.profileName, request.ticket, [request.file], [])
    return superviseRestore(
      view,
      { type: 'restore-test', request },
      restoreTestSecrets(request),
      `restore test started: ${request.file} on profile ${request.profileName}, ticket ${request.ticket}`,
    )
  }

  const cancel = (jobId: string): boolean => {
    const entry = jobs.get(jobId)
    if (!entry) return false
    if (!entry.view.cancelling) {
      entry.view.cancelling = true
      if (entry.kind === 'backup') entry.runLog?.cancelRequested()
      entry.job.cancel()
      if (entry.kind !== 'verify') changed()
    }
    return true
  }

  const backups = (): BackupEntry[] => [...jobs.values()].filter((e): e is BackupEntry => e.kind === 'backup')
  const verifies = (): VerifyEntry[] =>
    [...jobs.values()].filter((e): e is VerifyEntry => e.kind === 'verify')
  const restores = (): RestoreEntry[] =>
    [...jobs.values()].filter((e): e is RestoreEntry => e.kind === 'restore')

  return {
    start,
    startVerify,
    startRestore,
    startRestoreTest,
    cancel,
    running: () => backups().map(({ view }) => ({ ...view, files: [...view.files] })),
    runningVerifies: () => verifies().map(({ view }) => ({ ...view })),
    runningRestores: () =>
      restores().map(({ view }) => ({
        ...view,
        files: [...view.files],
        targets: [...view.targets],
        items: [...view.items],
      })),
    cancelAll: () => [...jobs.keys()].filter(cancel).length,
    whenFinished: (jobId) => {
      const entry = jobs.get(jobId)
      return entry?.kind === 'backup' ? entry.finished : null
    },
    whenVerified: (jobId) => {
      const entry = jobs.get(jobId)
      return entry?.kind === 'verify' ? entry.finished : null
    },
    whenRestored: (jobId) => {
      const entry = jobs.get(jobId)
      return entry?.kind === 'restore' ? entry.finished : null
    },
    whenIdle: async () => {
      while (jobs.size > 0) await Promise.all([...jobs.values()].map((e) => e.finished))
    },
  }
}

/**
 * Two running jobs must never write the same file: the second would fail on the first one's `.part`, and a
 * crash of either would remove the other's partial file.
 */
function assertNoOverlap(jobs: Map<string, Entry>, files: string[]): void {
  for (const entry of jobs.values()) {
    if (entry.kind !== 'backup') continue
    const { view } = entry
    const clash = files.find((f) => view.files.includes(f))
    if (clash !== undefined) {
      throw new EngineError('FileExists', `${clash} is being written by a running backup (${view.profile})`)
    }
  }
}

/** Two restores must never write the same database of the same server at once. */
function assertNoRestoreOverlap(jobs: Map<string, Entry>, profile: string, targets: string[]): void {
  for (const entry of jobs.values()) {
    if (entry.kind !== 'restore' || entry.view.kind !== 'restore' || entry.view.profile !== profile) continue
    const clash = targets.find((t) => entry.view.targets.includes(t))
    if (clash !== undefined) {
      throw new EngineError(
        'InvalidInput',
        `${clash} on ${profile} is being restored by a running restore (${entry.view.jobId})`,
      )
    }
  }
}

/** A restore or restore-test job as the window first sees it: started, no progress yet. */
function restoreView(
  kind: RunningRestoreView['kind'],
  profile: string,
  ticket: string,
  files: string[],
  targets: string[],
): RunningRestoreView {
  return {
    jobId: `${kind}-${randomUUID()}`,
    kind,
    profile,
    ticket,
    files,
    targets,
    startedAt: new Date().toISOString(),
    progress: null,
    items: [],
    cancelling: false,
  }
}
