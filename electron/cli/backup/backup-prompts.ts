/**
 * What `sfdbtools backup` asks on a terminal when the flags leave it out — the ticket, the profile, the
 * database(s), the filter's file mode and the backup key — and the usage error naming the flag when it
 * cannot ask: off a terminal (cron) or with --quiet, which never prompts.
 */
import type { BackupMode } from '../../../shared/backup-types.ts'
import type { ConnectionSettings } from '../../../shared/job-protocol.ts'
import type { FilterFileMode } from '../../engine/backup/selection.ts'
import { openConnection } from '../../engine/mysql/connection.ts'
import { listDatabases } from '../../engine/mysql/server-info.ts'
import { listProfiles } from '../../engine/profiles/index.ts'
import { withTunnel } from '../../engine/ssh/tunnel.ts'
import { UsageError } from '../args.ts'
import { hostKeyPolicy, type CliContext } from '../context.ts'
import type { ResolvedKey } from '../keys.ts'
import { formatBytes, isInteractive, promptHidden, promptLine } from '../terminal.ts'
import type { BackupArgs, BackupConfig } from './backup-args.ts'

export const TICKET_REQUIRED = '--ticket is required (a change or ticket reference, e.g. --ticket CHG-1234)'
export const PROFILE_REQUIRED = '--profile is required (a profile name or path)'
export const SINGLE_NEEDS_DB = 'backup single needs one --db'

/** Prompts are shown on a terminal only, and never with --quiet (SFDB_QUIET=1, config quiet: true). */
export const canPrompt = (cfg: BackupConfig): boolean => isInteractive() && !cfg.settings.quiet.value

/** The ticket and the profile, asked when left out; a usage error naming the flag when they cannot be. */
export async function askRunBasics(
  args: BackupArgs,
  cfg: BackupConfig,
  ctx: CliContext,
): Promise<{ ticket: string; profileRef: string }> {
  const ask = canPrompt(cfg)
  const given = args.ticket?.trim() ? args.ticket : undefined
  if (!given && !ask) throw new UsageError(TICKET_REQUIRED)
  if (!cfg.profileRef && !ask) throw new UsageError(PROFILE_REQUIRED)
  // Known before the server is asked: a single backup without --db needs a terminal to pick one.
  if (args.mode === 'single' && args.databases.length === 0 && !ask) throw new UsageError(SINGLE_NEEDS_DB)
  const ticket = given ?? (await askTicket())
  const profileRef = cfg.profileRef || (await askProfile(cfg, ctx))
  return { ticket, profileRef }
}

async function askTicket(): Promise<string> {
  for (;;) {
    const answer = await promptLine('Ticket (a change or ticket reference, e.g. CHG-1234)')
    if (answer) return answer
  }
}

/** A numbered list of the profiles in the profile folder; a number or a name picks one. */
async function askProfile(cfg: BackupConfig, ctx: CliContext): Promise<string> {
  const folder = cfg.settings.profileDir.value
  const profiles = await listProfiles(folder)
  if (profiles.length === 0)
    throw new UsageError(
      `${PROFILE_REQUIRED}; the profile folder ${folder} has none — create one with 'sfdbtools profile create'`,
    )
  ctx.err(`Profiles in ${folder}:`)
  profiles.forEach((p, i) => ctx.err(`  ${String(i + 1).padStart(3)}  ${p.name}`))
  for (;;) {
    const answer = await promptLine('Profile (number or name; empty = cancel)')
    if (!answer) throw new UsageError(`no profile chosen; give one with --profile`)
    const byNumber = /^\d+$/.test(answer) ? profiles[Number(answer) - 1] : undefined
    const chosen = byNumber ?? profiles.find((p) => p.name === answer)
    if (chosen) return chosen.name
    ctx.err(`no profile '${answer}' in the list`)
  }
}

/**
 * The databases of `backup single` without --db (one, from a searchable list) and of `backup filter`
 * without --db or --mode (a numbered list, then the file mode); asked on a terminal, a usage error
 * elsewhere. Other modes and complete flags pass through.
 */
export async function chooseDatabases(
  mode: BackupMode,
  databases: string[],
  filterMode: FilterFileMode | undefined,
  connection: ConnectionSettings,
  ask: boolean,
  ctx: CliContext,
): Promise<{ databases: string[]; filterMode: FilterFileMode | undefined }> {
  if (mode === 'single') {
    if (databases.length > 0) return { databases, filterMode }
    if (!ask) throw new UsageError(SINGLE_NEEDS_DB)
    return { databases: [await searchDatabase(ctx, await serverDatabases(connection, ctx))], filterMode }
  }
  if (mode !== 'filter' || (databases.length > 0 && filterMode !== undefined))
    return { databases, filterMode }
  if (!ask)
    throw new UsageError(
      databases.length === 0
        ? 'backup filter needs --db NAME (repeatable) or --db-file FILE'
        : 'backup filter needs --mode single-file or --mode multi-file',
    )
  const picked =
    databases.length > 0 ? databases : await pickDatabases(ctx, await serverDatabases(connection, ctx))
  return { databases: picked, filterMode: filterMode ?? (await askFilterMode(ctx)) }
}

