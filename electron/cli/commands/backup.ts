/**
 * `sfdbtools backup <mode>`: parse → settings → plan → run → report. Each stage lives in ../backup/; this
 * file only puts them in order and decides the exit code.
 */
import type { BackupResult } from '../../../shared/backup-types.ts'
import { COMPRESSION_LEVELS, describeCompressionLevels } from '../../../shared/compression.ts'
import type { AppError } from '../../../shared/result.ts'
import { appendErrorLog } from '../../engine/backup/error-log.ts'
import { toPlanView } from '../../engine/backup/plan-view.ts'
import { failedTarget } from '../../engine/backup/target-results.ts'
import { toEngineError } from '../../engine/errors.ts'
import { errorText, noticeText } from '../advice.ts'
import { UsageError } from '../args.ts'
import { backupConfig, parseBackupArgs, type BackupArgs, type BackupConfig } from '../backup/backup-args.ts'
import { BackupRunLog, runLogDir } from '../../engine/backup/backup-run-log.ts'
import { planCliBackup, type BackupKeyChoice, type CliPlan } from '../backup/backup-plan.ts'
import { askRunBasics, canPrompt } from '../backup/backup-prompts.ts'
import { runCliJob } from '../backup/backup-run.ts'
import type { CliContext } from '../context.ts'
import { jobFor } from '../job-runner.ts'
import { copyRunOffsite, jobPlanWith } from '../offsite.ts'
import { checkNotifyChannels, notifyAfterRun, notifyRequest, type NotifyRequest } from '../notify-run.ts'
import { printPlan, printResult } from '../report.ts'
import { promptLine } from '../terminal.ts'
import { formatTimeline, mark, takeMarks, timingEnabled, type TimingMark } from '../../engine/timing.ts'

