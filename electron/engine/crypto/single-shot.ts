import { createSecretKey, randomBytes } from 'node:crypto'
import type { KeyObject } from 'node:crypto'
import { EngineError } from '../errors.ts'
import {
  HEADER_LENGTH,
  ITERATIONS_CURRENT,
  MAGIC,
  NONCE_LENGTH,
  SALT_LENGTH,
  SINGLE_SHOT_CANDIDATES,
  TAG_LENGTH,
} from './container-format.ts'
import { checkEncryptParams } from './encrypt-params.ts'
import { openSealed, sealInto } from './gcm.ts'
import { createKeyCache, deriveKey } from './kdf.ts'

export interface SingleShotOptions {
  /** PBKDF2 iterations; 600,000 (what sfDBTools writes since 2026-01-09) unless given. */
  iterations?: number
  /** 8 bytes; random unless given (only to reproduce a known file byte for byte). */
  salt?: Buffer
  /** 12 bytes; random unless given. */
  nonce?: Buffer
}

export type SingleShotFormat = (typeof SINGLE_SHOT_CANDIDATES)[number]['format']

/** The smallest single-shot file: header and the tag of an empty plaintext. */
export const MIN_SINGLE_SHOT_LENGTH = HEADER_LENGTH + TAG_LENGTH

/**
 * The sfDBTools single-shot layout (reference §1.3), as profiles and small `crypto encrypt-file` outputs
 * use: `Salted__`, salt, nonce, then one AES-256-GCM seal over the whole plaintext.
 */
export async function encryptSingleShot(
  plaintext: Buffer,
  passphrase: string,
  options: SingleShotOptions = {},
): Promise<Buffer> {
  const iterations = options.iterations ?? ITERATIONS_CURRENT
  const salt = options.salt ?? randomBytes(SALT_LENGTH)
  const nonce = options.nonce ?? randomBytes(NONCE_LENGTH)
  checkEncryptParams(passphrase, iterations, salt, nonce)
  const key = createSecretKey(await deriveKey(passphrase, salt, iterations))
  const out = Buffer.allocUnsafe(HEADER_LENGTH + plaintext.length + TAG_LENGTH)
  MAGIC.copy(out, 0)
  salt.copy(out, MAGIC.length)
  nonce.copy(out, MAGIC.length + SALT_LENGTH)
  sealInto(key, nonce, plaintext, out, HEADER_LENGTH)
  return out
}

/**
 * Opens a single-shot file, trying 600,000 iterations and then 100,000 (the file does not record its
 * count; authentication decides). Throws CorruptFile when the bytes cannot be a single-shot file and
 * WrongKey when no candidate key authenticates it.
 */
export async function decryptSingleShot(
  data: Buffer,
  passphrase: string,
): Promise<{ plaintext: Buffer; format: SingleShotFormat }> {
  if (data.length < MAGIC.length || !data.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new EngineError('CorruptFile', 'not a single-shot encrypted file: the "Salted__" header is missing')
  }
  if (data.length < MIN_SINGLE_SHOT_LENGTH) {
    throw new EngineError(
      'CorruptFile',
      `truncated encrypted file: ${data.length} bytes, a single-shot file has at least ${MIN_SINGLE_SHOT_LENGTH}`,
    )
  }
  const opened = await openSingleShot(
    data,
    createKeyCache(passphrase, data.subarray(MAGIC.length, MAGIC.length + SALT_LENGTH)),
  )
  if (opened === undefined) throw wrongKeyError()
  return opened
}

/**
 * Tries each single-shot candidate on a complete header file (≥ MIN_SINGLE_SHOT_LENGTH bytes) with keys
 * from `keys`, so a caller that already derived one for the chunked test does not derive it again.
 */
export async function openSingleShot(
  data: Buffer,
  keys: (iterations: number) => Promise<KeyObject>,
): Promise<{ plaintext: Buffer; format: SingleShotFormat } | undefined> {
  const nonce = data.subarray(MAGIC.length + SALT_LENGTH, HEADER_LENGTH)
  const sealed = data.subarray(HEADER_LENGTH)
  for (const candidate of SINGLE_SHOT_CANDIDATES) {
    const plaintext = openSealed(await keys(candidate.iterations), nonce, sealed)
    if (plaintext !== undefined) return { plaintext, format: candidate.format }
  }
  return undefined
}

/**
 * The one message for "no candidate key authenticates the first sealed block". A flipped byte there is
 * indistinguishable from a wrong key (GCM only says "does not authenticate"), so the code is WrongKey, the
 * most likely cause, and the message names both.
 */
export function wrongKeyError(what = 'this file'): EngineError {
  return new EngineError(
    'WrongKey',
    `wrong key or damaged file: the key does not open ${what} (tried PBKDF2 with 600,000 and 100,000 iterations)`,
  )
}
