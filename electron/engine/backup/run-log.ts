import { closeSync, openSync, writeSync } from 'node:fs'
import { mkdir, readdir, stat, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import type { LogLevel } from '../../../shared/job-protocol.ts'

/** The general logs of backup runs live in `<log dir>/backup/`, one file a run, as the user manual has it. */
export const RUN_LOG_FOLDER = 'backup'
/** Rotation: run logs older than this go, and beyond the newest RUN_LOG_KEEP_MAX the oldest go too. */
export const RUN_LOG_MAX_AGE_DAYS = 30
export const RUN_LOG_KEEP_MAX = 500

const RUN_LOG_NAME = /^sfdbtools_\d{4}-\d{2}-\d{2}_\d{6}_\d+_backup\.log$/
const pad = (n: number): string => String(n).padStart(2, '0')

/** `sfdbtools_<YYYY-MM-DD>_<HHMMSS>_<pid>_backup.log` (local time; the pid keeps two runs apart). */
export const runLogName = (d: Date, pid: number): string =>
  `sfdbtools_${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}_` +
  `${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}_${pid}_backup.log`

/**
 * Removes the run logs of `dir` older than RUN_LOG_MAX_AGE_DAYS, and the oldest beyond RUN_LOG_KEEP_MAX.
 * Only files named like a run log are touched. Returns the names removed; never throws.
 */
export async function rotateRunLogs(dir: string, now: Date = new Date()): Promise<string[]> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => RUN_LOG_NAME.test(n))
  const dated: { name: string; mtime: number }[] = []
  for (const name of names) {
    const s = await stat(join(dir, name)).catch(() => null)
    if (s?.isFile()) dated.push({ name, mtime: s.mtimeMs })
  }
  dated.sort((a, b) => b.mtime - a.mtime)
  const cutoff = now.getTime() - RUN_LOG_MAX_AGE_DAYS * 86_400_000
  const old = dated.filter((d, i) => d.mtime < cutoff || i >= RUN_LOG_KEEP_MAX)
  const removed: string[] = []
  for (const { name } of old) {
    if (
      await unlink(join(dir, name)).then(
        () => true,
        () => false,
      )
    )
      removed.push(name)
  }
  return removed
}

/**
 * One run's general log: JSON lines `{ time, level, event, message, …fields }`, appended synchronously so
 * that what happened up to a signal is on disk. Created 0600 in a 0700 folder. Callers never pass a
 * secret: keys and passwords are not part of any event.
 */
export class RunLog {
  readonly path: string
  private fd: number | null

  private constructor(path: string, fd: number) {
    this.path = path
    this.fd = fd
  }

  /** Rotates `<logDir>/backup/` and opens a new log there. */
  static async open(logDir: string, now: Date = new Date(), pid: number = process.pid): Promise<RunLog> {
    const dir = join(logDir, RUN_LOG_FOLDER)
    await mkdir(dir, { recursive: true, mode: 0o700 })
    await rotateRunLogs(dir, now)
    const path = join(dir, runLogName(now, pid))
    return new RunLog(path, openSync(path, 'a', 0o600))
  }

  write(level: LogLevel, event: string, message: string, fields: Record<string, unknown> = {}): void {
    if (this.fd === null) return
    const line = JSON.stringify({ time: new Date().toISOString(), level, event, message, ...fields })
    try {
      writeSync(this.fd, line + '\n')
    } catch {
      // A log that cannot be written (full disk) must not fail the backup it describes.
    }
  }

  close(): void {
    if (this.fd === null) return
    closeSync(this.fd)
    this.fd = null
  }
}
