import type { BackupPlanView, BackupProgress, BackupResult, TargetResult } from '../../shared/backup-types.ts'
import { describeLockWait } from '../engine/backup/lock-watch.ts'
import { exclusionText, noticeText } from './advice.ts'
import type { CliContext } from './context.ts'
import { fileCommandLines, tableRuleLines } from './backup/table-report.ts'
import { formatBytes, formatDuration, formatRate } from '../../shared/format.ts'

const BAR_WIDTH = 20

/** Plain lines (one per table, at most every 5 s otherwise) when stderr is not a terminal. */
const PLAIN_INTERVAL_MS = 5_000

/**
 * Progress for people: a live line redrawn in place on a terminal (bytes, rate, percent, ETA, current table);
 * plain lines when stderr is a pipe or a file, e.g. under cron.
 */
export class ProgressPrinter {
  private readonly tty = Boolean(process.stderr.isTTY)
  private lastTable: string | null = null
  private lastWait: string | null = null
  private lastPlain = 0
  private live = false
  private readonly write: (line: string) => void

  constructor(write: (line: string) => void) {
    this.write = write
  }

  static describe(p: BackupProgress, bar = false): string {
    const pct = p.fraction === null ? '' : `${(p.fraction * 100).toFixed(p.final ? 0 : 1)}% `
    const which = p.targetCount > 1 ? `[${p.targetIndex + 1}/${p.targetCount}] ` : ''
    // A dump waiting for a lock reads nothing: its rate and ETA would only be stale numbers.
    if (p.lockWait && !p.final) return `${which}${describeLockWait(p.lockWait)}`
    const filled = Math.round((p.fraction ?? 0) * BAR_WIDTH)
    const drawn = bar && p.fraction !== null ? `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)} ` : ''
    const eta = p.etaSeconds !== null && !p.final ? ` ETA ${formatDuration(p.etaSeconds * 1000)}` : ''
    const where = p.table ? ` ${p.database ? `${p.database}.` : ''}${p.table}` : ''
    const pace =
      p.stalledSeconds !== undefined && !p.final
        ? ` stalled for ${p.stalledSeconds} s`
        : ` @ ${formatRate(p.bytesPerSecond)}${eta}`
    return `${which}${drawn}${pct}${formatBytes(p.sqlBytes)} SQL → ${formatBytes(p.outBytes)}${pace}${where}`
  }

  update(p: BackupProgress): void {
    const text = ProgressPrinter.describe(p, this.tty)
    if (this.tty) {
      process.stderr.write(`\r\x1b[2K${text}`)
      this.live = true
      return
    }
    const now = Date.now()
    const wait = p.lockWait ? `${p.lockWait.database}.${p.lockWait.table}` : null
    if (
      p.final ||
      p.table !== this.lastTable ||
      wait !== this.lastWait ||
      now - this.lastPlain >= PLAIN_INTERVAL_MS
    ) {
      this.write(text)
      this.lastTable = p.table
      this.lastWait = wait
      this.lastPlain = now
    }
  }

  /** A message between progress updates. */
  line(text: string): void {
    this.done()
    this.write(text)
  }

  done(): void {
    if (this.live) process.stderr.write('\r\x1b[2K')
    this.live = false
  }
}

/** What the summary says about the whole run besides its targets. */
export interface ResultDetails {
  compression: { type: string; level: number }
  encrypted: boolean
}

/** The snapshot's GTID / binlog position of a written file, as the summary shows it. */
export const gtidText = (t: TargetResult): string | null =>
  t.gtid
    ? `${t.gtid.executed ?? '(none)'} at ${t.gtid.binlogFile ?? '?'}:${t.gtid.binlogPosition ?? '?'}`
    : null

