import { randomBytes } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, isAbsolute, join, resolve } from 'node:path'
import type { Destination } from '../../../shared/destination.ts'
import { EngineError } from '../../engine/errors.ts'
import {
  findDestinations,
  loadDestinations,
  putDestination,
  removeDestination,
} from '../../engine/offsite/destinations.ts'
import { probeFolder } from '../../engine/offsite/folder-copy.ts'
import { openSftp } from '../../engine/offsite/sftp-copy.ts'
import { bool, intFlag, parseFlags, required, str, UsageError } from '../args.ts'
import type { CliContext } from '../context.ts'
import { runDestinations, sftpHostKeys } from '../offsite.ts'
import { isInteractive, promptHidden, readStdin } from '../terminal.ts'

export const DESTINATION_HELP = `Usage:
  sfdbtools destination add-folder NAME PATH          a folder: a local disk or a mounted NAS/SMB share
  sfdbtools destination add-sftp NAME --host H [--port 22] --user U --path REMOTE_DIR
                         (--identity-file FILE | --password-stdin)   the password from stdin (a pipe) or,
                         on a terminal without either, a hidden prompt; kept in the OS keychain
  sfdbtools destination list [--json]
  sfdbtools destination test NAME [--ssh-insecure]   writes, verifies and removes a small probe file
  sfdbtools destination remove NAME                   (and its password in the keychain)

Backups are copied with 'sfdbtools backup … --copy-to NAME' (repeatable): after each successful file, the
file and its companions, written as <name>.part then renamed, each verified by size and sha256, recorded
in the .meta.json (copies). SFTP host keys are checked against <config dir>/known_hosts as for the SSH
tunnel (confirmed once on a terminal, e.g. by 'destination test'). A secret is never an argument.`

async function readPassword(p: ReturnType<typeof parseFlags>): Promise<string> {
  let secret: string
  if (bool(p, 'password-stdin')) secret = await readStdin()
  else if (isInteractive()) secret = await promptHidden('SFTP password: ')
  else throw new UsageError('give the password with --password-stdin (a pipe), or run in a terminal')
  if (!secret) throw new EngineError('InvalidInput', 'the password is empty')
  return secret
}

const describe = (d: Destination): string =>
  d.kind === 'folder'
    ? `${d.name}\tfolder\t${d.path}`
    : d.kind === 's3'
      ? `${d.name}\ts3\t${d.bucket}/${d.prefix}`
      : `${d.name}\tsftp\t${d.user}@${d.host}:${d.port}${d.path.startsWith('/') ? '' : '/'}${d.path}\t(${d.auth === 'key' ? `key ${d.identityFile ?? ''}` : 'password in the keychain'})`

export async function destinationCommand(argv: string[], ctx: CliContext): Promise<number> {
  const [sub, ...rest] = argv
  switch (sub) {
    case 'add-folder': {
      const p = parseFlags(rest, {}, true)
      const [name, path] = p.positionals
      if (!name || !path || p.positionals.length > 2) throw new UsageError('destination add-folder NAME PATH')
      await putDestination(ctx.configDir, {
        kind: 'folder',
        name,
        path: isAbsolute(path) ? path : resolve(path),
      })
      ctx.out(`destination ${name} saved (folder ${resolve(path)})`)
      return 0
    }
    case 'add-sftp':
      return addSftp(rest, ctx)
    case 'list': {
      const p = parseFlags(rest, { json: { type: 'boolean' } })
      const all = await loadDestinations(ctx.configDir)
      if (bool(p, 'json')) ctx.out(JSON.stringify({ destinations: all }))
      else if (all.length === 0)
        ctx.out('no destinations (add one with sfdbtools destination add-folder|add-sftp)')
      else for (const d of all) ctx.out(describe(d))
      return 0
    }
    case 'test':
      return testDestination(rest, ctx)
    case 'remove': {
      const p = parseFlags(rest, {}, true)
      const [name] = p.positionals
      if (!name) throw new UsageError('destination remove NAME')
      await findDestinations(ctx.configDir, [name])
      await removeDestination(ctx.configDir, name)
      await ctx.keychain.delete('sftp-password', name).catch(() => false)
      ctx.out(`destination ${name} removed`)
      return 0
    }
    default:
      throw new UsageError(
        sub === undefined
          ? 'destination needs a command: add-folder, add-sftp, list, test or remove'
          : `unknown destination command '${sub}'`,
      )
  }
}

/** `destination add-sftp`: the password (when no identity file) from stdin or a prompt, into the keychain. */
async function addSftp(rest: string[], ctx: CliContext): Promise<number> {
  const p = parseFlags(
    rest,
    {
      host: { type: 'string' },
      port: { type: 'string' },
      user: { type: 'string' },
      path: { type: 'string' },
      'identity-file': { type: 'string' },
      'password-stdin': { type: 'boolean' },
    },
    true,
  )
  const [name] = p.positionals
  if (!name || p.positionals.length > 1)
    throw new UsageError(
      'destination add-sftp NAME --host H --user U --path DIR; secrets are never arguments',
    )
  const identityFile = str(p, 'identity-file')
  if (identityFile && bool(p, 'password-stdin'))
    throw new UsageError('--identity-file and --password-stdin contradict each other')
  const destination: Destination = {
    kind: 'sftp',
    name,
    host: required(p, 'host'),
    port: intFlag(p, 'port') ?? 22,
    user: required(p, 'user'),
    path: required(p, 'path'),
    ...(identityFile ? { auth: 'key', identityFile: resolve(identityFile) } : { auth: 'password' }),
  }
  const password = destination.auth === 'password' ? await readPassword(p) : null
  await putDestination(ctx.configDir, destination)
  if (password !== null) await ctx.keychain.set('sftp-password', password, name)
  else await ctx.keychain.delete('sftp-password', name).catch(() => false)
  ctx.out(`destination ${name} saved (sftp ${destination.user}@${destination.host}:${destination.port})`)
  return 0
}

/** `destination test`: a small probe file written, verified and removed. */
async function testDestination(rest: string[], ctx: CliContext): Promise<number> {
  const p = parseFlags(rest, { 'ssh-insecure': { type: 'boolean' } }, true)
  const [name] = p.positionals
  if (!name) throw new UsageError('destination test NAME')
  const [run] = await runDestinations([name], ctx)
  if (!run) throw new UsageError('destination test NAME')
  const dir = await mkdtemp(join(tmpdir(), 'sfdb-probe-'))
  const probe = join(dir, `.sfdbtools-probe-${randomBytes(6).toString('hex')}`)
  try {
    await writeFile(probe, `sfdbtools destination test ${new Date().toISOString()}\n`, { mode: 0o600 })
    const d = run.destination
    if (d.kind === 'folder') await probeFolder(d, probe)
    else if (d.kind === 'sftp') {
      const session = await openSftp(d, run.secret ?? {}, sftpHostKeys(ctx, bool(p, 'ssh-insecure')))
      try {
        await session.put(probe)
        await session.remove(basename(probe))
      } finally {
        session.close()
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
  ctx.out(`destination ${name}: a probe file was written, verified and removed`)
  return 0
}
