import type { KeyObject } from 'node:crypto'
import { Transform } from 'node:stream'
import type { TransformCallback } from 'node:stream'
import { EngineError } from '../errors.ts'
import { ByteQueue } from './byte-queue.ts'
import {
  CHUNKED_CANDIDATES,
  FULL_CHUNK_LENGTH,
  HEADER_LENGTH,
  LENGTH_PREFIX,
  MAGIC,
  MIN_CHUNK_LENGTH,
  SALT_LENGTH,
  TAG_LENGTH,
} from './container-format.ts'
import type { ContainerFormat } from './container-format.ts'
import { settle } from './settle.ts'
import { chunkNonce, openSealed } from './gcm.ts'
import { createKeyCache } from './kdf.ts'
import { decryptLegacyL0 } from './legacy-l0.ts'
import { MIN_SINGLE_SHOT_LENGTH, openSingleShot, wrongKeyError } from './single-shot.ts'

export interface DecryptStreamOptions {
  /**
   * The largest single-shot or legacy (L0) file this stream holds in memory (default 64 MiB). Those layouts
   * have one tag at the very end, and releasing plaintext before the tag is checked would let a restore
   * execute unauthenticated (wrong-key garbage or tampered) SQL; so they are buffered, and bounded.
   * sfDBTools writes them only for profiles, `crypto encrypt-file` outputs < 1 MiB and the short-lived V1
   * backups (Oct–Nov 2025).
   */
  maxBufferedBytes?: number
}

export const DEFAULT_MAX_BUFFERED_BYTES = 64 * 1024 * 1024

/** Header + one length prefix: enough to tell the layouts apart. */
const PROBE_LENGTH = HEADER_LENGTH + LENGTH_PREFIX

/**
 * Opens every container sfDBTools ever wrote, as a stream (reference §1.6): V3/V2 chunked, single-shot
 * 600k/V1 100k and the headerless L0b. The layout and iteration count are found by authentication: chunk 0
 * is tried under the 600k key, then the 100k key; failing that the file is read as single-shot (or L0 when
 * it lacks the magic). Each key is derived at most once.
 *
 * Strict where sfDBTools is lax (§1.7): a missing end marker, bytes after it, a short non-final chunk and an
 * impossible chunk length are CorruptFile. A key that opens no first block is WrongKey ("wrong key or
 * damaged file") unless chunk 1 opens under it (then chunk 0 is damaged: CorruptFile); a later chunk that
 * fails is CorruptFile, since chunk 0 proved the key.
 *
 * The detected format is set on `detectedFormat` and emitted as a `format` event before any plaintext.
 */
export function createDecryptStream(passphrase: string, options: DecryptStreamOptions = {}): DecryptStream {
  return new DecryptStream(passphrase, options)
}

type Phase = 'detect' | 'chunked' | 'buffered'

/** Where a chunked read stands; `lastLength` lets a short chunk be refused once another follows it. */
interface ChunkedState {
  key: KeyObject
  baseNonce: Buffer
  index: number
  lastLength: number
  ended: boolean
}

export class DecryptStream extends Transform {
  /** Set once the layout is known; `chunked-empty` means no key was verified. */
  detectedFormat: ContainerFormat | undefined
  private readonly passphrase: string
  private readonly maxBuffered: number
  private readonly queue = new ByteQueue()
  private phase: Phase = 'detect'
  private keys: ((iterations: number) => Promise<KeyObject>) | undefined
  /** Why a Salted__ file fell back to buffering: the failed chunk-0 test makes a wrong key likely. */
  private chunkShaped = false
  /** The keys chunk 0 was tried under, to test chunk 1 with when chunk 0 opened under none. */
  private triedKeys: KeyObject[] = []
  private chunked: ChunkedState | undefined

  constructor(passphrase: string, options: DecryptStreamOptions) {
    super()
    this.passphrase = passphrase
    this.maxBuffered = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.queue.append(chunk)
    if (this.phase === 'chunked') return settle(callback, () => this.readChunks())
    if (this.phase === 'buffered') return settle(callback, () => this.checkBufferLimit())
    this.detect(false).then(
      () => settle(callback, () => this.continueAfterDetect()),
      (e: unknown) => callback(e as Error),
    )
  }

