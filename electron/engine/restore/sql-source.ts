import { createReadStream, type ReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { Duplex } from 'node:stream'
import type { CompressionType } from '../../../shared/backup-types.ts'
import { decryptionStages, detectLayers } from '../backup/backup-reader.ts'
import { createSniffingDecompressor } from '../codecs/index.ts'

export interface SqlSource {
  /** The file's bytes (its `bytesRead` says how far the restore has read). */
  file: ReadStream
  fileSize: number
  encrypted: boolean
  /** The stages that turn the file into SQL, in order: decryption (when encrypted), then decompression. */
  stages: Duplex[]
}

/**
 * Opens a backup as a stream of SQL. Encryption is recognised by the container's magic or the `.enc`
 * suffix (sfDBTools' headerless legacy files have no magic); the compression by the magic number of the
 * (decrypted) content, never by the name alone: a `backup.sql` that holds zstd + encryption restores.
 * A key is required for an encrypted file.
 */
export async function openSqlSource(
  path: string,
  key: string | null,
  onCodec: (type: CompressionType) => void = () => {},
): Promise<SqlSource> {
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
