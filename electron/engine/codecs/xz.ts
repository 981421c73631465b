import { availableParallelism, totalmem } from 'node:os'
import lzma from 'lzma-native'

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
 * The .xz encoder: liblzma's multi-threaded one (independent blocks of 3 × the dictionary, compressed on
 * liblzma's own threads), preset = level, CRC64 like the xz CLI. lzma-native 8.0.6 bundles liblzma 5.2.3,
 * about half as fast per core as Debian 12's xz 5.4.1 (xz -1 ≈9 vs ≈21 MB/s a core): xz is the slow choice.
 */
export function createXzEncoder(preset: number): lzma.LzmaStream {
  return lzma.createStream('easyEncoder', { preset, threads: xzThreads(preset), check: lzma.CHECK_CRC64 })
}

/** The .xz decoder; concatenated streams (and stream padding) are read like `xz -d` does. */
export function createXzDecoder(): lzma.LzmaStream {
  return lzma.createStream('streamDecoder')
}

/** Frees liblzma now rather than at garbage collection (the MT encoder holds threads and big buffers). */
export function disposeXz(stream: lzma.LzmaStream): void {
  stream.destroy()
  stream.cleanup()
}
