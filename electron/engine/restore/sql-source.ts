import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { Duplex, Readable } from 'node:stream'
import type { CompressionType } from '../../../shared/backup-types.ts'
import { decryptionStages, detectLayers } from '../backup/backup-reader.ts'
import { createSniffingDecompressor } from '../codecs/index.ts'
import type { HostKeyPolicy } from '../ssh/tunnel.ts'
import { openRemoteSqlSource, type BackupRef } from './remote-source.ts'

export interface SqlSource {
  /** The file's bytes (its `bytesRead` says how far the restore has read). */
  file: Readable & { readonly bytesRead: number }
  fileSize: number
  encrypted: boolean
  /** The stages that turn the file into SQL, in order: decryption (when encrypted), then decompression. */
  stages: Duplex[]
  /** A file on a destination: the sha256 its stream is compared with when it ends (null: none recorded). */
  recordedSha256?: string | null
}

/**
 * Opens a backup as a stream of SQL. Encryption is recognised by the container's magic or the `.enc`
 * suffix (sfDBTools' headerless legacy files have no magic); the compression by the magic number of the
 * (decrypted) content, never by the name alone: a `backup.sql` that holds zstd + encryption restores.
 * A key is required for an encrypted file. A backup on a destination (`remote`) is streamed from it
 * (remote-source.ts), its sha256 checked when the stream ends.
 */
export async function openSqlSource(
  source: string | BackupRef,
  key: string | null,
  onCodec: (type: CompressionType) => void = () => {},
  policy: HostKeyPolicy = {},
): Promise<SqlSource> {
  if (typeof source !== 'string' && source.remote)
    return openRemoteSqlSource(source.remote, key, onCodec, policy)
  const path = typeof source === 'string' ? source : source.file
  const [layers, info] = await Promise.all([detectLayers(path), stat(path)])
  const stages: SqlSource['stages'] = [
    ...decryptionStages(path, layers, key),
    createSniffingDecompressor(path, onCodec),
  ]
  return {
    file: createReadStream(path, { highWaterMark: 1 << 20 }),
    fileSize: info.size,
    encrypted: layers.encrypted,
    stages,
  }
}
