/**
 * `sfdbtools`: the headless command line over the backup and restore engine, for cron and scripts.
 * Exit codes: 0 success, 1 a failure, 2 a usage error, 130 cancelled.
 */
import { APP_VERSION } from '../../shared/app-version.ts'
import { checkConfigFolder } from '../engine/config/config-folder.ts'
import { EngineError, errno } from '../engine/errors.ts'
import { keepYoungGenerationSmall } from '../engine/gc-pacer.ts'
import { errorText } from './advice.ts'
import { UsageError } from './args.ts'
import type { CliContext } from './context.ts'
import type { PendingJob } from './job-runner.ts'
import { prefetchProfileKey } from './prefetch-key.ts'

// What this entry imports itself is small (Node's modules and a few of ours): a backup or restore starts the
// profile key's derivation ≈ 50 ms after Node started, before zod, mysql2, the profiles and the command's
// code load, and that derivation runs on a thread of its own while they do.

const HELP = `sfdbtools ${APP_VERSION} — logical backups of MariaDB and MySQL (sfDBTools compatible)

Commands:
  profile create|list|show     connection profiles (encrypted .cnf.enc files)
  backup <mode>                back up: single | filter | all | primary | secondary (compressed, encrypted)
  db-scan                      list a server's databases with size, tables and rows
  restore <mode> FILE          restore: single | all | primary | secondary | selection CSV | test (safe by default)
                               (also db-restore, dbrestore, import)
  verify FILE                  check a backup end to end without restoring it
  decrypt FILE                 turn any backup back into its compressed stream or SQL
  cleanup                      remove backups past the retention period, with their companion files
  key set|status|delete        keep the profile key and backup keys in the OS keychain
  schedule list|add|remove|run-due|export
                               schedules of the quick backup presets; run what is due; systemd/cron/Task Scheduler
  destination add-folder|add-sftp|add-s3|list|test|set-retention|prune|remove
                               offsite copies of backups (backup --copy-to NAME)
  notify <command>             e-mail and webhook notifications: add-email|add-webhook|list|remove|test

Run 'sfdbtools <command> --help' for the flags of a command.`

interface Command {
  run: (argv: string[], ctx: CliContext) => Promise<number>
  help: string
}

// Loaded on demand: a command pays only for the modules it uses (mysql2, zod, the codecs each cost tens of
// milliseconds to load), so `sfdbtools --version` or `profile list` start fast.
const COMMANDS: Record<string, () => Promise<Command>> = {
  profile: () =>
    import('./commands/profile.ts').then((m) => ({ run: m.profileCommand, help: m.PROFILE_HELP })),
  backup: () => import('./commands/backup.ts').then((m) => ({ run: m.backupCommand, help: m.BACKUP_HELP })),
  'db-backup': () =>
    import('./commands/backup.ts').then((m) => ({ run: m.backupCommand, help: m.BACKUP_HELP })),
  dump: () => import('./commands/backup.ts').then((m) => ({ run: m.backupCommand, help: m.BACKUP_HELP })),
  dbbackup: () => import('./commands/backup.ts').then((m) => ({ run: m.backupCommand, help: m.BACKUP_HELP })),
  restore: () =>
    import('./commands/restore.ts').then((m) => ({ run: m.restoreCommand, help: m.RESTORE_HELP })),
  'db-restore': () =>
    import('./commands/restore.ts').then((m) => ({ run: m.restoreCommand, help: m.RESTORE_HELP })),
  dbrestore: () =>
    import('./commands/restore.ts').then((m) => ({ run: m.restoreCommand, help: m.RESTORE_HELP })),
  import: () =>
    import('./commands/restore.ts').then((m) => ({ run: m.restoreCommand, help: m.RESTORE_HELP })),
  verify: () => import('./commands/verify.ts').then((m) => ({ run: m.verifyCommand, help: m.VERIFY_HELP })),
  decrypt: () =>
    import('./commands/decrypt.ts').then((m) => ({ run: m.decryptCommand, help: m.DECRYPT_HELP })),
  cleanup: () =>
    import('./commands/cleanup.ts').then((m) => ({ run: m.cleanupCommand, help: m.CLEANUP_HELP })),
  'db-scan': () =>
    import('./commands/db-scan.ts').then((m) => ({ run: m.dbScanCommand, help: m.DB_SCAN_HELP })),
  key: () => import('./commands/key.ts').then((m) => ({ run: m.keyCommand, help: m.KEY_HELP })),
  schedule: () =>
    import('./commands/schedule.ts').then((m) => ({ run: m.scheduleCommand, help: m.SCHEDULE_HELP })),
  destination: () =>
    import('./commands/destination.ts').then((m) => ({
      run: m.destinationCommand,
      help: m.DESTINATION_HELP,
    })),
  notify: () => import('./commands/notify.ts').then((m) => ({ run: m.notifyCommand, help: m.NOTIFY_HELP })),
}

