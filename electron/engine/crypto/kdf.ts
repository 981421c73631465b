import { createHash, createSecretKey, pbkdf2 } from 'node:crypto'
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
  keysDerived++
  return pbkdf2Async(Buffer.from(passphrase, 'utf8'), salt, iterations, 32, 'sha256')
}

let keysDerived = 0

/** How many PBKDF2-SHA256 keys this process has derived (tests prove a run's files share one). */
export const keyDerivations = (): number => keysDerived

/** The predecessor tool's (L0b) key: PBKDF2-HMAC-SHA512 over a fixed salt, 10,000 iterations. */
export async function deriveLegacyL0Key(passphrase: string): Promise<KeyObject> {
  const raw = await pbkdf2Async(Buffer.from(passphrase, 'utf8'), L0_SALT, L0_ITERATIONS, 32, 'sha512')
  return createSecretKey(raw)
}

/** Keys derived for reading, by a hash of (salt, iterations, passphrase): the most recent few. */
const readKeys = new Map<string, Promise<KeyObject>>()
const READ_KEYS_KEPT = 8
let derivations = 0

/** How many read keys this process has derived (tests prove a file's key is derived once). */
export function readKeyDerivations(): number {
  return derivations
}

/**
 * Derives the key for a file's salt at most once per iteration count in this process: the format of a file
 * is found by trying keys, a restore opens its file more than once (the check before the server is touched,
 * then the load), and a 600k derivation (≈0.3 s) is too slow to repeat (reference §1.6, "Cost"). The cache
 * is keyed by a hash, so it holds no copy of the passphrase, and it keeps the last READ_KEYS_KEPT keys.
 */
export function createKeyCache(passphrase: string, salt: Buffer): (iterations: number) => Promise<KeyObject> {
  return (iterations) => {
    const id = createHash('sha256')
      .update(salt)
      .update(`\u0000${iterations}\u0000`)
      .update(passphrase, 'utf8')
      .digest('base64')
    let key = readKeys.get(id)
    if (key === undefined) {
      derivations++
      key = deriveKey(passphrase, salt, iterations).then((raw) => createSecretKey(raw))
      key.catch(() => readKeys.delete(id))
      readKeys.set(id, key)
      for (const old of readKeys.keys()) {
        if (readKeys.size <= READ_KEYS_KEPT) break
        readKeys.delete(old)
      }
    }
    return key
  }
}
