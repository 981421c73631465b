/**
 * `sfdbtools restore <mode>` (also `db-restore`, `dbrestore`, `import`): parse → settings, profile, keys →
 * plan → the engine's dry-run (planRestore) → refusals → confirmation → the job → the result. Each stage
 * lives in ../restore/; this file puts them in order and decides the exit code.
 */
import type { AppError } from '../../../shared/result.ts'
import type { RestorePlan, RestorePlanView, RestoreResult } from '../../../shared/restore-types.ts'
import { toEngineError } from '../../engine/errors.ts'
import { dataOnlyTestRefusal } from '../../engine/restore/run/data-only.ts'
import { describeBackup } from '../../engine/restore/run/describe-backup.ts'
import { planRestore } from '../../engine/restore/run/plan-restore.ts'
import { errorText } from '../advice.ts'
import { UsageError } from '../args.ts'
import { hostKeyPolicy, type CliContext } from '../context.ts'
import { jobFor, type PendingJob } from '../job-runner.ts'
import { parseRestoreArgs, type RestoreArgs } from '../restore/restore-args.ts'
import { appendRestoreErrorLog } from '../restore/restore-error-log.ts'
import {
  planCliRestore,
  restoreConfig,
  type CliRestorePlan,
  type RestoreConfig,
} from '../restore/restore-plan.ts'
import { printRestoreResult, printRestoreView, printTestReport } from '../restore/restore-report.ts'
import { cliRemote, describeOn } from '../restore/restore-remote.ts'
import { runCliRestoreJob, type RestoreRunView } from '../restore/restore-run.ts'
import { isInteractive, promptLine } from '../terminal.ts'

export const RESTORE_HELP = `Usage:
  sfdbtools restore <mode> FILE --profile N|PATH --ticket T [options]
  sfdbtools restore <mode> --from-destination NAME --file F --profile N|PATH --ticket T [options]
  (also: db-restore, dbrestore, import)

Modes:
  single FILE      one database, into --target-db, else the database the backup holds (metadata, else its name)
  all FILE         a combined / all-databases dump, each section into its own database; system databases
                   are skipped unless --include-system; --exclude-db / --exclude-db-file skip more
  primary FILE     the file and its _dmart companion (from the metadata or beside it) into <target>_dmart
  secondary FILE   as primary
  selection CSV    sfDBTools' CSV: filename,db_name,enc_key,grants_file (header optional; an empty db_name is
                   the backup's own database, an empty enc_key the usual key lookup, an empty grants_file the
                   one found beside the backup; relative paths are taken from the CSV's folder)
  test FILE        restore into a throwaway database sfdb_restoretest_<db>_<ts> on --profile (a scratch
                   server), check every table's rows and every object, drop it, write FILE.restore-test.json;
                   exit 0 when it passes, 1 when it fails

Options:
  -p, --profile N|PATH      the TARGET server's connection profile (name in the profile folder, or a path)
  -k, --profile-key K       profile key (else SFDB_PROFILE_KEY / SFDB_SOURCE_PROFILE_KEY, the keychain, a prompt)
  -t, --ticket T            change/ticket reference, required; recorded in the restore log
  -K, --encryption-key K    backup key of encrypted files (else SFDB_BACKUP_ENCRYPTION_KEY / SFDB_ENCRYPTION_KEY,
                            the keychain, the config, a prompt on a terminal); --backup-key is the same
      --target-db DB        single/primary/secondary: restore into DB (a rename)
      --grants-file F       apply these grants after the data (default: <backup>.users.sql when it exists)
      --skip-grants         apply no grants file
      --drop-target         replace a target that exists and has tables (after its pre-restore backup);
                            without it such a target is refused
      --skip-backup         make no pre-restore backup of the targets (not recommended)
      --backup-dir D        where pre-restore backups go (default the backup output folder: SFDB_OUTPUT_DIR,
                            config, else <config dir>/backup)
      --parallel N          load the tables of a dump over N connections at once (1..16, default 1)
      --force               go on past SQL errors (as mysql --force) and list them; the result is then
                            success_with_errors
      --verify-first        read every file end to end before the server is touched, also files over 256 MiB
      --include-system      all: also restore information_schema/mysql/performance_schema/sys sections
      --exclude-db DB       all: skip this database's section (repeatable)
      --exclude-db-file F   all: skip the databases listed in F (one a line, # comments)
  -y, --yes                 confirm a restore of a backup into the database it was made from, on that server
      --loader L            native (default): the engine sends the statements over the MySQL protocol, no
                            client program; client: through mariadb/mysql processes (the default when a
                            client binary is configured)
      --client-binary PATH  the SQL client to use (else config restore.client.binary, then mariadb, then mysql on PATH)
      --ssh-insecure        do not check the SSH tunnel's host key (also SFDB_SSH_INSECURE_IGNORE_HOSTKEY=1)
      --from-destination NAME  single/all/primary/secondary: read the backup from this offsite destination,
      --file F              the file named F there ('sfdbtools destination files NAME' lists them): streamed
                            into the restore, never copied to a local file; its grants file and _dmart
                            companion are taken from there too. Its sha256 is checked before the server is
                            touched up to 256 MiB (or with --verify-first; the file is then read twice),
                            else while it loads: a damaged copy then fails the restore at its end
  -d, --dry-run             show what exists, what would be backed up, dropped and created; change nothing
  -q, --quiet               no progress, only the result (also SFDB_QUIET=1)
      --log-level L         debug | info | warn | error: job messages shown (also SFDB_LOG_LEVEL; default info)
      --json                print one JSON object on stdout (the dry-run, the result or the test report)
      --json-progress       progress as JSON lines on stderr
Exit codes: 0 restored (or the test passed), 1 refused or failed (also success_with_errors, a failed test),
2 usage or configuration error, 130 cancelled.`

