/**
 * The copy phase of an app backup job (a plan with `offsite`): after the files are written, each
 * successful file and its companions go to each destination (engine/offsite/copy-backup.ts: `.part`,
 * verified, retried, recorded in the `.meta.json`), with upload progress as `copy-progress` events and the
 * job's cancel as the copies' cancel (a partial upload is removed). A destination that still fails leaves
 * its target `success_with_warnings` and the local file. Then each destination's own retention (when it
 * has one), then the plan's local retention, which keeps any backup without a verified copy. The CLI's `--copy-to` runs the same
 * engine function (engine/offsite/copy-run.ts) from cli/offsite.ts.
 */
import type { BackupResult, TargetResult } from '../../shared/backup-types.ts'
import { targetWritten } from '../../shared/backup-types.ts'
import type { BackupPlan, LogLevel, OffsiteSecrets } from '../../shared/job-protocol.ts'
import { backupFilesOf, type RunDestination } from '../engine/offsite/copy-backup.ts'
import { copyRunToDestinations } from '../engine/offsite/copy-run.ts'

/** A `copy-progress` event's facts. */
export interface CopyProgress {
  destination: string
  file: string
  bytes: number
  total: number
}

export interface OffsiteRunOptions {
  signal: AbortSignal
  onProgress(progress: CopyProgress): void
  onLog(level: LogLevel, message: string): void
  /** Progress of one file is passed on at most once per this many ms (its start and end always). */
  progressEveryMs?: number
}

/** 4 a second per file. */
export const COPY_PROGRESS_EVERY_MS = 250

/** The plan's destinations with their secrets from the start request. */
export function runDestinationsOf(plan: BackupPlan, secrets: OffsiteSecrets = {}): RunDestination[] {
  return (plan.offsite?.destinations ?? []).map((destination) => {
    const secret = secrets[destination.name]
    return secret === undefined ? { destination } : { destination, secret }
  })
}

/** Passes on a file's progress at most once per `everyMs`, and always its first and last report. */
export function throttleProgress(
  emit: (p: CopyProgress) => void,
  everyMs: number,
  now: () => number = Date.now,
): (p: CopyProgress) => void {
  const last = new Map<string, number>()
  return (p) => {
    const key = `${p.destination}\u0000${p.file}`
    const at = now()
    const previous = last.get(key)
    const edge = p.bytes === 0 || p.bytes >= p.total
    if (!edge && previous !== undefined && at - previous < everyMs) return
    last.set(key, at)
    emit(p)
  }
}

/** The server name a written backup records (what retention matches), else the plan's. */
async function serverOf(plan: BackupPlan, targets: TargetResult[]): Promise<string | undefined> {
  const file = targets.find((t) => targetWritten(t) && t.file !== null)?.file
  if (file) {
    const meta = await backupFilesOf(file).then(
      (b) => b.meta,
      () => null,
    )
    const hostname = (meta as { server?: { hostname?: string } } | null)?.server?.hostname
    if (hostname) return hostname
  }
  return plan.inspected?.server.hostname ?? plan.connection.host
}

/**
 * Copies the written files of a finished run to the plan's destinations, then applies the plan's retention
 * (which the job ran without) unless the job was cancelled or a file failed (engine/offsite/copy-run.ts).
 */
export async function copyRunOffsite(
  plan: BackupPlan,
  result: BackupResult,
  secrets: OffsiteSecrets | undefined,
  options: OffsiteRunOptions,
): Promise<BackupResult> {
  const runs = runDestinationsOf(plan, secrets)
  if (runs.length === 0 || options.signal.aborted) return result
  return copyRunToDestinations(result, runs, {
    signal: options.signal,
    hostKeys: {
      knownHostsFile: plan.offsite?.hostKeys.knownHostsFile ?? '',
      insecure: plan.offsite?.hostKeys.insecure ?? false,
      warn: (message: string) => options.onLog('warn', message),
    },
    onProgress: throttleProgress(options.onProgress, options.progressEveryMs ?? COPY_PROGRESS_EVERY_MS),
    onLog: options.onLog,
    cleanup: plan.cleanup
      ? {
          outputDir: plan.outputRoot ?? plan.outputDir,
          databases: plan.targets.flatMap((t) => t.databases),
          host: await serverOf(plan, result.targets),
          policy: plan.cleanup,
        }
      : null,
  })
}
