/**
 * The sfDBTools fixtures are complete: every file the manifest names is here with its recorded size and
 * sha256, and nothing lies in the folder that the manifest does not describe. A deleted, renamed or
 * reformatted fixture fails here, by name, before any test that reads it.
 */
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SAMPLES_DIR } from '../catalog/metadata-samples.ts'
import { VECTOR_DIR } from '../crypto/vectors.ts'

const ROOT = join(import.meta.dirname, '..', '..', '..')
const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex')

interface ManifestVector {
  name: string
  kind: string
  encrypted_sha256: string
  encrypted_length: number
  plaintext_file?: string
  plaintext_sha256: string
  plaintext_length: number
}
interface ManifestSample {
  name: string
  kind: string
  sha256: string
  length: number
}
interface Manifest {
  vectors: ManifestVector[]
  samples: ManifestSample[]
}

/** Files of the folder that describe it rather than being fixtures. */
const OWN_FILES = ['README.md', 'manifest.json', '.gitattributes']

/** What the tests rely on: each kind of container and both metadata layouts of sfDBTools. */
const EXPECTED_VECTORS = [
  'l0_legacy_headerless.sql.enc',
  'v1_profile_100k_old-profile.cnf.enc',
  'v1_single_shot_100k.sql.enc',
  'v2_chunked_100k_150000.sql.enc',
  'v3_empty.sql.enc',
  'v3_exactly_one_chunk_65536.sql.enc',
  'v3_gzip_300k.sql.gz.enc',
  'v3_one_byte.sql.enc',
  'v3_one_chunk_plus_one_65537.sql.enc',
  'v3_profile_dev-mariadb.cnf.enc',
]
const EXPECTED_SAMPLES = [
  'samples/all_mariadb-prod-02_20260127_021505_4db.sql.zst.enc.meta.json',
  'samples/dbsf_nbc_acme_20260127_030001_mariadb-prod-02.sql.gz.enc.meta.json',
]

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort()
}

describe('the sfDBTools fixtures (test/fixtures/sfdbtools)', () => {
  // Read at collection time: a missing manifest fails the whole file instead of skipping anything.
  const manifest = JSON.parse(readFileSync(join(VECTOR_DIR, 'manifest.json'), 'utf8')) as Manifest

  it('live inside the repository, where every test reads them', () => {
    expect(relative(ROOT, VECTOR_DIR).split(sep).join('/')).toBe('test/fixtures/sfdbtools')
    expect(relative(ROOT, SAMPLES_DIR).split(sep).join('/')).toBe('test/fixtures/sfdbtools/samples')
  })

  it('the manifest lists every vector and sample the tests use, and no other', () => {
    expect(manifest.vectors.map((v) => v.name).sort()).toEqual(EXPECTED_VECTORS)
    expect(manifest.samples.map((s) => s.name).sort()).toEqual(EXPECTED_SAMPLES)
    expect(manifest.vectors.filter((v) => v.kind === 'backup-dump')).toHaveLength(8)
    expect(manifest.vectors.filter((v) => v.kind === 'profile')).toHaveLength(2)
  })

  it('every vector the manifest names is here, byte for byte', () => {
    for (const v of manifest.vectors) {
      const data = readFileSync(join(VECTOR_DIR, v.name))
      expect(data.length, v.name).toBe(v.encrypted_length)
      expect(sha256(data), v.name).toBe(v.encrypted_sha256)
    }
  })

  it('every plaintext the manifest names is here, byte for byte', () => {
    const withPlaintext = manifest.vectors.filter((v) => v.plaintext_file !== undefined)
    expect(withPlaintext.length).toBeGreaterThanOrEqual(7)
    for (const v of withPlaintext) {
      const data = readFileSync(join(VECTOR_DIR, v.plaintext_file ?? ''))
      expect(data.length, v.plaintext_file).toBe(v.plaintext_length)
      expect(sha256(data), v.plaintext_file).toBe(v.plaintext_sha256)
    }
  })

  it('every metadata sample the manifest names is here, byte for byte', () => {
    for (const s of manifest.samples) {
      const data = readFileSync(join(VECTOR_DIR, s.name))
      expect(data.length, s.name).toBe(s.length)
      expect(sha256(data), s.name).toBe(s.sha256)
    }
  })

  it('every file in the folder is described by the manifest (or describes the folder)', () => {
    const described = new Set([
      ...OWN_FILES,
      ...manifest.vectors.map((v) => v.name),
      ...manifest.vectors.flatMap((v) => (v.plaintext_file === undefined ? [] : [v.plaintext_file])),
      ...manifest.samples.map((s) => s.name),
    ])
    const present = filesUnder(VECTOR_DIR)
    expect(present.filter((f) => !described.has(f))).toEqual([])
    // …and the other way round: nothing described is missing (also for names the tests above do not read).
    expect([...described].filter((f) => !present.includes(f)).sort()).toEqual([])
  })
})
