// lzma-native 8 ships no type declarations: these cover what the codecs use.
declare module 'lzma-native' {
  import type { Duplex } from 'node:stream'

  namespace lzma {
    /** A readable-stream (v3) Transform over one liblzma stream. */
    interface LzmaStream extends Duplex {
      /** lzma_end(): frees liblzma's state and joins the multi-threaded encoder's threads. */
      cleanup(): void
    }

    interface LzmaStreamOptions {
      preset?: number
      /** Present (even 0 = one per core) selects liblzma's multi-threaded encoder. */
      threads?: number
      /** The multi-threaded encoder's block size (uncompressed bytes); default 3 × the dictionary. */
      blockSize?: number
      check?: number
      memlimit?: number
    }
  }

  const lzma: {
    createStream(
      coder: 'easyEncoder' | 'streamDecoder' | 'autoDecoder',
      options?: lzma.LzmaStreamOptions,
    ): lzma.LzmaStream
    versionString(): string
    readonly CHECK_CRC64: number
  }
  export = lzma
}
