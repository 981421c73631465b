import { createSecretKey, pbkdf2 } from 'node:crypto'
import type { KeyObject } from 'node:crypto'
import { promisify } from 'node:util'
import { L0_ITERATIONS, L0_SALT } from './container-format.ts'

const pbkdf2Async = promisify(pbkdf2)

/**
 * PBKDF2-HMAC-SHA256 with dkLen 32, as every sfDBTools V1/V2/V3 file and profile uses. Runs on the libuv
 * thread pool (600,000 iterations take ≈0.3 s) so it never blocks the event loop. The passphrase is used
 * as raw UTF-8 bytes and never trimmed here: trimming is the caller's policy (reference §1.1).
 */
export async function deriveKey(passphrase: string, salt: Buffer, iterations: number): Promise<Buffer> {
  return pbkdf2Async(Buffer.from(passphrase, 'utf8'), salt, iterations, 32, 'sha256')
}

/** The predecessor tool's (L0b) key: PBKDF2-HMAC-SHA512 over a fixed salt, 10,000 iterations. */
export async function deriveLegacyL0Key(passphrase: string): Promise<KeyObject> {
  const raw = await pbkdf2Async(Buffer.from(passphrase, 'utf8'), L0_SALT, L0_ITERATIONS, 32, 'sha512')
  return createSecretKey(raw)
}

/**
 * Derives the key for one file's salt at most once per iteration count: the format of a file is found by
 * trying keys, and a 600k derivation is too slow to repeat (reference §1.6, "Cost").
 */
export function createKeyCache(passphrase: string, salt: Buffer): (iterations: number) => Promise<KeyObject> {
  const keys = new Map<number, Promise<KeyObject>>()
  return (iterations) => {
    let key = keys.get(iterations)
    if (key === undefined) {
      key = deriveKey(passphrase, salt, iterations).then((raw) => createSecretKey(raw))
      keys.set(iterations, key)
    }
    return key
  }
}