export const BACKUP_HELP = `Usage:
  sfdbtools backup <mode> --profile N|PATH --ticket T [options]

Modes:
  single      one database (--db), plus its companions _dmart/_temp/_archive when asked — one file each
  filter      the databases of --db (repeatable) and --db-file; --mode single-file (one combined file) or
              multi-file (one per database); picked interactively on a terminal when neither is given
  all         every database minus --exclude-system/--exclude-db/--exclude-empty, in one combined file
  primary     databases without _secondary and not ending in _dmart/_temp/_archive — one file each
  secondary   databases with _secondary, not ending in _dmart/_temp/_archive — one file each
  combined    filter --mode single-file;  separated   filter --mode multi-file (sfDBTools' spellings)

Options:
  -p, --profile N|PATH      connection profile (name in the profile folder, or a path); on a terminal,
                            picked from the profile folder's list when left out
  -k, --profile-key K       profile key (else SFDB_PROFILE_KEY / SFDB_SOURCE_PROFILE_KEY, the keychain, a prompt)
  -t, --ticket T            change/ticket reference, required (asked on a terminal); recorded in the metadata
      --db, --database DB   single: the database (else picked on a terminal from a searchable list with
                            sizes); filter: a database (repeatable)
      --include A,B,C       filter: databases as a comma list (repeatable)
      --db-file FILE        filter: one name per line (# comments and blank lines ignored)
      --mode M              filter: single-file | multi-file
      --include-dmart, --include-temp, --include-archive
                            single/primary/secondary: also back up <db>_dmart / _temp / _archive if present
      --prefix P            primary/secondary: only names starting with P (config backup.primary_prefix,
                            default dbsf_nbc_ as in sfDBTools; --prefix '' takes every name)
      --client-code C       primary/secondary: only <prefix>C and <prefix>C_…
      --instance I          secondary: only …_secondary_I…
  -S, --exclude-system      leave out information_schema, mysql, performance_schema, sys (default)
      --include-system      keep them (mode all)
      --exclude-db DB       leave out a database (repeatable); --exclude-db-file FILE for a list
  -E, --exclude-empty       leave out databases without tables
  -x, --exclude-data        structure only (_nodata in file names)
      --exclude-user        do not write <file>.users.sql (user accounts and grants)
      --capture-gtid        record the dump snapshot's binlog/GTID position in <file>.gtid and the metadata
      --parallel N          back up N databases at once, 1..16 (iterative modes; NOT one snapshot across databases)
  -c, --compress-type T     gzip | pgzip | zlib | zstd | xz | none (default zstd)
                            (also spelled --compression T, --compression-type T)
  -l, --compress-level L    ${describeCompressionLevels()}; default ${COMPRESSION_LEVELS.zstd.default} for zstd, ${COMPRESSION_LEVELS.gzip.default} otherwise
  -C, --skip-compress       same as --compress-type none
  -K, --encryption-key K    backup key (else SFDB_BACKUP_ENCRYPTION_KEY / SFDB_ENCRYPTION_KEY, the keychain, config);
                            with backup.encryption.enabled: true and no key: asked on a terminal, else refused
      --encryption          encrypt (the default when a key is found); contradicts --no-encrypt
      --no-encrypt          write an unencrypted backup even when a key is configured
  -o, --output-dir D        output folder (default SFDB_OUTPUT_DIR, config, else <config dir>/backup)
  -f, --filename F          name of the one file (with companions: the main database's file)
      --name-pattern P      default | sfdbtools | a pattern with {db} {mode} {host} {date} {time} {ticket} {n} {nodata}
      --exclude-table DB.T  single/filter: leave out a table (repeatable; T alone when one database is backed up)
      --include-table DB.T  single/filter: back up only the tables named so (with those of the two flags
                            below); every other table and view of that database is left out
      --structure-only DB.T single/filter: the table's CREATE TABLE without its rows
      --data-only DB.T      single/filter: the table's rows without DROP/CREATE TABLE, by a second dump after
                            the main one (its own snapshot); the file then restores where the table exists
      --dump-arg=ARG        an extra mariadb-dump/mysqldump argument for this run (repeatable, one option each,
                            its value after =: --dump-arg=--max-allowed-packet=1G); output, login, server,
                            TLS and database/table selection options are refused
      --dump-binary PATH    use this mariadb-dump/mysqldump
      --skip-disk-check     do not refuse a run the free disk space looks too small for
      --ssh-insecure        do not check the SSH tunnel's host key (also SFDB_SSH_INSECURE_IGNORE_HOSTKEY=1)
      --copy-to NAME        after each successful file, copy it and its companions to this destination
                            (repeatable; see sfdbtools destination), verified; a failed copy is a warning
  -d, --dry-run             show the whole plan and create nothing
      --force               show the options and ask for confirmation before running (on a terminal)
  -q, --quiet               no progress, only the result, never a prompt (also SFDB_QUIET=1)
      --log-level L         debug | info | warn | error: job messages shown (also SFDB_LOG_LEVEL; default info)
      --json                print one JSON result object on stdout
      --json-progress       progress as JSON lines on stderr
      --notify NAME         after the run, send its summary to this channel (repeatable; sfdbtools notify)
      --notify-on WHEN      failure (default) | always; a failed notification is a warning, never a failure
Exit codes: 0 every target succeeded, 1 a target failed, 2 usage or configuration error, 130 cancelled.`

const isAppError = (e: unknown): e is AppError =>
  typeof e === 'object' && e !== null && !(e instanceof Error) && 'code' in e && 'message' in e

