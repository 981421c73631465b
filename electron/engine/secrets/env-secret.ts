import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { EngineError } from '../errors.ts'

/**
 * sfDBTools' encrypted environment values (`sfdbtools crypto env-encode`, reference §1.8): `SFDBTOOLS:` +
 * base64url (no padding) of 0x01 ‖ nonce(12) ‖ AES-256-GCM ciphertext+tag, AAD `sfdbtools-env-v1`. The key is
 * SHA-256("sfdbtools"), or SHA-256("sfdbtools" ‖ 0x00 ‖ key material) when the MariaDB key file exists.
 * Supported so that existing cron jobs and .env files keep working; it obfuscates more than it protects.
 */
export const ENV_SECRET_PREFIX = 'SFDBTOOLS:'
const AAD = Buffer.from('sfdbtools-env-v1', 'ascii')
const VERSION = 1
/** sfDBTools' default; SFDB_MARIADB_KEY_FILE points elsewhere (sfDBTools: mariadb.key_maria_nbc_file). */
export const DEFAULT_MARIADB_KEY_FILE = '/var/lib/mysql/key_maria_nbc.txt'

/** The key with the highest id in a MariaDB file-key-management file (`id;hex` lines), ids 1 and 100 skipped. */
export function parseMariadbKeyMaterial(text: string): Buffer | null {
  let best: Buffer | null = null
  let bestId = -1
  for (const line of text.split('\n')) {
    const [idText, hexText] = line
      .trim()
      .split(';', 2)
      .map((x) => x.trim())
    if (!idText || !hexText || !/^\d+$/.test(idText)) continue
    const id = Number(idText)
    if (id === 1 || id === 100 || id <= bestId) continue
    const hex = hexText.toLowerCase().replace(/^0x/, '').replace(/ /g, '')
    if (!/^([0-9a-f]{2})+$/.test(hex) || hex.length < 32) continue
    best = Buffer.from(hex, 'hex')
    bestId = id
  }
  return best
}

function masterKey(keyFile: string): Buffer {
  let material: Buffer | null = null
  try {
    material = parseMariadbKeyMaterial(readFileSync(keyFile, 'utf8'))
  } catch {
    // no key file: sfDBTools falls back to the fixed seed alone
  }
  const seed = Buffer.from('sfdbtools', 'utf8')
  return createHash('sha256')
    .update(material ? Buffer.concat([seed, Buffer.from([0]), material]) : seed)
    .digest()
}

/** Encodes like `sfdbtools crypto env-encode` (for tests and for users moving values over). */
export function encodeEnvSecret(plain: string, keyFile = DEFAULT_MARIADB_KEY_FILE): string {
  const nonce = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', masterKey(keyFile), nonce).setAAD(AAD)
  const sealed = Buffer.concat([cipher.update(plain.trim(), 'utf8'), cipher.final(), cipher.getAuthTag()])
  return ENV_SECRET_PREFIX + Buffer.concat([Buffer.from([VERSION]), nonce, sealed]).toString('base64url')
}

/** A plain value is returned as is; an encoded one decrypted, or an error naming the variable. */
export function decodeEnvSecret(name: string, value: string, keyFile = DEFAULT_MARIADB_KEY_FILE): string {
  const v = value.trim()
  if (!v.startsWith(ENV_SECRET_PREFIX)) return value
  const fail = (why: string): EngineError =>
    new EngineError('InvalidInput', `${name} holds an sfDBTools-encoded value that cannot be read: ${why}`)
  const raw = Buffer.from(v.slice(ENV_SECRET_PREFIX.length).trim(), 'base64url')
  if (raw.length < 1 + 12 + 16) throw fail('the payload is too short')
  if (raw[0] !== VERSION) throw fail(`unknown payload version ${raw[0]}`)
  try {
    const decipher = createDecipheriv('aes-256-gcm', masterKey(keyFile), raw.subarray(1, 13)).setAAD(AAD)
    decipher.setAuthTag(raw.subarray(raw.length - 16))
    return Buffer.concat([decipher.update(raw.subarray(13, raw.length - 16)), decipher.final()]).toString(
      'utf8',
    )
  } catch {
    throw fail(`it was encoded with other key material (MariaDB key file ${keyFile}) or is damaged`)
  }
}
