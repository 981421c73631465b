/**
 * The destination form's model: one flat draft for every kind (folder, SFTP, S3), what is wrong with it
 * (shown at the field), and the destination it saves — with its secret apart, which goes to the keychain
 * and never comes back (an edit without one keeps the stored one).
 */
import type { Destination, DestinationRetention } from '../../../../shared/destination.ts'
import type { DestinationView } from '../../../../shared/ipc.ts'
import type { MessageKey } from '../../i18n/messages.ts'

export const DESTINATION_KINDS = ['folder', 'sftp', 's3'] as const
export type DestinationKind = (typeof DESTINATION_KINDS)[number]

export interface DestinationDraft {
  kind: DestinationKind
  name: string
  /** A folder's path, or the SFTP server's remote folder. */
  path: string
  host: string
  port: number
  user: string
  auth: 'password' | 'key'
  identityFile: string
  /** A new SFTP password or S3 secret access key; empty keeps the stored one. */
  secret: string
  bucket: string
  prefix: string
  region: string
  endpoint: string
  pathStyle: boolean
  credentials: 'keychain' | 'aws-chain'
  accessKeyId: string
  storageClass: string
  sse: '' | 'AES256' | 'aws:kms'
  kmsKeyId: string
  retentionOn: boolean
  retentionDays: number
  minBackups: number
}

const BLANK: DestinationDraft = {
  kind: 'folder',
  name: '',
  path: '',
  host: '',
  port: 22,
  user: '',
  auth: 'key',
  identityFile: '',
  secret: '',
  bucket: '',
  prefix: '',
  region: 'us-east-1',
  endpoint: '',
  pathStyle: false,
  credentials: 'keychain',
  accessKeyId: '',
  storageClass: '',
  sse: '',
  kmsKeyId: '',
  retentionOn: false,
  retentionDays: 30,
  minBackups: 3,
}

/** The draft of a new destination, or of a stored one (never its secret). */
export function draftOf(view?: DestinationView): DestinationDraft {
  if (view === undefined) return { ...BLANK }
  const retention = view.retention
    ? {
        retentionOn: true,
        retentionDays: view.retention.retentionDays,
        minBackups: view.retention.minBackups,
      }
    : {}
  const common = { ...BLANK, kind: view.kind, name: view.name, ...retention }
  if (view.kind === 'folder') return { ...common, path: view.path }
  if (view.kind === 'sftp')
    return {
      ...common,
      path: view.path,
      host: view.host,
      port: view.port,
      user: view.user,
      auth: view.auth,
      identityFile: view.identityFile ?? '',
    }
  return {
    ...common,
    bucket: view.bucket,
    prefix: view.prefix,
    region: view.region,
    endpoint: view.endpoint ?? '',
    pathStyle: view.pathStyle,
    credentials: view.credentials,
    accessKeyId: view.accessKeyId ?? '',
    storageClass: view.storageClass ?? '',
    sse: view.sse ?? '',
    kmsKeyId: view.kmsKeyId ?? '',
  }
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/
const absolute = (path: string): boolean => path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path)

export type DraftField =
  | 'name'
  | 'path'
  | 'host'
  | 'port'
  | 'user'
  | 'identityFile'
  | 'secret'
  | 'bucket'
  | 'region'
  | 'endpoint'
  | 'accessKeyId'
  | 'kmsKeyId'
  | 'retention'

/** Whether the destination needs a secret (a password, an S3 secret access key) in the keychain. */
export const needsSecret = (d: DestinationDraft): boolean =>
  (d.kind === 'sftp' && d.auth === 'password') || (d.kind === 's3' && d.credentials === 'keychain')

