import { createCipheriv, createHash, randomBytes } from 'node:crypto'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  decodeEnvSecret,
  encodeEnvSecret,
  parseMariadbKeyMaterial,
} from '../../../electron/engine/secrets/env-secret.ts'

/** An encoder written from the reference (§1.8), independent of the one under test. */
function referenceEncode(plain: string, material: Buffer | null): string {
  // sfDBTools keeps the prefix and the AAD XOR-obfuscated with 0xAA in its binary.
  const unxor = (bytes: number[]): Buffer => Buffer.from(bytes.map((b) => b ^ 0xaa))
  const prefix = unxor([0xf9, 0xec, 0xee, 0xe8, 0xfe, 0xe5, 0xe5, 0xe6, 0xf9, 0x90]).toString()
  const aad = unxor([
    0xd9, 0xcc, 0xce, 0xc8, 0xde, 0xc5, 0xc5, 0xc6, 0xd9, 0x87, 0xcf, 0xc4, 0xdc, 0x87, 0xdc, 0x9b,
  ])
  const seed = Buffer.from('sfdbtools')
  const key = createHash('sha256')
    .update(material ? Buffer.concat([seed, Buffer.from([0]), material]) : seed)
    .digest()
  const nonce = randomBytes(12)
  const c = createCipheriv('aes-256-gcm', key, nonce).setAAD(aad)
  const body = Buffer.concat([c.update(plain), c.final(), c.getAuthTag()])
  return prefix + Buffer.concat([Buffer.from([1]), nonce, body]).toString('base64url')
}

describe('sfDBTools-encoded environment values', () => {
  it('decodes values made by the reference algorithm, without and with MariaDB key material', async () => {
    const none = join(await mkdtemp(join(tmpdir(), 'envsec-')), 'missing.txt')
    expect(decodeEnvSecret('SFDB_X', referenceEncode('kunci rahasia', null), none)).toBe('kunci rahasia')
    const dir = await mkdtemp(join(tmpdir(), 'envsec-'))
    const file = join(dir, 'key_maria_nbc.txt')
    const k2 = 'a1'.repeat(32)
    const k7 = '0xB2' + 'c3'.repeat(31)
    await writeFile(file, `1;${'ff'.repeat(32)}\n2;${k2}\n100;${'ee'.repeat(32)}\n7; ${k7}\n9;abcd\n`)
    const material = Buffer.from('b2' + 'c3'.repeat(31), 'hex') // id 7: the highest usable one
    expect(parseMariadbKeyMaterial(`2;${k2}\n7;${k7}\n9;abcd`)).toEqual(material)
    expect(decodeEnvSecret('SFDB_X', referenceEncode('with material', material), file)).toBe('with material')
    expect(() => decodeEnvSecret('SFDB_X', referenceEncode('with material', material), none)).toThrow(
      /SFDB_X .*other key material/,
    )
  })

  it('passes plain values through and round-trips its own encoding', () => {
    expect(decodeEnvSecret('SFDB_X', 'plain value ', '/nonexistent')).toBe('plain value ')
    expect(decodeEnvSecret('SFDB_X', encodeEnvSecret('abc', '/nonexistent'), '/nonexistent')).toBe('abc')
    expect(() => decodeEnvSecret('SFDB_X', 'SFDBTOOLS:AAAA', '/nonexistent')).toThrow(/too short/)
  })
})