  override _flush(callback: TransformCallback): void {
    this.finish().then(
      () => callback(),
      (e: unknown) => callback(e as Error),
    )
  }

  private continueAfterDetect(): void {
    if (this.phase === 'chunked') this.readChunks()
    else if (this.phase === 'buffered') this.checkBufferLimit()
  }

  private async finish(): Promise<void> {
    if (this.phase === 'detect') await this.detect(true)
    this.continueAfterDetect()
    if (this.phase === 'chunked') return this.endChunked()
    const damaged = this.damagedFirstChunk()
    if (damaged !== null) throw damaged
    await this.openBuffered(this.queue.takeAll())
  }

  /**
   * Decides the layout from the first bytes (at most one chunk: ≤ 65,584 bytes are held). Stays in
   * 'detect' while more input could still change the answer.
   */
  private async detect(atEnd: boolean): Promise<void> {
    const q = this.queue
    if (q.length < MAGIC.length && !atEnd) return
    if (q.length < MAGIC.length || !q.peek(0, MAGIC.length).equals(MAGIC)) {
      this.phase = 'buffered' // headerless: L0b, or not encrypted at all
      return
    }
    if (q.length < PROBE_LENGTH) {
      if (!atEnd) return
      throw new EngineError(
        'CorruptFile',
        `truncated file: ${q.length} bytes, the header alone has ${HEADER_LENGTH}`,
      )
    }
    const length = q.readUInt32BE(HEADER_LENGTH)
    const plausible = length >= MIN_CHUNK_LENGTH && length <= FULL_CHUNK_LENGTH
    if (plausible && q.length < PROBE_LENGTH + length && !atEnd) return
    this.keys = createKeyCache(this.passphrase, Buffer.from(q.peek(MAGIC.length, MAGIC.length + SALT_LENGTH)))
    this.phase = 'buffered'
    if (!plausible || q.length < PROBE_LENGTH + length) return
    this.chunkShaped = true
    const baseNonce = Buffer.from(q.peek(MAGIC.length + SALT_LENGTH, HEADER_LENGTH))
    const sealed = q.peek(PROBE_LENGTH, PROBE_LENGTH + length)
    for (const candidate of CHUNKED_CANDIDATES) {
      const key = await this.keys(candidate.iterations)
      this.triedKeys.push(key)
      const plaintext = openSealed(key, chunkNonce(baseNonce, 0), sealed)
      if (plaintext === undefined) continue
      q.skip(PROBE_LENGTH + length)
      this.phase = 'chunked'
      this.chunked = { key, baseNonce, index: 1, lastLength: length, ended: false }
      this.announce(candidate.format)
      this.push(plaintext)
      return
    }
  }

  /** Decrypts every complete chunk in the queue, enforcing the framing rules. */
  private readChunks(): void {
    const state = this.chunked as ChunkedState
    const q = this.queue
    while (q.length > 0) {
      if (state.ended) {
        throw new EngineError('CorruptFile', 'damaged file: data follows the end marker')
      }
      if (q.length < LENGTH_PREFIX) return
      const length = q.readUInt32BE(0)
      if (length === 0) {
        q.skip(LENGTH_PREFIX)
        state.ended = true
        continue
      }
      if (length < MIN_CHUNK_LENGTH || length > FULL_CHUNK_LENGTH) {
        throw new EngineError(
          'CorruptFile',
          `damaged file: chunk ${state.index} claims ${length} bytes (a chunk holds ${MIN_CHUNK_LENGTH}..${FULL_CHUNK_LENGTH})`,
        )
      }
      if (state.lastLength !== FULL_CHUNK_LENGTH) {
        throw new EngineError(
          'CorruptFile',
          `damaged file: chunk ${state.index - 1} is short (${state.lastLength - TAG_LENGTH} bytes) ` +
            'but is not the last one',
        )
      }
      if (q.length < LENGTH_PREFIX + length) return
      q.skip(LENGTH_PREFIX)
      const plaintext = openSealed(state.key, chunkNonce(state.baseNonce, state.index), q.take(length))
      if (plaintext === undefined) {
        throw new EngineError(
          'CorruptFile',
          `damaged file: chunk ${state.index} does not authenticate (the key is right: chunk 0 opened)`,
        )
      }
      state.index++
      state.lastLength = length
      this.push(plaintext)
    }
  }

