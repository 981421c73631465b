/**
 * A restore for people: the dry-run (what exists, what is backed up, dropped, created, the client command),
 * the result per item, and a restore test's report. `--json` prints the objects themselves instead.
 */
import type {
  RestoreItemResult,
  RestorePlanView,
  RestoreResult,
  RestoreSqlError,
  RestoreTargetView,
  RestoreTestReport,
} from '../../../shared/restore-types.ts'
import { adviceText, errorText } from '../advice.ts'
import type { CliContext } from '../context.ts'
import { tableRulesLines } from '../table-rules-text.ts'
import { formatBytes, formatDuration, formatRate } from '../terminal.ts'

const PAD = ''.padEnd(12)

const serverText = (s: { host: string; port: number; version: string | null }): string =>
  `${s.host}:${s.port}${s.version ? ` (${s.version})` : ''}`

/** "create", "load into the empty database", "replace (…, 7 tables) after a pre-restore backup to F". */
export function targetText(t: RestoreTargetView): string {
  const what = `${t.database}: ${t.exists ? `exists, ${formatBytes(t.sizeBytes)}, ${t.tables} tables` : 'does not exist'}`
  switch (t.action) {
    case 'create':
      return `${what} → created`
    case 'load':
      return t.dataOnly && t.dataOnly.length > 0 && t.tables > 0
        ? `${what} → ${t.preRestoreBackup ? `backed up to ${t.preRestoreBackup}, ` : 'NOT backed up, '}kept (not dropped) and loaded: the rows of ${t.dataOnly.join(', ')} are added to these tables`
        : `${what} → loaded as it is`
    case 'replace':
      return `${what} → ${t.preRestoreBackup ? `backed up to ${t.preRestoreBackup}, ` : 'NOT backed up, '}dropped and loaded`
    case 'refuse':
      return `${what} → REFUSED${t.dataOnly && t.dataOnly.length > 0 ? ` (the file's data-only tables ${t.dataOnly.join(', ')} need it, as it is)` : ' (not empty)'}`
  }
}

/** The dry-run for people. */
export function printRestoreView(view: RestorePlanView, ctx: CliContext): void {
  ctx.out(`restore ${view.mode}, ticket ${view.ticket}, profile ${view.profile}`)
  ctx.out(
    `server      ${serverText(view.server)}${view.sameServer ? ' — the server the backup was made from' : ''}`,
  )
  for (const item of view.items) {
    const codec = item.compression
      ? `${item.compression}${item.compressionFrom ? ` (from the ${item.compressionFrom})` : ''}`
      : 'compression unknown'
    const sql = item.totalSqlBytes === null ? '' : `, ${formatBytes(item.totalSqlBytes)} of SQL`
    ctx.out(
      `file        ${item.file}${item.destination ? ` (on the destination ${item.destination}, streamed)` : ''}`,
    )
    ctx.out(
      `${PAD}${formatBytes(item.sizeBytes)}${sql}, ${codec}, ${item.encrypted ? 'encrypted' : 'not encrypted'}` +
        `${item.sourceDatabase ? `, made from ${item.sourceDatabase}` : ''}`,
    )
    for (const line of tableRulesLines(item.tableRules)) ctx.out(`  tables    ${line}`)
    for (const t of item.targets) ctx.out(`  target    ${targetText(t)}`)
    for (const s of item.skipped)
      ctx.out(
        `  skipped   ${s.database} (${s.reason === 'system' ? 'system database; --include-system restores it' : '--exclude-db'})`,
      )
    ctx.out(`  grants    ${item.grantsFile ?? 'none'}`)
  }
  ctx.out(
    `options     ${view.dropTarget ? 'drop non-empty targets' : 'refuse non-empty targets'}, ` +
      `pre-restore backups ${view.preBackupDir ? `to ${view.preBackupDir}` : 'SKIPPED'}, parallel ${view.parallel}` +
      `, ${view.force ? 'go on past SQL errors (--force)' : 'stop at the first SQL error'}`,
  )
  ctx.out(`loader      ${view.clientCommand}`)
  for (const w of view.warnings) ctx.out(`warning     ${w}`)
}

/** A SQL error as the result shows it: where, the server's words, the statement's first 200 characters. */
export function sqlErrorText(e: RestoreSqlError): string {
  const where = [
    e.statement === null ? null : `statement ${e.statement}`,
    e.line === null ? null : `line ${e.line}`,
  ].filter((x) => x !== null)
  const code = e.errno === null || e.message.includes(`ERROR ${e.errno}`) ? '' : `ERROR ${e.errno}: `
  return `SQL error${where.length ? ` at ${where.join(', ')}` : ''}: ${code}${e.message}\n${PAD}  ${e.text.slice(0, 200).replace(/\s+/g, ' ')}`
}

function printItemFacts(i: RestoreItemResult, ctx: CliContext): void {
  const rate = i.durationMs > 0 ? ` @ ${formatRate(i.bytesPerSecond)}` : ''
  ctx.out(
    `${PAD}${i.tables} tables, ${i.rows === null ? 'rows not counted' : `${i.rows} rows`}, ${formatBytes(i.sqlBytes)} of SQL in ${formatDuration(i.durationMs)}${rate}`,
  )
  if (i.createdDatabases.length) ctx.out(`${PAD}created ${i.createdDatabases.join(', ')}`)
  if (i.droppedDatabases.length)
    ctx.out(`${PAD}dropped (after the pre-restore backup) ${i.droppedDatabases.join(', ')}`)
  if (i.grants) {
    const g = i.grants
    ctx.out(
      `${PAD}grants from ${g.file}: ${g.appliedGrants} applied; accounts created: ${g.createdAccounts.join(', ') || 'none'}` +
        `${g.existingAccounts.length ? `; left as they were: ${g.existingAccounts.join(', ')}` : ''}`,
    )
  }
  if (i.preRestoreBackup) ctx.out(`${PAD}pre-restore backup: ${i.preRestoreBackup}`)
  if (i.undo) ctx.out(`${PAD}undo: ${i.undo}`)
}

function printItem(i: RestoreItemResult, force: boolean, ctx: CliContext): void {
  ctx.out(`  ${i.status.padEnd(21)} ${i.databases.join(', ') || '(no database)'} ← ${i.file}`)
  printItemFacts(i, ctx)
  for (const e of i.sqlErrors) ctx.out(`${PAD}${sqlErrorText(e)}`)
  if (i.sqlErrors.length && !force && i.sqlErrors[0]?.statement != null)
    ctx.out(
      `${PAD}fix: ${adviceText({ code: 'restoreSqlError', params: { statement: i.sqlErrors[0].statement } })}`,
    )
  if (i.partlyRestored)
    for (const database of i.databases)
      ctx.out(
        `${PAD}PARTLY RESTORED: ${adviceText({ code: 'partlyRestored', params: { database, preRestoreBackup: i.preRestoreBackup ?? '' } })}`,
      )
  for (const w of i.warnings) ctx.out(`${PAD}warning: ${w.split('\n')[0]}`)
  if (i.error && i.error.code !== 'SqlError') ctx.out(errorText(i.error).replace(/^/gm, PAD))
}

/** The result for people: the run, then each item. */
export function printRestoreResult(result: RestoreResult, force: boolean, ctx: CliContext): void {
  const dbs = result.items.flatMap((i) => i.databases)
  ctx.out(
    `restore ${result.mode} (ticket ${result.ticket}) into ${serverText(result.server)}: ${result.status}` +
      ` in ${formatDuration(result.durationMs)}, ${result.items.length} file${result.items.length === 1 ? '' : 's'}` +
      `${dbs.length ? ` → ${dbs.join(', ')}` : ''}${result.parallel > 1 ? `, parallel ${result.parallel}` : ''}`,
  )
  for (const item of result.items) printItem(item, force, ctx)
  ctx.out(`restore log: ${result.logFile ?? '(could not be written)'}`)
}

/** A restore test's report for people. */
export function printTestReport(report: RestoreTestReport, ctx: CliContext): void {
  ctx.out(`restore test ${report.ok ? 'PASSED' : 'FAILED'}  ${report.file}`)
  ctx.out(
    `${PAD}on ${serverText(report.server)}, throwaway database ${report.database} ` +
      `(${report.cleanedUp ? 'dropped' : 'NOT dropped'}), ${formatBytes(report.sqlBytes)} of SQL in ${formatDuration(report.durationMs)}`,
  )
  const rows = report.tables.reduce((n, t) => n + t.expectedRows, 0)
  const found = report.objects.filter((o) => o.found).length
  ctx.out(
    `${PAD}${report.tables.length} tables, ${rows} rows checked; ${found} of ${report.objects.length} objects found`,
  )
  for (const f of report.failures) ctx.out(`${PAD}failed: ${f}`)
  if (report.error) ctx.out(errorText(report.error).replace(/^/gm, PAD))
}