export function printResult(
  result: BackupResult,
  json: boolean,
  ctx: CliContext,
  details?: ResultDetails,
): void {
  if (json) {
    ctx.out(JSON.stringify(result))
    return
  }
  const ok = result.targets.filter(
    (t) => t.status === 'success' || t.status === 'success_with_warnings',
  ).length
  const failed = result.targets.filter((t) => t.status === 'failed').length
  const warned = result.targets.filter((t) => t.status === 'success_with_warnings').length
  ctx.out(
    `backup ${result.mode} (ticket ${result.ticket}): ${ok} succeeded${warned ? ` (${warned} with warnings)` : ''}, ` +
      `${failed} failed, in ${formatDuration(result.durationMs)}`,
  )
  if (details) {
    const totalOut = result.targets.reduce((n, t) => n + t.bytes, 0)
    const totalSql = result.targets.reduce((n, t) => n + t.sqlBytes, 0)
    const rate = result.durationMs > 0 ? ` @ ${formatRate((totalSql * 1000) / result.durationMs)}` : ''
    const ratio = totalSql > 0 ? ` (${((totalOut / totalSql) * 100).toFixed(1)}% of the SQL)` : ''
    ctx.out(
      `  total ${formatBytes(totalOut)}${ratio}${rate}; compression ${details.compression.type}` +
        `${details.compression.type === 'none' ? '' : ` level ${details.compression.level}`}; ` +
        `encryption ${details.encrypted ? 'AES-256-GCM' : 'none'}`,
    )
  }
  for (const t of result.targets) {
    const name = t.databases.join(',')
    if (t.file) {
      const rate = t.durationMs > 0 ? ` @ ${formatRate((t.sqlBytes * 1000) / t.durationMs)}` : ''
      ctx.out(`  ${t.status.padEnd(21)} ${name}: ${t.file}`)
      ctx.out(
        `  ${''.padEnd(21)} ${formatBytes(t.bytes)} (SQL ${formatBytes(t.sqlBytes)}) in ${formatDuration(t.durationMs)}${rate}, sha256 ${t.sha256}`,
      )
      const gtid = gtidText(t)
      if (gtid) ctx.out(`  ${''.padEnd(21)} GTID ${gtid}`)
      for (const w of t.warnings) ctx.out(`  ${''.padEnd(21)} warning: ${w.split('\n')[0]}`)
    } else {
      ctx.out(`  ${t.status.padEnd(21)} ${name}${t.error ? `: [${t.error.code}] ${t.error.message}` : ''}`)
      if (t.error?.detail)
        ctx.out(
          t.error.detail
            .split('\n')
            .slice(-5)
            .map((l) => `      ${l}`)
            .join('\n'),
        )
    }
  }
}

/** How the size was estimated: from earlier backups' ratios, or a default ratio. */
function estimateSource(view: BackupPlanView): string {
  const e = view.estimate
  if (e === undefined || e.files === 0 || view.estimatedOutputBytes === 0) return ''
  if (e.learnedFiles === 0) return ' (a default ratio: no earlier backup of these databases here)'
  if (e.files === 1) return ` (the ratio of the last ${e.backups === 1 ? 'backup' : `${e.backups} backups`})`
  if (e.learnedFiles === e.files) return " (each file from the ratio of its databases' last backups)"
  return ` (earlier backups' ratios for ${e.learnedFiles} of ${e.files} files, a default ratio for the rest)`
}

/** The dry-run for people: what will be written, what is left out and why, and how. */
export function printPlan(view: BackupPlanView, ctx: CliContext): void {
  const o = view.options
  ctx.out(`backup ${view.mode} (${view.backupType}), ticket ${view.ticket}, profile ${view.profile}`)
  ctx.out(`server      ${view.server.hostname} (${view.server.flavor} ${view.server.version})`)
  ctx.out(
    `output      ${view.outputDir}, about ${formatBytes(view.estimatedOutputBytes)} in all${estimateSource(view)}`,
  )
  ctx.out(
    `options     compression ${o.compression.type}${o.compression.type === 'none' ? '' : ` level ${o.compression.level}`}` +
      `, ${o.encrypted ? 'encrypted (AES-256-GCM)' : 'NOT encrypted'}${o.excludeData ? ', structure only' : ''}` +
      `, grants ${o.grants}${o.captureGtid ? ', GTID captured' : ''}, parallel ${o.parallel}` +
      `, names ${o.namePattern}${o.cleanup ? `, retention ${o.cleanup.retentionDays} days (keep ${o.cleanup.minBackups})` : ''}`,
  )
  ctx.out(`files (${view.files.length})`)
  for (const f of view.files) {
    ctx.out(`  ${f.file}  (~${formatBytes(f.estimatedSqlBytes)} of SQL)`)
    for (const d of f.databases)
      ctx.out(
        `      ${d.name.padEnd(32)} ${formatBytes(d.sizeBytes).padStart(10)}  ${d.tables} tables, ${d.rows} rows`,
      )
    for (const c of f.companions) ctx.out(`    + ${c}`)
    for (const line of tableRuleLines(f)) ctx.out(line)
  }
  for (const e of view.excluded) ctx.out(`excluded    ${e.database}: ${exclusionText(e)}`)
  for (const u of view.unknown) ctx.out(`unknown     ${u}: not on the server`)
  if ('error' in view.dump) ctx.out(`dump        cannot run: ${view.dump.error.message}`)
  else {
    ctx.out(`dump        ${view.dump.binary} ${view.dump.args.join(' ')}\n            (${view.dump.version})`)
    if (view.dump.dumps < view.files.length)
      ctx.out(
        `            ${view.files.length} files from ${view.dump.dumps} dump${view.dump.dumps === 1 ? '' : 's'}: small databases share one, split into a file each (the command above is the first)`,
      )
  }
  for (const line of fileCommandLines(view)) ctx.out(line)
  for (const w of view.warnings) ctx.out(`warning     ${noticeText(w)}`)
}
