/**
 * S3-compatible object storage as a destination session (AWS S3, MinIO, Ceph RGW, R2, …): a streaming
 * multipart upload with a SHA-256 checksum per part, verified after the upload (the store's composite
 * checksum, or the object read back when the store keeps none), listed, read and removed under the
 * destination's prefix. The SDK is loaded on first use only, so a CLI start does not pay for it.
 */
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { open, stat, type FileHandle } from 'node:fs/promises'
import { basename } from 'node:path'
import type { Readable } from 'node:stream'
import type * as S3Sdk from '@aws-sdk/client-s3'
import type { CompletedPart, S3Client } from '@aws-sdk/client-s3'
import type { S3Destination } from '../../../shared/destination.ts'
import { advice, EngineError, toEngineError } from '../errors.ts'
import { cancelled, noRetry } from './retry.ts'
import {
  checkCopy,
  hashStream,
  type CopiedFile,
  type CopyOptions,
  type DestinationSession,
  type RemoteFile,
} from './transfer.ts'

/** The part size of a multipart upload: 8 MiB, read from the file one part at a time. */
export const S3_PART_BYTES = 8 * 1024 * 1024
/** S3's smallest part (every part but the last). */
export const S3_MIN_PART_BYTES = 5 * 1024 * 1024
/** S3's most parts of one upload: larger files get larger parts. */
const S3_MAX_PARTS = 10_000

/** The secret of an S3 destination with `credentials: 'keychain'`: its secret access key. */
export interface S3Secret {
  secretAccessKey?: string
}

export interface S3SessionOptions {
  /** The multipart part size (at least 5 MiB; tests use the smallest). */
  partBytes?: number
}

type Sdk = typeof S3Sdk

/** The SHA-256 of bytes, raw. */
const sha256 = (b: Buffer): Buffer => createHash('sha256').update(b).digest()

/**
 * The checksum S3 reports for an object uploaded with SHA-256 checksums: for a multipart upload the
 * composite one, base64(sha256(the parts' raw digests concatenated)) + `-<parts>`; for a single PutObject
 * the plain base64 sha256 of the object (its one digest).
 */
export function s3Checksum(partDigests: Buffer[], multipart: boolean): string {
  if (!multipart) {
    if (partDigests.length !== 1) throw new EngineError('Internal', 'a single upload has one digest')
    return (partDigests[0] as Buffer).toString('base64')
  }
  return `${sha256(Buffer.concat(partDigests)).toString('base64')}-${partDigests.length}`
}

/** Whether the checksum a store returned is the one expected (some stores leave out the `-N`). */
export const sameS3Checksum = (found: string, expected: string): boolean =>
  found === expected || found.split('-')[0] === expected.split('-')[0]

/** Where the destination's files go: the prefix as a folder ('' = the bucket's root). */
const folderOf = (d: S3Destination): string => {
  const p = d.prefix.replace(/^\/+|\/+$/g, '')
  return p === '' ? '' : `${p}/`
}

/** The URL of an object: bucket and key only, never a credential. */
export const s3Url = (d: S3Destination, key: string): string => `s3://${d.bucket}/${key}`

const hostOf = (d: S3Destination): string => {
  if (!d.endpoint) return `s3.${d.region}.amazonaws.com`
  try {
    return new URL(d.endpoint).host
  } catch {
    return d.endpoint
  }
}

const LOGIN_REFUSED = new Set([
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'AccessDenied',
  'InvalidToken',
  'ExpiredToken',
  'TokenRefreshRequired',
  'InvalidClientTokenId',
])

interface SdkError {
  name?: string
  message?: string
  $metadata?: { httpStatusCode?: number }
}

