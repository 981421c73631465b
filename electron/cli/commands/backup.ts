import { resolve } from 'node:path'
import type { BackupResult } from '../../../shared/backup-types.ts'
import type { AppError } from '../../../shared/result.ts'
import { planSingleBackup } from '../../engine/backup/plan-single.ts'
import { failedTarget } from '../../engine/backup/run-backup.ts'
import { DEFAULT_COMPRESSION, validateCompression } from '../../engine/codecs/index.ts'
import { buildDumpArgs } from '../../engine/dump/dump-args.ts'
import { findDumpBinary } from '../../engine/dump/dump-binary.ts'
import { toEngineError } from '../../engine/errors.ts'
import { connectionOf, profileDir, readProfile, resolveProfileRef } from '../../engine/profiles/index.ts'
import { bool, intFlag, parseFlags, required, str, UsageError, type Parsed } from '../args.ts'
import { hostKeyPolicy, keySources, sshPolicy, type CliContext } from '../context.ts'
import { prepareJob, type JobOutcome } from '../job-runner.ts'
import { resolveBackupKey, resolveProfileKey, type ResolvedKey } from '../keys.ts'
import { printResult, ProgressPrinter } from '../report.ts'

export const BACKUP_HELP = `Usage:
  sfdbtools backup single --profile N|PATH --db DB --ticket T [options]

Options:
  -p, --profile N|PATH     connection profile (name in the profile folder, or a path)
  -k, --profile-key K      profile key (else SFDB_PROFILE_KEY / SFDB_SOURCE_PROFILE_KEY / SFDB_ENCRYPTION_KEY, or a prompt)
      --db, --database DB  the database to back up
  -t, --ticket T           change/ticket reference, required; recorded in the metadata and the file name
  -c, --compress-type T    gzip | pgzip | zlib | zstd | xz | none (default zstd)
  -l, --compress-level L   1-9 (zstd up to 19; default 3)
  -K, --encryption-key K   backup key (else SFDB_BACKUP_ENCRYPTION_KEY / SFDB_ENCRYPTION_KEY; none = not encrypted)
      --no-encrypt         write an unencrypted backup even when a key is configured
  -o, --output-dir D       output folder (default SFDB_OUTPUT_DIR, else <config dir>/backup)
  -f, --filename F         file name (the extensions are added unless F contains .sql)
      --dump-binary PATH   use this mariadb-dump/mysqldump
      --ssh-insecure       do not check the SSH tunnel's host key (also SFDB_SSH_INSECURE_IGNORE_HOSTKEY=1)
  -x, --exclude-data       structure only
  -d, --dry-run            show the plan and create nothing
      --json               print one JSON result object on stdout
Exit codes: 0 all targets succeeded, 1 a target failed, 2 usage error, 130 cancelled.`

const FLAGS = {
  profile: { type: 'string', short: 'p' },
  'profile-key': { type: 'string', short: 'k' },
  db: { type: 'string' },
  database: { type: 'string' },
  ticket: { type: 'string', short: 't' },
  'compress-type': { type: 'string', short: 'c' },
  compress: { type: 'string' },
  'compress-level': { type: 'string', short: 'l' },
  'encryption-key': { type: 'string', short: 'K' },
  'backup-key': { type: 'string' },
  'no-encrypt': { type: 'boolean' },
  'skip-encrypt': { type: 'boolean' },
  'output-dir': { type: 'string', short: 'o' },
  'backup-dir': { type: 'string' },
  filename: { type: 'string', short: 'f' },
  'dump-binary': { type: 'string' },
  'ssh-insecure': { type: 'boolean' },
  'exclude-data': { type: 'boolean', short: 'x' },
  'dry-run': { type: 'boolean', short: 'd' },
  json: { type: 'boolean' },
} as const

/** The first of several spellings of one flag (ours, then sfDBTools'). */
const either = (p: Parsed, ...names: string[]): string | undefined =>
  names.map((n) => str(p, n)).find((v) => v !== undefined)

const failureResult = (db: string, ticket: string, error: AppError, started: Date): BackupResult => ({
  ok: false,
  mode: 'single',
  ticket,
  startedAt: started.toISOString(),
  finishedAt: new Date().toISOString(),
  durationMs: Date.now() - started.getTime(),
  targets: [failedTarget([db], error)],
})

const isAppError = (e: unknown): e is AppError =>
  typeof e === 'object' && e !== null && !(e instanceof Error) && 'code' in e && 'message' in e

