import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { Readable } from 'node:stream'
import { advice, EngineError } from '../errors.ts'
import { cancelled } from './retry.ts'

/** What a copy of one file reports and can be stopped by. */
export interface CopyOptions {
  signal?: AbortSignal
  /** Bytes of this file written so far, and its size. */
  onProgress?: (bytes: number, total: number) => void
  /** The sha256 the local file must have (its metadata's), when known. */
  expectedSha256?: string | null
}

/** A verified copy of one file. */
export interface CopiedFile {
  /** Where it is, without any secret (file:// or sftp://). */
  url: string
  bytes: number
  sha256: string
}

/** A file on a destination. */
export interface RemoteFile {
  /** Its name in the destination folder (or under the S3 prefix). */
  name: string
  bytes: number
  modifiedAt: Date | null
}

/**
 * An open connection to one destination, whatever its kind (session.ts opens one): the files of a backup
 * go up with `put` (verified), `list`/`read`/`remove` serve retention, History and a restore from it.
 */
export interface DestinationSession {
  put(local: string, options?: CopyOptions): Promise<CopiedFile>
  list(): Promise<RemoteFile[]>
  read(name: string): Promise<Readable>
  remove(name: string): Promise<void>
  close(): void
}

export const CHUNK_BYTES = 256 * 1024
export const PART_SUFFIX = '.part'

/**
 * Streams a local file to `write` chunk by chunk (each written before the next is read), hashing what is
 * sent and reporting progress; a cancel stops between chunks.
 */
export async function sendFile(
  local: string,
  write: (chunk: Buffer, position: number) => Promise<void>,
  options: CopyOptions,
): Promise<{ bytes: number; sha256: string }> {
  const total = (await stat(local)).size
  const hash = createHash('sha256')
  let position = 0
  options.onProgress?.(0, total)
  for await (const chunk of createReadStream(local, {
    highWaterMark: CHUNK_BYTES,
  }) as AsyncIterable<Buffer>) {
    if (options.signal?.aborted) throw cancelled()
    hash.update(chunk)
    await write(chunk, position)
    position += chunk.length
    options.onProgress?.(position, total)
  }
  if (options.signal?.aborted) throw cancelled()
  const sha256 = hash.digest('hex')
  if (options.expectedSha256 && options.expectedSha256 !== sha256)
    throw new EngineError(
      'ChecksumMismatch',
      `${local} no longer matches the sha256 its metadata records: not copied`,
    )
  return { bytes: position, sha256 }
}

/** A small file of a destination (a `.meta.json`, a grants file) read whole, up to `limit` bytes; null beyond it. */
export async function readSmallFile(
  session: Pick<DestinationSession, 'read'>,
  name: string,
  limit: number,
): Promise<string | null> {
  const stream = await session.read(name)
  const chunks: Buffer[] = []
  let bytes = 0
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    bytes += chunk.length
    if (bytes > limit) {
      stream.destroy()
      return null
    }
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/** The sha256 and size of a stream (a copy read back). */
export async function hashStream(stream: Readable): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256')
  let bytes = 0
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    hash.update(chunk)
    bytes += chunk.length
  }
  return { bytes, sha256: hash.digest('hex') }
}

/** The copy read back must be the bytes sent. */
export function checkCopy(
  destination: string,
  where: string,
  sent: { bytes: number; sha256: string },
  found: { bytes: number; sha256: string | null },
): void {
  if (found.bytes === sent.bytes && (found.sha256 === null || found.sha256 === sent.sha256)) return
  throw new EngineError(
    'CopyFailed',
    `the copy ${where} on ${destination} does not match the local file ` +
      `(${found.bytes} bytes, sha256 ${found.sha256 ?? 'unknown'}; expected ${sent.bytes} bytes, ${sent.sha256})`,
    { advice: advice('copyVerifyFailed', { destination }) },
  )
}
