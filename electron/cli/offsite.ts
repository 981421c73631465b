/**
 * `--copy-to NAME` of `sfdbtools backup`: after the job, each successful file and its companions go to each
 * named destination (engine/offsite), then each destination's own retention (when it has one), then the
 * retention the job was told not to apply runs here with the offsite rule (a backup without a verified copy
 * stays).
 */
import { join } from 'node:path'
import type { BackupResult } from '../../shared/backup-types.ts'
import type { BackupPlan } from '../../shared/job-protocol.ts'
import type { RunDestination } from '../engine/offsite/copy-backup.ts'
import { copyRunToDestinations } from '../engine/offsite/copy-run.ts'
import { findDestinations } from '../engine/offsite/destinations.ts'
import { withSecret } from '../engine/offsite/session.ts'
import type { SftpHostKeys } from '../engine/offsite/sftp-copy.ts'
import type { BackupRunLog } from '../engine/backup/backup-run-log.ts'
import { EngineError } from '../engine/errors.ts'
import type { CliRun } from './backup/backup-run.ts'
import { bool, type Parsed } from './args.ts'
import { hostKeyPolicy, type CliContext } from './context.ts'
import { formatBytes, formatRate } from './terminal.ts'
import { formatClock } from '../../shared/format.ts'

export type { RunDestination }

/** The plan the job runs: with --copy-to its retention runs after the copies (copyRunOffsite), not in the job. */
export const jobPlanWith = (plan: BackupPlan, destinations: RunDestination[]): BackupPlan =>
  destinations.length > 0 ? { ...plan, cleanup: null } : plan

/** The destinations of `--copy-to`, each with its password or S3 secret key from the keychain (never from argv). */
export async function runDestinations(names: string[], ctx: CliContext): Promise<RunDestination[]> {
  const found = await findDestinations(ctx.configDir, [...new Set(names)])
  const out: RunDestination[] = []
  for (const destination of found) out.push(await withSecret(destination, ctx.keychain))
  return out
}

export const sftpHostKeys = (ctx: CliContext, insecureFlag = false): SftpHostKeys => ({
  ...hostKeyPolicy(ctx),
  knownHostsFile: join(ctx.configDir, 'known_hosts'),
  insecure: insecureFlag || ctx.env.SFDB_SSH_INSECURE_IGNORE_HOSTKEY === '1',
})

type CopyProgress = { destination: string; file: string; bytes: number; total: number }

/**
 * One line of upload progress: bytes of the size, the rate since this upload began and the time left
 * ("copy to nas: f.sql.zst 12.0 MiB / 48.0 MiB, 4.0 MiB/s, 0:09 left"). `started` is when and at which
 * byte count the upload was first seen; the rate needs a second of it.
 */
export function copyProgressLine(
  p: CopyProgress,
  started: { at: number; bytes: number },
  now: number,
): string {
  const head = `copy to ${p.destination}: ${p.file} ${formatBytes(p.bytes)} / ${formatBytes(p.total)}`
  if (p.bytes >= p.total) return `${head}, sent`
  const seconds = (now - started.at) / 1000
  if (seconds < 1 || p.bytes <= started.bytes) return head
  const rate = (p.bytes - started.bytes) / seconds
  return `${head}, ${formatRate(rate)}, ${formatClock(((p.total - p.bytes) / rate) * 1000)} left`
}

/** Upload progress on stderr: at most one line a second per file, and its end. */
function progressPrinter(ctx: CliContext, json: boolean, clock: () => number = Date.now) {
  let last = 0
  const starts = new Map<string, { at: number; bytes: number; last: number }>()
  return (p: CopyProgress): void => {
    if (json) {
      ctx.err(JSON.stringify({ type: 'copy-progress', ...p }))
      return
    }
    const now = clock()
    const key = `${p.destination}\u0000${p.file}`
    const known = starts.get(key)
    // A retry starts the file again from 0: a new upload, a new rate.
    if (known === undefined || p.bytes < known.last)
      starts.set(key, { at: now, bytes: p.bytes, last: p.bytes })
    else known.last = p.bytes
    if (p.bytes < p.total && now - last < 1_000) return
    last = now
    ctx.err(copyProgressLine(p, starts.get(key) ?? { at: now, bytes: p.bytes }, now))
  }
}

/**
 * Copies every successful target of a run; a destination that still fails after the retries makes its
 * target `success_with_warnings` (the file kept). A Ctrl-C / SIGTERM cancels the copies (partial uploads
 * removed). Then the retention of the run, which keeps backups without a verified copy.
 */
export async function copyRunOffsite(
  run: CliRun,
  options: {
    plan: BackupPlan
    destinations: RunDestination[]
    quiet: boolean
    json: boolean
    jsonProgress: boolean
    parsed: Parsed
    view: { server: { hostname: string } }
  },
  ctx: CliContext,
  runLog: BackupRunLog,
): Promise<{ result: BackupResult; signals: number }> {
  const { outcome } = run
  if (outcome.kind === 'failed') throw EngineError.from(outcome.error) // the caller reports a failed job first
  const { plan, destinations } = options
  const view = { ...options, host: options.view.server.hostname }
  if (destinations.length === 0 || outcome.kind === 'cancelled')
    return { result: outcome.result, signals: run.signals }
  const { result } = outcome
  const insecure = bool(view.parsed, 'ssh-insecure')
  const log = (level: 'info' | 'warn', message: string): void => {
    runLog.message(level, message)
    if (!view.json && !view.quiet) ctx.err(`${level}: ${message}`)
  }
  const controller = new AbortController()
  let signals = run.signals
  const onSignal = (): void => {
    signals++
    controller.abort()
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  const show = view.quiet || view.json ? undefined : progressPrinter(ctx, false)
  const onProgress = view.jsonProgress ? progressPrinter(ctx, true) : show
  try {
    const done = await copyRunToDestinations(result, destinations, {
      signal: controller.signal,
      hostKeys: sftpHostKeys(ctx, insecure),
      ...(onProgress ? { onProgress } : {}),
      onLog: (level, message) =>
        log(level === 'error' ? 'warn' : level === 'debug' ? 'info' : level, message),
      cleanup: plan.cleanup
        ? {
            outputDir: plan.outputRoot ?? plan.outputDir,
            databases: plan.targets.flatMap((t) => t.databases),
            host: view.host,
            policy: plan.cleanup,
          }
        : null,
    })
    return { result: done, signals }
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}
