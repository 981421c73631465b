/**
 * The source opener of a restore from an offsite destination: the backup is read through the destination's
 * session (session.ts: a folder, SFTP or S3 — this file does not care which) and streamed straight into the
 * restore's decrypt → decompress → load pipeline. Nothing is written to a local file: the sha256 is
 * computed on the way and compared with the one the metadata on the destination records when the stream
 * ends, and what the restore reads before loading (the `.meta.json`, the first bytes) is read into memory.
 */
import { createHash, type Hash } from 'node:crypto'
import { finished, Transform, type Readable, type TransformCallback } from 'node:stream'
import type { CompressionType } from '../../../shared/backup-types.ts'
import type { RemoteBackup } from '../../../shared/restore-types.ts'
import { decryptionStages, type BackupLayers } from '../backup/backup-reader.ts'
import { META_SUFFIX } from '../backup/metadata.ts'
import { createSniffingDecompressor, detectCompression } from '../codecs/index.ts'
import { EngineError, toEngineError } from '../errors.ts'
import { openDestination } from '../offsite/session.ts'
import { readSmallFile, type DestinationSession, type RemoteFile } from '../offsite/transfer.ts'
import type { HostKeyPolicy } from '../ssh/tunnel.ts'
import type { SqlSource } from './sql-source.ts'

/** A backup as a restore reads it: a local path, or (with `remote`) a file on a destination. */
export interface BackupRef {
  file: string
  remote?: RemoteBackup | undefined
}

/** How a file on a destination is named in plans, results and messages: `<destination>:<name>`. */
export const remoteLabel = (destination: string, name: string): string => `${destination}:${name}`

/** The label of a remote backup. */
export const labelOf = (remote: RemoteBackup): string => remoteLabel(remote.destination.name, remote.name)

/** `.meta.json` and grants files are small; anything larger is not read into memory. */
const SMALL_FILE_MAX_BYTES = 16 << 20

/**
 * An error of the destination while a restore reads from it: its code and message kept (CopyFailed for an
 * unreachable server or a refused login, FileNotFound, …); the copy's advice ("the local backup is kept",
 * "copy again") is dropped, that of a refused login or host key kept.
 */
export function readFailure(remote: RemoteBackup, e: unknown): EngineError {
  const error = toEngineError(e, `reading ${labelOf(remote)}`)
  const a = error.advice?.code
  if (a !== 'copyUnreachable' && a !== 'copyVerifyFailed') return error
  return new EngineError(error.code, error.message, {
    cause: e,
    ...(error.detail === undefined ? {} : { detail: error.detail }),
  })
}

/** Opens the destination's session; SFTP host keys checked against the remote's known_hosts. */
export async function openRemote(
  remote: RemoteBackup,
  policy: HostKeyPolicy = {},
): Promise<DestinationSession> {
  try {
    return await openDestination(
      { destination: remote.destination, ...(remote.secret ? { secret: remote.secret } : {}) },
      { ...policy, knownHostsFile: remote.knownHostsFile, insecure: remote.insecure },
    )
  } catch (e) {
    throw readFailure(remote, e)
  }
}

/** Runs `fn` on an open session of the remote's destination, closed afterwards whatever happens. */
export async function withRemote<T>(
  remote: RemoteBackup,
  fn: (session: DestinationSession) => Promise<T>,
  policy: HostKeyPolicy = {},
): Promise<T> {
  const session = await openRemote(remote, policy)
  try {
    return await fn(session)
  } catch (e) {
    throw readFailure(remote, e)
  } finally {
    session.close()
  }
}

/** The dump as the destination lists it (its size); FileNotFound when it is not there. */
export async function remoteEntry(
  session: DestinationSession,
  remote: RemoteBackup,
): Promise<{ file: RemoteFile; names: Set<string> }> {
  const files = await session.list()
  const file = files.find((f) => f.name === remote.name)
  if (!file)
    throw new EngineError(
      'FileNotFound',
      `${labelOf(remote)}: no such file on the destination ${remote.destination.name}`,
    )
  return { file, names: new Set(files.map((f) => f.name)) }
}

/** A small file of the destination (a `.meta.json`, a grants file) read into memory. */
export async function readRemoteText(session: DestinationSession, name: string): Promise<string> {
  const text = await readSmallFile(session, name, SMALL_FILE_MAX_BYTES)
  if (text === null)
    throw new EngineError(
      'InvalidInput',
      `${name} on the destination is larger than ${SMALL_FILE_MAX_BYTES} bytes`,
    )
  return text
}

