import { createReadStream } from 'node:fs'
import { open } from 'node:fs/promises'
import type { Readable, Transform } from 'node:stream'
import type { CompressionType } from '../../../shared/backup-types.ts'
import { createDecompressor, detectCompression } from '../codecs/index.ts'
import { createDecryptStream } from '../crypto/index.ts'
import { advice, EngineError } from '../errors.ts'

const MAGIC = Buffer.from('Salted__', 'ascii')

export interface BackupLayers {
  encrypted: boolean
  compression: CompressionType
}

/**
 * What a backup file is made of. Encryption is recognised by the `.enc` suffix (sfDBTools' rule) or by the
 * container's magic; compression by the extension before `.enc`.
 */
export async function detectLayers(path: string): Promise<BackupLayers> {
  const compression = detectCompression(path)
  if (/\.enc$/i.test(path)) return { encrypted: true, compression }
  const handle = await open(path, 'r')
  try {
    const head = Buffer.alloc(MAGIC.length)
    const { bytesRead } = await handle.read(head, 0, head.length, 0)
    return { encrypted: bytesRead === MAGIC.length && head.equals(MAGIC), compression }
  } finally {
    await handle.close()
  }
}

export interface BackupStages {
  source: Readable
  /** The transforms that turn the file into SQL, in order (decrypt, decompress). */
  stages: Transform[]
  layers: BackupLayers
}

/** The decryption stage of an encrypted file (none for a plain one); a key is required for an encrypted file. */
export function decryptionStages(path: string, layers: BackupLayers, key: string | null): Transform[] {
  if (!layers.encrypted) return []
  if (key === null) {
    throw new EngineError('MissingKey', `${path} is encrypted and no backup key was given`, {
      advice: advice('backupKeyRequired', { file: path }),
    })
  }
  return [createDecryptStream(key)]
}

/**
 * The streams that read a backup back as SQL. A key is required for an encrypted file: without one the
 * error says how to give it. The caller pipes `source → ...stages → sink`.
 */
export async function openBackupStages(path: string, key: string | null): Promise<BackupStages> {
  const layers = await detectLayers(path)
  const stages = decryptionStages(path, layers, key)
  if (layers.compression !== 'none') stages.push(createDecompressor(layers.compression))
  return { source: createReadStream(path, { highWaterMark: 1 << 20 }), stages, layers }
}
