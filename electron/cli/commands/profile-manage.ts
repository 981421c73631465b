import { unlink } from 'node:fs/promises'
import { resolve } from 'node:path'
import { EngineError, toEngineError } from '../../engine/errors.ts'
import {
  profileDir,
  profileDisplayName,
  readProfile,
  resolveProfileRef,
  validateProfileName,
  writeProfile,
  type ProfileData,
} from '../../engine/profiles/index.ts'
import { bool, intFlag, parseFlags, str, UsageError, type Parsed } from '../args.ts'
import { keySources, type CliContext } from '../context.ts'
import { SSH_FLAGS, sshFromFlags, TLS_FLAGS, tlsFromFlags } from './profile-flags.ts'
import { resolveProfileKey } from '../keys.ts'
import { isInteractive, promptHidden, readStdin } from '../terminal.ts'

/** Env var for the key of a profile file being imported (it may differ from ours). */
export const IMPORT_KEY_ENV = 'SFDB_IMPORT_PROFILE_KEY'

const onePositional = (p: Parsed, count: number, usage: string): string[] => {
  if (p.positionals.length !== count) throw new UsageError(usage)
  return p.positionals
}

/** The key of a file being imported: --source-key, SFDB_IMPORT_PROFILE_KEY, a prompt, else our own key. */
async function importKey(p: Parsed, ctx: CliContext, file: string): Promise<string> {
  const flag = str(p, 'source-key')
  if (flag !== undefined) return flag.trim()
  const env = ctx.env[IMPORT_KEY_ENV]
  if (env) return env
  if (isInteractive())
    return (await promptHidden(`Key of ${file} (empty: the same as our profile key): `)).trim()
  return ''
}

/**
 * `profile import FILE`: reads a profile file of any sfDBTools version with its own key and stores it under
 * ours, in the current format. A name clash is refused unless --force; the source file is never changed.
 */
export async function importProfile(argv: string[], ctx: CliContext): Promise<number> {
  const p = parseFlags(
    argv,
    {
      name: { type: 'string' },
      'source-key': { type: 'string' },
      'profile-key': { type: 'string', short: 'k' },
      force: { type: 'boolean' },
    },
    true,
  )
  const [file = ''] = onePositional(p, 1, 'profile import takes one profile file')
  const source = resolve(file)
  const ours = await resolveProfileKey(str(p, 'profile-key'), keySources(ctx), {
    profile: 'the imported profile',
  })
  const theirs = (await importKey(p, ctx, source)) || ours.key
  const loaded = await readProfile(source, theirs)
  const name = validateProfileName(str(p, 'name') ?? profileDisplayName(source))
  const saved = await writeProfile(profileDir(ctx.configDir), name, loaded.data, ours.key, {
    overwrite: bool(p, 'force'),
  }).catch((e: unknown) => {
    const error = toEngineError(e)
    if (error.code !== 'ProfileExists') throw error
    throw new EngineError('ProfileExists', `${error.message}: give --name NEW, or --force to replace it`)
  })
  ctx.out(`imported ${source} (${loaded.format}) as profile '${saved.name}' (${saved.path})`)
  return 0
}

/** `profile clone SRC NEW`: the same connection under a new name, with our key. */
export async function cloneProfile(argv: string[], ctx: CliContext): Promise<number> {
  const p = parseFlags(
    argv,
    { 'profile-key': { type: 'string', short: 'k' }, force: { type: 'boolean' } },
    true,
  )
  const [from = '', to = ''] = onePositional(p, 2, 'profile clone takes the source profile and the new name')
  const dir = profileDir(ctx.configDir)
  const key = await resolveProfileKey(str(p, 'profile-key'), keySources(ctx), { profile: from })
  const loaded = await readProfile(resolveProfileRef(dir, from), key.key)
  const saved = await writeProfile(dir, validateProfileName(to), loaded.data, key.key, {
    overwrite: bool(p, 'force'),
  })
  ctx.out(`profile '${loaded.name}' cloned to '${saved.name}' (${saved.path})`)
  return 0
}

/** `profile delete N`: asks on a terminal; elsewhere it needs --yes. */
export async function deleteProfile(argv: string[], ctx: CliContext): Promise<number> {
  const p = parseFlags(argv, { yes: { type: 'boolean', short: 'y' } }, true)
  const [ref = ''] = onePositional(p, 1, 'profile delete takes one profile name')
  const path = resolveProfileRef(profileDir(ctx.configDir), validateProfileName(ref))
  if (!bool(p, 'yes')) {
    if (!isInteractive())
      throw new UsageError(`deleting profile '${ref}' needs --yes when not run in a terminal`)
    const answer = (
      await promptHidden(`Delete profile '${ref}' (${path})? Type the name to confirm: `)
    ).trim()
    if (answer !== ref) throw new UsageError('not confirmed; nothing was deleted')
  }
  await unlink(path).catch((e: unknown) => {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new EngineError('ProfileNotFound', `no profile '${ref}' (${path}); see sfdbtools profile list`)
    }
    throw toEngineError(e, path)
  })
  ctx.out(`profile '${ref}' deleted`)
  return 0
}

/** `profile edit N`: changes only the fields given; the file is rewritten atomically. */
export async function editProfile(argv: string[], ctx: CliContext): Promise<number> {
  const p = parseFlags(
    argv,
    {
      host: { type: 'string' },
      port: { type: 'string' },
      user: { type: 'string' },
      socket: { type: 'string' },
      'password-stdin': { type: 'boolean' },
      'profile-key': { type: 'string', short: 'k' },
      ...TLS_FLAGS,
      ...SSH_FLAGS,
    },
    true,
  )
  const [ref = ''] = onePositional(p, 1, 'profile edit takes one profile name')
  const dir = profileDir(ctx.configDir)
  const key = await resolveProfileKey(str(p, 'profile-key'), keySources(ctx), { profile: ref })
  const loaded = await readProfile(resolveProfileRef(dir, validateProfileName(ref)), key.key)
  const port = intFlag(p, 'port')
  if (port !== undefined && (port < 1 || port > 65535))
    throw new UsageError(`--port must be 1..65535, got ${port}`)
  if (bool(p, 'password-stdin') && bool(p, 'ssh-password-stdin')) {
    throw new UsageError('stdin carries one secret: change the database and the SSH password in two edits')
  }
  const sshPassword = bool(p, 'ssh-password-stdin') ? await readStdin() : undefined
  const data: ProfileData = {
    ...loaded.data,
    ...(str(p, 'host') !== undefined ? { host: str(p, 'host') as string } : {}),
    ...(port !== undefined ? { port } : {}),
    ...(str(p, 'user') !== undefined ? { user: str(p, 'user') as string } : {}),
    ...(str(p, 'socket') !== undefined ? { socket: str(p, 'socket') as string } : {}),
    ...(bool(p, 'password-stdin') ? { password: await readStdin() } : {}),
  }
  const tls = tlsFromFlags(p, loaded.data.tls)
  if (tls === undefined || tls.mode === 'disabled') delete data.tls
  else data.tls = tls
  const ssh = sshFromFlags(p, loaded.data.ssh?.enabled ? loaded.data.ssh : undefined, sshPassword)
  if (ssh === undefined) delete data.ssh
  else data.ssh = ssh
  await writeProfile(dir, loaded.name, data, key.key, { overwrite: true })
  ctx.out(`profile '${loaded.name}' updated`)
  return 0
}