/** What is wrong, by field; `secretStored`: the keychain holds one already (an edit may leave it empty). */
export function draftProblems(
  d: DestinationDraft,
  secretStored: boolean,
): Partial<Record<DraftField, MessageKey>> {
  const p: Partial<Record<DraftField, MessageKey>> = {}
  if (!NAME.test(d.name)) p.name = 'destinations.problem.name'
  if (d.kind !== 's3' && d.path.trim() === '') p.path = 'destinations.problem.path'
  if (d.kind === 'folder' && d.path.trim() !== '' && !absolute(d.path.trim()))
    p.path = 'destinations.problem.absolute'
  if (d.kind === 'sftp') {
    if (d.host.trim() === '') p.host = 'destinations.problem.host'
    if (!Number.isInteger(d.port) || d.port < 1 || d.port > 65535) p.port = 'destinations.problem.port'
    if (d.user.trim() === '') p.user = 'destinations.problem.user'
    if (d.auth === 'key' && !absolute(d.identityFile.trim()))
      p.identityFile = 'destinations.problem.identityFile'
  }
  if (d.kind === 's3') {
    if (d.bucket.trim().length < 3) p.bucket = 'destinations.problem.bucket'
    if (d.region.trim() === '') p.region = 'destinations.problem.region'
    if (d.endpoint.trim() !== '' && !/^https?:\/\/\S+$/.test(d.endpoint.trim()))
      p.endpoint = 'destinations.problem.endpoint'
    if (d.credentials === 'keychain' && d.accessKeyId.trim() === '')
      p.accessKeyId = 'destinations.problem.accessKeyId'
    if (d.sse === 'aws:kms' && d.kmsKeyId.trim() === '') p.kmsKeyId = 'destinations.problem.kmsKeyId'
  }
  if (needsSecret(d) && d.secret === '' && !secretStored) p.secret = 'destinations.problem.secret'
  const whole = (n: number): boolean => Number.isInteger(n) && n >= 1
  if (d.retentionOn && !(whole(d.retentionDays) && whole(d.minBackups)))
    p.retention = 'destinations.problem.retention'
  return p
}

/** The retention the draft sets, or undefined for none. */
export const draftRetention = (d: DestinationDraft): DestinationRetention | undefined =>
  d.retentionOn ? { retentionDays: d.retentionDays, minBackups: d.minBackups } : undefined

const optional = <K extends string>(key: K, value: string): Partial<Record<K, string>> =>
  value.trim() === '' ? {} : ({ [key]: value.trim() } as Record<K, string>)

/** The destination a valid draft saves, and the new secret (undefined: keep the stored one). */
export function destinationOf(d: DestinationDraft): { destination: Destination; secret: string | undefined } {
  const retention = draftRetention(d)
  const common = { name: d.name.trim(), ...(retention ? { retention } : {}) }
  const secret = needsSecret(d) && d.secret !== '' ? d.secret : undefined
  if (d.kind === 'folder') return { destination: { kind: 'folder', ...common, path: d.path.trim() }, secret }
  if (d.kind === 'sftp')
    return {
      destination: {
        kind: 'sftp',
        ...common,
        host: d.host.trim(),
        port: d.port,
        user: d.user.trim(),
        path: d.path.trim(),
        auth: d.auth,
        ...(d.auth === 'key' ? { identityFile: d.identityFile.trim() } : {}),
      },
      secret,
    }
  return {
    destination: {
      kind: 's3',
      ...common,
      bucket: d.bucket.trim(),
      prefix: d.prefix.trim().replace(/\/+$/, ''),
      region: d.region.trim(),
      ...optional('endpoint', d.endpoint),
      pathStyle: d.pathStyle,
      credentials: d.credentials,
      ...(d.credentials === 'keychain' ? optional('accessKeyId', d.accessKeyId) : {}),
      ...optional('storageClass', d.storageClass),
      ...(d.sse === '' ? {} : { sse: d.sse }),
      ...(d.sse === 'aws:kms' ? optional('kmsKeyId', d.kmsKeyId) : {}),
    },
    secret,
  }
}

/** Where a destination is, in one line (no secret): the folder, user@host:port/path, or the bucket/prefix. */
export function describeDestination(d: Destination): string {
  if (d.kind === 'folder') return d.path
  if (d.kind === 'sftp') return `${d.user}@${d.host}:${d.port}${d.path.startsWith('/') ? '' : '/'}${d.path}`
  return `s3://${d.bucket}${d.prefix === '' ? '' : `/${d.prefix}`}${d.endpoint ? ` (${d.endpoint})` : ''}`
}
