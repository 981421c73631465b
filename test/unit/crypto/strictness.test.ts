import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createDecryptStream, decryptAnyBuffer } from '../../../electron/engine/crypto/index.ts'
import { craftChunked, patternBytes, sealLegacyL0 } from './craft.ts'
import { pieces, runThrough } from './stream-helpers.ts'
import { vectorByName, vectorBytes } from './vectors.ts'

/** Runs the stream (random read sizes) and the buffer API; both must fail the same way. */
async function expectFailure(data: Buffer, passphrase: string, code: string, message: RegExp): Promise<void> {
  await expect(decryptAnyBuffer(data, passphrase)).rejects.toMatchObject({
    code,
    message: expect.stringMatching(message),
  })
  await expect(runThrough(createDecryptStream(passphrase), pieces(data, 40_000))).rejects.toMatchObject({
    code,
    message: expect.stringMatching(message),
  })
}

const flip = (data: Buffer, at: number): Buffer => {
  const copy = Buffer.from(data)
  copy[at] = (copy[at] as number) ^ 0x01
  return copy
}

describe('strict reader, on real files', () => {
  // v2_chunked_100k_150000: chunks of 65552, 65552, 18944 bytes, end marker at 150088.
  const v2 = vectorByName('v2_chunked_100k_150000.sql.enc')
  const file = vectorBytes(v2)
  const chunk1At = 32 + 65_552 // the length prefix of chunk 1
  const chunk2At = chunk1At + 4 + 65_552

  it('refuses a file truncated exactly at a chunk boundary (end marker dropped)', async () => {
    await expectFailure(
      file.subarray(0, file.length - 4),
      v2.passphrase,
      'CorruptFile',
      /end marker after chunk 2 is missing/,
    )
    await expectFailure(
      file.subarray(0, chunk2At),
      v2.passphrase,
      'CorruptFile',
      /end marker after chunk 1 is missing/,
    )
  })

  it('refuses a file truncated inside a chunk or inside a length prefix', async () => {
    await expectFailure(
      file.subarray(0, file.length - 100),
      v2.passphrase,
      'CorruptFile',
      /ends inside chunk 2/,
    )
    await expectFailure(file.subarray(0, chunk1At + 2), v2.passphrase, 'CorruptFile', /ends inside chunk 1/)
  })

  it('refuses bytes after the end marker', async () => {
    await expectFailure(
      Buffer.concat([file, Buffer.from([0])]),
      v2.passphrase,
      'CorruptFile',
      /data follows the end marker/,
    )
    await expectFailure(
      Buffer.concat([file, file]),
      v2.passphrase,
      'CorruptFile',
      /data follows the end marker/,
    )
  })

  it('refuses bytes after the end marker of an empty file', async () => {
    const empty = vectorBytes(vectorByName('v3_empty.sql.enc'))
    const junk = Buffer.concat([empty, randomBytes(40)])
    await expectFailure(junk, 'any', 'CorruptFile', /follow the end marker of an empty chunked file/)
  })

  it('refuses a length prefix above 65,552 or below 17', async () => {
    for (const bad of [65_553, 0x7fff_ffff, 16, 1]) {
      const copy = Buffer.from(file)
      copy.writeUInt32BE(bad, chunk1At)
      await expectFailure(copy, v2.passphrase, 'CorruptFile', new RegExp(`chunk 1 claims ${bad} bytes`))
    }
  })

  it('reports a damaged chunk after chunk 0 as CorruptFile', async () => {
    await expectFailure(
      flip(file, chunk1At + 4 + 1000),
      v2.passphrase,
      'CorruptFile',
      /chunk 1 does not authenticate/,
    )
    await expectFailure(
      flip(file, file.length - 10),
      v2.passphrase,
      'CorruptFile',
      /chunk 2 does not authenticate/,
    )
  })

  it('reports a damaged chunk 0 as CorruptFile when chunk 1 proves the key', async () => {
    await expectFailure(flip(file, 32 + 500), v2.passphrase, 'CorruptFile', /chunk 0 does not authenticate/)
    await expectFailure(flip(file, 32 + 500), 'not the key', 'WrongKey', /wrong key or damaged file/)
  })

  it('reports a damaged salt or nonce prefix as WrongKey, saying "wrong key or damaged file"', async () => {
    // GCM cannot tell a flipped byte from a wrong key: what every chunk depends on (the salt, the nonce's
    // prefix) leaves no chunk to prove the key, so this is WrongKey (the likelier cause) naming both.
    await expectFailure(flip(file, 17), v2.passphrase, 'WrongKey', /wrong key or damaged file/) // nonce prefix
    await expectFailure(flip(file, 9), v2.passphrase, 'WrongKey', /wrong key or damaged file/) // salt
  })

  it('ignores base nonce bytes 4..11, as sfDBTools does (its counter overwrites them)', async () => {
    const { plaintext } = await decryptAnyBuffer(flip(file, 20), v2.passphrase)
    expect(plaintext.length).toBe(v2.plaintext_length)
  })

  it('reports a damaged single-shot or L0 file as WrongKey', async () => {
    const v1 = vectorByName('v1_single_shot_100k.sql.enc')
    await expectFailure(flip(vectorBytes(v1), 5000), v1.passphrase, 'WrongKey', /wrong key or damaged file/)
    const l0 = vectorByName('l0_legacy_headerless.sql.enc')
    await expectFailure(
      flip(vectorBytes(l0), 5000),
      l0.passphrase,
      'WrongKey',
      /not an sfDBTools encrypted file/,
    )
  })

  it('refuses a file whose chunk 0 does not open once it outgrows the buffering limit', async () => {
    // Without the limit a wrong key on a large chunked backup would make the reader hold the whole file.
    const stream = createDecryptStream('wrong key', { maxBufferedBytes: 100_000 })
    await expect(runThrough(stream, pieces(file, 30_000))).rejects.toMatchObject({ code: 'WrongKey' })
  })
})

