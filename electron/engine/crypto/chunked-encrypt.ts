import { createSecretKey, randomBytes } from 'node:crypto'
import type { KeyObject } from 'node:crypto'
import { Transform } from 'node:stream'
import type { TransformCallback } from 'node:stream'
import {
  CHUNK_PLAINTEXT,
  FULL_CHUNK_LENGTH,
  ITERATIONS_CURRENT,
  LENGTH_PREFIX,
  MAGIC,
  NONCE_LENGTH,
  SALT_LENGTH,
  TAG_LENGTH,
} from './container-format.ts'
import { chunkNonce, sealInto } from './gcm.ts'
import { deriveKey } from './kdf.ts'
import { checkEncryptParams } from './encrypt-params.ts'
import { settle } from './settle.ts'
import { spentBytes } from '../gc-pacer.ts'

export interface EncryptStreamOptions {
  /** PBKDF2 iterations; 600,000 (V3) unless a test or a deliberate V2 file needs another count. */
  iterations?: number
  /** 8 bytes; random unless given (only to reproduce a known file byte for byte). */
  salt?: Buffer
  /** 12 bytes; random unless given. Only its first 4 bytes reach the chunk nonces (reference §1.2). */
  baseNonce?: Buffer
  /** The key of (passphrase, salt, iterations), already being derived (createEncryptorSet). */
  derivedKey?: Promise<Buffer>
}

const FRAME = LENGTH_PREFIX + FULL_CHUNK_LENGTH

/**
 * The sfDBTools V3 chunked writer (reference §1.2): `Salted__`, salt, base nonce, then 64 KiB plaintext
 * chunks each framed as a big-endian uint32 length and ciphertext‖tag, and a zero length as end marker.
 * Chunk boundaries do not depend on how the input is written; an input that is a multiple of 64 KiB gets
 * no empty final chunk, and empty input gives the 32-byte header + end marker. Memory stays at one
 * staging chunk plus the output of the current write; backpressure is the Transform's.
 */
export function createEncryptStream(passphrase: string, options: EncryptStreamOptions = {}): Transform {
  return new ChunkedEncryptStream(passphrase, options)
}

/** Encryptors for the files of one run, sharing one key derivation (see createEncryptorSet). */
export interface EncryptorSet {
  /** The next file's encryptor. */
  next(): Transform
}

const PREFIX_SPACE = 0x1_0000_0000

/**
 * Encryptors for the files of one run: one salt and one key derivation for all of them (600,000 PBKDF2
 * rounds once, not ≈ 0.1 s of a core per file), each file a standard V3 file whose header carries that salt
 * and a base nonce of its own. The chunk nonces take only the base nonce's first 4 bytes (then the chunk's
 * index), so those 4 bytes count up from a random start, one value per file: no two files of the run ever
 * share a chunk nonce under their shared key (up to 2^32 files); the other 8 bytes are random. Sharing the
 * key weakens nothing: every file of a run has the same passphrase, so whoever finds one file's key by
 * guessing the passphrase has all of them anyway. `firstPrefix` is for tests.
 */
export function createEncryptorSet(
  passphrase: string,
  options: { iterations?: number; firstPrefix?: number } = {},
): EncryptorSet {
  const iterations = options.iterations ?? ITERATIONS_CURRENT
  const salt = randomBytes(SALT_LENGTH)
  checkEncryptParams(passphrase, iterations, salt, Buffer.alloc(NONCE_LENGTH))
  const derivedKey = deriveKey(passphrase, salt, iterations)
  derivedKey.catch(() => {}) // reported by each file's first write
  let prefix = options.firstPrefix ?? randomBytes(4).readUInt32BE(0)
  return {
    next: () => {
      const baseNonce = randomBytes(NONCE_LENGTH)
      baseNonce.writeUInt32BE(prefix, 0)
      prefix = (prefix + 1) % PREFIX_SPACE
      return new ChunkedEncryptStream(passphrase, { iterations, salt, baseNonce, derivedKey })
    },
  }
}

class ChunkedEncryptStream extends Transform {
  private readonly iterations: number
  private readonly salt: Buffer
  private readonly baseNonce: Buffer
  private key: KeyObject | undefined
  /** The key's derivation, started with the stream: it runs while the dump starts, not after. */
  private readonly derived: Promise<Buffer>
  private readonly staging = Buffer.allocUnsafe(CHUNK_PLAINTEXT)
  private fill = 0
  private index = 0

  constructor(passphrase: string, options: EncryptStreamOptions) {
    super()
    this.iterations = options.iterations ?? ITERATIONS_CURRENT
    this.salt = options.salt ?? randomBytes(SALT_LENGTH)
    this.baseNonce = options.baseNonce ?? randomBytes(NONCE_LENGTH)
    checkEncryptParams(passphrase, this.iterations, this.salt, this.baseNonce)
    this.derived = options.derivedKey ?? deriveKey(passphrase, this.salt, this.iterations)
    this.derived.catch(() => {}) // reported by the first write (withKey)
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.withKey(callback, () => {
      this.encrypt(chunk)
      // Sealed into the output: the plaintext (the compressor's output) is spent.
      spentBytes(chunk.length)
    })
  }

  override _flush(callback: TransformCallback): void {
    this.withKey(callback, () => {
      const last = this.fill === 0 ? 0 : LENGTH_PREFIX + this.fill + TAG_LENGTH
      const out = Buffer.allocUnsafe(last + LENGTH_PREFIX)
      if (this.fill > 0) this.seal(this.staging.subarray(0, this.fill), out, 0)
      out.writeUInt32BE(0, last) // end marker
      this.push(out)
    })
  }

  /** Runs `step` once the key exists, deriving it (and emitting the header) on the first call. */
  private withKey(callback: TransformCallback, step: () => void): void {
    if (this.key !== undefined) return settle(callback, step)
    this.start().then(
      () => settle(callback, step),
      (e: unknown) => callback(e as Error),
    )
  }

  /** Derives the key once, then emits the header: nothing is written before the key exists. */
  private async start(): Promise<void> {
    this.key = createSecretKey(await this.derived)
    this.push(Buffer.concat([MAGIC, this.salt, this.baseNonce]))
  }

  private encrypt(input: Buffer): void {
    const chunks = Math.floor((this.fill + input.length) / CHUNK_PLAINTEXT)
    if (chunks === 0) {
      this.fill += input.copy(this.staging, this.fill)
      return
    }
    // One output buffer per write, so a 1 MiB write costs one push and not 16.
    const out = Buffer.allocUnsafe(chunks * FRAME)
    let at = 0
    let pos = 0
    if (this.fill > 0) {
      pos = input.copy(this.staging, this.fill, 0, CHUNK_PLAINTEXT - this.fill)
      at = this.seal(this.staging, out, at)
      this.fill = 0
    }
    // Full chunks straight from the caller's buffer: no copy into staging.
    for (; input.length - pos >= CHUNK_PLAINTEXT; pos += CHUNK_PLAINTEXT) {
      at = this.seal(input.subarray(pos, pos + CHUNK_PLAINTEXT), out, at)
    }
    this.fill = input.copy(this.staging, 0, pos)
    this.push(out)
  }

  private seal(plaintext: Buffer, out: Buffer, at: number): number {
    out.writeUInt32BE(plaintext.length + TAG_LENGTH, at)
    const nonce = chunkNonce(this.baseNonce, this.index++)
    return sealInto(this.key as KeyObject, nonce, plaintext, out, at + LENGTH_PREFIX)
  }
}