export async function backupCommand(argv: string[], ctx: CliContext): Promise<number> {
  mark('cli: backup command loaded')
  const [modeArg, ...rest] = argv
  if (modeArg === undefined || modeArg === '--help' || modeArg === '-h') {
    ctx.out(BACKUP_HELP)
    return modeArg === undefined ? 2 : 0
  }
  const parsed = parseBackupArgs(modeArg, rest)
  const notify = notifyRequest(parsed.parsed)
  let args: BackupArgs & { ticket: string } = { ...parsed, ticket: parsed.ticket ?? '' }
  const fail = failure(() => args, new Date(), ctx)
  let cfg: BackupConfig
  let prepared: CliPlan
  // The job process starts now and loads while the profile key is derived and the server is asked.
  const pending = args.dryRun ? null : jobFor(ctx)
  try {
    cfg = await backupConfig(parsed, ctx)
    await checkNotifyChannels(notify, ctx)
    for (const w of cfg.loaded.warnings) ctx.err(`warning: ${w}`)
    const { ticket, profileRef } = await askRunBasics(parsed, cfg, ctx)
    args = { ...parsed, ticket }
    cfg = { ...cfg, profileRef }
    prepared = await planCliBackup(args, cfg, ctx)
  } catch (e) {
    await pending?.dispose()
    if (e instanceof UsageError) throw e
    // A run that could not even start (the server is down, a key is missing) is a failure to hear of too.
    return notifyFailedStart(fail(e), notify, args, e, ctx)
  }
  mark('cli: planned (connection, server queries, names, checks)')
  const view = toPlanView(prepared.planned)
  const early = await announcePlan(view, prepared, pending, args, cfg, ctx)
  if (early !== null || pending === null) return early ?? 0
  const { plan } = prepared.planned
  const runLog = await BackupRunLog.open(logDirOf(cfg, ctx), (m) => ctx.err(`warning: ${m}`))
  runLog.started(view)
  const run = await runCliJob(
    pending,
    jobPlanWith(plan, cfg.destinations),
    {
      json: args.json,
      jsonProgress: args.jsonProgress,
      quiet: cfg.quiet,
      logLevel: cfg.settings.logLevel.value,
    },
    ctx,
    runLog,
  )
  mark('cli: result received')
  if (timingEnabled()) printTimeline(run.timing, ctx)
  const notifyContext = { profile: view.profile, host: view.server.hostname }
  if (run.outcome.kind === 'failed') {
    const code = fail(run.outcome.error)
    runLog.failed(run.outcome.error, code)
    await notifyAfterRun(notify, failedRunResult(args, run.outcome.error), notifyContext, ctx)
    return code
  }
  const { result, signals } = await copyRunOffsite(run, { plan, ...cfg, ...args, view }, ctx, runLog)
  await logErrors(result, cfg, view.profile, view.server.hostname, args.json, ctx)
  // Before the result is printed: the run is finished and its files are kept whatever a channel answers.
  await notifyAfterRun(notify, result, notifyContext, ctx)
  printResult(result, args.json, ctx, {
    compression: plan.compression,
    encrypted: plan.encryptionKey !== null,
  })
  const code = run.outcome.kind === 'cancelled' || signals > 0 ? 130 : result.ok ? 0 : 1
  runLog.finished(result, code)
  if (runLog.path && !args.json && !cfg.quiet) ctx.err(`run log: ${runLog.path}`)
  return code
}

/**
 * Says what the run will do (the encryption, the plan's warnings) and ends it here when that is all: a
 * dry-run prints the plan (exit 0), a declined --force confirmation starts nothing (130); else null.
 */
async function announcePlan(
  view: ReturnType<typeof toPlanView>,
  prepared: CliPlan,
  pending: Awaited<ReturnType<typeof jobFor>> | null,
  args: BackupArgs,
  cfg: BackupConfig,
  ctx: CliContext,
): Promise<number | null> {
  if (!args.json) ctx.err(encryptionNote(prepared.backupKey))
  // Warnings go to stderr also with --json: stdout stays one JSON object.
  for (const w of view.warnings) ctx.err(`warning: ${noticeText(w)}`)
  if (args.dryRun || pending === null) {
    if (args.json) ctx.out(JSON.stringify(view))
    else printPlan(view, ctx)
    return 0
  }
  if (args.force && canPrompt(cfg) && !(await confirmed(view, ctx))) {
    await pending.dispose()
    ctx.err('not started')
    return 130
  }
  if (!args.json)
    ctx.err(
      `backing up ${view.files.length} file${view.files.length === 1 ? '' : 's'} from ${view.server.hostname} (${view.server.version}) → ${view.outputDir}`,
    )
  return null
}

