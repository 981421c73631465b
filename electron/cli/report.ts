import type { BackupProgress, BackupResult } from '../../shared/backup-types.ts'
import type { CliContext } from './context.ts'
import { formatBytes, formatDuration } from './terminal.ts'

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
  private lastPlain = 0
  private live = false
  private readonly write: (line: string) => void

  constructor(write: (line: string) => void) {
    this.write = write
  }

  static describe(p: BackupProgress, bar = false): string {
    const pct = p.fraction === null ? '' : `${(p.fraction * 100).toFixed(p.final ? 0 : 1)}% `
    const which = p.targetCount > 1 ? `[${p.targetIndex + 1}/${p.targetCount}] ` : ''
    const filled = Math.round((p.fraction ?? 0) * BAR_WIDTH)
    const drawn = bar && p.fraction !== null ? `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)} ` : ''
    const eta = p.etaSeconds !== null && !p.final ? ` ETA ${formatDuration(p.etaSeconds * 1000)}` : ''
    const where = p.table ? ` ${p.database ? `${p.database}.` : ''}${p.table}` : ''
    return `${which}${drawn}${pct}${formatBytes(p.sqlBytes)} SQL → ${formatBytes(p.outBytes)} @ ${formatBytes(p.bytesPerSecond)}/s${eta}${where}`
  }

  update(p: BackupProgress): void {
    const text = ProgressPrinter.describe(p, this.tty)
    if (this.tty) {
      process.stderr.write(`\r\x1b[2K${text}`)
      this.live = true
      return
    }
    const now = Date.now()
    if (p.final || p.table !== this.lastTable || now - this.lastPlain >= PLAIN_INTERVAL_MS) {
      this.write(text)
      this.lastTable = p.table
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

/** The result: one JSON object on stdout with --json, else a short summary like the manual's. */
export interface ResultDetails {
  compression: { type: string; level: number }
  encrypted: boolean
  /** GTID / binlog position per written file, from its metadata. */
  gtid: Map<string, string>
}

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
  ctx.out(
    `backup ${result.mode} (ticket ${result.ticket}): ${ok} succeeded, ${failed} failed, in ${formatDuration(result.durationMs)}`,
  )
  if (details) {
    const totalOut = result.targets.reduce((n, t) => n + t.bytes, 0)
    const totalSql = result.targets.reduce((n, t) => n + t.sqlBytes, 0)
    const rate = result.durationMs > 0 ? ` @ ${formatBytes((totalSql * 1000) / result.durationMs)}/s` : ''
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
      const rate = t.durationMs > 0 ? ` @ ${formatBytes((t.sqlBytes * 1000) / t.durationMs)}/s` : ''
      ctx.out(`  ${t.status.padEnd(21)} ${name}: ${t.file}`)
      ctx.out(
        `  ${''.padEnd(21)} ${formatBytes(t.bytes)} (SQL ${formatBytes(t.sqlBytes)}) in ${formatDuration(t.durationMs)}${rate}, sha256 ${t.sha256}`,
      )
      const gtid = details?.gtid.get(t.file)
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
