import { appendFile, mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { BackupResult } from '../../../shared/backup-types.ts'

const pad = (n: number): string => String(n).padStart(2, '0')

/** sfDBTools' daily error log name, `sfdbtools_<YYYY-MM-DD>_error_backup.log`, here with one JSON object a line. */
export const errorLogName = (d: Date): string =>
  `sfdbtools_${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}_error_backup.log`

/**
 * Appends one JSON line per failed target of a run (with the dump's stderr tail) to the day's error log in
 * `logDir`, created 0700 / 0600. Returns the log's path, or null when nothing failed. Messages never hold a
 * secret: credentials reach the dump through a private defaults file, and errors are built without them.
 */
export async function appendErrorLog(
  logDir: string,
  result: BackupResult,
  context: { profile: string; host: string },
  now: Date = new Date(),
): Promise<string | null> {
  const failed = result.targets.filter((t) => t.status === 'failed' && t.error)
  if (failed.length === 0) return null
  await mkdir(logDir, { recursive: true, mode: 0o700 })
  const path = join(logDir, errorLogName(now))
  const lines = failed.map((t) =>
    JSON.stringify({
      time: now.toISOString(),
      mode: result.mode,
      ticket: result.ticket,
      profile: context.profile,
      host: context.host,
      databases: t.databases,
      code: t.error?.code,
      message: t.error?.message,
      stderr_tail: t.error?.detail ?? null,
    }),
  )
  await appendFile(path, lines.join('\n') + '\n', { mode: 0o600 })
  return path
}