/** The SDK's failures as the engine's, named, with what to do; a refused login is not tried again. */
export function s3Error(d: S3Destination, e: unknown, signal?: AbortSignal): EngineError {
  if (signal?.aborted) return cancelled()
  if (e instanceof EngineError) return e
  const sdk = (typeof e === 'object' && e !== null ? e : {}) as SdkError
  const status = sdk.$metadata?.httpStatusCode
  const named = sdk.name && !['Error', 'Unknown', 'UnknownError'].includes(sdk.name) ? sdk.name : null
  const message =
    sdk.message && !['UnknownError', 'Unknown', sdk.name].includes(sdk.message) ? sdk.message : ''
  const text =
    [named ?? (status ? `HTTP ${status}` : null), message].filter(Boolean).join(': ') ||
    toEngineError(e).message
  const where = `the S3 destination ${d.name} (${s3Url(d, folderOf(d))} at ${hostOf(d)})`
  const who = d.credentials === 'keychain' ? (d.accessKeyId ?? '') : 'the AWS credential chain'
  const refused = (what: string): EngineError =>
    noRetry(
      new EngineError('CopyFailed', what, {
        cause: e,
        advice: advice('copyLoginRefused', { destination: d.name, user: who, host: hostOf(d), kind: 's3' }),
      }),
    )
  if (sdk.name === 'CredentialsProviderError')
    return refused(
      `${where}: no credentials found in the AWS credential chain (environment, profile, instance role): ${message}`,
    )
  if (LOGIN_REFUSED.has(sdk.name ?? '') || status === 401 || status === 403)
    return refused(`${where} refused the credentials of ${who}: ${text}`)
  const error = new EngineError('CopyFailed', `${where} cannot be reached or written: ${text}`, {
    cause: e,
    advice: advice('copyUnreachable', { destination: d.name }),
  })
  // A bucket that does not exist will not appear by trying again.
  return sdk.name === 'NoSuchBucket' ? noRetry(error) : error
}

/** The client of a destination: its region, endpoint and addressing; no checksum trailers (aws-chunked). */
function clientOf(sdk: Sdk, d: S3Destination, secret: S3Secret): S3Client {
  if (d.credentials === 'keychain') {
    if (!d.accessKeyId)
      throw noRetry(new EngineError('InvalidConfig', `the S3 destination ${d.name} has no access key id`))
    if (!secret.secretAccessKey)
      throw noRetry(
        new EngineError(
          'MissingKey',
          `no secret access key of the S3 destination ${d.name} in the OS keychain`,
          {
            advice: advice('copyLoginRefused', {
              destination: d.name,
              user: d.accessKeyId,
              host: hostOf(d),
              kind: 's3',
            }),
          },
        ),
      )
  }
  return new sdk.S3Client({
    region: d.region,
    ...(d.endpoint ? { endpoint: d.endpoint } : {}),
    forcePathStyle: d.pathStyle,
    ...(d.credentials === 'keychain'
      ? { credentials: { accessKeyId: d.accessKeyId ?? '', secretAccessKey: secret.secretAccessKey ?? '' } }
      : {}),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: { connectionTimeout: 15_000, requestTimeout: 120_000 },
  })
}

/** Reads `length` bytes at `position` (one part); a file that got shorter is an error. */
async function readPart(
  handle: FileHandle,
  position: number,
  length: number,
  local: string,
): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(length)
  let filled = 0
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled)
    if (bytesRead === 0) throw new EngineError('CopyFailed', `${local} got shorter while it was copied`)
    filled += bytesRead
  }
  return buffer
}

/** The sha256 (hex) of a local file, read once before a multipart upload whose metadata needs it. */
async function fileSha256(local: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(local, {
    highWaterMark: 1024 * 1024,
  }) as AsyncIterable<Buffer>) {
    if (signal?.aborted) throw cancelled()
    hash.update(chunk)
  }
  return hash.digest('hex')
}

const checkExpected = (local: string, sha: string, expected: string | null | undefined): void => {
  if (expected && expected !== sha)
    throw new EngineError(
      'ChecksumMismatch',
      `${local} no longer matches the sha256 its metadata records: not copied`,
    )
}

/** What an upload sent: bytes, the file's sha256 (hex), and the checksum the store should report. */
interface Sent {
  bytes: number
  sha256: string
  checksum: string
}

/** An open S3 destination: one client, the upload and verify steps over it. */
class S3Session implements DestinationSession {
  private readonly sdk: Sdk
  private readonly client: S3Client
  private readonly d: S3Destination
  private readonly folder: string
  private readonly partBytes: number