/** The sha256 the `.meta.json` beside the dump on the destination records, or null (none, or none we read). */
export async function remoteRecordedSha256(
  session: DestinationSession,
  remote: RemoteBackup,
  names: Set<string>,
): Promise<string | null> {
  const meta = remote.name + META_SUFFIX
  if (!names.has(meta)) return null
  try {
    const parsed = JSON.parse((await readRemoteText(session, meta)).replace(/^\uFEFF/, '')) as {
      file?: { sha256?: unknown }
    }
    const sha = parsed.file?.sha256
    return typeof sha === 'string' && /^[0-9a-f]{64}$/.test(sha) ? sha : null
  } catch {
    return null
  }
}

const MAGIC = Buffer.from('Salted__', 'ascii')

/** Encryption from the `.enc` suffix or the container's magic (its first 8 bytes, read alone); codec from the name. */
export async function remoteLayers(session: DestinationSession, name: string): Promise<BackupLayers> {
  const compression = detectCompression(name)
  if (/\.enc$/i.test(name)) return { encrypted: true, compression }
  const stream = await session.read(name)
  let head = Buffer.alloc(0)
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      head = Buffer.concat([head, chunk])
      if (head.length >= MAGIC.length) break
    }
  } finally {
    stream.destroy()
  }
  return { encrypted: head.subarray(0, MAGIC.length).equals(MAGIC), compression }
}

/**
 * The downloaded bytes on their way into the restore: counted (`bytesRead`, the progress of the file) and
 * hashed. When the stream ends, a sha256 other than the recorded one fails it with ChecksumMismatch — the
 * restore then fails with that error (after the statements read so far were loaded).
 */
export class DownloadTap extends Transform {
  bytesRead = 0
  private readonly hash: Hash = createHash('sha256')
  private readonly label: string
  private readonly expected: string | null

  constructor(label: string, expected: string | null) {
    super({ highWaterMark: 1 << 20 })
    this.label = label
    this.expected = expected
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.hash.update(chunk)
    this.bytesRead += chunk.length
    cb(null, chunk)
  }

  override _flush(cb: TransformCallback): void {
    const sha256 = this.hash.digest('hex')
    if (this.expected === null || sha256 === this.expected) {
      cb()
      return
    }
    cb(
      new EngineError(
        'ChecksumMismatch',
        `${this.label}: sha256 ${sha256} of the file read from the destination differs from the ` +
          `${this.expected} recorded in its metadata: the copy on the destination is damaged`,
      ),
    )
  }
}

/**
 * Streams the remote file into a DownloadTap, the session closed once the download stream is closed
 * (ended, failed or destroyed — a cancel destroys the tap, which destroys the download).
 */
function download(stream: Readable, tap: DownloadTap, remote: RemoteBackup, close: () => void): void {
  let closed = false
  const done = (): void => {
    if (closed) return
    closed = true
    close()
  }
  stream.once('close', done)
  finished(stream, () => done())
  stream.on('error', (e: unknown) => tap.destroy(readFailure(remote, e)))
  tap.once('close', () => {
    if (!stream.destroyed) stream.destroy()
    if (stream.readableEnded) done()
  })
  stream.pipe(tap)
}

/**
 * Opens a remote backup as a stream of SQL on an open session (see openRemoteSqlSource). With
 * `ownsSession` the session is closed when the download ends; `check` compares the recorded sha256.
 */
export async function remoteSqlSource(
  session: DestinationSession,
  remote: RemoteBackup,
  key: string | null,
  onCodec: (type: CompressionType) => void,
  options: { ownsSession: boolean; check: boolean },
): Promise<SqlSource> {
  const label = labelOf(remote)
  const { file, names } = await remoteEntry(session, remote)
  const expected = options.check ? await remoteRecordedSha256(session, remote, names) : null
  const layers = await remoteLayers(session, remote.name)
  const stages: SqlSource['stages'] = [
    ...decryptionStages(label, layers, key),
    createSniffingDecompressor(remote.name, onCodec),
  ]
  const tap = new DownloadTap(label, expected)
  const stream = await session.read(remote.name)
  download(stream, tap, remote, options.ownsSession ? () => session.close() : () => {})
  return { file: tap, fileSize: file.bytes, encrypted: layers.encrypted, stages, recordedSha256: expected }
}

/**
 * Opens a backup on a destination as a stream of SQL, as openSqlSource does a local file: a session of its
 * own (closed when the download ends), the sha256 checked at the end of the stream against the metadata
 * on the destination. A key is required for an encrypted file.
 */
export async function openRemoteSqlSource(
  remote: RemoteBackup,
  key: string | null,
  onCodec: (type: CompressionType) => void = () => {},
  policy: HostKeyPolicy = {},
): Promise<SqlSource> {
  const session = await openRemote(remote, policy)
  try {
    return await remoteSqlSource(session, remote, key, onCodec, { ownsSession: true, check: true })
  } catch (e) {
    session.close()
    throw readFailure(remote, e)
  }
}