const isAppError = (e: unknown): e is AppError =>
  typeof e === 'object' && e !== null && !(e instanceof Error) && 'code' in e && 'message' in e

/** 0 restored, 1 failed or with errors, 130 cancelled. */
export function exitCodeOf(result: RestoreResult): number {
  if (result.status === 'success' || result.status === 'success_with_warnings') return 0
  return result.status === 'cancelled' ? 130 : 1
}

export async function restoreCommand(argv: string[], ctx: CliContext): Promise<number> {
  const [modeArg, ...rest] = argv
  if (modeArg === undefined || modeArg === '--help' || modeArg === '-h') {
    ctx.out(RESTORE_HELP)
    return modeArg === undefined ? 2 : 0
  }
  const args = parseRestoreArgs(modeArg, rest)
  const fail = failure(args, ctx)
  // The job process starts now and loads while the profile key is derived and the server is asked.
  const pending = args.dryRun ? null : jobFor(ctx)
  let cfg: RestoreConfig
  let prepared: CliRestorePlan
  try {
    cfg = await restoreConfig(args, ctx)
    for (const w of cfg.loaded.warnings) ctx.err(`warning: ${w}`)
    const remote =
      args.fromDestination === undefined
        ? undefined
        : await cliRemote(args.fromDestination, args.sshInsecure, ctx)
    prepared = await planCliRestore(args, cfg, ctx, remote ? describeOn(remote) : describeBackup, remote)
  } catch (e) {
    await pending?.dispose()
    if (e instanceof UsageError) throw e
    return fail(e)
  }
  for (const note of prepared.notes) ctx.err(note)
  if (prepared.kind === 'test') return restoreTest(args, cfg, prepared.request, pending, ctx)
  let view: RestorePlanView
  try {
    view = await planRestore(prepared.plan, { hostKeyPolicy: hostKeyPolicy(ctx) })
  } catch (e) {
    await pending?.dispose()
    return fail(e)
  }
  const refused = await refusal(args, cfg.quiet, view, ctx)
  if (refused !== null || pending === null) {
    await pending?.dispose()
    return refused ?? 0
  }
  return runRestoreJob(args, cfg, prepared.plan, view, pending, ctx)
}

/**
 * Shows the dry-run and decides whether the run may start: null to go on; else the exit code — 1 for a
 * problem (a non-empty target…), 0 for --dry-run, 2 for an unconfirmed same-server restore, 130 for "no".
 */
async function refusal(
  args: RestoreArgs,
  quiet: boolean,
  view: RestorePlanView,
  ctx: CliContext,
): Promise<number | null> {
  const stop = args.dryRun || view.problems.length > 0
  if (args.json) {
    if (stop) ctx.out(JSON.stringify(view))
  } else if (stop || !quiet) {
    // The dry-run is the output of --dry-run; before a run it is what is about to happen (stderr).
    printRestoreView(view, stop ? ctx : { ...ctx, out: ctx.err })
  }
  if (args.json) for (const w of view.warnings) ctx.err(`warning: ${w}`)
  for (const p of view.problems) ctx.err(errorText(p))
  if (view.problems.length > 0) return 1
  if (args.dryRun) return 0
  if (!view.sameServer || args.targetDb !== undefined || args.yes) return null
  const database =
    view.items.flatMap((i) => i.targets.map((t) => t.database)).join(', ') ||
    (view.items[0]?.sourceDatabase ?? '')
  const host = view.server.host
  const refuse = failure(args, ctx)
  if (!isInteractive())
    return refuse({
      code: 'InvalidInput',
      message: `the backup of ${database} was made on ${host} and would be restored over itself`,
      advice: { code: 'sameServerRestore', params: { database, host } },
    })
  const answer = await promptLine(`Restore ${database} over itself on ${host}? [y/N]`)
  if (/^y(es)?$/i.test(answer)) return null
  ctx.err('not started')
  return 130
}