  constructor(sdk: Sdk, client: S3Client, d: S3Destination, options: S3SessionOptions) {
    this.sdk = sdk
    this.client = client
    this.d = d
    this.folder = folderOf(d)
    this.partBytes = Math.max(S3_MIN_PART_BYTES, options.partBytes ?? S3_PART_BYTES)
  }

  private keyOf(name: string): string {
    return this.folder + name
  }

  /** StorageClass and server-side encryption, as configured. */
  private extras(): Record<string, string> {
    const d = this.d
    return {
      ...(d.storageClass ? { StorageClass: d.storageClass } : {}),
      ...(d.sse ? { ServerSideEncryption: d.sse } : {}),
      ...(d.sse === 'aws:kms' && d.kmsKeyId ? { SSEKMSKeyId: d.kmsKeyId } : {}),
    }
  }

  async put(local: string, options: CopyOptions = {}): Promise<CopiedFile> {
    const name = basename(local)
    const key = this.keyOf(name)
    const { signal } = options
    let uploaded = false
    try {
      const total = (await stat(local)).size
      const parts = Math.max(1, Math.ceil(total / this.partBytes))
      const partBytes = parts > S3_MAX_PARTS ? Math.ceil(total / S3_MAX_PARTS) : this.partBytes
      options.onProgress?.(0, total)
      const sent =
        total <= partBytes
          ? await this.putSingle(local, key, total, options)
          : await this.putMultipart(local, key, total, partBytes, options)
      uploaded = true
      if (signal?.aborted) throw cancelled()
      await this.verify(key, sent)
      return { url: s3Url(this.d, key), bytes: sent.bytes, sha256: sent.sha256 }
    } catch (e) {
      // A copy that does not verify (or was cancelled once complete) is not a copy.
      if (uploaded) await this.client.send(new this.sdk.DeleteObjectCommand(this.object(key))).catch(() => {})
      throw s3Error(this.d, e, signal)
    }
  }

  private object(key: string): { Bucket: string; Key: string } {
    return { Bucket: this.d.bucket, Key: key }
  }

  /** A file of one part: one PutObject with its SHA-256. */
  private async putSingle(local: string, key: string, total: number, options: CopyOptions): Promise<Sent> {
    const handle = await open(local, 'r')
    let body: Buffer
    try {
      body = await readPart(handle, 0, total, local)
    } finally {
      await handle.close()
    }
    const digest = sha256(body)
    const hex = digest.toString('hex')
    checkExpected(local, hex, options.expectedSha256)
    if (options.signal?.aborted) throw cancelled()
    await this.client.send(
      new this.sdk.PutObjectCommand({
        ...this.object(key),
        Body: body,
        ContentLength: total,
        ChecksumSHA256: digest.toString('base64'),
        Metadata: { sha256: hex },
        ...this.extras(),
      }),
      options.signal ? { abortSignal: options.signal } : {},
    )
    options.onProgress?.(total, total)
    return { bytes: total, sha256: hex, checksum: s3Checksum([digest], false) }
  }

  /**
   * A multipart upload, one part read and sent at a time, each with its SHA-256. A failure or a cancel
   * aborts the upload: the store keeps no part of it.
   */
  private async putMultipart(
    local: string,
    key: string,
    total: number,
    partBytes: number,
    options: CopyOptions,
  ): Promise<Sent> {
    const { signal } = options
    const send = signal ? { abortSignal: signal } : {}
    const metaSha = options.expectedSha256 ?? (await fileSha256(local, signal))
    if (signal?.aborted) throw cancelled()
    const created = await this.client.send(
      new this.sdk.CreateMultipartUploadCommand({
        ...this.object(key),
        ChecksumAlgorithm: 'SHA256',
        Metadata: { sha256: metaSha },
        ...this.extras(),
      }),
      send,
    )
    const uploadId = created.UploadId ?? ''
    const handle = await open(local, 'r')
    try {
      const whole = createHash('sha256')
      const digests: Buffer[] = []
      const parts: CompletedPart[] = []
      for (let position = 0; position < total;) {
        if (signal?.aborted) throw cancelled()
        const body = await readPart(handle, position, Math.min(partBytes, total - position), local)
        const digest = sha256(body)
        whole.update(body)
        digests.push(digest)
        const part = { PartNumber: digests.length, ChecksumSHA256: digest.toString('base64') }
        const out = await this.client.send(
          new this.sdk.UploadPartCommand({
            ...this.object(key),
            UploadId: uploadId,
            Body: body,
            ContentLength: body.length,
            ChecksumAlgorithm: 'SHA256',
            ...part,
          }),
          send,
        )
        parts.push({ ...part, ETag: out.ETag ?? '' })
        position += body.length
        options.onProgress?.(position, total)
      }
      if (signal?.aborted) throw cancelled()
      const hex = whole.digest('hex')
      checkExpected(local, hex, metaSha)
      await this.client.send(
        new this.sdk.CompleteMultipartUploadCommand({
          ...this.object(key),
          UploadId: uploadId,
          MultipartUpload: { Parts: parts },
        }),
      )
      return { bytes: total, sha256: hex, checksum: s3Checksum(digests, true) }
    } catch (e) {
      await this.client
        .send(new this.sdk.AbortMultipartUploadCommand({ ...this.object(key), UploadId: uploadId }))
        .catch(() => {})
      throw e
    } finally {
      await handle.close()
    }
  }