describe('strict reader, on crafted files', () => {
  const pass = 'crafted'
  const salt = Buffer.from('0011223344556677', 'hex')
  const nonce = Buffer.from('8899aabbccddeeff00112233', 'hex')
  const full = patternBytes(65_536, 'full')

  it('the crafting writer agrees with the reader on well-formed files', async () => {
    const ok = craftChunked(pass, 100_000, salt, nonce, [full, full, Buffer.from('tail')])
    const { plaintext, format } = await decryptAnyBuffer(ok, pass)
    expect(format).toBe('v2-chunked-100k')
    expect(plaintext.equals(Buffer.concat([full, full, Buffer.from('tail')]))).toBe(true)
  })

  it('refuses a short chunk that is not the last one', async () => {
    const shortFirst = craftChunked(pass, 100_000, salt, nonce, [Buffer.alloc(100, 1), full])
    await expectFailure(
      shortFirst,
      pass,
      'CorruptFile',
      /chunk 0 is short \(100 bytes\) but is not the last one/,
    )
    const shortMiddle = craftChunked(pass, 100_000, salt, nonce, [full, Buffer.alloc(10), Buffer.alloc(10)])
    await expectFailure(shortMiddle, pass, 'CorruptFile', /chunk 1 is short \(10 bytes\)/)
  })

  it('refuses chunks in the wrong order', async () => {
    const a = craftChunked(pass, 100_000, salt, nonce, [full, full, patternBytes(65_536, 'other')])
    const swapped = Buffer.concat([
      a.subarray(0, 32 + 65_556),
      a.subarray(32 + 2 * 65_556, 32 + 3 * 65_556),
      a.subarray(32 + 65_556, 32 + 2 * 65_556),
      Buffer.alloc(4),
    ])
    await expectFailure(swapped, pass, 'CorruptFile', /chunk 1 does not authenticate/)
  })

  it('refuses inputs too short to be any container', async () => {
    await expectFailure(Buffer.alloc(0), pass, 'CorruptFile', /shorter than the smallest encrypted file/)
    await expectFailure(Buffer.from('Salted__0123456789'), pass, 'CorruptFile', /truncated file: 18 bytes/)
    await expectFailure(
      Buffer.concat([Buffer.from('Salted__'), randomBytes(30)]),
      pass,
      'CorruptFile',
      /truncated file: 38 bytes/,
    )
  })

  it('calls an unencrypted file a wrong key or not an encrypted file', async () => {
    const sql = Buffer.from('-- MariaDB dump 10.19\nCREATE TABLE t (id int);\n'.repeat(20))
    await expectFailure(sql, pass, 'WrongKey', /not an sfDBTools encrypted file/)
  })

  it('refuses a single-shot or legacy file above the buffering limit with InvalidInput', async () => {
    const l0 = sealLegacyL0(patternBytes(5000), pass, randomBytes(12))
    const stream = createDecryptStream(pass, { maxBufferedBytes: 1000 })
    await expect(runThrough(stream, pieces(l0, 300))).rejects.toMatchObject({ code: 'InvalidInput' })
  })
})
