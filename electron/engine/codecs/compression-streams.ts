import { PassThrough, type Transform } from 'node:stream'
import zlib from 'node:zlib'
import type { CompressionType } from '../../../shared/backup-types.ts'
import { assertNever } from '../../../shared/result.ts'
import { EngineError, toEngineError } from '../errors.ts'
import { CodecStream } from './codec-stream.ts'
import { validateCompression } from './compression-options.ts'
import { createPgzipCompressor } from './pgzip.ts'
import { CODEC_BLOCK_SIZE } from './rechunker.ts'
import { createXzDecoder, createXzEncoder, disposeXz } from './xz.ts'
import { createZstdDecompressor } from './zstd-decompressor.ts'

// Output buffer of node:zlib's streams. The default 16 KiB costs one thread-pool round trip per 16 KiB:
// measured on 2 cores, decompression ran 1.5–2.5× faster with 256 KiB (gzip ≈200 → ≈500 MB/s, zstd
// ≈220 → ≈580 MB/s); compression gained a few percent.
const ZLIB_CHUNK_SIZE = 256 * 1024

/**
 * A streaming compressor. gzip, zlib and zstd are node:zlib's; pgzip compresses 1 MiB blocks on all cores
 * into one gzip member; xz is liblzma's multi-threaded encoder. zstd is fed 1 MiB blocks whatever size
 * the writes have (Node's zstd stream is slow on small writes).
 * @throws EngineError('InvalidInput') for a type or level that validateCompression refuses.
 */
export function createCompressor(type: CompressionType, level: number): Transform {
  const choice = validateCompression(type, level)
  const mapError = (e: Error): Error => toEngineError(e, `${choice.type} compression`)
  switch (choice.type) {
    case 'none':
      return new PassThrough()
    case 'pgzip':
      return createPgzipCompressor(choice.level)
    case 'gzip':
      // Unlike zstd, deflate measured no faster on 1 MiB writes than on 64 KiB ones: no re-chunking.
      return new CodecStream(zlib.createGzip({ level: choice.level, chunkSize: ZLIB_CHUNK_SIZE }), {
        mapError,
      })
    case 'zlib':
      return new CodecStream(zlib.createDeflate({ level: choice.level, chunkSize: ZLIB_CHUNK_SIZE }), {
        mapError,
      })
    case 'zstd':
      return new CodecStream(
        zlib.createZstdCompress({
          chunkSize: ZLIB_CHUNK_SIZE,
          params: {
            [zlib.constants.ZSTD_c_compressionLevel]: choice.level,
            // A content checksum like the zstd CLI's default, so a damaged file fails instead of restoring.
            [zlib.constants.ZSTD_c_checksumFlag]: 1,
            // No ZSTD_c_nbWorkers: on Node 24.21 it ends the stream early (ERR_STREAM_PUSH_AFTER_EOF).
          },
        }),
        { mapError, blockSize: CODEC_BLOCK_SIZE },
      )
    case 'xz':
      return new CodecStream(createXzEncoder(choice.level), { mapError, dispose: disposeXz })
    default:
      return assertNever(choice.type)
  }
}

/**
 * A streaming decompressor. gzip (and pgzip), zstd and xz read multi-member (multi-frame, multi-stream)
 * files, as their command-line tools do. Damaged or truncated input, an empty file included, fails the
 * stream with EngineError('CorruptFile'); so do bytes after the last member, except zero padding (gzip,
 * xz) and anything after a zlib stream (ignored, as Go's zlib reader does).
 */
export function createDecompressor(type: CompressionType): Transform {
  const mapError = (e: Error): Error => corruptionError(type, e)
  switch (type) {
    case 'none':
      return new PassThrough()
    case 'gzip':
    case 'pgzip':
      return new CodecStream(zlib.createGunzip({ chunkSize: ZLIB_CHUNK_SIZE }), { mapError })
    case 'zlib':
      return new CodecStream(zlib.createInflate({ chunkSize: ZLIB_CHUNK_SIZE }), { mapError })
    case 'zstd':
      return createZstdDecompressor(ZLIB_CHUNK_SIZE, mapError) // maps its errors itself: one stream less
    case 'xz':
      return new CodecStream(createXzDecoder(), { mapError, dispose: disposeXz })
    default:
      return assertNever(type)
  }
}

// Codes of allocation failures, which say nothing about the file: node:zlib's and liblzma's
// (LZMA_MEM_ERROR = 5, LZMA_MEMLIMIT_ERROR = 6).
const OUT_OF_MEMORY_CODES: ReadonlySet<unknown> = new Set([
  'Z_MEM_ERROR',
  'ZSTD_error_memory_allocation',
  5,
  6,
])

function corruptionError(type: CompressionType, e: Error): EngineError {
  if (e instanceof EngineError) return e
  const code = (e as { code?: unknown }).code
  if (OUT_OF_MEMORY_CODES.has(code)) {
    return new EngineError('Internal', `${type} decompression ran out of memory: ${e.message}`, { cause: e })
  }
  return new EngineError('CorruptFile', `${type} stream is damaged or truncated: ${e.message}`, { cause: e })
}
