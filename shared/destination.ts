import { z } from 'zod'

/**
 * Offsite destinations: configured once (`sfdbtools destination add-folder|add-sftp|add-s3`, Settings →
 * Destinations), named per run (`--copy-to NAME`) or attached to a preset. Stored in `destinations.json`
 * of the config folder. Never holds a secret: an SFTP password lives in the OS keychain (kind
 * `sftp-password`), an S3 secret access key too (kind `s3-secret-key`).
 */
export const destinationNameSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
    'letters, digits, ".", "_" or "-", at most 64, not starting with a dot',
  )

/**
 * Retention on a destination: copies older than `retentionDays` go, the newest `minBackups` always stay.
 * Only files this project wrote (a backup set with its `.meta.json`) are ever considered.
 */
export const destinationRetentionSchema = z.strictObject({
  retentionDays: z.number().int().min(1).max(36_500),
  minBackups: z.number().int().min(1).max(10_000),
})
export type DestinationRetention = z.infer<typeof destinationRetentionSchema>

export const folderDestinationSchema = z.strictObject({
  kind: z.literal('folder'),
  name: destinationNameSchema,
  retention: destinationRetentionSchema.optional(),
  /** An absolute path: a local disk or a mounted NAS/SMB share. */
  path: z.string().min(1),
})

export const sftpDestinationSchema = z.strictObject({
  kind: z.literal('sftp'),
  name: destinationNameSchema,
  retention: destinationRetentionSchema.optional(),
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  user: z.string().min(1),
  /** The remote folder the files go to. */
  path: z.string().min(1),
  auth: z.enum(['password', 'key']),
  /** The private key file (auth 'key'). */
  identityFile: z.string().min(1).optional(),
})

export const S3_SSE = ['AES256', 'aws:kms'] as const
export const S3_CREDENTIALS = ['keychain', 'aws-chain'] as const

/**
 * S3-compatible object storage (AWS S3, MinIO, Ceph RGW, Cloudflare R2, …). Credentials: the access key id
 * here and its secret in the OS keychain (kind `s3-secret-key`, account `s3-secret-key:<name>`), or the
 * standard AWS chain (environment, ~/.aws profile, instance role) with `credentials: 'aws-chain'`.
 */
export const s3DestinationSchema = z.strictObject({
  kind: z.literal('s3'),
  name: destinationNameSchema,
  retention: destinationRetentionSchema.optional(),
  bucket: z.string().min(3).max(63),
  /** The key prefix the files go under ('' = the bucket's root; else ends without '/'). */
  prefix: z.string().max(900),
  region: z.string().min(1).max(64),
  /** A custom endpoint (MinIO, Ceph RGW, R2, …); absent for AWS itself. */
  endpoint: z.string().url().optional(),
  /** Path-style addressing (`endpoint/bucket/key`), which most self-hosted stores need. */
  pathStyle: z.boolean(),
  credentials: z.enum(S3_CREDENTIALS),
  /** With `credentials: 'keychain'`. */
  accessKeyId: z.string().min(1).max(256).optional(),
  /** An optional storage class (STANDARD_IA, GLACIER_IR, …). */
  storageClass: z.string().min(1).max(64).optional(),
  /** Optional server-side encryption, with a KMS key id for aws:kms. */
  sse: z.enum(S3_SSE).optional(),
  kmsKeyId: z.string().min(1).max(2048).optional(),
})

export const destinationSchema = z.discriminatedUnion('kind', [
  folderDestinationSchema,
  sftpDestinationSchema,
  s3DestinationSchema,
])
export type Destination = z.infer<typeof destinationSchema>
export type FolderDestination = z.infer<typeof folderDestinationSchema>
export type SftpDestination = z.infer<typeof sftpDestinationSchema>
export type S3Destination = z.infer<typeof s3DestinationSchema>

export const destinationsFileSchema = z.strictObject({
  version: z.literal(1),
  destinations: z.array(destinationSchema),
})
export type DestinationsFile = z.infer<typeof destinationsFileSchema>

/** One verified copy of a backup, as recorded in its `.meta.json` (`copies`). Never holds a secret. */
export interface OffsiteCopy {
  destination: string
  url: string
  verified_at: string
}

/** A backup on a destination a restore can read (`destination files`, the Restore page). Never a secret. */
export interface RemoteBackupFile {
  /** The dump's name on the destination. */
  name: string
  bytes: number
  /** When the backup was made (its metadata), else the file's time; ISO. */
  date: string | null
  databases: string[]
  type: string
  encrypted: boolean
  compression: string | null
  ticket: string | null
  /** The server it was made from (its @@hostname, else host). */
  server: string | null
}
