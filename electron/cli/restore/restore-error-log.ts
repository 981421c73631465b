/**
 * The restore's daily error log, `<log dir>/sfdbtools_<YYYY-MM-DD>_error_restore.log`, beside the backup's
 * (electron/engine/backup/error-log.ts): one JSON object a line per failed item, or per run that could not
 * start. Nothing in it is a secret: plans' keys and passwords are never copied into results or errors.
 */
import { appendFile, mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { AppError } from '../../../shared/result.ts'
import type { RestoreResult } from '../../../shared/restore-types.ts'

const pad = (n: number): string => String(n).padStart(2, '0')

export const restoreErrorLogName = (d: Date): string =>
  `sfdbtools_${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}_error_restore.log`

export interface RestoreLogContext {
  mode: string
  ticket: string
  profile: string
  host: string
}

/** The lines of a run: its failed items (also success_with_errors), or the error that stopped it. */
export function restoreErrorLines(
  run: RestoreResult | AppError,
  context: RestoreLogContext,
  now: Date,
): string[] {
  const base = { time: now.toISOString(), ...context }
  if (!('items' in run)) return [JSON.stringify({ ...base, files: [], code: run.code, message: run.message })]
  return run.items
    .filter((i) => i.status === 'failed' || i.status === 'success_with_errors')
    .map((i) =>
      JSON.stringify({
        ...base,
        file: i.file,
        databases: i.databases,
        status: i.status,
        partly_restored: i.partlyRestored,
        pre_restore_backup: i.preRestoreBackup,
        code: i.error?.code ?? (i.sqlErrors.length ? 'SqlError' : null),
        message: i.error?.message ?? i.sqlErrors[0]?.message ?? null,
        sql_errors: i.sqlErrors.map((e) => ({ statement: e.statement, line: e.line, message: e.message })),
      }),
    )
}

/** Appends the run's failures to the day's log (0700 folder, 0600 file); the log's path, or null when none failed. */
export async function appendRestoreErrorLog(
  logDir: string,
  run: RestoreResult | AppError,
  context: RestoreLogContext,
  now: Date = new Date(),
): Promise<string | null> {
  const lines = restoreErrorLines(run, context, now)
  if (lines.length === 0) return null
  await mkdir(logDir, { recursive: true, mode: 0o700 })
  const path = join(logDir, restoreErrorLogName(now))
  await appendFile(path, lines.join('\n') + '\n', { mode: 0o600 })
  return path
}
