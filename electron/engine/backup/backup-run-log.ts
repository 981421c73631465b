/**
 * The general log of one backup run (`<log dir>/backup/`, JSON lines, rotated; see run-log.ts), written
 * alike by the CLI and the app: its start, the job's messages, each file, a cancel (with its signal, or
 * from the app), and how it ended. A log that cannot be opened is a warning, never a failed backup.
 */
import { join } from 'node:path'
import type { BackupResult } from '../../../shared/backup-types.ts'
import type { BackupPlanView } from '../../../shared/ipc.ts'
import type { LogLevel } from '../../../shared/job-protocol.ts'
import type { AppError } from '../../../shared/result.ts'
import type { JobOutcome } from '../jobs/supervise-job.ts'
import { RunLog } from './run-log.ts'

/** The log folder: `log.output.file.dir` of the config, else `<config dir>/logs` (the error log's too). */
export const runLogDir = (configuredLogDir: string | undefined, configDir: string): string =>
  configuredLogDir ?? join(configDir, 'logs')

/** The exit code the CLI would give an outcome: 0 all written, 1 a failure, 2 bad input or config, 130 cancelled. */
export function outcomeExitCode(outcome: JobOutcome): number {
  if (outcome.kind === 'cancelled') return 130
  if (outcome.kind === 'failed')
    return outcome.error.code === 'InvalidInput' || outcome.error.code === 'InvalidConfig' ? 2 : 1
  return outcome.result.ok ? 0 : 1
}

export class BackupRunLog {
  private readonly log: RunLog | null

  private constructor(log: RunLog | null) {
    this.log = log
  }

  /** Opens a new run log in `<logDir>/backup/`; a folder that cannot be written is told to `warn`. */
  static async open(logDir: string, warn: (message: string) => void): Promise<BackupRunLog> {
    const log = await RunLog.open(logDir).catch((e: unknown) => {
      warn(`cannot write the run log in ${join(logDir, 'backup')}: ${(e as Error).message}`)
      return null
    })
    return new BackupRunLog(log)
  }

  get path(): string | null {
    return this.log?.path ?? null
  }

  started(view: BackupPlanView): void {
    this.log?.write('info', 'start', `backup ${view.mode} of ${view.files.length} file(s) started`, {
      mode: view.mode,
      ticket: view.ticket,
      profile: view.profile,
      host: view.server.hostname,
      server: view.server.version,
      outputDir: view.outputDir,
      files: view.files.map((f) => ({ file: f.file, databases: f.databases })),
    })
  }

  message(level: LogLevel, message: string): void {
    this.log?.write(level, 'log', message)
  }

  /** The app's Cancel (the CLI records its signals with `interrupted`). */
  cancelRequested(): void {
    this.log?.write(
      'warn',
      'interrupt',
      'cancel asked in the app: the dump is stopped, partial files removed',
      {
        source: 'app',
      },
    )
  }

  /** How a supervised job ended (the app's jobs; the CLI maps its own exit codes). */
  ended(outcome: JobOutcome): void {
    if (outcome.kind === 'failed') this.failed(outcome.error, outcomeExitCode(outcome))
    else this.finished(outcome.result, outcomeExitCode(outcome))
  }

  interrupted(signal: NodeJS.Signals, count: number): void {
    this.log?.write(
      'warn',
      'interrupt',
      count === 1
        ? `${signal} received: cancelling the run (the dump is stopped, partial files removed)`
        : `${signal} received again: stopping at once`,
      { signal, count },
    )
  }

  finished(result: BackupResult, exitCode: number): void {
    for (const t of result.targets) {
      this.log?.write(
        t.status === 'failed' ? 'error' : 'info',
        'target',
        `${t.databases.join(',')}: ${t.status}`,
        {
          databases: t.databases,
          status: t.status,
          file: t.file,
          bytes: t.bytes,
          sha256: t.sha256,
          durationMs: t.durationMs,
          warnings: t.warnings,
          ...(t.error ? { code: t.error.code, error: t.error.message } : {}),
        },
      )
    }
    const status =
      exitCode === 130
        ? 'cancelled'
        : result.ok
          ? 'success'
          : result.targets.some((t) => t.status === 'success' || t.status === 'success_with_warnings')
            ? 'partial'
            : 'failed'
    this.end(status, exitCode, { durationMs: result.durationMs })
  }

  failed(error: AppError, exitCode: number): void {
    this.end('failed', exitCode, { code: error.code, error: error.message })
  }

  private end(status: string, exitCode: number, fields: Record<string, unknown>): void {
    this.log?.write(exitCode === 0 ? 'info' : 'error', 'end', `backup ended: ${status} (exit ${exitCode})`, {
      status,
      exitCode,
      ...fields,
    })
    this.log?.close()
  }
}
