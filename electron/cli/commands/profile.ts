import {
  listProfiles,
  profileDir,
  readProfile,
  validateProfileName,
  writeProfile,
  type ProfileData,
} from '../../engine/profiles/index.ts'
import { testConnection } from '../../engine/mysql/connection-test.ts'
import { bool, intFlag, parseFlags, required, str, UsageError } from '../args.ts'
import { hostKeyPolicy, keySources, type CliContext } from '../context.ts'
import { cloneProfile, deleteProfile, editProfile, importProfile } from './profile-manage.ts'
import { SSH_FLAGS, sshFromFlags, TLS_FLAGS, tlsFromFlags } from './profile-flags.ts'
import { resolveProfileKey } from '../keys.ts'
import { openSourceProfile } from '../source-profile.ts'
import { isInteractive, promptHidden, promptLine, readStdin } from '../terminal.ts'

export const PROFILE_HELP = `Usage:
  sfdbtools profile create --name N --host H [--port P] --user U [--socket S] --password-stdin [--profile-key K] [--force]
      (on a terminal, whatever is left out is asked for)
      [--ssl-mode disabled|preferred|required|verify-ca|verify-identity] [--ssl-ca F] [--ssl-cert F] [--ssl-key F]
      [--ssh-host H [--ssh-port P] [--ssh-user U] [--ssh-identity-file F] [--ssh-local-port P]]   (edit: also --ssh-password-stdin, --no-ssh)
  sfdbtools profile list [--json]                       host, port, user, TLS and SSH when the key is at hand
  sfdbtools profile edit N [--host H] [--port P] [--user U] [--socket S] [--password-stdin]
  sfdbtools profile clone SRC NEW [--force]
  sfdbtools profile delete N [--yes]
  sfdbtools profile import FILE [--name N] [--source-key K] [--force]   any sfDBTools profile, stored under our key
      (the file's own key: --source-key, SFDB_IMPORT_PROFILE_KEY, a prompt, else the profile key)
  sfdbtools profile show N|PATH [--profile-key K] [--json]   (also: profile show --profile PATH)
  sfdbtools profile test N|PATH [--profile-key K] [--json]   connect; server, binlog/GTID, missing privileges

The profile key comes from --profile-key, SFDB_PROFILE_KEY, SFDB_SOURCE_PROFILE_KEY or SFDB_ENCRYPTION_KEY,
else a prompt on a terminal. Profiles live in <config dir>/database_profile (config dir: SFDB_CONFIG_PATH).`

/** The profile as shown to a person: never the password. */
export function maskedProfile(name: string, path: string, data: ProfileData): Record<string, unknown> {
  return {
    name,
    path,
    host: data.host,
    port: data.port,
    user: data.user,
    password: data.password ? '********' : '(empty)',
    ...(data.socket ? { socket: data.socket } : {}),
    tls: data.tls ?? { mode: 'disabled' },
    ...(data.ssh
      ? {
          ssh: {
            enabled: data.ssh.enabled,
            host: data.ssh.host,
            port: data.ssh.port,
            user: data.ssh.user,
            password: data.ssh.password ? '********' : '(empty)',
            identityFile: data.ssh.identityFile,
            localPort: data.ssh.localPort,
          },
        }
      : {}),
  }
}

