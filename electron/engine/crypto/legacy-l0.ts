import { NONCE_LENGTH } from './container-format.ts'
import { openSealed } from './gcm.ts'
import { deriveLegacyL0Key } from './kdf.ts'
import { EngineError } from '../errors.ts'

/**
 * The predecessor tool's headerless format L0b (reference §1.6, used 2025-08-21 .. 2025-10-02):
 * nonce(12) ‖ AES-256-GCM(whole plaintext), key = PBKDF2-HMAC-SHA512(passphrase, fixed salt, 10,000).
 * Such a file has no magic, so a key that does not authenticate it cannot tell "wrong key" from "not an
 * encrypted file at all": the error says both.
 */
export async function decryptLegacyL0(data: Buffer, passphrase: string): Promise<Buffer> {
  if (data.length < NONCE_LENGTH + 16) {
    throw new EngineError(
      'CorruptFile',
      `not an encrypted file: ${data.length} bytes is shorter than the smallest encrypted file`,
    )
  }
  const key = await deriveLegacyL0Key(passphrase)
  const plaintext = openSealed(key, data.subarray(0, NONCE_LENGTH), data.subarray(NONCE_LENGTH))
  if (plaintext === undefined) {
    throw new EngineError(
      'WrongKey',
      'wrong key, or not an sfDBTools encrypted file: there is no "Salted__" header, and the key does not ' +
        'open it as a file of the predecessor sfDBTools (before October 2025) either',
    )
  }
  return plaintext
}
