/**
 * The CLI starts deriving the profile key while its command loads: the key lands in the process's key
 * cache, and the profile's real open then derives nothing more. A guess that does not fit (no such
 * profile, no key) derives nothing.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { prefetchProfileKey } from '../../../electron/cli/prefetch-key.ts'
import { readKeyDerivations } from '../../../electron/engine/crypto/kdf.ts'
import { readProfile, writeProfile, type ProfileData } from '../../../electron/engine/profiles/index.ts'
import { waitFor } from '../../harness/processes.ts'

const data: ProfileData = { host: 'db.example', port: 3306, user: 'backup', password: 'pw' }

describe('the profile key derived ahead', () => {
  let config = ''
  beforeEach(async () => {
    config = await mkdtemp(join(tmpdir(), 'sfdb-prefetch-'))
  })
  afterEach(async () => {
    await rm(config, { recursive: true, force: true })
  })

  it('derives the key of --profile NAME with the environment key once, and the open reuses it', async () => {
    const key = `prefetch key ${Math.random()}`
    const { path } = await writeProfile(join(config, 'database_profile'), 'prod', data, key, {
      overwrite: false,
    })
    const before = readKeyDerivations()
    prefetchProfileKey(['single', '--profile', 'prod', '--db', 'x'], {
      SFDB_CONFIG_PATH: config,
      SFDB_PROFILE_KEY: key,
    })
    await waitFor(async () => readKeyDerivations() > before, 10_000, 'the prefetch to start deriving')
    expect(readKeyDerivations()).toBe(before + 1)
    expect((await readProfile(path, key)).data).toMatchObject({ host: 'db.example' })
    expect(readKeyDerivations()).toBe(before + 1)
  })

  it('a path, --profile=…, and -k: the same; nothing for a missing profile or without a key', async () => {
    const key = `prefetch key ${Math.random()}`
    const { path } = await writeProfile(join(config, 'elsewhere'), 'p', data, key, { overwrite: false })
    const before = readKeyDerivations()
    prefetchProfileKey([`--profile=${path}`, '-k', `  ${key}  `], {})
    await waitFor(async () => readKeyDerivations() > before, 10_000, 'the prefetch to start deriving')
    await readProfile(path, key)
    expect(readKeyDerivations()).toBe(before + 1)

    prefetchProfileKey(['--profile', join(config, 'missing.cnf.enc')], { SFDB_PROFILE_KEY: key })
    prefetchProfileKey(['--profile', path], {})
    // A later derivation of another key shows that the two calls above started none.
    const other = `other key ${Math.random()}`
    const { path: second } = await writeProfile(join(config, 'elsewhere'), 'q', data, other, {
      overwrite: false,
    })
    await readProfile(second, other)
    expect(readKeyDerivations()).toBe(before + 2)
  })
})
