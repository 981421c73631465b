import { EngineError } from '../errors.ts'
import { NONCE_LENGTH, SALT_LENGTH } from './container-format.ts'

/**
 * Refuses parameters that would write an unreadable or unprotected file. An empty passphrase is refused
 * here (not in the readers): a backup "encrypted" with an empty key is a mistake the user should hear about.
 */
export function checkEncryptParams(
  passphrase: string,
  iterations: number,
  salt: Buffer,
  nonce: Buffer,
): void {
  if (passphrase.length === 0) throw new EngineError('InvalidInput', 'the encryption key is empty')
  if (!Number.isSafeInteger(iterations) || iterations < 1) {
    throw new EngineError('InvalidInput', `PBKDF2 iterations must be a positive integer, got ${iterations}`)
  }
  if (salt.length !== SALT_LENGTH) {
    throw new EngineError('InvalidInput', `the salt must be ${SALT_LENGTH} bytes, got ${salt.length}`)
  }
  if (nonce.length !== NONCE_LENGTH) {
    throw new EngineError('InvalidInput', `the nonce must be ${NONCE_LENGTH} bytes, got ${nonce.length}`)
  }
}
