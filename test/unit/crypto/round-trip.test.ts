import { createDecipheriv, randomBytes } from 'node:crypto'
import { Readable } from 'node:stream'
import type { Transform } from 'node:stream'
import { describe, expect, it } from 'vitest'
import {
  createDecryptStream,
  createEncryptStream,
  decryptAnyBuffer,
  decryptSingleShot,
  deriveKey,
  encryptSingleShot,
  ITERATIONS_LEGACY,
} from '../../../electron/engine/crypto/index.ts'
import { readKeyDerivations } from '../../../electron/engine/crypto/kdf.ts'
import { pieces, runThrough } from './stream-helpers.ts'

// 100,000 iterations keep these tests fast; the reader then reports the V2 format. The 600k default is
// covered by the golden vectors and one test below.
const iterations = ITERATIONS_LEGACY
const pass = 'round trip ключ'

/** The chunk ciphertext lengths of a chunked file, checking the frame layout along the way. */
function frameLengths(file: Buffer): number[] {
  expect(file.subarray(0, 8).toString('ascii')).toBe('Salted__')
  const lengths: number[] = []
  let at = 28
  for (;;) {
    const len = file.readUInt32BE(at)
    at += 4
    if (len === 0) break
    lengths.push(len)
    at += len
  }
  expect(at).toBe(file.length)
  return lengths
}

