import { createWriteStream } from 'node:fs'
import type { Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { advice, EngineError, toEngineError } from '../errors.ts'
import { openBackupStages } from './backup-reader.ts'
import { assertFreeName, commitPart, HashTap, partPathOf, removePart } from './output-file.ts'

export interface DecryptOptions {
  key: string | null
  /** Also undo the compression, giving plain SQL. */
  decompress: boolean
  signal?: AbortSignal
}

/** The output name a DBA expects: `x.sql.zst.enc` → `x.sql.zst`, or `x.sql` with decompress. */
export function defaultDecryptedName(path: string, decompress: boolean): string {
  const noEnc = path.replace(/\.enc$/i, '')
  return decompress ? noEnc.replace(/\.(gz|zst|xz|zlib)$/i, '') : noEnc
}

async function stagesFor(path: string, options: DecryptOptions) {
  const opened = await openBackupStages(path, options.key)
  const stages = options.decompress ? opened.stages : opened.stages.slice(0, opened.layers.encrypted ? 1 : 0)
  if (!opened.layers.encrypted && !options.decompress) {
    opened.source.destroy()
    throw new EngineError('InvalidInput', `${path} is not encrypted: there is nothing to decrypt`, {
      advice: advice('notEncrypted', { file: path }),
    })
  }
  return { ...opened, stages }
}

/**
 * Turns a backup (ours or any sfDBTools version's) back into its compressed stream or SQL, because
 * `openssl enc` cannot open this container. The output is written as `<out>.part` and renamed only when
 * every chunk authenticated; an existing file is never replaced.
 */
export async function decryptToFile(path: string, outPath: string, options: DecryptOptions): Promise<number> {
  await assertFreeName(outPath)
  const { source, stages } = await stagesFor(path, options)
  const part = partPathOf(outPath)
  const tap = new HashTap()
  const out = createWriteStream(part, { flags: 'wx', mode: 0o600, flush: true })
  try {
    await pipeline([source, ...stages, tap, out], options.signal ? { signal: options.signal } : {})
    await commitPart(part, outPath)
    return tap.bytes
  } catch (e) {
    await removePart(part)
    throw toEngineError(e)
  }
}

/** Same, to a stream (stdout). A failure after some output has been written is still an error. */
export async function decryptToStream(path: string, sink: Writable, options: DecryptOptions): Promise<void> {
  const { source, stages } = await stagesFor(path, options)
  try {
    await pipeline([source, ...stages, sink], options.signal ? { signal: options.signal } : {})
  } catch (e) {
    throw toEngineError(e)
  }
}
