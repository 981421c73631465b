/**
 * Backup files for verify tests, written with the engine's own compressor and encryptor: a dump's SQL of
 * about `sqlBytes` ending with the completion trailer, and `<file>.meta.json` recording its sha256.
 */
import { createHash } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import { Readable, type Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { CompressionType } from '../../../shared/backup-types.ts'
import { createCompressor } from '../../../electron/engine/codecs/index.ts'
import { createEncryptStream } from '../../../electron/engine/crypto/index.ts'

/** SQL lines of about `bytes`, with the dump's header comments and its completion trailer. */
export function* dumpLines(bytes: number): Generator<Buffer> {
  yield Buffer.from('-- MariaDB dump 10.19  Distrib 10.11.6-MariaDB\n--\n-- Current Database: `shop`\n--\n')
  // Rows vary, so a compressor has some work to do.
  const block: string[] = []
  for (let i = 0; i < 2000; i++)
    block.push(
      `INSERT INTO \`orders\` VALUES (${i},'customer ${(i * 7919) % 1000}','${'x'.repeat(i % 40)}');\n`,
    )
  const chunk = Buffer.from(block.join(''))
  for (let written = 0; written < bytes; written += chunk.length) yield chunk
  yield Buffer.from('-- Dump completed on 2025-01-01  2:00:00\n')
}

export interface BackupFileOptions {
  sqlBytes: number
  compression?: CompressionType
  /** Encrypted with this key; plain when absent. */
  key?: string
  /** Write `<file>.meta.json` with the file's sha256 (default true). */
  meta?: boolean
}

/** Writes the backup file and returns its sha256. */
export async function writeBackupFile(path: string, options: BackupFileOptions): Promise<string> {
  const stages: Transform[] = [createCompressor(options.compression ?? 'none', 1)]
  if (options.key !== undefined) stages.push(createEncryptStream(options.key))
  await pipeline([Readable.from(dumpLines(options.sqlBytes)), ...stages, createWriteStream(path)])
  const sha256 = createHash('sha256')
    .update(await readFile(path))
    .digest('hex')
  if (options.meta !== false) await writeFile(`${path}.meta.json`, JSON.stringify({ file: { sha256 } }))
  return sha256
}