async function create(argv: string[], ctx: CliContext): Promise<number> {
  const p = parseFlags(argv, {
    name: { type: 'string' },
    host: { type: 'string' },
    port: { type: 'string' },
    user: { type: 'string' },
    socket: { type: 'string' },
    'password-stdin': { type: 'boolean' },
    'profile-key': { type: 'string', short: 'k' },
    force: { type: 'boolean' },
    ...TLS_FLAGS,
    ...SSH_FLAGS,
  })
  // The wizard: on a terminal, whatever the flags leave out is asked for (the password always hidden).
  const wizard =
    isInteractive() && ['name', 'host', 'user'].some((f) => str(p, f) === undefined) && !str(p, 'socket')
  const ask = async (flag: string, question: string, fallback = ''): Promise<string> => {
    const given = str(p, flag)
    if (given !== undefined) return given
    if (!wizard) return required(p, flag)
    const answer = await promptLine(question, fallback)
    if (!answer) throw new UsageError(`${question} is required`)
    return answer
  }
  const name = validateProfileName(await ask('name', 'Profile name'))
  const socket = str(p, 'socket')
  const host = socket ? (str(p, 'host') ?? 'localhost') : await ask('host', 'Database host')
  const port =
    wizard && str(p, 'port') === undefined
      ? Number(await promptLine('Port', '3306'))
      : (intFlag(p, 'port') ?? 3306)
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new UsageError(`the port must be 1..65535, got ${port}`)
  const user = await ask('user', 'Database user')
  if (bool(p, 'password-stdin') && bool(p, 'ssh-password-stdin')) {
    throw new UsageError(
      'stdin carries one secret: use --ssh-identity-file for SSH, or set the SSH password with profile edit',
    )
  }
  let password: string
  if (bool(p, 'password-stdin')) password = await readStdin()
  else if (isInteractive()) password = await promptHidden(`Password for ${user}@${host}: `)
  else
    throw new UsageError('give the database password with --password-stdin (it is never accepted as a flag)')
  const key = await resolveProfileKey(str(p, 'profile-key'), keySources(ctx), {
    confirm: true,
    profile: name,
  })
  const tls = tlsFromFlags(p)
  const ssh = sshFromFlags(p, undefined)
  const data: ProfileData = {
    host,
    port,
    user,
    password,
    ...(socket ? { socket } : {}),
    ...(tls ? { tls } : {}),
    ...(ssh ? { ssh } : {}),
  }
  const saved = await writeProfile(profileDir(ctx.configDir), name, data, key.key, {
    overwrite: bool(p, 'force'),
  })
  ctx.out(`profile '${saved.name}' saved to ${saved.path}`)
  return 0
}

/** One line of `profile list`: the connection at a glance when the key opens the profile. */
interface ListRow {
  name: string
  path: string
  modifiedAt: string
  host?: string
  port?: number
  user?: string
  socket?: string
  tls?: string
  ssh?: string | null
  error?: string
}

async function list(argv: string[], ctx: CliContext): Promise<number> {
  const p = parseFlags(argv, { json: { type: 'boolean' }, 'profile-key': { type: 'string', short: 'k' } })
  const dir = profileDir(ctx.configDir)
  const entries = await listProfiles(dir)
  // Details need the key; listing never prompts for it (flag, environment or keychain only).
  const key = await resolveProfileKey(str(p, 'profile-key'), keySources(ctx), { noPrompt: true }).catch(
    () => null,
  )
  const rows: ListRow[] = []
  for (const e of entries) {
    const row: ListRow = { name: e.name, path: e.path, modifiedAt: e.modifiedAt.toISOString() }
    if (key) {
      try {
        const { data } = await readProfile(e.path, key.key)
        Object.assign(row, { host: data.host, port: data.port || 3306, user: data.user })
        if (data.socket) row.socket = data.socket
        row.tls = data.tls?.mode ?? 'disabled'
        row.ssh = data.ssh?.enabled ? `${data.ssh.user}@${data.ssh.host}:${data.ssh.port}` : null
      } catch (err) {
        row.error = err instanceof Error ? err.message : String(err)
      }
    }
    rows.push(row)
  }
  if (bool(p, 'json')) {
    ctx.out(JSON.stringify(rows))
    return 0
  }
  if (rows.length === 0) {
    ctx.out(
      `no profiles in ${dir} — create one with: sfdbtools profile create --name N --host H --user U --password-stdin`,
    )
    return 0
  }
  for (const r of rows) {
    const where = r.error
      ? `(not opened: ${r.error.includes('WrongKey') || r.error.includes('key') ? 'another key' : r.error})`
      : r.host === undefined
        ? ''
        : `${r.user}@${r.socket ? `socket ${r.socket}` : `${r.host}:${r.port}`}  tls ${r.tls}  ssh ${r.ssh ?? 'no'}`
    ctx.out(`${r.name.padEnd(20)} ${where}`.trimEnd())
  }
  if (!key) ctx.err('(give the profile key by flag, environment or keychain to see hosts and users)')
  return 0
}

