import { once } from 'node:events'
import { createWriteStream } from 'node:fs'
import { Transform, Writable, type Duplex, type TransformCallback } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { CompressionType } from '../../../shared/backup-types.ts'
import { createSniffingDecompressor } from '../codecs/index.ts'
import { DecryptStream } from '../crypto/index.ts'
import { advice, EngineError, toEngineError } from '../errors.ts'
import { openBackupStages, recordedCompression } from './backup-reader.ts'
import { readRecordedSha256 } from './metadata.ts'
import { assertFreeName, commitPart, HashTap, partPathOf, removePart } from './output-file.ts'
import { SqlScanner } from './sql-scanner.ts'

export interface DecryptOptions {
  key: string | null
  /** Also undo the compression, giving plain SQL. */
  decompress: boolean
  /** Keep (and report) an output whose completeness could not be proven, instead of removing it. */
  allowIncomplete?: boolean
  signal?: AbortSignal
}

export interface DecryptResult {
  bytes: number
  /** What could not be proven about the output's completeness (empty when it was proven). */
  unproven: string[]
}

/** The output name a DBA expects: `x.sql.zst.enc` → `x.sql.zst`, or `x.sql` with decompress. */
export function defaultDecryptedName(path: string, decompress: boolean): string {
  const noEnc = path.replace(/\.enc$/i, '')
  return decompress ? noEnc.replace(/\.(gz|zst|xz|zlib)$/i, '') : noEnc
}

/** Layouts whose one GCM tag covers the whole file: authentication proves the end as well. */
const SEALED_WHOLE = new Set(['single-shot-600k', 'v1-single-shot-100k', 'l0-legacy-headerless'])

/**
 * Watches what decrypt writes without changing it, to prove the output complete: the chunked container
 * cannot (its end marker is not authenticated, and sfDBTools must keep reading what we write), so a file
 * cut at a chunk boundary with a forged marker decrypts "cleanly". Without decompression the compressed
 * output is also run through a decompressor and the SQL scanner on the side; with it, the scanner sees the
 * SQL itself.
 */
class CompletenessProbe extends Transform {
  readonly scanner = new SqlScanner(() => {})
  codec: CompressionType = 'none'
  sideError: Error | null = null
  private readonly side: Duplex | null
  private readonly sideDone: Promise<void> | null

  constructor(path: string, fallback: CompressionType, decompressed: boolean) {
    super()
    if (decompressed) {
      this.side = null
      this.sideDone = null
      return
    }
    this.side = createSniffingDecompressor(path, (type) => (this.codec = type), fallback)
    const sink = new Writable({ write: (_c, _e, cb) => cb() })
    this.sideDone = pipeline(this.side, this.scanner, sink).catch((e: unknown) => {
      this.sideError = e as Error
    })
  }

  /** The last stage of the pipeline: the probe itself, or its scanner over the SQL when decompressed. */
  get stage(): Transform {
    return this.side === null ? this.scanner : this
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.push(chunk)
    if (this.side === null) {
      cb()
      return
    }
    if (this.sideError !== null || this.side.write(chunk)) {
      cb()
      return
    }
    // Wait for the side to drain, or to fail (then it is no longer fed).
    const drained = once(this.side, 'drain').catch(() => {})
    void Promise.race([drained, this.sideDone]).then(() => cb())
  }

  override _destroy(error: Error | null, cb: (error?: Error | null) => void): void {
    this.side?.destroy()
    cb(error)
  }

  override _flush(cb: TransformCallback): void {
    if (this.side === null || this.sideDone === null) {
      cb()
      return
    }
    this.side.end()
    void this.sideDone.then(() => cb())
  }
}

async function stagesFor(path: string, options: DecryptOptions) {
  const opened = await openBackupStages(path, options.key)
  if (!opened.layers.encrypted && !options.decompress) {
    opened.source.destroy()
    throw new EngineError('InvalidInput', `${path} is not encrypted: there is nothing to decrypt`, {
      advice: advice('notEncrypted', { file: path }),
    })
  }
  const decrypt = opened.stages[0] instanceof DecryptStream ? opened.stages[0] : null
  const fallback = (await recordedCompression(path)) ?? opened.layers.compression
  const probe = new CompletenessProbe(path, fallback, options.decompress)
  const stages = options.decompress ? opened.stages : opened.stages.slice(0, decrypt ? 1 : 0)
  const hash = new HashTap()
  return { ...opened, hash, decrypt, probe, pipe: [opened.source, hash, ...stages, probe.stage] }
}

