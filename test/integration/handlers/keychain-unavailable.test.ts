import { describe, expect, it } from 'vitest'
import type { ProfileInput } from '../../../shared/ipc.ts'
import { expectNoSecretIn, useHandlerSession } from './handler-session.ts'

const PROFILE_KEY = 'the real profile key'
const BACKUP_KEY = 'default backup key "q" \\ ü'
const profile = (name: string): ProfileInput => ({
  name,
  host: 'db1.example',
  port: 3306,
  user: 'backup',
  password: 'pw-kept-secret',
})

// Its own file, so its own process: the keychain library keeps the session bus it first found (or failed
// to find) for the life of the process.
describe('keys handlers without an OS keychain (no D-Bus session bus)', () => {
  const s = useHandlerSession()

  it('status says why the keychain is unavailable; set fails with KeychainUnavailable; env still works', async () => {
    const saved = process.env.DBUS_SESSION_BUS_ADDRESS
    delete process.env.DBUS_SESSION_BUS_ADDRESS
    try {
      const status = await s.value('keys:status', {})
      expect(status.keychain.available).toBe(false)
      expect(status.keychain.reason).toContain('no D-Bus session bus')
      expect(status.profileKey).toEqual({ stored: false, session: false, env: false })
      const set = await s.failure('keys:set', { kind: 'backup-key', secret: BACKUP_KEY })
      expect(set.code).toBe('KeychainUnavailable')
      const missing = await s.failure('profiles:create', { profile: profile('prod') })
      expect(missing.code).toBe('MissingKey')
      expect(missing.message).toContain('the keychain could not be used')
      s.env.SFDB_PROFILE_KEY = PROFILE_KEY
      expect((await s.value('keys:status', {})).profileKey.env).toBe(true)
      expect((await s.value('profiles:create', { profile: profile('prod') })).backupKeyStored).toBe(false)
    } finally {
      if (saved !== undefined) process.env.DBUS_SESSION_BUS_ADDRESS = saved
      delete s.env.SFDB_PROFILE_KEY
    }
    expectNoSecretIn(s.answers, [PROFILE_KEY, BACKUP_KEY, 'pw-kept-secret'])
  })
})
