import { describe, expect, it } from 'vitest'
import type { ProfileInput } from '../../../shared/ipc.ts'
import { expectNoSecretIn, useHandlerSession, useKeyring } from './handler-session.ts'

const PROFILE_KEY = 'the real profile key'
const BACKUP_KEY = 'default backup key "q" \\ ü'
const OWN_BACKUP_KEY = 'own backup key of prod'
const profile = (name: string): ProfileInput => ({
  name,
  host: 'db1.example',
  port: 3306,
  user: 'backup',
  password: 'pw-kept-secret',
})

describe('keys handlers (a real gnome-keyring on a private D-Bus session)', () => {
  useKeyring()
  const s = useHandlerSession()

  it('status of an empty keychain: available, nothing stored', async () => {
    expect(await s.value('keys:status', {})).toEqual({
      keychain: { available: true, reason: null, advice: null },
      profileKey: { stored: false, session: false, env: false },
      backupKey: { stored: false, env: false },
      profileBackupKeys: {},
    })
  })

  it('unlock keeps the profile key for the session only; a key that opens no profile is refused', async () => {
    expect(await s.value('keys:unlock', { secret: `  ${PROFILE_KEY}  ` })).toEqual({ unlocked: true })
    const created = await s.value('profiles:create', { profile: profile('prod') })
    expect(created.name).toBe('prod')
    expect((await s.value('keys:status', {})).profileKey).toEqual({
      stored: false,
      session: true,
      env: false,
    })
    const wrong = await s.failure('keys:unlock', { secret: 'not the key' })
    expect(wrong).toMatchObject({
      code: 'WrongKey',
      message: expect.stringContaining('opens none of the 1 saved profile'),
    })
    // A restart forgets the session key.
    s.restart()
    expect((await s.value('keys:status', {})).profileKey.session).toBe(false)
    expect((await s.value('profiles:list', {}))[0]).toMatchObject({
      status: 'locked',
      error: { code: 'MissingKey' },
    })
  })

  it('set stores keys in the keychain; the stored profile key opens the profiles after a restart', async () => {
    expect((await s.failure('keys:set', { kind: 'profile-key', secret: 'a typo' })).code).toBe('WrongKey')
    expect(await s.value('keys:set', { kind: 'profile-key', secret: PROFILE_KEY })).toEqual({ stored: true })
    expect(await s.value('keys:set', { kind: 'backup-key', secret: BACKUP_KEY })).toEqual({ stored: true })
    expect(
      await s.value('keys:set', { kind: 'backup-key', profile: 'prod', secret: OWN_BACKUP_KEY }),
    ).toEqual({
      stored: true,
    })
    s.restart()
    expect(await s.value('keys:status', {})).toEqual({
      keychain: { available: true, reason: null, advice: null },
      profileKey: { stored: true, session: false, env: false },
      backupKey: { stored: true, env: false },
      profileBackupKeys: { prod: true },
    })
    const [entry] = await s.value('profiles:list', {})
    expect(entry).toMatchObject({ status: 'ok', profile: { name: 'prod', backupKeyStored: true } })
    // The keychain holds exactly what was given (the app trims a typed key, as sfDBTools does).
    expect(await s.platform.keychain().get('backup-key', 'prod')).toBe(OWN_BACKUP_KEY)
  })

  it('the environment wins and is reported; a profile key for one profile is refused', async () => {
    s.env.SFDB_BACKUP_ENCRYPTION_KEY = 'from env'
    s.env.SFDB_PROFILE_KEY = 'wrong env key'
    try {
      const status = await s.value('keys:status', {})
      expect(status.profileKey.env).toBe(true)
      expect(status.backupKey.env).toBe(true)
      expect((await s.value('profiles:list', {}))[0]).toMatchObject({
        status: 'locked',
        error: { code: 'WrongKey' },
      })
    } finally {
      delete s.env.SFDB_BACKUP_ENCRYPTION_KEY
      delete s.env.SFDB_PROFILE_KEY
    }
    const perProfile = await s.failure('keys:set', {
      kind: 'profile-key',
      profile: 'prod',
      secret: PROFILE_KEY,
    })
    expect(perProfile.code).toBe('InvalidInput')
    const blank = await s.failure('keys:set', { kind: 'backup-key', secret: '   ' })
    expect(blank.code).toBe('InvalidInput')
    // An empty secret never reaches a handler: the contract's schema refuses it.
    expect(await s.call('keys:unlock', { secret: '' })).toMatchObject({
      ok: false,
      error: { code: 'InvalidInput' },
    })
  })

  it('delete removes one entry and says whether there was one', async () => {
    expect(await s.value('keys:delete', { kind: 'backup-key', profile: 'prod' })).toEqual({ deleted: true })
    expect(await s.value('keys:delete', { kind: 'backup-key', profile: 'prod' })).toEqual({ deleted: false })
    const status = await s.value('keys:status', {})
    expect(status.profileBackupKeys).toEqual({ prod: false })
    expect(status.backupKey.stored).toBe(true)
    expect(await s.value('keys:delete', { kind: 'profile-key' })).toEqual({ deleted: true })
    expect((await s.value('keys:status', {})).profileKey.stored).toBe(false)
  })

  it('no answer ever held a secret', () => {
    expect(s.answers.length).toBeGreaterThan(20)
    expectNoSecretIn(s.answers, [
      PROFILE_KEY,
      BACKUP_KEY,
      OWN_BACKUP_KEY,
      'pw-kept-secret',
      'from env',
      'a typo',
    ])
  })
})
