// Test-only access to the sfDBTools golden vectors (test/fixtures/sfdbtools, see its README and manifest).
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

/** The vectors live in the repository; a missing one fails the tests (see test/unit/repo/fixtures.test.ts). */
export const VECTOR_DIR = resolve(import.meta.dirname, '../../fixtures/sfdbtools')

export interface Vector {
  name: string
  kind: 'backup-dump' | 'profile'
  format_version: string
  layout: 'chunked' | 'single-shot' | 'legacy-headerless'
  passphrase: string
  iterations: number
  compression: 'none' | 'gzip'
  plaintext_sha256: string
  plaintext_length: number
  encrypted_sha256: string
  encrypted_length: number
  encrypted_payload_sha256?: string
  encrypted_payload_length?: number
  plaintext_file?: string
  salt_hex?: string
  base_nonce_hex?: string
  nonce_hex?: string
  chunk_ciphertext_lengths?: number[]
}

export function loadVectors(): Vector[] {
  return (JSON.parse(readFileSync(join(VECTOR_DIR, 'manifest.json'), 'utf8')) as { vectors: Vector[] })
    .vectors
}

export function vectorBytes(v: Vector): Buffer {
  return readFileSync(join(VECTOR_DIR, v.name))
}

export function vectorByName(name: string): Vector {
  const v = loadVectors().find((x) => x.name === name)
  if (v === undefined) throw new Error(`no vector ${name}`)
  return v
}

/** sha256 and length the decrypted payload must have (the bytes between the layers for compressed ones). */
export function expectedPayload(v: Vector): { sha256: string; length: number } {
  return v.encrypted_payload_sha256 !== undefined
    ? { sha256: v.encrypted_payload_sha256, length: v.encrypted_payload_length as number }
    : { sha256: v.plaintext_sha256, length: v.plaintext_length }
}

export const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex')