type Opened = Awaited<ReturnType<typeof stagesFor>>

/**
 * What is not proven about the output, after a clean read: nothing when the container's tag covers the
 * whole file or the recorded sha256 matches; else the compression stream must end properly or the SQL end
 * with the dump's trailer, and a broken compression stream is never complete.
 */
async function unprovenOf(path: string, o: Opened, decompress: boolean): Promise<string[]> {
  const recorded = await readRecordedSha256(path)
  const sha = o.hash.digest()
  if (recorded.sha256 !== null && recorded.sha256 === sha) return []
  const shaNote =
    recorded.sha256 === null
      ? 'no sha256 is recorded for the file (no .meta.json, or one without it)'
      : `the file's sha256 ${sha} differs from the recorded ${recorded.sha256}`
  if (recorded.sha256 === null && o.decrypt && SEALED_WHOLE.has(o.decrypt.detectedFormat ?? '')) return []
  const codec = decompress ? o.layers.compression : o.probe.codec
  const notes: string[] = []
  if (o.probe.sideError !== null) {
    notes.push(`the ${codec} stream is broken: ${toEngineError(o.probe.sideError).message}`)
  }
  const compressionEnded = codec !== 'none' && o.probe.sideError === null
  if (recorded.sha256 === null && (compressionEnded || o.probe.scanner.completed)) return []
  if (!o.probe.scanner.completed) notes.push('the SQL does not end with the dump\'s "-- Dump completed" line')
  if (codec === 'none') notes.push('the content is not compressed, so no compression stream proves its end')
  notes.push(shaNote)
  return notes
}

function incompleteError(path: string, unproven: string[]): EngineError {
  return new EngineError(
    'IncompleteDump',
    `${path} could not be proven complete (the container's end marker is not authenticated): ${unproven.join('; ')}`,
    { advice: advice('allowIncomplete', { file: path }) },
  )
}

/**
 * Turns a backup (ours or any sfDBTools version's) back into its compressed stream or SQL, because
 * `openssl enc` cannot open this container. The codec is the content's (magic bytes), else the metadata's,
 * else the name's. The output is written as `<out>.part` and renamed only when every chunk authenticated and
 * the whole was proven complete (or `allowIncomplete`); an existing file is never replaced.
 */
export async function decryptToFile(
  path: string,
  outPath: string,
  options: DecryptOptions,
): Promise<DecryptResult> {
  await assertFreeName(outPath)
  const opened = await stagesFor(path, options)
  const part = partPathOf(outPath)
  const tap = new HashTap()
  const out = createWriteStream(part, { flags: 'wx', mode: 0o600, flush: true })
  try {
    await pipeline([...opened.pipe, tap, out], options.signal ? { signal: options.signal } : {})
    const unproven = await unprovenOf(path, opened, options.decompress)
    if (unproven.length > 0 && options.allowIncomplete !== true) throw incompleteError(path, unproven)
    await commitPart(part, outPath)
    return { bytes: tap.bytes, unproven }
  } catch (e) {
    await removePart(part)
    throw toEngineError(e)
  }
}

/**
 * Same, to a stream (stdout). What was written cannot be taken back: a failure after some output, or an
 * output that could not be proven complete (without `allowIncomplete`), is still an error at the end.
 */
export async function decryptToStream(
  path: string,
  sink: Writable,
  options: DecryptOptions,
): Promise<DecryptResult> {
  const opened = await stagesFor(path, options)
  const count = new HashTap()
  try {
    await pipeline([...opened.pipe, count, sink], options.signal ? { signal: options.signal } : {})
  } catch (e) {
    throw toEngineError(e)
  }
  const unproven = await unprovenOf(path, opened, options.decompress)
  if (unproven.length > 0 && options.allowIncomplete !== true) throw incompleteError(path, unproven)
  return { bytes: count.bytes, unproven }
}
