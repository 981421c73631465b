import { gunzipSync } from 'node:zlib'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  createDecryptStream,
  createEncryptStream,
  decryptAnyBuffer,
  decryptLegacyL0,
  decryptSingleShot,
  encryptSingleShot,
} from '../../../electron/engine/crypto/index.ts'
import { sealLegacyL0 } from './craft.ts'
import { pieces, runThrough } from './stream-helpers.ts'
import { expectedPayload, loadVectors, sha256, VECTOR_DIR, vectorBytes } from './vectors.ts'
import type { Vector } from './vectors.ts'

const vectors = loadVectors()
/** The empty chunked file has no tag: its iteration count cannot be detected, so it reports this. */
const expectedFormat = (v: Vector): string =>
  v.plaintext_length === 0 && v.layout === 'chunked' ? 'chunked-empty' : v.format_version

describe('sfDBTools golden vectors', () => {
  it('the manifest lists every kind of container', () => {
    expect(new Set(vectors.map((v) => v.format_version))).toEqual(
      new Set([
        'v3-chunked-600k',
        'v2-chunked-100k',
        'single-shot-600k',
        'v1-single-shot-100k',
        'l0-legacy-headerless',
      ]),
    )
  })

  for (const v of vectors) {
    describe(v.name, () => {
      const data = vectorBytes(v)
      const want = expectedPayload(v)

      it('is the file the manifest describes', () => {
        expect(data.length).toBe(v.encrypted_length)
        expect(sha256(data)).toBe(v.encrypted_sha256)
      })

      it('decrypts through the buffer API', async () => {
        const { plaintext, format } = await decryptAnyBuffer(data, v.passphrase)
        expect(format).toBe(expectedFormat(v))
        expect(plaintext.length).toBe(want.length)
        expect(sha256(plaintext)).toBe(want.sha256)
        // A plaintext the manifest names must be there: readFileSync throws (fails the test) when it is not.
        if (v.plaintext_file !== undefined) {
          expect(plaintext.equals(readFileSync(join(VECTOR_DIR, v.plaintext_file)))).toBe(true)
        }
        if (v.compression === 'gzip') {
          const sql = gunzipSync(plaintext)
          expect(sql.length).toBe(v.plaintext_length)
          expect(sha256(sql)).toBe(v.plaintext_sha256)
        }
      })

      it('decrypts through the stream, whatever the read sizes', async () => {
        for (const maxPiece of [1, 7, 70_000, 1 << 20]) {
          if (maxPiece === 1 && data.length > 30_000) continue // byte-by-byte only for the small ones
          const stream = createDecryptStream(v.passphrase)
          let announced: string | undefined
          stream.on('format', (f: string) => (announced = f))
          const plaintext = await runThrough(stream, pieces(data, maxPiece))
          expect(sha256(plaintext)).toBe(want.sha256)
          expect(stream.detectedFormat).toBe(expectedFormat(v))
          expect(announced).toBe(expectedFormat(v))
        }
      })

      it('re-encrypts to the same bytes with the header salt and nonce', async () => {
        const { plaintext } = await decryptAnyBuffer(data, v.passphrase)
        let again: Buffer
        if (v.layout === 'chunked') {
          expect(data.subarray(8, 16).toString('hex')).toBe(v.salt_hex)
          expect(data.subarray(16, 28).toString('hex')).toBe(v.base_nonce_hex)
          const encrypt = createEncryptStream(v.passphrase, {
            iterations: v.iterations,
            salt: data.subarray(8, 16),
            baseNonce: data.subarray(16, 28),
          })
          again = await runThrough(encrypt, pieces(plaintext, 50_000))
        } else if (v.layout === 'single-shot') {
          expect(data.subarray(16, 28).toString('hex')).toBe(v.nonce_hex)
          again = await encryptSingleShot(plaintext, v.passphrase, {
            iterations: v.iterations,
            salt: data.subarray(8, 16),
            nonce: data.subarray(16, 28),
          })
        } else {
          expect(data.subarray(0, 12).toString('hex')).toBe(v.nonce_hex)
          again = sealLegacyL0(plaintext, v.passphrase, data.subarray(0, 12))
        }
        expect(sha256(again)).toBe(v.encrypted_sha256)
      })

      if (v.layout === 'single-shot') {
        it('decrypts through decryptSingleShot', async () => {
          const { plaintext, format } = await decryptSingleShot(data, v.passphrase)
          expect(format).toBe(v.format_version)
          expect(sha256(plaintext)).toBe(want.sha256)
        })
      }
      if (v.layout === 'legacy-headerless') {
        it('decrypts through decryptLegacyL0', async () => {
          expect(sha256(await decryptLegacyL0(data, v.passphrase))).toBe(want.sha256)
        })
      }

      if (expectedFormat(v) === 'chunked-empty') {
        it('opens with ANY key (no tag: the documented quirk) and says so', async () => {
          const { plaintext, format } = await decryptAnyBuffer(data, 'not the key')
          expect(plaintext.length).toBe(0)
          expect(format).toBe('chunked-empty')
        })
      } else {
        it('refuses a wrong passphrase as WrongKey, through both APIs', async () => {
          await expect(decryptAnyBuffer(data, `${v.passphrase}x`)).rejects.toMatchObject({ code: 'WrongKey' })
          const stream = createDecryptStream(v.passphrase.slice(0, -1))
          await expect(runThrough(stream, pieces(data, 70_000))).rejects.toMatchObject({ code: 'WrongKey' })
        })
      }
    })
  }
})
