import { loadAppConfig, resolveBackupSettings } from '../../engine/config/index.ts'
import { openConnection } from '../../engine/mysql/connection.ts'
import { getServerInfo, listDatabases } from '../../engine/mysql/server-info.ts'
import { isSystemDatabase } from '../../engine/backup/selection.ts'
import { withTunnel } from '../../engine/ssh/tunnel.ts'
import { bool, parseFlags, str, UsageError } from '../args.ts'
import { hostKeyPolicy, type CliContext } from '../context.ts'
import { openSourceProfile } from '../source-profile.ts'
import { formatBytes } from '../terminal.ts'

export const DB_SCAN_HELP = `Usage:
  sfdbtools db-scan [all|all-local] --profile N|PATH [--profile-key K] [--json] [--ssh-insecure]

Lists the server's databases with their size (data + index), tables and estimated rows, as information_schema
reports them (InnoDB's row counts and sizes are estimates). 'all' and 'all-local' (sfDBTools' spellings) list
the same: every database; nothing is stored.`

export async function dbScanCommand(argv: string[], ctx: CliContext): Promise<number> {
  const p = parseFlags(
    argv,
    {
      profile: { type: 'string', short: 'p' },
      'profile-key': { type: 'string', short: 'k' },
      json: { type: 'boolean' },
      'ssh-insecure': { type: 'boolean' },
    },
    true,
  )
  // sfDBTools' `db-scan all` and `db-scan all-local` both list every database here (see README).
  const [scope, ...extra] = p.positionals
  if ((scope !== undefined && scope !== 'all' && scope !== 'all-local') || extra.length > 0)
    throw new UsageError(
      `db-scan takes no argument, or 'all' / 'all-local'; got '${p.positionals.join(' ')}'`,
    )
  // The same profile and profile folder as a backup would use (flag > env > config).
  const loaded = await loadAppConfig(ctx.env, ctx.configDir)
  const s = resolveBackupSettings({
    flags: { profile: str(p, 'profile') },
    env: ctx.env,
    config: loaded.config,
    configPath: loaded.path,
    configDir: ctx.configDir,
  })
  const ref = s.profile.value
  if (!ref) throw new UsageError('--profile is required (a profile name or path)')
  const { profile, connection } = await openSourceProfile(
    ctx,
    ref,
    str(p, 'profile-key'),
    bool(p, 'ssh-insecure'),
    s.profileDir.value,
  )
  const { server, databases } = await withTunnel(
    connection,
    async (direct) => {
      const conn = await openConnection(direct)
      try {
        return { server: await getServerInfo(conn), databases: await listDatabases(conn) }
      } finally {
        await conn.end().catch(() => {})
      }
    },
    hostKeyPolicy(ctx),
  )
  const rows = databases.map((d) => ({ ...d, system: isSystemDatabase(d.name) }))
  if (bool(p, 'json')) {
    ctx.out(
      JSON.stringify({
        profile: profile.name,
        server: { hostname: server.hostname, flavor: server.flavor, version: server.versionString },
        databases: rows,
      }),
    )
    return 0
  }
  ctx.out(`${server.hostname} (${server.versionString}): ${rows.length} databases`)
  const width = Math.max(8, ...rows.map((r) => r.name.length))
  ctx.out(
    `${'DATABASE'.padEnd(width)}  ${'SIZE'.padStart(10)}  ${'TABLES'.padStart(6)}  ${'ROWS'.padStart(12)}`,
  )
  for (const r of rows)
    ctx.out(
      `${r.name.padEnd(width)}  ${formatBytes(r.sizeBytes).padStart(10)}  ${String(r.tables).padStart(6)}  ` +
        `${('~' + r.rows).padStart(12)}${r.system ? '  (system)' : ''}`,
    )
  const total = rows.reduce((n, r) => n + r.sizeBytes, 0)
  ctx.out(`total ${formatBytes(total)}`)
  return 0
}
