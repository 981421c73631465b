import { Duplex, Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { CompressionType } from '../../../shared/backup-types.ts'
import { detectCompression } from './compression-options.ts'
import { createDecompressor } from './compression-streams.ts'

/** The longest magic number looked at (xz's six bytes). */
const MAGIC_BYTES = 6

/**
 * The compression of a stream from its first bytes: gzip (also pgzip), zstd (a frame or a skippable frame,
 * as pzstd writes first), xz, zlib (the 0x78 header every zlib writer uses, with a valid check and no
 * preset dictionary); null when none matches — plain SQL, or too few bytes to tell.
 */
export function codecFromMagic(head: Buffer): Exclude<CompressionType, 'pgzip' | 'none'> | null {
  const b = (i: number): number => head[i] ?? -1
  if (b(0) === 0x1f && b(1) === 0x8b) return 'gzip'
  if (b(0) === 0x28 && b(1) === 0xb5 && b(2) === 0x2f && b(3) === 0xfd) return 'zstd'
  if ((b(0) & 0xf0) === 0x50 && b(1) === 0x2a && b(2) === 0x4d && b(3) === 0x18) return 'zstd'
  if ([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00].every((v, i) => b(i) === v)) return 'xz'
  if (b(0) === 0x78 && b(1) >= 0 && (b(0) * 256 + b(1)) % 31 === 0 && (b(1) & 0x20) === 0) return 'zlib'
  return null
}

/** Printable ASCII (or a UTF-8 byte-order mark) at the start: SQL text, whatever the name says. */
const looksLikeText = (head: Buffer): boolean =>
  head.length > 0 &&
  (head.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])) ||
    head.every((b) => (b >= 0x20 && b < 0x7f) || b === 0x09 || b === 0x0a || b === 0x0d))

/**
 * A pipeline stage that reads the first bytes of its input, picks the decompressor their magic number names
 * (none for text; else `fallback`: the metadata's, or the file name's, so a damaged `.gz` still fails as
 * CorruptFile) and passes
 * everything through it. `onCodec` hears the choice before any output.
 */
export function createSniffingDecompressor(
  fileName: string,
  onCodec: (type: CompressionType) => void = () => {},
  fallback: CompressionType = detectCompression(fileName),
): Duplex {
  return Duplex.from(async function* (source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    const input = source[Symbol.asyncIterator]()
    const head: Buffer[] = []
    let headLength = 0
    let ended = false
    while (headLength < MAGIC_BYTES) {
      const next = await input.next()
      if (next.done) {
        ended = true
        break
      }
      head.push(next.value)
      headLength += next.value.length
    }
    const first = Buffer.concat(head)
    const type = codecFromMagic(first) ?? (looksLikeText(first) ? 'none' : fallback)
    onCodec(type)
    async function* all(): AsyncGenerator<Buffer> {
      if (first.length > 0) yield first
      if (ended) return
      for (let next = await input.next(); !next.done; next = await input.next()) yield next.value
    }
    if (type === 'none') {
      yield* all()
      return
    }
    const compressed = Readable.from(all(), { objectMode: false })
    const decompressor = createDecompressor(type)
    const feeding = pipeline(compressed, decompressor)
    feeding.catch(() => {}) // its error also fails the decompressor, read below
    try {
      for await (const chunk of decompressor) yield chunk as Buffer
      await feeding
    } finally {
      compressed.destroy()
      decompressor.destroy()
    }
  })
}