/**
 * Commands that run a job (unless --dry-run or --help): it is made ready here (job-in-process.ts), while the
 * profile key is derived, and a backup's first dump gets its reader thread and FIFOs before the plan is.
 */
const BACKUP_COMMANDS = new Set(['backup', 'db-backup', 'dump', 'dbbackup'])
const JOB_COMMANDS = new Set([...BACKUP_COMMANDS, 'restore', 'db-restore', 'dbrestore', 'import'])

export async function main(argv: string[], given?: CliContext): Promise<number> {
  const [name, ...rest] = argv
  const context = async (): Promise<CliContext> => given ?? (await import('./context.ts')).defaultContext()
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    ;(await context()).out(HELP)
    return name === undefined ? 2 : 0
  }
  if (name === '--version' || name === '-v' || name === 'version') {
    const [{ versionText }, { detectPrograms }, { runtimeVersions }] = await Promise.all([
      import('./version.ts'),
      import('../engine/dump/detect-programs.ts'),
      import('../../shared/versions.ts'),
    ])
    const ctx = await context()
    ctx.out(
      versionText(APP_VERSION, runtimeVersions(process.versions), await detectPrograms(ctx.env.PATH ?? '')),
    )
    return 0
  }
  const load = COMMANDS[name]
  if (!load) {
    ;(await context()).err(`unknown command '${name}'\n\n${HELP}`)
    return 2
  }
  const help = rest.includes('--help') || rest.includes('-h')
  const runsJob = JOB_COMMANDS.has(name) && !help && !rest.some((a) => a === '--dry-run' || a === '-d')
  // The profile key's derivation (≈ 0.1–0.3 s) runs while the command loads, not after it.
  if (JOB_COMMANDS.has(name) && !help) prefetchProfileKey(rest, given?.env ?? process.env)
  const early = runsJob
    ? import('./job-runner.ts').then((m) => m.prepareJob(BACKUP_COMMANDS.has(name)))
    : null
  // zod compiles a parser per schema on first use (≈ 60 ms of a run's CPU for the job events the CLI
  // checks): a short-lived process is faster without it.
  // Only `config`, not the `z` namespace: taking the namespace as a value bundles all of zod's ≈ 50 locales.
  const { config } = await import('zod')
  config({ jitless: true })
  const ctx = await context()
  const command = await load()
  let job: PendingJob | null = early === null ? null : await early
  const takeJob = (): PendingJob | null => {
    const taken = job
    job = null
    return taken
  }
  if (help) {
    ctx.out(command.help)
    return 0
  }
  try {
    await checkConfigFolder(ctx.env)
    return await command.run(rest, { ...ctx, takeJob })
  } catch (e) {
    // Standard output's reader went away (decrypt -o - | head): the command ends quietly.
    if (errno(e) === 'EPIPE' || (e instanceof Error && errno(e.cause) === 'EPIPE')) return 0
    if (e instanceof UsageError) {
      ctx.err(`usage error: ${e.message}\nRun 'sfdbtools ${name} --help' for the flags.`)
      return 2
    }
    if (e instanceof EngineError) {
      ctx.err(errorText(e.toAppError()))
      return e.code === 'InvalidInput' || e.code === 'InvalidConfig' ? 2 : 1
    }
    ctx.err(`internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`)
    return 1
  } finally {
    // A job forked for a command that did not run one (a usage error, a refusal): ended here.
    await takeJob()?.dispose()
  }
}

// Run when executed as the CLI entry (bin/sfdbtools.js imports this bundle).
if (process.env.SFDB_CLI_NO_AUTORUN !== '1') {
  keepYoungGenerationSmall()
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code
  })
}
