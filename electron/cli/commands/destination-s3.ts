/**
 * `sfdbtools destination add-s3`: an S3-compatible bucket as a destination. The secret access key comes from
 * stdin (a pipe) or a hidden prompt, never from an argument, and goes to the OS keychain
 * (`s3-secret-key:<name>`); with `--aws-chain` the SDK's default chain (environment, profile) is used.
 */
import { stdin } from 'node:process'
import { S3_SSE, type Destination } from '../../../shared/destination.ts'
import { EngineError } from '../../engine/errors.ts'
import { putDestination } from '../../engine/offsite/destinations.ts'
import { bool, parseFlags, required, str, UsageError, type Parsed } from '../args.ts'
import type { CliContext } from '../context.ts'
import { isInteractive, promptHidden, readStdin } from '../terminal.ts'
import { RETENTION_FLAGS, retentionFor } from './destination-retention.ts'

const S3_FLAGS = {
  bucket: { type: 'string' },
  prefix: { type: 'string' },
  region: { type: 'string' },
  endpoint: { type: 'string' },
  'path-style': { type: 'boolean' },
  'storage-class': { type: 'string' },
  sse: { type: 'string' },
  'kms-key-id': { type: 'string' },
  'access-key-id': { type: 'string' },
  'secret-stdin': { type: 'boolean' },
  'aws-chain': { type: 'boolean' },
  ...RETENTION_FLAGS,
} as const

async function readSecret(p: Parsed): Promise<string> {
  let secret: string
  if (bool(p, 'secret-stdin')) {
    if (stdin.isTTY)
      throw new UsageError('--secret-stdin expects the secret access key on standard input (a pipe)')
    secret = await readStdin()
  } else if (isInteractive()) secret = await promptHidden('S3 secret access key: ')
  else throw new UsageError('give the secret access key with --secret-stdin (a pipe), or run in a terminal')
  if (!secret) throw new EngineError('InvalidInput', 'the secret access key is empty')
  return secret
}

/** The destination the flags describe (the secret aside). */
async function s3From(p: Parsed, name: string, ctx: CliContext): Promise<Destination> {
  const accessKeyId = str(p, 'access-key-id')
  const chain = bool(p, 'aws-chain')
  if ((accessKeyId === undefined) === !chain)
    throw new UsageError('give either --access-key-id ID (its secret from stdin or a prompt) or --aws-chain')
  if (chain && bool(p, 'secret-stdin'))
    throw new UsageError('--aws-chain and --secret-stdin contradict each other')
  const sse = str(p, 'sse')
  if (sse !== undefined && !(S3_SSE as readonly string[]).includes(sse))
    throw new UsageError(`--sse must be ${S3_SSE.join(' or ')}, got '${sse}'`)
  const kmsKeyId = str(p, 'kms-key-id')
  if (kmsKeyId !== undefined && sse !== 'aws:kms')
    throw new UsageError('--kms-key-id goes with --sse aws:kms')
  const endpoint = str(p, 'endpoint')
  const storageClass = str(p, 'storage-class')
  return {
    kind: 's3',
    name,
    bucket: required(p, 'bucket'),
    prefix: (str(p, 'prefix') ?? '').replace(/^\/+|\/+$/g, ''),
    region: required(p, 'region'),
    ...(endpoint ? { endpoint } : {}),
    pathStyle: bool(p, 'path-style'),
    credentials: chain ? 'aws-chain' : 'keychain',
    ...(accessKeyId ? { accessKeyId } : {}),
    ...(storageClass ? { storageClass } : {}),
    ...(sse ? { sse: sse as (typeof S3_SSE)[number] } : {}),
    ...(kmsKeyId ? { kmsKeyId } : {}),
    ...(await retentionFor(p, ctx, name)),
  }
}

/** `destination add-s3 NAME --bucket B --region R … (--access-key-id ID [--secret-stdin] | --aws-chain)`. */
export async function addS3(rest: string[], ctx: CliContext): Promise<number> {
  const p = parseFlags(rest, S3_FLAGS, true)
  const [name] = p.positionals
  if (!name || p.positionals.length > 1)
    throw new UsageError(
      'destination add-s3 NAME --bucket B --region R (--access-key-id ID | --aws-chain); secrets are never arguments',
    )
  const destination = await s3From(p, name, ctx)
  const secret =
    destination.kind === 's3' && destination.credentials === 'keychain' ? await readSecret(p) : null
  await putDestination(ctx.configDir, destination)
  await ctx.keychain.delete('sftp-password', name).catch(() => false)
  if (secret !== null) await ctx.keychain.set('s3-secret-key', secret, name)
  else await ctx.keychain.delete('s3-secret-key', name).catch(() => false)
  const d = destination as Extract<Destination, { kind: 's3' }>
  ctx.out(
    `destination ${name} saved (s3://${d.bucket}/${d.prefix}${d.endpoint ? ` at ${d.endpoint}` : ''}, region ${d.region}, ${
      d.credentials === 'keychain' ? 'secret access key in the keychain' : 'the AWS credential chain'
    })`,
  )
  return 0
}
