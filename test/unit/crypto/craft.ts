// Test-only writers for files our engine must never produce: arbitrary chunk sizes, missing end markers,
// and the predecessor tool's headerless L0b format.
import { createCipheriv, createHash, pbkdf2Sync } from 'node:crypto'

/** AES-256-GCM ciphertext‖tag, no AAD. */
export function seal(key: Buffer, nonce: Buffer, plaintext: Buffer): Buffer {
  const c = createCipheriv('aes-256-gcm', key, nonce)
  return Buffer.concat([c.update(plaintext), c.final(), c.getAuthTag()])
}

export function chunkNonceOf(baseNonce: Buffer, i: number): Buffer {
  const n = Buffer.alloc(12)
  baseNonce.copy(n, 0, 0, 4)
  n.writeBigUInt64BE(BigInt(i), 4)
  return n
}

/** A chunked container whose chunk plaintexts are exactly `chunks` (no 64 KiB rule enforced). */
export function craftChunked(
  passphrase: string,
  iterations: number,
  salt: Buffer,
  baseNonce: Buffer,
  chunks: Buffer[],
  options: { endMarker?: boolean } = {},
): Buffer {
  const key = pbkdf2Sync(Buffer.from(passphrase, 'utf8'), salt, iterations, 32, 'sha256')
  const parts = [Buffer.from('Salted__'), salt, baseNonce]
  chunks.forEach((plain, i) => {
    const sealed = seal(key, chunkNonceOf(baseNonce, i), plain)
    const len = Buffer.alloc(4)
    len.writeUInt32BE(sealed.length)
    parts.push(len, sealed)
  })
  if (options.endMarker ?? true) parts.push(Buffer.alloc(4))
  return Buffer.concat(parts)
}

/** The predecessor's L0b: nonce ‖ GCM, key = PBKDF2-SHA512(pass, fixed salt, 10,000). */
export function sealLegacyL0(plaintext: Buffer, passphrase: string, nonce: Buffer): Buffer {
  const key = pbkdf2Sync(
    Buffer.from(passphrase, 'utf8'),
    Buffer.from('sfdb_encryption_salt_v3'),
    10_000,
    32,
    'sha512',
  )
  return Buffer.concat([nonce, seal(key, nonce, plaintext)])
}

/** Deterministic pseudo-random bytes (fast, so big test inputs do not depend on the system RNG). */
export function patternBytes(length: number, seed = 'sfdb'): Buffer {
  const out = Buffer.allocUnsafe(length)
  let block = createHash('sha256').update(seed).digest()
  for (let at = 0; at < length; at += block.length) {
    block.copy(out, at)
    block = createHash('sha256').update(block).digest()
  }
  return out
}