/** s/single-file or m/multi-file; anything else is asked again (it never defaults silently). */
async function askFilterMode(ctx: CliContext): Promise<FilterFileMode> {
  for (;;) {
    const answer = (
      await promptLine('One combined file or one file per database? [s]ingle-file / [m]ulti-file')
    ).toLowerCase()
    if (/^s(ingle(-file)?)?$/.test(answer)) return 'single-file'
    if (/^m(ulti(-file)?)?$/.test(answer)) return 'multi-file'
    ctx.err(`unknown answer '${answer}': type s (one combined file) or m (one file per database)`)
  }
}

type ServerDatabase = { name: string; sizeBytes: number; tables: number }

const serverDatabases = (connection: ConnectionSettings, ctx: CliContext): Promise<ServerDatabase[]> =>
  withTunnel(
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

const listLine = (d: ServerDatabase, n: number): string =>
  `  ${String(n).padStart(3)}  ${d.name.padEnd(32)} ${formatBytes(d.sizeBytes).padStart(10)}  ${d.tables} tables`

/** One database: a number of the list, an exact name, or part of a name (asked again unless one matches). */
async function searchDatabase(ctx: CliContext, names: ServerDatabase[]): Promise<string> {
  if (names.length === 0) throw new UsageError(`the server shows no database to back up; ${SINGLE_NEEDS_DB}`)
  names.forEach((d, i) => ctx.err(listLine(d, i + 1)))
  for (;;) {
    const answer = await promptLine('Database (number, name, or part of a name to search; empty = cancel)')
    if (!answer) throw new UsageError(`no database chosen; ${SINGLE_NEEDS_DB}`)
    if (/^\d+$/.test(answer)) {
      const d = names[Number(answer) - 1]
      if (d) return d.name
      ctx.err(`no database number ${answer} in the list`)
      continue
    }
    const exact = names.find((d) => d.name === answer)
    if (exact) return exact.name
    const needle = answer.toLowerCase()
    const hits = names.flatMap((d, i) => (d.name.toLowerCase().includes(needle) ? [{ d, n: i + 1 }] : []))
    if (hits.length === 1 && hits[0]) return hits[0].d.name
    if (hits.length === 0) ctx.err(`no database matches '${answer}'`)
    else {
      ctx.err(`${hits.length} databases match '${answer}':`)
      for (const h of hits) ctx.err(listLine(h.d, h.n))
    }
  }
}

/** A numbered list to pick from on a terminal: "1,3-5" or names. */
async function pickDatabases(ctx: CliContext, names: ServerDatabase[]): Promise<string[]> {
  names.forEach((d, i) => ctx.err(listLine(d, i + 1)))
  const answer = await promptLine('Databases to back up (numbers like 1,3-5, or names; empty = cancel)')
  const picked: string[] = []
  for (const part of answer.split(/[,\s]+/).filter(Boolean)) {
    const range = /^(\d+)(?:-(\d+))?$/.exec(part)
    if (!range) {
      picked.push(part)
      continue
    }
    const to = Number(range[2] ?? range[1])
    for (let i = Number(range[1]); i <= to; i++) {
      const d = names[i - 1]
      if (!d) throw new UsageError(`no database number ${i} in the list`)
      picked.push(d.name)
    }
  }
  if (picked.length === 0) throw new UsageError('no database chosen')
  return picked
}

/**
 * `backup.encryption.enabled: true` set on purpose (config or environment) and no key found anywhere: the
 * key is asked (twice) on a terminal; elsewhere the run is refused instead of written unencrypted.
 */
export async function askBackupKey(missing: string, cfg: BackupConfig): Promise<ResolvedKey> {
  const { encrypt } = cfg.settings
  if (!canPrompt(cfg))
    throw new UsageError(
      `encryption is on (${encrypt.origin} is true) but no backup key was found: ${missing}; ` +
        'or pass --no-encrypt to write this backup unencrypted',
    )
  const key = (await promptHidden(`Backup key (${encrypt.origin} is true): `)).trim()
  if (!key)
    throw new UsageError('no backup key was entered; give one with --encryption-key or pass --no-encrypt')
  if ((await promptHidden('Repeat the key: ')).trim() !== key)
    throw new UsageError('the two keys differ; nothing was written')
  return { key, source: 'prompt' }
}
