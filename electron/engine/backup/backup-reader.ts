import { createReadStream, type Stats } from 'node:fs'
import { open, readFile, stat } from 'node:fs/promises'
import { Readable, Transform as TransformBase, type Duplex, type Transform } from 'node:stream'
import type { CompressionType } from '../../../shared/backup-types.ts'
import { createSniffingDecompressor, detectCompression } from '../codecs/index.ts'
import { createDecryptStream } from '../crypto/index.ts'
import { advice, EngineError } from '../errors.ts'
import type { BackupMetadata } from './metadata.ts'
import { metadataPathOf } from './metadata.ts'

const MAGIC = Buffer.from('Salted__', 'ascii')

export interface BackupLayers {
  encrypted: boolean
  compression: CompressionType
}

const KINDS: [keyof Stats, string][] = [
  ['isDirectory', 'a directory'],
  ['isCharacterDevice', 'a character device'],
  ['isBlockDevice', 'a block device'],
  ['isFIFO', 'a named pipe'],
  ['isSocket', 'a socket'],
]

/**
 * A backup is a regular file: a device (`/dev/zero`), a pipe or a directory is refused before a byte is
 * read, so an endless stream never reaches a reader. Returns the size to read, fixed when the file is opened.
 */
export async function assertRegularFile(path: string): Promise<number> {
  const info = await stat(path)
  if (info.isFile()) return info.size
  const kind = KINDS.find(([test]) => (info[test] as () => boolean).call(info))?.[1] ?? 'not a file'
  throw new EngineError('InvalidInput', `${path} is not a regular file (${kind}): a backup is a regular file`)
}

/**
 * What a backup file is made of. Encryption is recognised by the `.enc` suffix (sfDBTools' rule) or by the
 * container's magic; compression by the extension before `.enc`.
 */
export async function detectLayers(path: string): Promise<BackupLayers> {
  await assertRegularFile(path)
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
  stages: (Transform | Duplex)[]
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

const CODECS: CompressionType[] = ['none', 'gzip', 'pgzip', 'zstd', 'xz', 'zlib']

/** The codec `<file>.meta.json` records, when there is one (sfDBTools writes it too). */
export async function recordedCompression(path: string): Promise<CompressionType | null> {
  try {
    const meta = JSON.parse(await readFile(metadataPathOf(path), 'utf8')) as Partial<BackupMetadata>
    const type = meta.compression?.type
    return CODECS.includes(type as CompressionType) ? (type as CompressionType) : null
  } catch {
    return null
  }
}

/** The file's bytes up to the size it had when checked: a file that keeps growing is not read forever. */
export function readUpTo(path: string, size: number): Readable {
  return size === 0
    ? Readable.from([], { objectMode: false })
    : createReadStream(path, { highWaterMark: 1 << 20, end: size - 1 })
}

/**
 * The streams that read a backup back as SQL. A key is required for an encrypted file: without one the
 * error says how to give it. The compression is the content's (its magic bytes), whatever the name says;
 * when the content names none and is not text, the metadata's codec, else the name's, is tried. `layers`
 * is updated with the codec found before any SQL flows. The caller pipes `source → ...stages → sink`.
 */
export async function openBackupStages(path: string, key: string | null): Promise<BackupStages> {
  const size = await assertRegularFile(path)
  const layers = await detectLayers(path)
  const fallback = (await recordedCompression(path)) ?? detectCompression(path)
  layers.compression = fallback
  const stages: BackupStages['stages'] = decryptionStages(path, layers, key)
  stages.push(createSniffingDecompressor(path, (type) => (layers.compression = type), fallback))
  return { source: readUpTo(path, size), stages, layers }
}

/**
 * A pass-through over the SQL that stops at the first NUL byte: a dump never holds one (both clients escape
 * it as \0, and --hex-blob writes binary as hex), so a stream of zeros or binary noise is refused after one
 * chunk instead of being read to its end.
 */
export function createSqlTextGuard(): Transform {
  let offset = 0
  return new TransformBase({
    transform(chunk: Buffer, _enc, cb): void {
      const at = chunk.indexOf(0)
      if (at !== -1) {
        cb(
          new EngineError(
            'InvalidInput',
            `byte ${offset + at} of the content is a NUL byte: this is not SQL text (a dump never holds ` +
              'one), so it is not a backup',
          ),
        )
        return
      }
      offset += chunk.length
      cb(null, chunk)
    },
  })
}
