import { randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { encryptSingleShot, ITERATIONS_LEGACY } from '../../../electron/engine/crypto/index.ts'
import { listProfiles, readProfile, writeProfile } from '../../../electron/engine/profiles/index.ts'
import type { ProfileData } from '../../../electron/engine/profiles/index.ts'
import { sealLegacyL0 } from '../crypto/craft.ts'
import { VECTOR_DIR, vectorByName } from '../crypto/vectors.ts'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sfdb-profiles-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

const sample: ProfileData = {
  host: 'db.example.internal',
  port: 3306,
  user: 'backup',
  password: 'pa;ss#=word',
  ssh: {
    enabled: true,
    host: 'bastion',
    port: 22,
    user: 'ops',
    password: '',
    identityFile: '/k/id',
    localPort: 0,
  },
}

describe('readProfile on sfDBTools profiles', () => {
  it('reads the 600k profile (INI with [ssh])', async () => {
    const v = vectorByName('v3_profile_dev-mariadb.cnf.enc')
    const loaded = await readProfile(join(VECTOR_DIR, v.name), v.passphrase)
    expect(loaded.name).toBe('v3_profile_dev-mariadb')
    expect(loaded.format).toBe('single-shot-600k')
    expect(loaded.data).toMatchObject({
      host: 'db-dev.example.internal',
      port: 3307,
      password: 'S3cr3t=with;special#chars',
    })
    expect(loaded.data.ssh).toMatchObject({
      enabled: true,
      port: 2222,
      identityFile: '/home/ops/.ssh/id_ed25519',
    })
  })

  it('reads the 100k profile', async () => {
    const v = vectorByName('v1_profile_100k_old-profile.cnf.enc')
    const loaded = await readProfile(join(VECTOR_DIR, v.name), v.passphrase)
    expect(loaded).toMatchObject({ name: 'v1_profile_100k_old-profile', format: 'v1-single-shot-100k' })
    expect(loaded.data).toEqual({
      host: '192.168.10.20',
      port: 3306,
      user: 'root',
      password: 'old-profile-pass',
    })
  })

  it('names the profile when the key is wrong', async () => {
    const v = vectorByName('v3_profile_dev-mariadb.cnf.enc')
    await expect(readProfile(join(VECTOR_DIR, v.name), 'wrong')).rejects.toMatchObject({
      code: 'WrongKey',
      message: expect.stringContaining("profile 'v3_profile_dev-mariadb'"),
    })
  })
})

describe('readProfile', () => {
  it('reads a predecessor (L0b) profile with a JSON body', async () => {
    const body = JSON.stringify({ host: '10.1.2.3', port: 3306, user: 'root', password: 'legacy' })
    const path = join(dir, 'old.cnf.enc')
    await writeFile(path, sealLegacyL0(Buffer.from(body), 'old key', randomBytes(12)))
    const loaded = await readProfile(path, 'old key')
    expect(loaded).toMatchObject({ name: 'old', format: 'l0-legacy-headerless' })
    expect(loaded.data).toEqual({ host: '10.1.2.3', port: 3306, user: 'root', password: 'legacy' })
  })

  it('says where to look when the profile does not exist', async () => {
    await expect(readProfile(join(dir, 'nope.cnf.enc'), 'k')).rejects.toMatchObject({
      code: 'ProfileNotFound',
      message: expect.stringMatching(/^profile not found: .*nope\.cnf\.enc$/),
      advice: { code: 'profileNotFound', params: { path: join(dir, 'nope.cnf.enc') } },
    })
  })

  it('reports an unparseable plaintext as InvalidProfile', async () => {
    const path = join(dir, 'junk.cnf.enc')
    await writeFile(
      path,
      await encryptSingleShot(Buffer.from('just some text\n'), 'k', { iterations: ITERATIONS_LEGACY }),
    )
    await expect(readProfile(path, 'k')).rejects.toMatchObject({
      code: 'InvalidProfile',
      message: expect.stringContaining("'junk'"),
    })
    await writeFile(
      path,
      await encryptSingleShot(Buffer.from('{"host": 7}'), 'k', { iterations: ITERATIONS_LEGACY }),
    )
    await expect(readProfile(path, 'k')).rejects.toMatchObject({ code: 'InvalidProfile' })
  })

  it('refuses a file far too large to be a profile without reading it', async () => {
    const path = join(dir, 'huge.cnf.enc')
    await writeFile(path, Buffer.alloc(2 * 1024 * 1024))
    await expect(readProfile(path, 'k')).rejects.toMatchObject({
      code: 'InvalidProfile',
      message: expect.stringMatching(/too large/),
    })
  })

  it('never rewrites the file it reads', async () => {
    const { path } = await writeProfile(dir, 'p', sample, 'k', { overwrite: false })
    const old = new Date('2025-01-01T00:00:00Z')
    await utimes(path, old, old)
    const before = await readFile(path)
    await readProfile(path, 'k')
    expect((await readFile(path)).equals(before)).toBe(true)
    expect((await stat(path)).mtime.getTime()).toBe(old.getTime())
  })
})

describe('writeProfile', () => {
  it('writes a 0600 single-shot 600k file in a 0700 folder, atomically, and reads back', async () => {
    const folder = join(dir, 'database_profile')
    const { name, path } = await writeProfile(folder, 'prod', sample, 'profile key', { overwrite: false })
    expect(name).toBe('prod')
    expect(path).toBe(join(folder, 'prod.cnf.enc'))
    if (process.platform !== 'win32') {
      expect((await stat(path)).mode & 0o777).toBe(0o600)
      expect((await stat(folder)).mode & 0o777).toBe(0o700)
    }
    expect(await readdir(folder)).toEqual(['prod.cnf.enc']) // no temp file left behind
    const loaded = await readProfile(path, 'profile key')
    expect(loaded.format).toBe('single-shot-600k')
    expect(loaded.data).toEqual(sample)
    await expect(readProfile(path, 'profile key!')).rejects.toMatchObject({ code: 'WrongKey' })
  })

  it('refuses to replace an existing profile unless asked to', async () => {
    await writeProfile(dir, 'prod', sample, 'k', { overwrite: false })
    await expect(
      writeProfile(dir, 'prod.cnf', { ...sample, host: 'other' }, 'k', { overwrite: false }),
    ).rejects.toMatchObject({
      code: 'ProfileExists',
    })
    expect((await readProfile(join(dir, 'prod.cnf.enc'), 'k')).data.host).toBe(sample.host)
    await writeProfile(dir, 'prod', { ...sample, host: 'other' }, 'k2', { overwrite: true })
    expect((await readProfile(join(dir, 'prod.cnf.enc'), 'k2')).data.host).toBe('other')
    expect(await readdir(dir)).toEqual(['prod.cnf.enc'])
  })

  it('refuses bad names, empty or padded keys and unwritable values before writing anything', async () => {
    for (const name of ['', '../escape', 'a/b', '.hidden', 'x\u0007']) {
      await expect(writeProfile(dir, name, sample, 'k', { overwrite: true })).rejects.toMatchObject({
        code: 'InvalidInput',
      })
    }
    await expect(writeProfile(dir, 'p', sample, '', { overwrite: true })).rejects.toMatchObject({
      code: 'InvalidInput',
    })
    await expect(writeProfile(dir, 'p', sample, ' k', { overwrite: true })).rejects.toMatchObject({
      code: 'InvalidInput',
    })
    await expect(
      writeProfile(dir, 'p', { ...sample, user: 'a\nb' }, 'k', { overwrite: true }),
    ).rejects.toMatchObject({
      code: 'InvalidInput',
    })
    expect(await readdir(dir)).toEqual([])
  })
})

describe('listProfiles', () => {
  it('lists profile files by name with their mtime, without decrypting', async () => {
    await writeFile(join(dir, 'b.cnf.enc'), 'not even encrypted')
    await writeFile(join(dir, 'a.cnf.enc'), 'x')
    await writeFile(join(dir, 'notes.txt'), 'x')
    await writeFile(join(dir, '.a.cnf.enc.tmp-123'), 'x')
    await writeFile(join(dir, '.hidden.cnf.enc'), 'x')
    await mkdir(join(dir, 'folder.cnf.enc'))
    const when = new Date('2026-01-02T03:04:05Z')
    await utimes(join(dir, 'a.cnf.enc'), when, when)
    const list = await listProfiles(dir)
    expect(list.map((p) => p.name)).toEqual(['a', 'b'])
    expect(list[0]).toEqual({ name: 'a', path: join(dir, 'a.cnf.enc'), modifiedAt: when, size: 1 })
  })

  it('returns nothing for a missing folder', async () => {
    expect(await listProfiles(join(dir, 'missing'))).toEqual([])
  })
})
