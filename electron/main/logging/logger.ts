/**
 * The desktop app's log file: `<config dir>/logs/desktop.log`, one line per event (time, level, message),
 * size-capped and rotated (`desktop.log.1` … `desktop.log.<keep>`, the oldest dropped). Plain Node, written
 * synchronously — a line logged just before a crash is on disk — and never throwing: a log that cannot be
 * written must not take the app down. Nothing here knows a secret: callers never hand one over, and the
 * job log (jobs/job-log.ts) masks the keys and passwords of its job in the lines a job process writes.
 */
import { appendFileSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'

/** Where log lines go (the file logger in the app, a recorder in tests). */
export interface Logger {
  log(level: LogLevel, message: string): void
  info(message: string): void
  warn(message: string): void
  /** `error` adds the error's message and stack. */
  error(message: string, error?: unknown): void
}

/** The log folder of the app (the CLI's error logs default to the same one). */
export const logDir = (configDir: string): string => join(configDir, 'logs')

export const DESKTOP_LOG_FILE = 'desktop.log'
/** Rotated at 1 MiB, four old files kept: at most 5 MiB of log. */
export const DEFAULT_MAX_BYTES = 1 << 20
export const DEFAULT_KEEP = 4

export interface FileLoggerOptions {
  dir: string
  file?: string
  /** A file reaching this size is rotated before the next line. */
  maxBytes?: number
  /** How many rotated files are kept. */
  keep?: number
  /** The time of a line (tests). */
  now?: () => Date
  /** Also write each line to this stream (the terminal in development). */
  echo?: (line: string) => void
}

export interface FileLogger extends Logger {
  /** The log file's path. */
  readonly path: string
}

const describe = (error: unknown): string =>
  error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error)

/** Makes one line of a message: no line breaks inside (continuation lines are indented). */
const oneEntry = (message: string): string => message.replace(/\r?\n/g, '\n    ')

export function createFileLogger(options: FileLoggerOptions): FileLogger {
  const file = options.file ?? DESKTOP_LOG_FILE
  const path = join(options.dir, file)
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES
  const keep = Math.max(0, options.keep ?? DEFAULT_KEEP)
  const now = options.now ?? (() => new Date())
  let size: number | null = null
  let broken = false

  const rotate = (): void => {
    rmSync(`${path}.${keep}`, { force: true })
    for (let i = keep - 1; i >= 1; i--) {
      try {
        renameSync(`${path}.${i}`, `${path}.${i + 1}`)
      } catch {
        // a gap in the series
      }
    }
    if (keep > 0) renameSync(path, `${path}.1`)
    else rmSync(path, { force: true })
    size = 0
  }

  const write = (level: LogLevel, message: string): void => {
    const line = `${now().toISOString()} ${level.toUpperCase().padEnd(5)} ${oneEntry(message)}\n`
    options.echo?.(line)
    if (broken) return
    try {
      if (size === null) {
        mkdirSync(options.dir, { recursive: true, mode: 0o700 })
        size = statSync(path, { throwIfNoEntry: false })?.size ?? 0
      }
      const bytes = Buffer.byteLength(line)
      if (size > 0 && size + bytes > maxBytes) rotate()
      appendFileSync(path, line, { mode: 0o600 })
      size += bytes
    } catch (e) {
      // Once: a log that cannot be written is reported where the app's output goes, then left alone.
      broken = true
      console.error(`cannot write the log ${path}:`, e)
    }
  }

  return {
    path,
    log: write,
    info: (message) => write('info', message),
    warn: (message) => write('warn', message),
    error: (message, error) =>
      write('error', error === undefined ? message : `${message}: ${describe(error)}`),
  }
}

/** A logger that drops everything (hosts without a log file, tests that do not look). */
export const silentLogger: Logger = {
  log: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
}