  /**
   * The object must be what was sent: its size, and the store's SHA-256 checksum when it reports one —
   * else (stores that keep none) the object read back and hashed.
   */
  private async verify(key: string, sent: Sent): Promise<void> {
    const head = await this.client.send(
      new this.sdk.HeadObjectCommand({ ...this.object(key), ChecksumMode: 'ENABLED' }),
    )
    const bytes = head.ContentLength ?? -1
    checkCopy(this.d.name, key, sent, { bytes, sha256: null })
    if (head.ChecksumSHA256) {
      if (sameS3Checksum(head.ChecksumSHA256, sent.checksum)) return
      throw new EngineError(
        'CopyFailed',
        `the copy ${key} on ${this.d.name} does not match the local file ` +
          `(checksum ${head.ChecksumSHA256}; expected ${sent.checksum})`,
        { advice: advice('copyVerifyFailed', { destination: this.d.name }) },
      )
    }
    checkCopy(this.d.name, key, sent, await hashStream(await this.read(basename(key))))
  }

  async list(): Promise<RemoteFile[]> {
    const files: RemoteFile[] = []
    let token: string | undefined
    try {
      do {
        const page = await this.client.send(
          new this.sdk.ListObjectsV2Command({
            Bucket: this.d.bucket,
            Prefix: this.folder,
            Delimiter: '/',
            ...(token ? { ContinuationToken: token } : {}),
          }),
        )
        for (const o of page.Contents ?? []) {
          const name = (o.Key ?? '').slice(this.folder.length)
          if (name === '' || name.includes('/')) continue
          files.push({ name, bytes: o.Size ?? 0, modifiedAt: o.LastModified ?? null })
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined
      } while (token)
    } catch (e) {
      throw s3Error(this.d, e)
    }
    return files
  }

  async read(name: string): Promise<Readable> {
    try {
      const out = await this.client.send(new this.sdk.GetObjectCommand(this.object(this.keyOf(name))))
      if (!out.Body) throw new EngineError('CopyFailed', `${this.keyOf(name)} on ${this.d.name} has no body`)
      return out.Body as Readable
    } catch (e) {
      throw s3Error(this.d, e)
    }
  }

  async remove(name: string): Promise<void> {
    await this.client
      .send(new this.sdk.DeleteObjectCommand(this.object(this.keyOf(name))))
      .catch((e: unknown) => {
        throw s3Error(this.d, e)
      })
  }

  close(): void {
    this.client.destroy()
  }
}

/**
 * Opens an S3 destination: the access key id of the destination with its secret from the keychain
 * (`credentials: 'keychain'`), or the SDK's default chain (environment, profile, instance role). Nothing is
 * sent yet: a wrong endpoint or key shows on the first request.
 */
export async function openS3(
  d: S3Destination,
  secret: S3Secret,
  options: S3SessionOptions = {},
): Promise<DestinationSession> {
  const sdk = await import('@aws-sdk/client-s3')
  return new S3Session(sdk, clientOf(sdk, d, secret), d, options)
}
