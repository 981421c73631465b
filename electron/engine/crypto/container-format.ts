/**
 * Constants of the sfDBTools encrypted containers (reference §1). Every number here is fixed by files
 * that already exist on disk: changing one breaks compatibility with sfDBTools.
 */

/** Which container layout and key derivation opened a file. */
export type ContainerFormat =
  | 'v3-chunked-600k'
  | 'v2-chunked-100k'
  | 'single-shot-600k'
  | 'v1-single-shot-100k'
  | 'l0-legacy-headerless'
  /**
   * A 32-byte chunked file with zero chunks: it carries no GCM tag, so ANY key "opens" it (true for
   * sfDBTools too). Callers should warn that the key was not verified.
   */
  | 'chunked-empty'

/** ASCII `Salted__`, the first 8 bytes of every V1/V2/V3/profile file. */
export const MAGIC = Buffer.from('Salted__', 'ascii')
export const SALT_LENGTH = 8
export const NONCE_LENGTH = 12
export const TAG_LENGTH = 16
/** Magic + salt + (base) nonce. */
export const HEADER_LENGTH = MAGIC.length + SALT_LENGTH + NONCE_LENGTH // 28

/** Plaintext bytes per chunk of the chunked layout (`StreamChunkSize`). */
export const CHUNK_PLAINTEXT = 65_536
/** Ciphertext + tag of a full chunk: the length every non-final chunk must have. */
export const FULL_CHUNK_LENGTH = CHUNK_PLAINTEXT + TAG_LENGTH // 65,552
/** The smallest chunk: one plaintext byte plus the tag. */
export const MIN_CHUNK_LENGTH = 1 + TAG_LENGTH
export const LENGTH_PREFIX = 4

/** PBKDF2-HMAC-SHA256 iterations since 2026-01-09 (V3 and single-shot profiles). */
export const ITERATIONS_CURRENT = 600_000
/** PBKDF2-HMAC-SHA256 iterations before 2026-01-09 (V1, V2, older profiles). */
export const ITERATIONS_LEGACY = 100_000

/** The predecessor tool's (L0b) fixed PBKDF2-HMAC-SHA512 salt and iteration count. */
export const L0_SALT = Buffer.from('sfdb_encryption_salt_v3', 'ascii')
export const L0_ITERATIONS = 10_000

/** Header-based formats in the order a reader tries them: the current count first (reference §1.6). */
export const CHUNKED_CANDIDATES = [
  { iterations: ITERATIONS_CURRENT, format: 'v3-chunked-600k' },
  { iterations: ITERATIONS_LEGACY, format: 'v2-chunked-100k' },
] as const satisfies readonly { iterations: number; format: ContainerFormat }[]

export const SINGLE_SHOT_CANDIDATES = [
  { iterations: ITERATIONS_CURRENT, format: 'single-shot-600k' },
  { iterations: ITERATIONS_LEGACY, format: 'v1-single-shot-100k' },
] as const satisfies readonly { iterations: number; format: ContainerFormat }[]
