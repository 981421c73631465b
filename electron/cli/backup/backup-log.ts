/**
 * The general log of one backup run (`<log dir>/backup/`, JSON lines, rotated; see engine/backup/run-log):
 * its start, the job's messages, each file, a cancel with its signal, and how it ended. A log that cannot
 * be opened is a warning, never a failed backup.
 */
import { join } from 'node:path'
import type { BackupResult } from '../../../shared/backup-types.ts'
import type { BackupPlanView } from '../../../shared/ipc.ts'
import type { AppError } from '../../../shared/result.ts'
import { RunLog } from '../../engine/backup/run-log.ts'
import type { CliContext } from '../context.ts'
import type { BackupConfig } from './backup-args.ts'

/** `log.output.file.dir` of the config, else `<config dir>/logs` (the error log's folder too). */
export const logDirOf = (cfg: BackupConfig, ctx: CliContext): string =>
  cfg.loaded.config.logDir ?? join(ctx.configDir, 'logs')

export class BackupRunLog {
  private readonly log: RunLog | null

  private constructor(log: RunLog | null) {
    this.log = log
  }

  static async open(cfg: BackupConfig, ctx: CliContext): Promise<BackupRunLog> {
    const dir = logDirOf(cfg, ctx)
    const log = await RunLog.open(dir).catch((e: unknown) => {
      ctx.err(`warning: cannot write the run log in ${join(dir, 'backup')}: ${(e as Error).message}`)
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

  message(level: 'debug' | 'info' | 'warn' | 'error', message: string): void {
    this.log?.write(level, 'log', message)
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
