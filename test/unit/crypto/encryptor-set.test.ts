/**
 * The encryptors of one run (createEncryptorSet): one key derivation for every file, each file a standard
 * V3 file that any reader opens with the passphrase alone, and no chunk nonce shared between two files.
 */
import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  createDecryptStream,
  createEncryptorSet,
  ITERATIONS_LEGACY,
} from '../../../electron/engine/crypto/index.ts'
import { keyDerivations } from '../../../electron/engine/crypto/kdf.ts'
import { pieces, runThrough } from './stream-helpers.ts'

const pass = 'run key ключ'
const salt = (file: Buffer): string => file.subarray(8, 16).toString('hex')
const prefix = (file: Buffer): number => file.readUInt32BE(16)

describe('createEncryptorSet', () => {
  it('derives the key once for all files; each decrypts with the passphrase alone', async () => {
    const before = keyDerivations()
    const set = createEncryptorSet(pass, { iterations: ITERATIONS_LEGACY })
    const plain = [randomBytes(200_000), randomBytes(10), Buffer.alloc(0), randomBytes(65_536 * 3)]
    const files: Buffer[] = []
    for (const p of plain) files.push(await runThrough(set.next(), pieces(p)))
    expect(keyDerivations() - before).toBe(1)
    for (const [k, file] of files.entries()) {
      const back = await runThrough(createDecryptStream(pass), pieces(file))
      expect(back.equals(plain[k] as Buffer)).toBe(true)
      expect(salt(file)).toBe(salt(files[0] as Buffer))
    }
    // Files of another run have a salt (and so a key) of their own.
    const other = await runThrough(createEncryptorSet(pass, { iterations: ITERATIONS_LEGACY }).next(), [])
    expect(salt(other)).not.toBe(salt(files[0] as Buffer))
  })

  it('gives every file its own nonce prefix, counting on across the 32-bit wrap', async () => {
    const set = createEncryptorSet(pass, { iterations: ITERATIONS_LEGACY, firstPrefix: 0xffff_fffe })
    const prefixes: number[] = []
    for (let i = 0; i < 4; i++) prefixes.push(prefix(await runThrough(set.next(), [randomBytes(100)])))
    expect(prefixes).toEqual([0xffff_fffe, 0xffff_ffff, 0, 1])
  })

  it('refuses an empty key before deriving anything', () => {
    const before = keyDerivations()
    expect(() => createEncryptorSet('')).toThrow(/empty/)
    expect(keyDerivations()).toBe(before)
  })
})
