import { mkdir, writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import type { LogLevel } from '../../../../shared/job-protocol.ts'
import type {
  RestoreItem,
  RestoreItemResult,
  RestorePlan,
  RestoreProgressView,
  RestoreResult,
  RestoreStatus,
} from '../../../../shared/restore-types.ts'
import type { HostKeyPolicy } from '../../ssh/tunnel.ts'
import { serverView, withServer } from './inspect.ts'
import { restoreLogName } from './names.ts'
import { ItemRun, skippedItem } from './run-item.ts'
import { errno } from '../../errors.ts'

export interface RunRestoreOptions {
  signal: AbortSignal
  onProgress?: (p: RestoreProgressView) => void
  onLog?: (level: LogLevel, message: string) => void
  /** Each item's result as it ends. */
  onItem?: (item: RestoreItemResult) => void
  hostKeyPolicy?: HostKeyPolicy
  /**
   * Files up to this size are read end to end before the server is touched (VERIFY_FIRST_MAX_BYTES; tests
   * lower it to see a file on a destination checked while it loads instead).
   */
  verifyFirstMaxBytes?: number
}

/** The run's status from its items': a cancel wins, then a failure, then errors, then warnings. */
export function overallStatus(items: RestoreItemResult[]): RestoreStatus {
  const has = (s: RestoreStatus): boolean => items.some((i) => i.status === s)
  if (has('cancelled')) return 'cancelled'
  if (has('failed')) return 'failed'
  if (has('success_with_errors')) return 'success_with_errors'
  if (has('success_with_warnings')) return 'success_with_warnings'
  return items.every((i) => i.status === 'success') ? 'success' : 'skipped'
}

/**
 * Writes the restore log `<backup>.restore-<ts>.json` beside the first item's backup, or in `logDir` when
 * that folder cannot be written (read-only media) — always in `logDir` for a backup read from a destination
 * (`remoteName`: its name there). Resolves with the file written, or null.
 */
export async function writeRestoreLog(
  result: RestoreResult,
  logDir: string,
  onLog?: (level: LogLevel, message: string) => void,
  remoteName?: string,
): Promise<string | null> {
  const first = result.items[0]?.file
  if (!first) return null
  const started = new Date(result.startedAt)
  const name = basename(remoteName ?? first)
  for (const dir of remoteName === undefined ? [dirname(first), logDir] : [logDir]) {
    if (!dir) continue
    // A second restore of the same backup in the same second takes the next name: never the other folder.
    for (let n = 1; n <= 99; n++) {
      const path = join(dir, restoreLogName(name, started, n))
      try {
        await mkdir(dir, { recursive: true })
        await writeFile(path, JSON.stringify({ ...result, logFile: path }, null, 2) + '\n', {
          flag: 'wx',
          mode: 0o644,
        })
        return path
      } catch (e) {
        if (errno(e) === 'EEXIST') continue
        onLog?.('warn', `the restore log could not be written to ${path}: ${(e as Error).message}`)
        break
      }
    }
  }
  return null
}

/**
 * How many files of a plan load at once: `parallel` of them when the plan has several files into distinct
 * databases (a primary and its _dmart, a selection), else one file at a time (which then loads its tables
 * over `parallel` connections). Files of a combined dump, or two files into one database, go one by one.
 */
export function filesAtOnce(plan: RestorePlan): number {
  if (plan.items.length < 2 || plan.parallel < 2) return 1
  const targets = plan.items.map((i) => i.target)
  if (targets.some((t) => t === null) || new Set(targets).size < targets.length) return 1
  return Math.min(plan.parallel, plan.items.length)
}

/**
 * Runs a restore plan: per item — inspect, refuse a non-empty target without dropTarget, check the file
 * before touching the server, pre-restore backup, drop, load, grants — then writes the restore log. Item
 * failures are in the result (never thrown); it throws only when it cannot start at all (the server cannot
 * be reached). After a cancel the remaining items are skipped. Several files load at once (filesAtOnce).
 */
export async function runRestore(plan: RestorePlan, options: RunRestoreOptions): Promise<RestoreResult> {
  const started = new Date()
  const server = await withServer(
    plan.connection,
    (conn) => serverView(conn, plan.connection),
    options.hostKeyPolicy,
  )
  options.onLog?.(
    'info',
    `restoring into ${server.host}:${server.port} (${server.version ?? 'unknown version'}, ${server.hostname})`,
  )
  const items: RestoreItemResult[] = new Array<RestoreItemResult>(plan.items.length)
  const files = filesAtOnce(plan)
  // N files at once: each loads through one client (the connections are spread over the files).
  const itemPlan = files > 1 ? { ...plan, parallel: 1 } : plan
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < plan.items.length) {
      const index = next++
      const item = plan.items[index] as RestoreItem
      const r = options.signal.aborted
        ? skippedItem(item)
        : await new ItemRun({ plan: itemPlan, options, server }, item, index).run()
      items[index] = r
      options.onItem?.(r)
    }
  }
  await Promise.all(Array.from({ length: files }, worker))
  const status = overallStatus(items)
  const finished = new Date()
  const result: RestoreResult = {
    ok: status === 'success' || status === 'success_with_warnings' || status === 'success_with_errors',
    status,
    mode: plan.mode,
    ticket: plan.ticket,
    profile: plan.profileName,
    server: { host: server.host, port: server.port, version: server.version },
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    durationMs: finished.getTime() - started.getTime(),
    parallel: plan.parallel,
    items,
    logFile: null,
  }
  result.logFile = await writeRestoreLog(result, plan.logDir, options.onLog, plan.items[0]?.remote?.name)
  return result
}