describe('chunked stream round trip', () => {
  for (const size of [0, 1, 65_535, 65_536, 65_537, 3 * 65_536, 1_000_003]) {
    it(`${size} bytes with random write sizes`, async () => {
      const plain = randomBytes(size)
      const file = await runThrough(createEncryptStream(pass, { iterations }), pieces(plain, 100_000))
      const chunks = Math.ceil(size / 65_536)
      expect(file.length).toBe(32 + chunks * (4 + 16) + size) // 32 + Σ(4 + len + 16)
      const lengths = frameLengths(file)
      expect(lengths).toHaveLength(chunks)
      lengths.slice(0, -1).forEach((len) => expect(len).toBe(65_552))
      const decrypt = createDecryptStream(pass)
      const back = await runThrough(decrypt, pieces(file, 90_000))
      expect(back.equals(plain)).toBe(true)
      expect(decrypt.detectedFormat).toBe(size === 0 ? 'chunked-empty' : 'v2-chunked-100k')
    })
  }

  it('derives a file’s key once per process, however often the file is opened; another key is derived', async () => {
    const plain = randomBytes(200_000)
    const file = await runThrough(createEncryptStream(pass, { iterations }), pieces(plain))
    const before = readKeyDerivations()
    for (let i = 0; i < 3; i++) {
      expect((await runThrough(createDecryptStream(pass), pieces(file, 70_000))).equals(plain)).toBe(true)
    }
    // 600k is tried first (and fails), then 100k: two derivations for the first open, none after.
    expect(readKeyDerivations() - before).toBe(2)
    await expect(runThrough(createDecryptStream(pass + '!'), pieces(file))).rejects.toMatchObject({
      code: 'WrongKey',
    })
    expect(readKeyDerivations() - before).toBe(4)
  })

  it('writes V3 (600,000 iterations) by default', async () => {
    const file = await runThrough(createEncryptStream(pass), [Buffer.from('hello')])
    expect(file.length).toBe(32 + 4 + 5 + 16)
    expect(await decryptAnyBuffer(file, pass)).toMatchObject({ format: 'v3-chunked-600k' })
  })

  it('cuts chunks independently of the write sizes', async () => {
    const plain = randomBytes(300_000)
    const fixed = { iterations, salt: randomBytes(8), baseNonce: randomBytes(12) }
    const outputs = await Promise.all(
      [[1], [65_536], [65_535, 2], [300_000], [7, 70_000, 13]].map((sizes) =>
        runThrough(createEncryptStream(pass, fixed), pieces(plain, 0, sizes)),
      ),
    )
    for (const out of outputs) expect(out.equals(outputs[0] as Buffer)).toBe(true)
  })

  it('derives the key before the first output byte and writes the given salt and nonce', async () => {
    const salt = randomBytes(8)
    const baseNonce = randomBytes(12)
    const file = await runThrough(createEncryptStream(pass, { iterations, salt, baseNonce }), [
      Buffer.from('x'),
    ])
    expect(file.subarray(8, 16).equals(salt)).toBe(true)
    expect(file.subarray(16, 28).equals(baseNonce)).toBe(true)
    // chunk 0 under nonce = baseNonce[0..3] ‖ 0×8, with PBKDF2-SHA256 of the passphrase
    const key = await deriveKey(pass, salt, iterations)
    const d = createDecipheriv('aes-256-gcm', key, Buffer.concat([baseNonce.subarray(0, 4), Buffer.alloc(8)]))
    d.setAuthTag(file.subarray(33, 49))
    expect(Buffer.concat([d.update(file.subarray(32, 33)), d.final()]).toString()).toBe('x')
  })

  it('refuses an empty key and malformed parameters', () => {
    expect(() => createEncryptStream('')).toThrow(expect.objectContaining({ code: 'InvalidInput' }))
    expect(() => createEncryptStream(pass, { salt: Buffer.alloc(7) })).toThrow(/salt must be 8 bytes/)
    expect(() => createEncryptStream(pass, { baseNonce: Buffer.alloc(16) })).toThrow(/nonce must be 12 bytes/)
    expect(() => createEncryptStream(pass, { iterations: 0 })).toThrow(/iterations/)
  })

  it('respects backpressure on both sides: an unread stream stops pulling its source', async () => {
    /** Pipes `blocks` into `stream` with no reader and returns how many blocks the source had to produce. */
    const pulled = async (stream: Transform, blocks: Buffer[]): Promise<number> => {
      let produced = 0
      const source = new Readable({
        read() {
          this.push(produced < blocks.length ? blocks[produced++] : null)
        },
      })
      source.pipe(stream)
      await new Promise((resolve) => setTimeout(resolve, 400)) // key derivation, then as far as it goes
      source.unpipe(stream)
      stream.destroy()
      return produced
    }
    const encryptBlocks = Array.from({ length: 200 }, () => randomBytes(1 << 20))
    expect(await pulled(createEncryptStream(pass, { iterations }), encryptBlocks)).toBeLessThan(8)

    const file = await runThrough(createEncryptStream(pass, { iterations }), [randomBytes(16 << 20)])
    const decryptBlocks = pieces(file, 0, [65_536])
    expect(await pulled(createDecryptStream(pass), decryptBlocks)).toBeLessThan(16)
  })
})

describe('single-shot round trip', () => {
  for (const size of [0, 1, 100_000]) {
    it(`${size} bytes`, async () => {
      const plain = randomBytes(size)
      const file = await encryptSingleShot(plain, pass, { iterations })
      expect(file.length).toBe(44 + size)
      const back = await decryptSingleShot(file, pass)
      expect(back.plaintext.equals(plain)).toBe(true)
      expect(back.format).toBe('v1-single-shot-100k')
      const any = await decryptAnyBuffer(file, pass)
      expect(any.plaintext.equals(plain)).toBe(true)
      await expect(decryptSingleShot(file, 'wrong')).rejects.toMatchObject({ code: 'WrongKey' })
    })
  }

  it('writes 600,000 iterations by default', async () => {
    const file = await encryptSingleShot(Buffer.from('[client]\nhost=x\n'), pass)
    expect((await decryptSingleShot(file, pass)).format).toBe('single-shot-600k')
  })

  it('refuses what is not a single-shot file', async () => {
    await expect(decryptSingleShot(Buffer.from('plain text, no header at all'), pass)).rejects.toMatchObject({
      code: 'CorruptFile',
    })
    await expect(decryptSingleShot(Buffer.from('Salted__too short'), pass)).rejects.toMatchObject({
      code: 'CorruptFile',
    })
  })
})