/** Runs the plan as a job and reports it; failures are appended to the error log. */
async function runRestoreJob(
  args: RestoreArgs,
  cfg: RestoreConfig,
  plan: RestorePlan,
  view: RestorePlanView,
  pending: PendingJob,
  ctx: CliContext,
): Promise<number> {
  const run = await runCliRestoreJob(pending, { type: 'restore', plan }, runView(args, cfg), ctx)
  const { outcome } = run
  const logContext = {
    mode: plan.mode,
    ticket: plan.ticket,
    profile: plan.profileName,
    host: view.server.host,
  }
  if (outcome.kind === 'test-done')
    return failure(args, ctx)(new Error('the job answered a restore with a test report'))
  const result = outcome.kind === 'failed' ? null : outcome.result
  if (result === null) {
    const error: AppError =
      outcome.kind === 'failed'
        ? outcome.error
        : { code: 'Cancelled', message: 'cancelled; the job process was stopped' }
    if (error.code !== 'Cancelled') await logErrors(cfg, error, logContext, args.json, ctx)
    const code = failure(args, ctx)(error)
    if (error.code !== 'Cancelled' && run.signals === 0) return code
    if (!args.json)
      ctx.err('the target databases may be partly restored; see the restore log beside the backup')
    return 130
  }
  await logErrors(cfg, result, logContext, args.json, ctx)
  if (args.json) ctx.out(JSON.stringify(result))
  else printRestoreResult(result, plan.force, ctx)
  if (outcome.kind === 'cancelled' || run.signals > 0) return 130
  return exitCodeOf(result)
}

/** `restore test`: one file into a throwaway database, checked and dropped; exit 0 pass, 1 fail. */
async function restoreTest(
  args: RestoreArgs,
  cfg: RestoreConfig,
  request: Extract<CliRestorePlan, { kind: 'test' }>['request'],
  pending: PendingJob | null,
  ctx: CliContext,
): Promise<number> {
  const server = `${request.connection.host}:${request.connection.port}`
  // Data-only tables have no table in a throwaway database: the same refusal as a restore's, up front.
  const refused = await dataOnlyTestRefusal(request.file)
  if (refused !== null) {
    await pending?.dispose()
    return failure(args, ctx)(refused)
  }
  if (pending === null) {
    const what = `${request.file} would be restored into a throwaway database on ${server}, checked and dropped`
    if (args.json) ctx.out(JSON.stringify({ mode: 'test', ticket: args.ticket, file: request.file, server }))
    else ctx.out(`restore test (dry-run): ${what}`)
    return 0
  }
  if (!args.json && !cfg.quiet) ctx.err(`restore test of ${request.file} on ${server}`)
  const run = await runCliRestoreJob(pending, { type: 'restore-test', request }, runView(args, cfg), ctx)
  const { outcome } = run
  if (outcome.kind !== 'test-done') {
    const error: AppError =
      outcome.kind === 'failed' ? outcome.error : { code: 'Cancelled', message: 'cancelled' }
    const code = failure(args, ctx)(error)
    return error.code === 'Cancelled' || run.signals > 0 ? 130 : code
  }
  const { report } = outcome
  if (args.json) ctx.out(JSON.stringify(report))
  else {
    printTestReport(report, ctx)
    ctx.out(`report: ${request.file}.restore-test.json`)
  }
  if (report.error?.code === 'Cancelled' || run.signals > 0) return 130
  return report.ok ? 0 : 1
}

const runView = (args: RestoreArgs, cfg: RestoreConfig): RestoreRunView => ({
  json: args.json,
  jsonProgress: args.jsonProgress,
  quiet: cfg.quiet,
  logLevel: cfg.settings.logLevel.value,
})

/** A run that ends without a result: one error, as JSON or text; exit 2 for input or config, else 1. */
function failure(args: RestoreArgs, ctx: CliContext) {
  return (e: unknown): number => {
    const error = isAppError(e) ? e : toEngineError(e).toAppError()
    if (args.json) ctx.out(JSON.stringify({ ok: false, mode: args.mode, ticket: args.ticket, error }))
    else ctx.err(errorText(error))
    return error.code === 'InvalidInput' || error.code === 'InvalidConfig' ? 2 : 1
  }
}
/** Failed items go to `<log dir>/sfdbtools_<date>_error_restore.log`; a log that cannot be written is a warning. */
async function logErrors(
  cfg: RestoreConfig,
  run: RestoreResult | AppError,
  context: Parameters<typeof appendRestoreErrorLog>[2],
  json: boolean,
  ctx: CliContext,
): Promise<void> {
  const logged = await appendRestoreErrorLog(cfg.logDir, run, context).catch((e: unknown) => {
    ctx.err(`warning: cannot write the error log in ${cfg.logDir}: ${(e as Error).message}`)
    return null
  })
  if (logged && !json) ctx.err(`errors logged to ${logged}`)
}