export async function backupCommand(argv: string[], ctx: CliContext): Promise<number> {
  const [mode, ...rest] = argv
  if (mode === undefined || mode === '--help' || mode === '-h') {
    ctx.out(BACKUP_HELP)
    return mode === undefined ? 2 : 0
  }
  if (mode !== 'single')
    throw new UsageError(`backup mode '${mode}' is not available yet; use: backup single`)
  const p = parseFlags(rest, FLAGS)
  const json = bool(p, 'json')
  const profileRef = either(p, 'profile') ?? ctx.env.SFDB_SOURCE_PROFILE ?? ctx.env.SFDB_PROFILE_PATH
  if (!profileRef) throw new UsageError('--profile is required (a profile name or path)')
  const db = either(p, 'db', 'database')
  if (!db) throw new UsageError('--db is required')
  const ticket = required(p, 'ticket', 'a change or ticket reference, e.g. --ticket CHG-1234')
  const compressType = either(p, 'compress-type', 'compress') ?? DEFAULT_COMPRESSION.type
  const level =
    intFlag(p, 'compress-level') ??
    (compressType === DEFAULT_COMPRESSION.type ? DEFAULT_COMPRESSION.level : 6)
  const compression = validateCompression(compressType, level)
  const noEncrypt = bool(p, 'no-encrypt') || bool(p, 'skip-encrypt')
  const keyFlag = either(p, 'encryption-key', 'backup-key')
  if (noEncrypt && keyFlag !== undefined)
    throw new UsageError('--no-encrypt and --encryption-key contradict each other')
  const outputDir = resolve(
    either(p, 'output-dir', 'backup-dir') ?? ctx.env.SFDB_OUTPUT_DIR ?? `${ctx.configDir}/backup`,
  )

  const started = new Date()
  const fail = (e: unknown): number => {
    const error = isAppError(e) ? e : toEngineError(e).toAppError()
    if (json) ctx.out(JSON.stringify(failureResult(db, ticket, error, started)))
    else ctx.err(`error [${error.code}]: ${error.message}${error.detail ? `\n${error.detail}` : ''}`)
    return error.code === 'InvalidInput' ? 2 : 1
  }

  // The job process starts now and loads while the profile key is derived and the server is asked.
  const pending = bool(p, 'dry-run') ? null : prepareJob(ctx.jobEntry)
  let planned: Awaited<ReturnType<typeof planSingleBackup>>
  let profileName: string
  let backupKey: ResolvedKey | { missing: string } | null
  try {
    const path = resolveProfileRef(profileDir(ctx.configDir), profileRef)
    const profileKey = await resolveProfileKey(str(p, 'profile-key'), keySources(ctx), {
      profile: profileRef,
    })
    const profile = await readProfile(path, profileKey.key)
    profileName = profile.name
    backupKey = noEncrypt ? null : await resolveBackupKey(keyFlag, keySources(ctx), profile.name)
    planned = await planSingleBackup({
      profileName: profile.name,
      connection: connectionOf(profile.data, sshPolicy(ctx, bool(p, 'ssh-insecure'))),
      hostKeyPolicy: hostKeyPolicy(ctx),
      database: db,
      ticket,
      compression,
      encryptionKey: backupKey && 'key' in backupKey ? backupKey.key : null,
      outputDir,
      ...(str(p, 'filename') !== undefined ? { fileName: str(p, 'filename') } : {}),
      dumpBinary: str(p, 'dump-binary') ?? null,
      excludeData: bool(p, 'exclude-data'),
    })
  } catch (e) {
    pending?.dispose()
    return fail(e)
  }
  const { plan, server, files } = planned
  if (!json) {
    if (backupKey === null) ctx.err('note: --no-encrypt: the backup is NOT encrypted')
    else if ('missing' in backupKey) {
      // Said loudly: a key that was expected from an unreachable keychain must not go unnoticed.
      ctx.err(`note: no backup key, the backup is NOT encrypted — to encrypt, ${backupKey.missing}`)
    } else ctx.err(`encrypting with the key from ${backupKey.source}`)
  }

  if (bool(p, 'dry-run')) {
    let dump: { binary: string; version: string; args: string[] } | { error: string }
    try {
      const binary = await findDumpBinary(plan.dumpBinary)
      dump = {
        binary: binary.path,
        version: binary.versionLine,
        args: [
          '--defaults-extra-file=<private 0600 file>',
          ...buildDumpArgs({
            binary,
            serverFlavor: server.flavor,
            databases: [db],
            excludeData: plan.excludeData,
            extraArgs: plan.extraDumpArgs,
          }),
        ],
      }
    } catch (e) {
      dump = { error: toEngineError(e).message }
    }
    const view = {
      dryRun: true,
      mode: plan.mode,
      ticket: plan.ticket,
      profile: profileName,
      server: { hostname: server.hostname, version: server.versionString },
      databases: [db],
      estimatedBytes: plan.targets[0]?.estimatedBytes ?? 0,
      files,
      compression: plan.compression,
      encrypted: plan.encryptionKey !== null,
      dump,
    }
    if (json) ctx.out(JSON.stringify(view))
    else
      for (const [k, v] of Object.entries(view))
        ctx.out(`${k.padEnd(15)} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    return 0
  }

  if (!json) ctx.err(`backing up '${db}' from ${server.hostname} (${server.versionString}) → ${files[0]}`)
  const progress = json ? null : new ProgressPrinter(ctx.err)
  const job = (pending ?? prepareJob(ctx.jobEntry)).start(plan, (e) => {
    if (e.type === 'progress') progress?.update(e.progress)
    else if (e.type === 'log' && !json && (e.level === 'warn' || e.level === 'error'))
      progress?.line(`${e.level}: ${e.message}`)
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
    if (signals > 0)
      outcome = {
        kind: 'cancelled',
        result: failureResult(db, ticket, { code: 'Cancelled', message: 'cancelled' }, started),
      }
    else return fail(outcome.error)
  }
  const result = outcome.result
  if (outcome.kind === 'cancelled')
    for (const t of result.targets) if (t.status === 'failed') t.status = 'cancelled'
  printResult(result, json, ctx)
  if (outcome.kind === 'cancelled' || signals > 0) return 130
  return result.ok ? 0 : 1
}