/** The result of a run whose job failed as a whole, for its notification. */
function failedRunResult(args: BackupArgs & { ticket: string }, error: AppError): BackupResult {
  const now = new Date().toISOString()
  return {
    ok: false,
    mode: args.mode,
    ticket: args.ticket,
    startedAt: now,
    finishedAt: now,
    durationMs: 0,
    targets: [failedTarget(args.databases, error)],
  }
}

/** A run that ends before any target: one error, as JSON or text; exit 2 for input, else 1. */
/** SFDB_TIMING=1: where the run's wall time went, the CLI's marks and the job's on one clock. */
function printTimeline(jobMarks: TimingMark[], ctx: CliContext): void {
  ctx.err(`timing (ms since this process started; +ms since the mark before):`)
  const origin = Math.round(performance.timeOrigin)
  const all = [{ at: origin, what: 'process start' }, ...takeMarks(), ...jobMarks]
  for (const line of formatTimeline(all, origin)) ctx.err(line)
}

/** `log.output.file.dir` of the config, else `<config dir>/logs`. */
const logDirOf = (cfg: BackupConfig, ctx: CliContext): string =>
  runLogDir(cfg.loaded.config.logDir, ctx.configDir)

function failure(current: () => BackupArgs & { ticket: string }, started: Date, ctx: CliContext) {
  return (e: unknown): number => {
    const args = current()
    const error = isAppError(e) ? e : toEngineError(e).toAppError()
    if (args.json)
      ctx.out(
        JSON.stringify({
          ok: false,
          mode: args.mode,
          ticket: args.ticket,
          startedAt: started.toISOString(),
          finishedAt: new Date().toISOString(),
          durationMs: Date.now() - started.getTime(),
          targets: [failedTarget(args.databases, error)],
        } satisfies BackupResult),
      )
    else ctx.err(errorText(error))
    return error.code === 'InvalidInput' || error.code === 'InvalidConfig' ? 2 : 1
  }
}

/** Said before every run: a backup that is not encrypted must not go unnoticed. */
function encryptionNote(key: BackupKeyChoice): string {
  if (key === null) return 'note: --no-encrypt: the backup is NOT encrypted'
  if ('missing' in key) return `note: no backup key, the backup is NOT encrypted — to encrypt, ${key.missing}`
  return `encrypting with the key from ${key.source}`
}

/** --force on a terminal: the whole plan, then a yes/no. */
async function confirmed(view: Parameters<typeof printPlan>[0], ctx: CliContext): Promise<boolean> {
  printPlan(view, ctx)
  return /^y(es)?$/i.test((await promptLine('Run this backup? [y/N] ')).trim())
}

/** Failed targets go to `<log dir>/sfdbtools_<date>_error_backup.log`; a log that cannot be written is a warning. */
async function logErrors(
  result: BackupResult,
  cfg: BackupConfig,
  profile: string,
  host: string,
  json: boolean,
  ctx: CliContext,
): Promise<void> {
  const logDir = logDirOf(cfg, ctx)
  const logged = await appendErrorLog(logDir, result, { profile, host }).catch((e: unknown) => {
    ctx.err(`warning: cannot write the error log in ${logDir}: ${(e as Error).message}`)
    return null
  })
  if (logged && !json) ctx.err(`errors logged to ${logged}`)
}

/** Sends the notifications of a run that failed before its job started; returns its exit code. */
async function notifyFailedStart(
  code: number,
  notify: NotifyRequest | null,
  args: BackupArgs & { ticket: string },
  e: unknown,
  ctx: CliContext,
): Promise<number> {
  const error = isAppError(e) ? e : toEngineError(e).toAppError()
  const profile = String(args.parsed.values.profile ?? 'unknown')
  if (code === 1 && !args.dryRun) await notifyAfterRun(notify, failedRunResult(args, error), { profile }, ctx)
  return code
}
