import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BackupResult } from '../../shared/backup-types.ts'
import { useBackupFixture } from '../harness/backup-user.ts'
import { runCli } from '../harness/cli.ts'
import { createSampleDatabase } from '../harness/fixtures.ts'
import { startKeyringSession, type KeyringSession } from '../harness/keyring.ts'
import { listProcesses } from '../harness/processes.ts'

describe('keys in the OS keychain (a real gnome-keyring on a private D-Bus session)', () => {
  const f = useBackupFixture('keychain', (conn) => createSampleDatabase(conn, 'keydb', { rows: 20 }))
  let keyring: KeyringSession
  /** The sandbox with the keyring and without any key in the environment. */
  const env = (): Record<string, string | undefined> => ({
    ...f.sandbox.env,
    ...keyring.env,
    SFDB_PROFILE_KEY: undefined,
  })

  beforeAll(async () => {
    keyring = await startKeyringSession()
  })
  afterAll(async () => {
    await keyring.stop()
  })

  it('key set reads the secret from stdin, status says stored, and the secret never reaches argv or output', async () => {
    const set = await runCli(['key', 'set', 'profile-key'], {
      env: env(),
      input: `${f.account.profileKey}\n`,
    })
    expect(set.code, set.stderr).toBe(0)
    const status = await runCli(['key', 'status', '--json'], { env: env() })
    expect(status.code, status.stderr).toBe(0)
    expect(JSON.parse(status.stdout)).toEqual({
      keychain: 'available',
      keys: [
        { key: 'profile-key', profile: null, stored: true },
        { key: 'backup-key', profile: null, stored: false },
      ],
    })
    expect(set.stdout + set.stderr + status.stdout).not.toContain(f.account.profileKey)
    for (const p of await listProcesses()) expect(p.argv.join(' ')).not.toContain(f.account.profileKey)
  })

  it('a key as an argument is refused', async () => {
    const run = await runCli(['key', 'set', 'backup-key', 'the-secret'], { env: env(), input: '' })
    expect(run.code).toBe(2)
  })

  it('flag → env → keychain: the keychain supplies the profile key and the per-profile backup key', async () => {
    await runCli(['key', 'set', 'backup-key'], { env: env(), input: 'default backup key\n' })
    const own = await runCli(['key', 'set', 'backup-key', '--profile', 'keychain'], {
      env: env(),
      input: 'own key\n',
    })
    expect(own.code, own.stderr).toBe(0)
    const out = `${f.sandbox.tmp}/kc`
    const run = await runCli(
      ['backup', 'single', '-p', 'keychain', '--db', 'keydb', '-t', 'KC', '-o', out, '--json'],
      {
        env: env(),
      },
    )
    expect(run.code, run.stderr).toBe(0)
    const file = (JSON.parse(run.stdout) as BackupResult).targets[0]?.file ?? ''
    expect(file.endsWith('.enc')).toBe(true)
    // Encrypted with the profile's own key, not the default one.
    expect((await runCli(['verify', file, '-K', 'own key'], { env: env() })).code).toBe(0)
    expect((await runCli(['verify', file, '-K', 'default backup key'], { env: env() })).code).toBe(1)
    // The environment still wins over the keychain.
    const wrong = await runCli(['profile', 'show', 'keychain'], {
      env: { ...env(), SFDB_PROFILE_KEY: 'not it' },
    })
    expect(wrong.stderr).toContain('[WrongKey]')
  })

  it('key delete removes it; then nothing gives a key and the error names all four ways', async () => {
    expect((await runCli(['key', 'delete', 'profile-key'], { env: env() })).stdout).toContain('deleted')
    const run = await runCli(['profile', 'show', 'keychain'], { env: env() })
    expect(run.code).toBe(1)
    for (const way of ['--profile-key', 'SFDB_PROFILE_KEY', 'sfdbtools key set profile-key', 'terminal']) {
      expect(run.stderr).toContain(way)
    }
  })

  it('without a session bus the keychain error says what is missing and how to go on', async () => {
    const noBus = { ...f.sandbox.env, DBUS_SESSION_BUS_ADDRESS: undefined, SFDB_PROFILE_KEY: undefined }
    const status = await runCli(['key', 'status'], { env: noBus })
    expect(status.code).toBe(1)
    expect(status.stderr).toContain('[KeychainUnavailable]')
    expect(status.stderr).toContain('no D-Bus session bus')
    expect(status.stderr).toContain('dbus-run-session')
    const show = await runCli(['profile', 'show', 'keychain'], { env: noBus })
    expect(show.stderr).toContain('the keychain could not be used: no OS keychain')
  })
})
