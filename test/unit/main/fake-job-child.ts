/**
 * A job process on demand for supervisor tests: it records what it was sent and killed with, answers
 * `cancel` (or ignores it, like a job stuck in a syscall), writes output lines, and crashes when told to —
 * the failure modes a real job process has, without forking one. It answers a backup's cancel with
 * `cancelled`, a verify's with `verify-cancelled`.
 */
import type { BackupProgress, BackupResult } from '../../../shared/backup-types.ts'
import type { BackupPlan, JobRequest, VerifyView } from '../../../shared/job-protocol.ts'
import type { JobChild, JobExitListener, JobSignal } from '../../../electron/engine/jobs/job-child.ts'
import type { Logger } from '../../../electron/main/logging/logger.ts'

export class FakeJobChild implements JobChild {
  pid: number | undefined = 4321
  readonly sent: JobRequest[] = []
  readonly kills: JobSignal[] = []
  /** 'obey': a cancel is answered with `cancelled` and a clean exit; 'ignore': nothing happens. */
  onCancel: 'obey' | 'ignore' = 'obey'
  exited = false
  private readonly messageListeners: ((m: unknown) => void)[] = []
  private readonly exitListeners: JobExitListener[] = []
  private readonly errorListeners: ((e: Error) => void)[] = []
  private readonly outputListeners: ((stream: 'stdout' | 'stderr', line: string) => void)[] = []

  get jobId(): string {
    for (const m of this.sent) if (m.type !== 'cancel') return m.jobId
    return ''
  }

  /** The file of a verify job ('' for a backup). */
  get file(): string {
    const start = this.sent.find((m) => m.type === 'verify')
    return start?.type === 'verify' ? start.request.file : ''
  }

  send(message: JobRequest): void {
    if (this.exited) return
    this.sent.push(message)
    if (message.type === 'cancel' && this.onCancel === 'obey') {
      queueMicrotask(() =>
        this.finish(
          this.file === ''
            ? { type: 'cancelled', jobId: this.jobId, result: result(false) }
            : { type: 'verify-cancelled', jobId: this.jobId, file: this.file },
        ),
      )
    }
  }
  onOutput(listener: (stream: 'stdout' | 'stderr', line: string) => void): void {
    this.outputListeners.push(listener)
  }
  /** The job writes a line to stdout or stderr. */
  output(stream: 'stdout' | 'stderr', line: string): void {
    for (const l of this.outputListeners) l(stream, line)
  }
  onMessage(listener: (m: unknown) => void): void {
    this.messageListeners.push(listener)
  }
  onExit(listener: JobExitListener): void {
    this.exitListeners.push(listener)
  }
  onError(listener: (e: Error) => void): void {
    this.errorListeners.push(listener)
  }
  kill(signal: JobSignal): void {
    this.kills.push(signal)
    if (signal === 'SIGKILL') this.exit(null, 'SIGKILL')
  }

  /** The job posts a message (anything: the supervisor must validate it). */
  post(message: unknown): void {
    for (const l of this.messageListeners) l(message)
  }
  progress(fraction: number, targetIndex = 0, targetCount = 1): void {
    this.post({ type: 'progress', jobId: this.jobId, progress: progress(fraction, targetIndex, targetCount) })
  }
  /** A final event, then a clean exit — what the real job does. */
  finish(event: Record<string, unknown>): void {
    this.post(event)
    this.exit(0, null)
  }
  exit(code: number | null, signal: NodeJS.Signals | null, reason?: string): void {
    if (this.exited) return
    this.exited = true
    for (const l of this.exitListeners) l(code, signal, reason)
  }
  /** Dies without a final event (a segfault, the OOM killer, a kill -9 from outside). */
  crash(signal: NodeJS.Signals = 'SIGSEGV'): void {
    this.exit(null, signal)
  }
  /** Dies the way Electron reports a utility process: a code, and the reason from 'child-process-gone'. */
  gone(code: number, reason: string): void {
    this.exit(code, null, reason)
  }
  /** A verify job's progress event. */
  verifyProgress(bytesRead: number, totalBytes: number): void {
    this.post({
      type: 'verify-progress',
      jobId: this.jobId,
      file: this.file,
      progress: {
        bytesRead,
        totalBytes,
        fraction: bytesRead / totalBytes,
        bytesPerSecond: 1e6,
        etaSeconds: (totalBytes - bytesRead) / 1e6,
        elapsedMs: 1000,
      },
    })
  }
  /** Could not be started at all. */
  failToStart(message: string): void {
    for (const l of this.errorListeners) l(new Error(message))
    this.exit(null, null)
  }
}

export function progress(fraction: number | null, targetIndex = 0, targetCount = 1): BackupProgress {
  return {
    targetIndex,
    targetCount,
    database: 'shop',
    table: 'orders',
    tablesDone: 1,
    tablesTotal: 4,
    sqlBytes: 1000,
    outBytes: 300,
    estimatedBytes: 4000,
    fraction,
    bytesPerSecond: 1e6,
    etaSeconds: 3,
    elapsedMs: 1000,
    final: false,
  }
}

export function result(ok: boolean, file: string | null = null): BackupResult {
  return {
    ok,
    mode: 'single',
    ticket: 'T-1',
    startedAt: '2025-01-01T00:00:00.000Z',
    finishedAt: '2025-01-01T00:00:05.000Z',
    durationMs: 5000,
    targets: [
      {
        databases: ['shop'],
        status: ok ? 'success' : 'cancelled',
        file,
        bytes: ok ? 2048 : 0,
        sqlBytes: ok ? 8192 : 0,
        sha256: null,
        durationMs: 5000,
        warnings: [],
        error: ok ? null : { code: 'Cancelled', message: 'cancelled' },
      },
    ],
  }
}

/** A checked plan as planBackup makes it, writing `fileNames` into `outputDir`. */
export function testPlan(outputDir: string, fileNames: string[] = ['shop.sql.gz']): BackupPlan {
  return {
    mode: 'single',
    backupType: 'single',
    ticket: 'T-1',
    profileName: 'local',
    connection: { host: '127.0.0.1', port: 3306, user: 'bk', password: 'secret' },
    dumpBinary: null,
    extraDumpArgs: [],
    excludeData: false,
    compression: { type: 'gzip', level: 6 },
    encryptionKey: null,
    outputDir,
    targets: fileNames.map((fileName) => ({
      databases: ['shop'],
      fileName,
      estimatedBytes: 4000,
      grants: 'none' as const,
    })),
    excludedDatabases: [],
    captureGtid: false,
    parallel: 1,
    lockWaitTimeoutSeconds: 300,
    cleanup: null,
  }
}

/** A verify report as the job sends it. */
export function verifyView(file: string, ok = true): VerifyView {
  return {
    ok,
    file,
    checks: { container: 'ok', compression: 'ok', trailer: ok ? 'ok' : 'failed', checksum: 'ok' },
    bytes: 2048,
    sqlBytes: 8192,
    sha256: 'ab'.repeat(32),
    notes: [],
    error: ok ? null : { code: 'IncompleteDump', message: 'the SQL does not end with the trailer' },
  }
}

/** A logger that keeps its lines ("LEVEL message"). */
export function recordingLogger(): { lines: string[]; log: Logger } {
  const lines: string[] = []
  const log: Logger = {
    log: (level, message) => void lines.push(`${level.toUpperCase()} ${message}`),
    info: (message) => void lines.push(`INFO ${message}`),
    warn: (message) => void lines.push(`WARN ${message}`),
    error: (message, error) =>
      void lines.push(`ERROR ${message}${error === undefined ? '' : `: ${String(error)}`}`),
  }
  return { lines, log }
}
