import { PassThrough, type Transform } from 'node:stream'
import zlib from 'node:zlib'
import type { CompressionType } from '../../../shared/backup-types.ts'
import { assertNever } from '../../../shared/result.ts'
import { EngineError, toEngineError } from '../errors.ts'
import { CodecStream } from './codec-stream.ts'
import { validateCompression } from './compression-options.ts'
import { ParallelBlockCompressor } from './parallel-blocks.ts'
import { createPgzipCompressor } from './pgzip.ts'
import { createXzDecoder, createXzEncoder, disposeXz } from './xz.ts'
import { createZstdDecompressor } from './zstd-decompressor.ts'

// Output buffer of node:zlib's streams. The default 16 KiB costs one thread-pool round trip per 16 KiB:
// measured on 2 cores, decompression ran 1.5–2.5× faster with 256 KiB (gzip ≈200 → ≈500 MB/s, zstd
// ≈220 → ≈580 MB/s); compression gained a few percent.
const ZLIB_CHUNK_SIZE = 256 * 1024

/**
 * A streaming compressor. gzip and zlib are node:zlib's streams; pgzip compresses 1 MiB blocks on all cores
 * into one gzip member; zstd compresses 1 MiB blocks on all cores into independent frames; xz is liblzma's
 * multi-threaded encoder.
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
      return createZstdFrameCompressor(choice.level)
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

/** Uncompressed bytes per zstd frame. */
const ZSTD_FRAME_SIZE = 1 << 20
/**
 * node:zlib's output buffer of a zstd context. A frame's output (≈ 0.3–0.6 MiB of SQL's 1 MiB) is pushed as
 * slices of it, and one slice still queued for the file keeps the whole buffer alive: with 1 MiB buffers the
 * job of the encrypted 143 MB backup peaked at 144–171 MB, with 256 KiB at 133–141 MB, its CPU and time a
 * little lower too (5 runs each).
 */
const ZSTD_OUTPUT_CHUNK = 256 * 1024

/**
 * zstd as a sequence of independent 1 MiB frames compressed concurrently on the thread pool (pzstd-style).
 * A concatenation of frames is a valid zstd stream for every reader (`zstd -d`, sfDBTools' klauspost
 * decoder, our createDecompressor). Each parallel slot keeps one zstd context and ends a frame per block
 * with ZSTD_e_end. Measured on 486 MB of SQL (Node 24.21, 2 cores): one continuous node stream ≈3.1 s of
 * CPU, one-shot zstdCompress per block ≈2.2 s (a fresh context and output buffer each time, and the
 * external memory made V8 run a full GC every few blocks), a reused context per slot ≈1.7 s — the zstd
 * 1.5.4 CLI needs ≈1.9 s. The backup pipeline is CPU-bound on 2 cores next to mariadb-dump and the server.
 */
function createZstdFrameCompressor(level: number): Transform {
  const options: zlib.ZstdOptions = {
    chunkSize: ZSTD_OUTPUT_CHUNK,
    params: {
      [zlib.constants.ZSTD_c_compressionLevel]: level,
      // A content checksum like the zstd CLI's default, so a damaged file fails instead of restoring.
      [zlib.constants.ZSTD_c_checksumFlag]: 1,
    },
  }
  const idle: zlib.ZstdCompress[] = []
  const all: zlib.ZstdCompress[] = []
  const stream = new ParallelBlockCompressor({
    name: 'zstd',
    blockSize: ZSTD_FRAME_SIZE,
    compress: (block, done) => {
      if (block.input.length === 0 && !block.final) return done(null)
      let z = idle.pop()
      if (z === undefined) {
        z = zlib.createZstdCompress(options)
        all.push(z)
      }
      const context = z
      const pieces: Buffer[] = []
      const onData = (piece: Buffer): void => void pieces.push(piece)
      const onError = (error: Error): void => {
        context.off('data', onData)
        done(error)
      }
      context.on('data', onData)
      context.once('error', onError)
      if (block.input.length > 0) context.write(block.input)
      // An empty stream still gets one (empty) frame, so the file is a valid zstd stream.
      context.flush(zlib.constants.ZSTD_e_end, () => {
        context.off('data', onData)
        context.off('error', onError)
        idle.push(context)
        done(null, pieces)
      })
    },
  })
  stream.once('close', () => {
    for (const z of all) z.destroy()
  })
  return stream
}
