import { isAbsolute, resolve } from 'node:path'
import type { Destination } from '../../../shared/destination.ts'
import { EngineError } from '../../engine/errors.ts'
import {
  findDestinations,
  loadDestinations,
  putDestination,
  removeDestination,
} from '../../engine/offsite/destinations.ts'
import { probeDestination } from '../../engine/offsite/probe.ts'
import { bool, intFlag, parseFlags, required, str, UsageError } from '../args.ts'
import type { CliContext } from '../context.ts'
import { runDestinations, sftpHostKeys } from '../offsite.ts'
import { isInteractive, promptHidden, readStdin } from '../terminal.ts'
import {
  describeRetention,
  prune,
  RETENTION_FLAGS,
  retentionFor,
  setRetention,
} from './destination-retention.ts'
import { addS3 } from './destination-s3.ts'
import { destinationFiles } from './destination-files.ts'

export const DESTINATION_HELP = `Usage:
  sfdbtools destination add-folder NAME PATH          a folder: a local disk or a mounted NAS/SMB share
  sfdbtools destination add-sftp NAME --host H [--port 22] --user U --path REMOTE_DIR
                         (--identity-file FILE | --password-stdin)   the password from stdin (a pipe) or,
                         on a terminal without either, a hidden prompt; kept in the OS keychain
  sfdbtools destination add-s3 NAME --bucket B [--prefix P] --region R [--endpoint URL] [--path-style]
                         [--storage-class C] [--sse AES256|aws:kms] [--kms-key-id ID]
                         (--access-key-id ID [--secret-stdin] | --aws-chain)
                         S3 or an S3-compatible store (--endpoint, and --path-style for most self-hosted
                         ones); the secret access key from stdin (a pipe) or a hidden prompt, kept in the
                         OS keychain; --aws-chain uses the AWS environment variables or profile instead
      every add-* also takes [--retention-days N --min-backups M] (kept when added again without them)
  sfdbtools destination list [--json]
  sfdbtools destination files NAME [--json] [--ssh-insecure]   the backups on it a restore can read
                         ('sfdbtools restore <mode> --from-destination NAME --file F …')
  sfdbtools destination test NAME [--ssh-insecure]   writes, verifies and removes a small probe file
  sfdbtools destination set-retention NAME (--retention-days N --min-backups M | --off)
  sfdbtools destination prune NAME [--apply] [--json] [--ssh-insecure]
                         the destination's retention: lists the backup sets older than N days beyond the
                         newest M of each database set; removes them only with --apply
  sfdbtools destination remove NAME                   (and its password or secret key in the keychain)

Backups are copied with 'sfdbtools backup … --copy-to NAME' (repeatable): after each successful file, the
file and its companions, written as <name>.part then renamed (S3: a multipart upload, complete or none),
each verified by size and sha256, recorded in the .meta.json (copies). Then the retention of each
destination that has one runs (only backup sets with our .meta.json are ever removed; a failure there is a
warning). SFTP host keys are checked against <config dir>/known_hosts as for the SSH tunnel (confirmed once
on a terminal, e.g. by 'destination test'). A secret is never an argument.`

async function readPassword(p: ReturnType<typeof parseFlags>): Promise<string> {
  let secret: string
  if (bool(p, 'password-stdin')) secret = await readStdin()
  else if (isInteractive()) secret = await promptHidden('SFTP password: ')
  else throw new UsageError('give the password with --password-stdin (a pipe), or run in a terminal')
  if (!secret) throw new EngineError('InvalidInput', 'the password is empty')
  return secret
}

function describe(d: Destination): string {
  const where =
    d.kind === 'folder'
      ? `folder\t${d.path}`
      : d.kind === 's3'
        ? `s3\ts3://${d.bucket}/${d.prefix}${d.endpoint ? ` at ${d.endpoint}` : ''} (region ${d.region}, ${
            d.credentials === 'keychain'
              ? `key ${d.accessKeyId ?? ''}, secret in the keychain`
              : 'AWS credential chain'
          }${d.storageClass ? `, ${d.storageClass}` : ''}${d.sse ? `, SSE ${d.sse}` : ''})`
        : `sftp\t${d.user}@${d.host}:${d.port}${d.path.startsWith('/') ? '' : '/'}${d.path}\t(${d.auth === 'key' ? `key ${d.identityFile ?? ''}` : 'password in the keychain'})`
  return `${d.name}\t${where}\t${describeRetention(d.retention)}`
}