  private endChunked(): void {
    const state = this.chunked as ChunkedState
    if (state.ended) return
    const where =
      this.queue.length === 0
        ? `the end marker after chunk ${state.index - 1} is missing`
        : `it ends inside chunk ${state.index}`
    throw new EngineError('CorruptFile', `truncated file: ${where}`)
  }

  /**
   * A chunk-shaped file whose chunk 0 opened under no key: when chunk 0 is full and chunk 1 opens under one
   * of the keys, the key is right and chunk 0 is damaged (CorruptFile, not WrongKey). Null while chunk 1
   * is not all here.
   */
  private damagedFirstChunk(): EngineError | null {
    const q = this.queue
    if (!this.chunkShaped || this.triedKeys.length === 0) return null
    if (q.readUInt32BE(HEADER_LENGTH) !== FULL_CHUNK_LENGTH) return null
    const at = PROBE_LENGTH + FULL_CHUNK_LENGTH
    if (q.length < at + LENGTH_PREFIX) return null
    const length = q.readUInt32BE(at)
    const plausible = length >= MIN_CHUNK_LENGTH && length <= FULL_CHUNK_LENGTH
    if (plausible && q.length < at + LENGTH_PREFIX + length) return null
    const keys = this.triedKeys
    this.triedKeys = [] // decided: chunk 1 is tested once
    if (!plausible) return null
    const baseNonce = Buffer.from(q.peek(MAGIC.length + SALT_LENGTH, HEADER_LENGTH))
    const sealed = q.peek(at + LENGTH_PREFIX, at + LENGTH_PREFIX + length)
    if (!keys.some((key) => openSealed(key, chunkNonce(baseNonce, 1), sealed) !== undefined)) return null
    return new EngineError(
      'CorruptFile',
      'damaged file: chunk 0 does not authenticate (the key is right: chunk 1 opened under it)',
    )
  }

  private checkBufferLimit(): void {
    const damaged = this.damagedFirstChunk()
    if (damaged !== null) throw damaged
    if (this.queue.length <= this.maxBuffered) return
    // A chunk-shaped file whose chunk 0 opened under no key: far more likely a wrong key than a single-shot
    // file this large, and it could not be read either way.
    if (this.chunkShaped) throw wrongKeyError()
    throw new EngineError(
      'InvalidInput',
      `this file is not a chunked (streamable) container, and single-shot or legacy files larger than ` +
        `${this.maxBuffered} bytes are not supported: their one tag sits at the end, so the whole file would ` +
        'have to be held in memory',
    )
  }

  /** The whole file of a single-shot, L0 or degenerate chunked container. */
  private async openBuffered(data: Buffer): Promise<void> {
    if (this.keys === undefined) {
      const plaintext = await decryptLegacyL0(data, this.passphrase)
      this.announce('l0-legacy-headerless')
      this.push(plaintext)
      return
    }
    const firstLength = data.length >= PROBE_LENGTH ? data.readUInt32BE(HEADER_LENGTH) : undefined
    if (data.length === PROBE_LENGTH && firstLength === 0) {
      this.announce('chunked-empty') // no tag anywhere: any key "opens" it (reference §1.7)
      return
    }
    if (data.length < MIN_SINGLE_SHOT_LENGTH) {
      throw new EngineError(
        'CorruptFile',
        `truncated file: ${data.length} bytes is too short for any container that starts with "Salted__"`,
      )
    }
    const opened = await openSingleShot(data, this.keys)
    if (opened !== undefined) {
      this.announce(opened.format)
      this.push(opened.plaintext)
      return
    }
    if (firstLength === 0) {
      throw new EngineError(
        'CorruptFile',
        'damaged file: bytes follow the end marker of an empty chunked file',
      )
    }
    throw wrongKeyError()
  }

  private announce(format: ContainerFormat): void {
    this.detectedFormat = format
    this.emit('format', format)
  }
}
