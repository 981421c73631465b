import type { Transform } from 'node:stream'
import zlib from 'node:zlib'
import { ParallelBlockCompressor } from './parallel-blocks.ts'

export interface PgzipOptions {
  /** Uncompressed bytes per independently compressed block; 1 MiB like sfDBTools' pgzip writer. */
  blockSize?: number
  /** Blocks compressed at once on the libuv thread pool; by default see defaultBlockParallelism(). */
  parallelism?: number
}

/** Deflate's window: the most of the previous block that can help compress the next one. */
const DICTIONARY_SIZE = 32 * 1024
// Output buffer of one deflate call: large enough that a 1 MiB block needs few thread-pool round trips.
const DEFLATE_CHUNK_SIZE = 256 * 1024

/**
 * Parallel gzip, pigz-style: the input is cut into blocks that are deflated concurrently on the libuv
 * thread pool, each primed with the previous 32 KiB as a dictionary so the ratio stays close to plain gzip.
 * Non-final blocks end with a sync flush (byte aligned), the last one with Z_FINISH, so the output is ONE
 * standard gzip member that any gzip reader (and `gzip -t`) accepts. Memory holds only the blocks in flight.
 */
export function createPgzipCompressor(level: number, options: PgzipOptions = {}): Transform {
  let crc = 0
  let size = 0
  return new ParallelBlockCompressor({
    name: 'pgzip',
    blockSize: options.blockSize ?? 1 << 20,
    ...(options.parallelism === undefined ? {} : { parallelism: options.parallelism }),
    header: gzipHeader(level),
    readsPrevious: true,
    onInput: (chunk) => {
      crc = zlib.crc32(chunk, crc)
      size += chunk.length
    },
    trailer: () => gzipTrailer(crc, size),
    compress: (block, done) => {
      const opts: zlib.ZlibOptions = {
        level,
        chunkSize: DEFLATE_CHUNK_SIZE,
        finishFlush: block.final ? zlib.constants.Z_FINISH : zlib.constants.Z_SYNC_FLUSH,
      }
      if (block.previous !== undefined) opts.dictionary = block.previous.subarray(-DICTIONARY_SIZE)
      zlib.deflateRaw(block.input, opts, (error, output) => done(error, output))
    },
  })
}

/** RFC 1952 header: no name, no mtime (reproducible output), XFL as zlib sets it, OS 255 as Go's gzip. */
function gzipHeader(level: number): Buffer {
  const xfl = level === 9 ? 2 : level === 1 ? 4 : 0
  return Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, xfl, 255])
}

function gzipTrailer(crc: number, size: number): Buffer {
  const trailer = Buffer.allocUnsafe(8)
  trailer.writeUInt32LE(crc >>> 0, 0)
  trailer.writeUInt32LE(size % 2 ** 32, 4) // ISIZE is the length modulo 2^32
  return trailer
}
