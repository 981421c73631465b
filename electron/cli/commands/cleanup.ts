import { stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import { backupDate, type CatalogEntry } from '../../engine/catalog/catalog-entry.ts'
import { scanBackups } from '../../engine/catalog/scan.ts'
import { loadAppConfig } from '../../engine/config/index.ts'
import { EngineError } from '../../engine/errors.ts'
import {
  applyRetention,
  planRetention,
  type BackupRemoval,
  type RetentionPolicy,
  type RetentionResult,
} from '../../engine/retention/retention.ts'
import { bool, intFlag, list, parseFlags, UsageError, type Parsed } from '../args.ts'
import type { CliContext } from '../context.ts'
import { formatBytes } from '../terminal.ts'

export const CLEANUP_HELP = `Usage:
  sfdbtools cleanup [--dry-run] [--output-dir D]... [--retention-days N] [--min-backups N] [--db NAME]... [--json]

Removes backups older than the retention period, with their companion files (.meta.json, grants, GTID).
Only backups described by a .meta.json (ours or sfDBTools') are touched; no other file is ever removed.
Backups are grouped by database set and server; the newest successful ones of each group always stay.

Options:
  -o, --output-dir D       folder to clean, searched recursively; repeatable
                           (default SFDB_OUTPUT_DIR, else <config dir>/backup)
      --retention-days N   remove backups started more than N days ago (0 keeps everything);
                           required unless the config file sets it
      --min-backups N      always keep the newest N successful backups of each group (default 1)
      --db NAME            only backups containing this database; repeatable
  -d, --dry-run            list what would be removed, remove nothing
      --json               print one JSON object on stdout
Exit codes: 0 done, 1 a file could not be removed, 2 usage error.`

const FLAGS = {
  'output-dir': { type: 'string', short: 'o', multiple: true },
  'backup-dir': { type: 'string', multiple: true },
  'retention-days': { type: 'string' },
  days: { type: 'string' },
  'min-backups': { type: 'string' },
  db: { type: 'string', multiple: true },
  database: { type: 'string', multiple: true },
  'dry-run': { type: 'boolean', short: 'd' },
  json: { type: 'boolean' },
} as const

/** Without a flag or a configured value, the newest successful backup of every group stays. */
export const DEFAULT_MIN_BACKUPS = 1

/** The cleanup settings of the config file, when it has any (wired by the CLI entry). */
export type PolicyFromConfig = () => Promise<Partial<RetentionPolicy>>

async function resolvePolicy(p: Parsed, fromConfig: PolicyFromConfig | undefined): Promise<RetentionPolicy> {
  const days = intFlag(p, 'retention-days') ?? intFlag(p, 'days')
  const min = intFlag(p, 'min-backups')
  const config = days !== undefined && min !== undefined ? {} : ((await fromConfig?.()) ?? {})
  const retentionDays = days ?? config.retentionDays
  if (retentionDays === undefined) {
    throw new UsageError(
      '--retention-days is required: the config file sets no retention (0 keeps everything)',
    )
  }
  return { retentionDays, minBackups: min ?? config.minBackups ?? DEFAULT_MIN_BACKUPS }
}

/** The folders to clean; named folders must exist, the default one may not exist yet. */
async function folders(p: Parsed, ctx: CliContext, configured: string | undefined): Promise<string[]> {
  const named = list(p, 'output-dir', 'backup-dir').map((d) => resolve(d))
  if (named.length === 0) {
    const fallback = resolve(ctx.env.SFDB_OUTPUT_DIR ?? configured ?? `${ctx.configDir}/backup`)
    return (await stat(fallback).catch(() => null))?.isDirectory() ? [fallback] : []
  }
  for (const dir of named) {
    if (!(await stat(dir).catch(() => null))?.isDirectory())
      throw new EngineError('InvalidInput', `no such folder: ${dir}`)
  }
  return named
}

const pad = (n: number): string => String(n).padStart(2, '0')
const localTime = (d: Date | null): string =>
  d
    ? `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`
    : 'unknown date'
const dbsOf = (e: CatalogEntry): string => (e.databases.length > 0 ? e.databases.join(',') : '?')

function printText(ctx: CliContext, result: RetentionResult, kept: number): void {
  const done = result.backups.filter((b) => b.files.length > 0)
  if (done.length === 0) {
    ctx.out(`Nothing to remove (${kept} backup${kept === 1 ? '' : 's'} kept).`)
  } else {
    ctx.out(result.dryRun ? 'Dry run, nothing removed. Would remove:' : 'Removed:')
    for (const b of done) {
      const orphan = b.orphan ? ' [orphan: dump already gone]' : ''
      ctx.out(
        `  ${localTime(backupDate(b.entry))}  ${dbsOf(b.entry)}  ${formatBytes(b.bytes)}  ${b.entry.backupFile}  (${b.reason})${orphan}`,
      )
      for (const f of b.files.filter((f) => f.role === 'companion')) ctx.out(`      + ${f.path}`)
    }
    const verb = result.dryRun ? 'Would free' : 'Freed'
    ctx.out(`${verb} ${formatBytes(result.bytesFreed)} in ${done.length} backup(s); ${kept} kept.`)
  }
  for (const e of result.errors) ctx.err(`error: ${e.path}: ${e.message}`)
}

const jsonOf = (b: BackupRemoval) => ({
  file: b.entry.backupFile,
  source: b.entry.source,
  databases: b.entry.databases,
  date: backupDate(b.entry)?.toISOString() ?? null,
  bytes: b.bytes,
  reason: b.reason,
  orphan: b.orphan,
  files: b.files,
  errors: b.errors,
})

/**
 * `sfdbtools cleanup`: retention over the backup folders. `policyFromConfig` supplies what the flags leave
 * out (the config file's retention settings).
 */
export async function cleanupCommand(
  argv: string[],
  ctx: CliContext,
  policyFromConfig?: PolicyFromConfig,
): Promise<number> {
  const p = parseFlags(argv, FLAGS)
  const json = bool(p, 'json')
  const dryRun = bool(p, 'dry-run')
  // The config file (sfDBTools_config.yaml) supplies what the flags leave out: retention and the folder.
  const { config } = await loadAppConfig(ctx.env, ctx.configDir)
  const fromConfig: PolicyFromConfig =
    policyFromConfig ??
    (async () => ({
      ...(config.backup.cleanup.retentionDays !== undefined
        ? { retentionDays: config.backup.cleanup.retentionDays }
        : {}),
      ...(config.backup.cleanup.minBackups !== undefined
        ? { minBackups: config.backup.cleanup.minBackups }
        : {}),
    }))
  const policy = await resolvePolicy(p, fromConfig)
  const dirs = await folders(p, ctx, config.backup.outputDir)
  const databases = list(p, 'db', 'database')
  const scan = await scanBackups(dirs, { recursive: true })
  const plan = planRetention(scan.entries, policy, new Date(), databases.length > 0 ? { databases } : {})
  const result = await applyRetention(plan, { dryRun, roots: dirs })
  if (json) {
    ctx.out(
      JSON.stringify({
        ok: result.errors.length === 0,
        dryRun,
        policy,
        folders: dirs,
        removed: result.backups.filter((b) => b.files.length > 0 || b.errors.length > 0).map(jsonOf),
        kept: plan.keep.length,
        bytesFreed: result.bytesFreed,
        problems: scan.problems,
        errors: result.errors,
      }),
    )
  } else {
    for (const pr of scan.problems) ctx.err(`warning: skipped ${pr.path}: ${pr.message}`)
    if (policy.retentionDays === 0) ctx.out('Retention is off (0 days): every backup is kept.')
    else printText(ctx, result, plan.keep.length)
  }
  return result.errors.length > 0 ? 1 : 0
}