export async function destinationCommand(argv: string[], ctx: CliContext): Promise<number> {
  const [sub, ...rest] = argv
  switch (sub) {
    case 'add-folder': {
      const p = parseFlags(rest, RETENTION_FLAGS, true)
      const [name, path] = p.positionals
      if (!name || !path || p.positionals.length > 2) throw new UsageError('destination add-folder NAME PATH')
      await putDestination(ctx.configDir, {
        kind: 'folder',
        name,
        path: isAbsolute(path) ? path : resolve(path),
        ...(await retentionFor(p, ctx, name)),
      })
      await forgetSecrets(ctx, name)
      ctx.out(`destination ${name} saved (folder ${resolve(path)})`)
      return 0
    }
    case 'add-sftp':
      return addSftp(rest, ctx)
    case 'add-s3':
      return addS3(rest, ctx)
    case 'set-retention':
      return setRetention(rest, ctx)
    case 'prune':
      return prune(rest, ctx)
    case 'list': {
      const p = parseFlags(rest, { json: { type: 'boolean' } })
      const all = await loadDestinations(ctx.configDir)
      if (bool(p, 'json')) ctx.out(JSON.stringify({ destinations: all }))
      else if (all.length === 0)
        ctx.out('no destinations (add one with sfdbtools destination add-folder|add-sftp|add-s3)')
      else for (const d of all) ctx.out(describe(d))
      return 0
    }
    case 'files':
      return destinationFiles(rest, ctx)
    case 'test':
      return testDestination(rest, ctx)
    case 'remove': {
      const p = parseFlags(rest, {}, true)
      const [name] = p.positionals
      if (!name) throw new UsageError('destination remove NAME')
      await findDestinations(ctx.configDir, [name])
      await removeDestination(ctx.configDir, name)
      await forgetSecrets(ctx, name)
      ctx.out(`destination ${name} removed`)
      return 0
    }
    default:
      throw new UsageError(
        sub === undefined
          ? 'destination needs a command: add-folder, add-sftp, add-s3, list, files, test, set-retention, prune or remove'
          : `unknown destination command '${sub}'`,
      )
  }
}

/** Removes the secrets a destination of this name may have in the keychain (its kind may have changed). */
async function forgetSecrets(ctx: CliContext, name: string): Promise<void> {
  await ctx.keychain.delete('sftp-password', name).catch(() => false)
  await ctx.keychain.delete('s3-secret-key', name).catch(() => false)
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
      ...RETENTION_FLAGS,
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
    ...(await retentionFor(p, ctx, name)),
  }
  const password = destination.auth === 'password' ? await readPassword(p) : null
  await putDestination(ctx.configDir, destination)
  await forgetSecrets(ctx, name)
  if (password !== null) await ctx.keychain.set('sftp-password', password, name)
  ctx.out(`destination ${name} saved (sftp ${destination.user}@${destination.host}:${destination.port})`)
  return 0
}

/** `destination test`: a small probe file written, verified and removed (engine/offsite/probe.ts). */
async function testDestination(rest: string[], ctx: CliContext): Promise<number> {
  const p = parseFlags(rest, { 'ssh-insecure': { type: 'boolean' } }, true)
  const [name] = p.positionals
  if (!name) throw new UsageError('destination test NAME')
  const [run] = await runDestinations([name], ctx)
  if (!run) throw new UsageError('destination test NAME')
  await probeDestination(run, sftpHostKeys(ctx, bool(p, 'ssh-insecure')))
  ctx.out(`destination ${name}: a probe file was written, verified and removed`)
  return 0
}
