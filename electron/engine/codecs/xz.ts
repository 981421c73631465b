import { createRequire } from 'node:module'
import { availableParallelism, totalmem } from 'node:os'
import type lzmaModule from 'lzma-native'

type Lzma = typeof lzmaModule

let loaded: Lzma | undefined
/**
 * liblzma's binding, loaded on first use: ≈ 10–15 ms of every start of the CLI and of a job on 2 cores,
 * which only xz needs.
 */
const lzma = (): Lzma => (loaded ??= createRequire(import.meta.url)('lzma-native') as Lzma)

const MiB = 1 << 20

// Compression memory of one encoder thread by preset (xz(1): "CompMem") plus the multi-threaded encoder's
// input and output buffers of one block each (3 × the dictionary size each).
const ENCODER_MIB = [0, 9, 17, 32, 48, 94, 94, 186, 370, 674]
const DICTIONARY_MIB = [0, 1, 2, 4, 4, 8, 8, 16, 32, 64]

/**
 * Encoder threads for a preset: one per core, but no more than fit in a quarter of the RAM (as xz ≥ 5.4
 * does for -T0): xz -9 needs about 1 GiB a thread.
 */
export function xzThreads(preset: number, cores = availableParallelism(), ramBytes = totalmem()): number {
  const perThread = ((ENCODER_MIB[preset] ?? 674) + 6 * (DICTIONARY_MIB[preset] ?? 64)) * MiB
  return Math.max(1, Math.min(cores, Math.floor(ramBytes / 4 / perThread)))
}

/**
 * The most SQL one .xz block holds. liblzma's multi-threaded encoder takes no more input while every thread
 * compresses a block and the next block's buffer is full, so the dump is not read for as long as a block
 * takes: with its default (3 × the dictionary: 24 MiB at -6, 192 MiB at -9) that was over a minute on a
 * busy 2-core machine, and the server dropped the dump (its net_write_timeout). 4 MiB blocks: measured on
 * 60 MB of SQL at -6, 27.90 MB vs 27.92 MB with 24 MiB blocks (and faster on 2 threads).
 */
export const XZ_MAX_BLOCK_BYTES = 4 * MiB

export function xzBlockBytes(preset: number): number {
  return Math.min(3 * (DICTIONARY_MIB[preset] ?? 64) * MiB, XZ_MAX_BLOCK_BYTES)
}

/**
 * The .xz encoder: liblzma's multi-threaded one (independent blocks of at most XZ_MAX_BLOCK_BYTES,
 * compressed on liblzma's own threads), preset = level, CRC64 like the xz CLI. lzma-native 8.0.6 bundles
 * liblzma 5.2.3, about half as fast per core as Debian 12's xz 5.4.1 (xz -1 ≈9 vs ≈21 MB/s a core): xz is
 * the slow choice.
 */
export function createXzEncoder(preset: number): lzmaModule.LzmaStream {
  return lzma().createStream('easyEncoder', {
    preset,
    threads: xzThreads(preset),
    blockSize: xzBlockBytes(preset),
    check: lzma().CHECK_CRC64,
  })
}

/** The .xz decoder; concatenated streams (and stream padding) are read like `xz -d` does. */
export function createXzDecoder(): lzmaModule.LzmaStream {
  return lzma().createStream('streamDecoder')
}

/** Frees liblzma now rather than at garbage collection (the MT encoder holds threads and big buffers). */
export function disposeXz(stream: lzmaModule.LzmaStream): void {
  stream.destroy()
  stream.cleanup()
}