async function show(argv: string[], ctx: CliContext): Promise<number> {
  const p = parseFlags(
    argv,
    {
      'profile-key': { type: 'string', short: 'k' },
      json: { type: 'boolean' },
      profile: { type: 'string', short: 'p' },
    },
    true,
  )
  // `profile show N|PATH`, or the package documentation's `profile show --profile PATH`.
  const refs = [...p.positionals, ...(str(p, 'profile') === undefined ? [] : [str(p, 'profile')!])]
  const ref = refs[0]
  if (!ref || refs.length > 1) throw new UsageError('profile show takes one profile name or path')
  const { profile: loaded } = await openSourceProfile(ctx, ref, str(p, 'profile-key'), false)
  const view = { ...maskedProfile(loaded.name, loaded.path, loaded.data), format: loaded.format }
  if (bool(p, 'json')) ctx.out(JSON.stringify(view))
  else
    for (const [k, v] of Object.entries(view))
      ctx.out(`${k.padEnd(10)} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
  return 0
}

const OPTION_NAMES: Record<'captureGtid' | 'grantsExport', string> = {
  captureGtid: 'GTID capture (--capture-gtid)',
  grantsExport: 'the user grants export (.users.sql; --exclude-user leaves it out)',
}

async function test(argv: string[], ctx: CliContext): Promise<number> {
  const p = parseFlags(
    argv,
    {
      'profile-key': { type: 'string', short: 'k' },
      json: { type: 'boolean' },
      'ssh-insecure': { type: 'boolean' },
    },
    true,
  )
  const ref = p.positionals[0]
  if (!ref || p.positionals.length > 1) throw new UsageError('profile test takes one profile name or path')
  const { profile, connection } = await openSourceProfile(
    ctx,
    ref,
    str(p, 'profile-key'),
    bool(p, 'ssh-insecure'),
  )
  const report = { profile: profile.name, ...(await testConnection(connection, hostKeyPolicy(ctx))) }
  if (bool(p, 'json')) ctx.out(JSON.stringify(report))
  else {
    ctx.out(`connected to ${report.server.hostname}: ${report.server.flavor} ${report.server.version}`)
    ctx.out(`binlog     ${report.binlog ? 'on' : 'off'}`)
    ctx.out(`gtid       ${report.gtid}`)
    ctx.out(`account    ${report.account}`)
    if (report.fix) {
      ctx.out(
        `missing    ${report.missingPrivileges.join(', ')} — a consistent backup needs them; an administrator can run:`,
      )
      ctx.out(`  ${report.fix}`)
    } else
      ctx.out(
        report.options.length
          ? 'privileges everything a consistent backup needs, but not what these options need:'
          : 'privileges everything a consistent backup needs',
      )
    for (const o of report.options)
      ctx.out(`option     ${OPTION_NAMES[o.option]} needs ${o.privilege}; an administrator can run: ${o.fix}`)
  }
  return report.ok ? 0 : 1
}

const SUBCOMMANDS: Record<string, (argv: string[], ctx: CliContext) => Promise<number>> = {
  create,
  list,
  ls: list,
  show,
  test,
  edit: editProfile,
  delete: deleteProfile,
  rm: deleteProfile,
  clone: cloneProfile,
  import: importProfile,
}

export async function profileCommand(argv: string[], ctx: CliContext): Promise<number> {
  const [sub, ...rest] = argv
  if (sub === undefined || sub === '--help' || sub === '-h') {
    ctx.out(PROFILE_HELP)
    return sub === undefined ? 2 : 0
  }
  const run = Object.hasOwn(SUBCOMMANDS, sub) ? SUBCOMMANDS[sub] : undefined
  if (!run) throw new UsageError(`unknown profile command '${sub}'`)
  return run(rest, ctx)
}
