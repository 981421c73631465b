import { readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { BACKUP_MODES, type BackupMode, type BackupResult } from '../../../shared/backup-types.ts'
import type { AppError } from '../../../shared/result.ts'
import { appendErrorLog } from '../../engine/backup/error-log.ts'
import type { GtidInfo } from '../../engine/backup/metadata.ts'
import { planBackup, type PlannedBackup } from '../../engine/backup/plan-backup.ts'
import { failedTarget } from '../../engine/backup/run-backup.ts'
import {
  parseDatabaseList,
  type CompanionSuffix,
  type FilterFileMode,
} from '../../engine/backup/selection.ts'
import { validateCompression } from '../../engine/codecs/index.ts'
import { loadAppConfig, resolveBackupSettings, type BackupSettings } from '../../engine/config/index.ts'
import { EngineError, toEngineError } from '../../engine/errors.ts'
import { openConnection } from '../../engine/mysql/connection.ts'
import { listDatabases } from '../../engine/mysql/server-info.ts'
import { withTunnel } from '../../engine/ssh/tunnel.ts'
import { bool, intFlag, list, parseFlags, str, UsageError, type Parsed } from '../args.ts'
import { hostKeyPolicy, keySources, type CliContext } from '../context.ts'
import { prepareJob, type JobOutcome } from '../job-runner.ts'
import { resolveBackupKey, type ResolvedKey } from '../keys.ts'
import { printResult, ProgressPrinter } from '../report.ts'
import { openSourceProfile } from '../source-profile.ts'
import { formatBytes, isInteractive, promptLine } from '../terminal.ts'

export const BACKUP_HELP = `Usage:
  sfdbtools backup <mode> --profile N|PATH --ticket T [options]

Modes:
  single      one database (--db), plus its companions _dmart/_temp/_archive when asked — one file each
  filter      the databases of --db (repeatable) and --db-file; --mode single-file (one combined file) or
              multi-file (one per database); picked interactively on a terminal when neither is given
  all         every database minus --exclude-system/--exclude-db/--exclude-empty, in one combined file
  primary     databases without _secondary and not ending in _dmart/_temp/_archive — one file each
  secondary   databases with _secondary, not ending in _dmart/_temp/_archive — one file each

Options:
  -p, --profile N|PATH      connection profile (name in the profile folder, or a path)
  -k, --profile-key K       profile key (else SFDB_PROFILE_KEY / SFDB_SOURCE_PROFILE_KEY, the keychain, a prompt)
  -t, --ticket T            change/ticket reference, required; recorded in the metadata
      --db, --database DB   single: the database; filter: a database (repeatable)
      --db-file FILE        filter: one name per line (# comments and blank lines ignored)
      --mode M              filter: single-file | multi-file
      --include-dmart, --include-temp, --include-archive
                            single/primary/secondary: also back up <db>_dmart / _temp / _archive if present
      --prefix P            primary/secondary: only names starting with P (config backup.primary_prefix)
      --client-code C       primary/secondary: only <prefix>C and <prefix>C_…
      --instance I          secondary: only …_secondary_I…
  -S, --exclude-system      leave out information_schema, mysql, performance_schema, sys (default)
      --include-system      keep them (mode all)
      --exclude-db DB       leave out a database (repeatable); --exclude-db-file FILE for a list
  -E, --exclude-empty       leave out databases without tables
  -x, --exclude-data        structure only (_nodata in file names)
      --exclude-user        do not write <file>.users.sql (user accounts and grants)
      --capture-gtid        record the dump snapshot's binlog/GTID position in <file>.gtid and the metadata
      --parallel N          back up N databases at once (iterative modes; NOT one snapshot across databases)
  -c, --compress-type T     gzip | pgzip | zlib | zstd | xz | none (default zstd)
  -l, --compress-level L    1-9 (zstd up to 19; default 3)
  -C, --skip-compress       same as --compress-type none
  -K, --encryption-key K    backup key (else SFDB_BACKUP_ENCRYPTION_KEY / SFDB_ENCRYPTION_KEY, the keychain, config)
      --no-encrypt          write an unencrypted backup even when a key is configured
  -o, --output-dir D        output folder (default SFDB_OUTPUT_DIR, config, else <config dir>/backup)
  -f, --filename F          name of the one file of a run that writes one file
      --name-pattern P      default | sfdbtools | a pattern with {db} {mode} {host} {date} {time} {ticket} {n} {nodata}
      --dump-binary PATH    use this mariadb-dump/mysqldump
      --skip-disk-check     do not refuse a run the free disk space looks too small for
      --ssh-insecure        do not check the SSH tunnel's host key (also SFDB_SSH_INSECURE_IGNORE_HOSTKEY=1)
  -d, --dry-run             show the whole plan and create nothing
      --force               show the options and ask for confirmation before running (on a terminal)
  -q, --quiet               no progress, only the result (also SFDB_QUIET=1)
      --log-level L         debug | info | warn | error: job messages shown (also SFDB_LOG_LEVEL; default info)
      --json                print one JSON result object on stdout
      --json-progress       progress as JSON lines on stderr
Exit codes: 0 every target succeeded, 1 a target failed, 2 usage or configuration error, 130 cancelled.`

const FLAGS = {
  profile: { type: 'string', short: 'p' },
  'profile-key': { type: 'string', short: 'k' },
  ticket: { type: 'string', short: 't' },
  db: { type: 'string', multiple: true },
  database: { type: 'string', multiple: true },
  'db-file': { type: 'string' },
  mode: { type: 'string' },
  'include-dmart': { type: 'boolean' },
  'include-temp': { type: 'boolean' },
  'include-archive': { type: 'boolean' },
  prefix: { type: 'string' },
  'client-code': { type: 'string' },
  instance: { type: 'string' },
  'exclude-system': { type: 'boolean', short: 'S' },
  'include-system': { type: 'boolean' },
  'exclude-db': { type: 'string', multiple: true },
  'exclude-db-file': { type: 'string' },
  'exclude-empty': { type: 'boolean', short: 'E' },
  'exclude-data': { type: 'boolean', short: 'x' },
  'exclude-user': { type: 'boolean' },
  'capture-gtid': { type: 'boolean' },
  parallel: { type: 'string' },
  'compress-type': { type: 'string', short: 'c' },
  compress: { type: 'string' },
  'compress-level': { type: 'string', short: 'l' },
  'skip-compress': { type: 'boolean', short: 'C' },
  'encryption-key': { type: 'string', short: 'K' },
  'backup-key': { type: 'string' },
  'no-encrypt': { type: 'boolean' },
  'skip-encrypt': { type: 'boolean' },
  'output-dir': { type: 'string', short: 'o' },
  'backup-dir': { type: 'string' },
  filename: { type: 'string', short: 'f' },
  'name-pattern': { type: 'string' },
  'dump-binary': { type: 'string' },
  'skip-disk-check': { type: 'boolean' },
  'ssh-insecure': { type: 'boolean' },
  'dry-run': { type: 'boolean', short: 'd' },
  force: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  'log-level': { type: 'string' },
  json: { type: 'boolean' },
  'json-progress': { type: 'boolean' },
} as const

/** Job log lines at or above SFDB_LOG_LEVEL (default warn) are shown. */
const LEVELS = ['debug', 'info', 'warn', 'error'] as const

/** The first of several spellings of one flag (ours, then sfDBTools'). */
const either = (p: Parsed, ...names: string[]): string | undefined =>
  names.map((n) => str(p, n)).find((v) => v !== undefined)
/** true / false when given, undefined when not: a flag left out lets env, config or the default decide. */
const flagBool = (p: Parsed, name: string): boolean | undefined => (bool(p, name) ? true : undefined)

const isAppError = (e: unknown): e is AppError =>
  typeof e === 'object' && e !== null && !(e instanceof Error) && 'code' in e && 'message' in e

async function readListFile(path: string, what: string): Promise<string[]> {
  try {
    return parseDatabaseList(await readFile(path, 'utf8'))
  } catch (e) {
    throw new EngineError('InvalidInput', `cannot read the ${what} ${path}: ${(e as Error).message}`)
  }
}

function settingsOf(
  p: Parsed,
  ctx: CliContext,
  loaded: Awaited<ReturnType<typeof loadAppConfig>>,
): BackupSettings {
  const noEncrypt = bool(p, 'no-encrypt') || bool(p, 'skip-encrypt')
  const compressType = bool(p, 'skip-compress') ? 'none' : either(p, 'compress-type', 'compress')
  return resolveBackupSettings({
    flags: {
      outputDir: either(p, 'output-dir', 'backup-dir'),
      compressType,
      compressLevel: intFlag(p, 'compress-level'),
      encrypt: noEncrypt ? false : undefined,
      profile: str(p, 'profile'),
      quiet: flagBool(p, 'quiet'),
      logLevel: str(p, 'log-level'),
      excludeSystem: bool(p, 'include-system') ? false : flagBool(p, 'exclude-system'),
      excludeUser: flagBool(p, 'exclude-user'),
      excludeData: flagBool(p, 'exclude-data'),
      excludeEmpty: flagBool(p, 'exclude-empty'),
      captureGtid: flagBool(p, 'capture-gtid'),
      parallel: intFlag(p, 'parallel'),
      namePattern: str(p, 'name-pattern'),
      dumpBinary: str(p, 'dump-binary'),
      excludeDatabases: list(p, 'exclude-db').length ? list(p, 'exclude-db') : undefined,
      excludeFile: str(p, 'exclude-db-file'),
      includeDmart: flagBool(p, 'include-dmart'),
    },
    env: ctx.env,
    config: loaded.config,
    configPath: loaded.path,
    configDir: ctx.configDir,
  })
}

/** A numbered list to pick from on a terminal: "1,3-5" or names. */
async function pickDatabases(
  ctx: CliContext,
  names: { name: string; sizeBytes: number; tables: number }[],
): Promise<string[]> {
  names.forEach((d, i) =>
    ctx.err(
      `  ${String(i + 1).padStart(3)}  ${d.name.padEnd(32)} ${formatBytes(d.sizeBytes).padStart(10)}  ${d.tables} tables`,
    ),
  )
  const answer = await promptLine('Databases to back up (numbers like 1,3-5, or names; empty = cancel): ')
  const picked: string[] = []
  for (const part of answer.split(/[,\s]+/).filter(Boolean)) {
    const range = /^(\d+)(?:-(\d+))?$/.exec(part)
    if (range) {
      const from = Number(range[1])
      const to = Number(range[2] ?? range[1])
      for (let i = from; i <= to; i++) {
        const d = names[i - 1]
        if (!d) throw new UsageError(`no database number ${i} in the list`)
        picked.push(d.name)
      }
    } else picked.push(part)
  }
  if (picked.length === 0) throw new UsageError('no database chosen')
  return picked
}

export async function backupCommand(argv: string[], ctx: CliContext): Promise<number> {
  const [modeArg, ...rest] = argv
  if (modeArg === undefined || modeArg === '--help' || modeArg === '-h') {
    ctx.out(BACKUP_HELP)
    return modeArg === undefined ? 2 : 0
  }
  if (!(BACKUP_MODES as readonly string[]).includes(modeArg))
    throw new UsageError(`unknown backup mode '${modeArg}'; use one of: ${BACKUP_MODES.join(', ')}`)
  const mode = modeArg as BackupMode
  const p = parseFlags(rest, FLAGS)
  const json = bool(p, 'json')
  const dryRun = bool(p, 'dry-run')
  const ticket = str(p, 'ticket')
  if (!ticket?.trim())
    throw new UsageError('--ticket is required (a change or ticket reference, e.g. --ticket CHG-1234)')

  const started = new Date()
  const fail = (e: unknown, databases: string[] = []): number => {
    const error = isAppError(e) ? e : toEngineError(e).toAppError()
    if (json)
      ctx.out(
        JSON.stringify({
          ok: false,
          mode,
          ticket,
          startedAt: started.toISOString(),
          finishedAt: new Date().toISOString(),
          durationMs: Date.now() - started.getTime(),
          targets: [failedTarget(databases, error)],
        } satisfies BackupResult),
      )
    else ctx.err(`error [${error.code}]: ${error.message}${error.detail ? `\n${error.detail}` : ''}`)
    return error.code === 'InvalidInput' || error.code === 'InvalidConfig' ? 2 : 1
  }

  let loaded: Awaited<ReturnType<typeof loadAppConfig>>
  let s: BackupSettings
  try {
    loaded = await loadAppConfig(ctx.env, ctx.configDir)
    s = settingsOf(p, ctx, loaded)
  } catch (e) {
    return fail(e)
  }
  const quiet = s.quiet.value || json
  for (const w of loaded.warnings) ctx.err(`warning: ${w}`)
  const profileRef = s.profile.value
  if (!profileRef) throw new UsageError('--profile is required (a profile name or path)')
  const compression = validateCompression(s.compression.type.value, s.compression.level.value)
  const keyFlag = either(p, 'encryption-key', 'backup-key')
  if (!s.encrypt.value && keyFlag !== undefined)
    throw new UsageError('--no-encrypt and --encryption-key contradict each other')

  // Databases asked for by name.
  let databases = [...list(p, 'db', 'database')]
  const dbFile = str(p, 'db-file')
  if (mode === 'single' && databases.length !== 1) throw new UsageError('backup single needs one --db')
  if (mode !== 'single' && mode !== 'filter' && (databases.length || dbFile))
    throw new UsageError(`--db and --db-file belong to modes single and filter, not ${mode}`)
  let filterMode = str(p, 'mode') as FilterFileMode | undefined
  if (filterMode !== undefined && filterMode !== 'single-file' && filterMode !== 'multi-file')
    throw new UsageError(`--mode must be single-file or multi-file, got '${filterMode}'`)
  if (mode !== 'filter' && filterMode !== undefined) throw new UsageError('--mode belongs to backup filter')

  const outputDir = resolve(s.outputDir.value)
  const companions: CompanionSuffix[] = [
    ...(s.includeDmart.value ? (['_dmart'] as const) : []),
    ...(bool(p, 'include-temp') || loaded.config.backup.include.includeTemp ? (['_temp'] as const) : []),
    ...(bool(p, 'include-archive') || loaded.config.backup.include.includeArchive
      ? (['_archive'] as const)
      : []),
  ]

  // The job process starts now and loads while the profile key is derived and the server is asked.
  const pending = dryRun ? null : prepareJob(ctx.jobEntry)
  let planned: PlannedBackup
  let profileName: string
  let backupKey: ResolvedKey | { missing: string } | null
  try {
    if (dbFile) databases.push(...(await readListFile(dbFile, '--db-file')))
    if (mode === 'filter' && databases.length === 0) databases.push(...s.includeDatabases.value)
    const excludeDatabases = [...s.excludeDatabases.value]
    if (s.excludeFile.value)
      excludeDatabases.push(...(await readListFile(s.excludeFile.value, 'exclude list')))
    const { profile, connection } = await openSourceProfile(
      ctx,
      profileRef,
      str(p, 'profile-key'),
      bool(p, 'ssh-insecure'),
      s.profileDir.value,
    )
    profileName = profile.name
    if (mode === 'filter' && (databases.length === 0 || filterMode === undefined)) {
      if (!isInteractive())
        throw new UsageError(
          databases.length === 0
            ? 'backup filter needs --db NAME (repeatable) or --db-file FILE'
            : 'backup filter needs --mode single-file or --mode multi-file',
        )
      if (databases.length === 0) {
        const server = await withTunnel(
          connection,
          async (direct) => {
            const conn = await openConnection(direct)
            try {
              return await listDatabases(conn)
            } finally {
              await conn.end().catch(() => {})
            }
          },
          hostKeyPolicy(ctx),
        )
        databases = await pickDatabases(ctx, server)
      }
      if (filterMode === undefined) {
        const answer = await promptLine(
          'One combined file or one file per database? [s]ingle-file / [m]ulti-file: ',
        )
        filterMode = /^m/i.test(answer.trim()) ? 'multi-file' : 'single-file'
      }
    }
    backupKey = !s.encrypt.value
      ? null
      : await resolveBackupKey(keyFlag, keySources(ctx), profile.name).then((k) =>
          'missing' in k && s.configKey ? { key: s.configKey.key, source: s.configKey.source } : k,
        )
    planned = await planBackup({
      mode,
      profileName: profile.name,
      connection,
      hostKeyPolicy: hostKeyPolicy(ctx),
      selection: {
        databases,
        ...(filterMode ? { filterMode } : {}),
        excludeDatabases,
        excludeSystem: s.excludeSystem.value,
        excludeEmpty: s.excludeEmpty.value,
        companions,
        ...((str(p, 'prefix') ?? loaded.config.backup.primaryPrefix)
          ? { prefix: str(p, 'prefix') ?? loaded.config.backup.primaryPrefix }
          : {}),
        ...(str(p, 'client-code') ? { clientCode: str(p, 'client-code') } : {}),
        ...(str(p, 'instance') ? { instance: str(p, 'instance') } : {}),
      },
      ticket,
      compression,
      encryptionKey: backupKey && 'key' in backupKey ? backupKey.key : null,
      outputDir,
      ...(str(p, 'filename') !== undefined ? { fileName: str(p, 'filename') } : {}),
      namePattern: s.namePattern.value,
      dumpBinary: s.dumpBinary.value ?? null,
      extraDumpArgs: s.extraDumpArgs.value,
      excludeData: s.excludeData.value,
      excludeUser: s.excludeUser.value,
      captureGtid: s.captureGtid.value,
      parallel: s.parallel.value,
      cleanup: s.cleanup.enabled.value
        ? { retentionDays: s.cleanup.retentionDays.value, minBackups: s.cleanup.minBackups.value }
        : null,
      skipDiskCheck: bool(p, 'skip-disk-check'),
    })
  } catch (e) {
    pending?.dispose()
    if (e instanceof UsageError) throw e
    return fail(e, databases)
  }
  const { plan, server, files } = planned
  if (!json) {
    if (backupKey === null) ctx.err('note: --no-encrypt: the backup is NOT encrypted')
    else if ('missing' in backupKey) {
      // Said loudly: a key that was expected from an unreachable keychain must not go unnoticed.
      ctx.err(`note: no backup key, the backup is NOT encrypted — to encrypt, ${backupKey.missing}`)
    } else ctx.err(`encrypting with the key from ${backupKey.source}`)
  }
  // Warnings go to stderr also with --json: stdout stays one JSON object.
  for (const w of planned.warnings) ctx.err(`warning: ${w}`)

  const view = {
    dryRun,
    mode: plan.mode,
    backupType: plan.backupType,
    ticket: plan.ticket,
    profile: profileName,
    server: { hostname: server.hostname, flavor: server.flavor, version: server.versionString },
    outputDir,
    files: files.map((f) => ({
      file: f.path,
      databases: f.databases.map((d) => ({
        name: d.name,
        sizeBytes: d.sizeBytes,
        tables: d.tables,
        rows: d.rows,
      })),
      estimatedSqlBytes: f.estimatedBytes,
      companions: [
        `${f.path}.meta.json`,
        ...(plan.targets[0]?.grants !== 'none' ? [`${f.path}.users.sql`] : []),
        ...(plan.captureGtid ? [`${f.path}.gtid`] : []),
      ],
    })),
    excluded: planned.excluded,
    unknown: planned.unknown,
    estimatedOutputBytes: planned.estimatedOutputBytes,
    options: {
      compression: plan.compression,
      encrypted: plan.encryptionKey !== null,
      excludeData: plan.excludeData,
      grants: plan.targets[0]?.grants,
      captureGtid: plan.captureGtid,
      parallel: plan.parallel,
      cleanup: plan.cleanup,
      namePattern: s.namePattern.value,
    },
    dump: planned.dump,
    warnings: planned.warnings,
  }

  if (dryRun) {
    if (json) ctx.out(JSON.stringify(view))
    else printPlan(view, ctx)
    return 0
  }

  if (bool(p, 'force') && isInteractive()) {
    printPlan(view, ctx)
    const answer = await promptLine('Run this backup? [y/N] ')
    if (!/^y(es)?$/i.test(answer.trim())) {
      pending?.dispose()
      ctx.err('not started')
      return 130
    }
  }

  if (!json)
    ctx.err(
      `backing up ${files.length} file${files.length === 1 ? '' : 's'} from ${server.hostname} (${server.versionString}) → ${outputDir}`,
    )
  const progress = quiet || bool(p, 'json-progress') ? null : new ProgressPrinter(ctx.err)
  const job = (pending ?? prepareJob(ctx.jobEntry)).start(plan, (e) => {
    if (e.type === 'progress') {
      if (bool(p, 'json-progress')) ctx.err(JSON.stringify({ type: 'progress', ...e.progress }))
      else progress?.update(e.progress)
    } else if (e.type === 'target' && bool(p, 'json-progress')) ctx.err(JSON.stringify(e))
    else if (e.type === 'log' && !json && LEVELS.indexOf(e.level) >= LEVELS.indexOf(s.logLevel.value))
      if (progress) progress.line(`${e.level}: ${e.message}`)
      else if (!quiet) ctx.err(`${e.level}: ${e.message}`)
  })
  let signals = 0
  const onSignal = (): void => {
    signals++
    if (signals === 1) {
      progress?.line('cancelling… (press Ctrl-C again to stop at once)')
      job.cancel()
    } else job.kill()
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  let outcome: JobOutcome
  try {
    outcome = await job.outcome
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    progress?.done()
  }
  if (outcome.kind === 'failed') {
    if (signals === 0) return fail(outcome.error)
    outcome = {
      kind: 'cancelled',
      result: {
        ok: false,
        mode,
        ticket: plan.ticket,
        startedAt: started.toISOString(),
        finishedAt: new Date().toISOString(),
        durationMs: Date.now() - started.getTime(),
        targets: plan.targets.map((t) =>
          failedTarget(t.databases, { code: 'Cancelled', message: 'cancelled' }, 'cancelled'),
        ),
      },
    }
  }
  const result = outcome.result
  if (outcome.kind === 'cancelled')
    for (const t of result.targets) if (t.status === 'failed') t.status = 'cancelled'
  const logDir = loaded.config.logDir ?? join(ctx.configDir, 'logs')
  const logged = await appendErrorLog(logDir, result, {
    profile: profileName,
    host: server.hostname,
  }).catch((e: unknown) => {
    ctx.err(`warning: cannot write the error log in ${logDir}: ${(e as Error).message}`)
    return null
  })
  printResult(result, json, ctx, {
    compression: plan.compression,
    encrypted: plan.encryptionKey !== null,
    gtid: await gtidOf(result),
  })
  if (logged && !json) ctx.err(`errors logged to ${logged}`)
  if (outcome.kind === 'cancelled' || signals > 0) return 130
  return result.ok ? 0 : 1
}

/** The GTID / binlog position recorded for each written file (from its metadata), for the summary. */
async function gtidOf(result: BackupResult): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  for (const t of result.targets) {
    if (!t.file) continue
    const meta = await readFile(`${t.file}.meta.json`, 'utf8')
      .then((x) => JSON.parse(x) as { gtid_info?: GtidInfo | null })
      .catch(() => null)
    const g = meta?.gtid_info
    if (g) out.set(t.file, `${g.executed ?? '(none)'} at ${g.binlog_file ?? '?'}:${g.binlog_position ?? '?'}`)
  }
  return out
}

function printPlan(view: Record<string, unknown> & { files: { file: string }[] }, ctx: CliContext): void {
  for (const [k, v] of Object.entries(view)) {
    if (k === 'files') {
      ctx.out('files')
      for (const f of view.files) ctx.out(`  ${JSON.stringify(f)}`)
    } else ctx.out(`${k.padEnd(20)} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
  }
}
