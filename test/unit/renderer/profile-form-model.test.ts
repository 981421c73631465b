import { describe, expect, it } from 'vitest'
import { profileInputSchema, type ProfileView } from '../../../shared/ipc.ts'
import { translator } from '../../../renderer/src/i18n/messages.ts'
import {
  EMPTY_PROFILE_FORM,
  formFromProfile,
  profileFormErrors,
  profileInputFrom,
  type ProfileFormValues,
} from '../../../renderer/src/pages/profiles/profile-form-model.ts'

const form = (changes: Partial<ProfileFormValues> = {}): ProfileFormValues => ({
  ...EMPTY_PROFILE_FORM,
  name: 'prod',
  user: 'backup',
  ...changes,
})

const view: ProfileView = {
  name: 'prod',
  path: '/cfg/prod.cnf.enc',
  host: 'db1.example',
  port: 3307,
  user: 'backup',
  hasPassword: true,
  socket: null,
  tls: { mode: 'verify-ca', ca: '/etc/ssl/ca.pem', cert: null, key: null },
  ssh: { host: 'bastion', port: 2222, user: 'dba', hasPassword: false, identityFile: '/k/id', localPort: 0 },
  backupKeyStored: false,
}

describe('profileFormErrors', () => {
  it('a new, untouched form shows nothing; the first save asks for what is required', () => {
    expect(profileFormErrors(EMPTY_PROFILE_FORM, false)).toEqual({})
    expect(profileFormErrors(EMPTY_PROFILE_FORM, true)).toEqual({
      name: 'profileForm.error.name',
      user: 'profileForm.error.user',
    })
    expect(profileFormErrors({ ...EMPTY_PROFILE_FORM, host: ' ', port: '' }, true)).toMatchObject({
      host: 'profileForm.error.host',
      port: 'profileForm.error.port',
    })
  })

  it('a complete form has no errors', () => {
    expect(profileFormErrors(form(), true)).toEqual({})
  })

  it('a name with a path separator is refused at once', () => {
    expect(profileFormErrors(form({ name: 'a/b' }), false)).toEqual({ name: 'profileForm.error.nameChars' })
    expect(profileFormErrors(form({ name: 'a\\b' }), false)).toEqual({ name: 'profileForm.error.nameChars' })
  })

  it.each([
    ['3306', true],
    ['1', true],
    ['65535', true],
    [' 3306 ', true],
    ['0', false],
    ['65536', false],
    ['33o6', false],
    ['-1', false],
    ['3306.5', false],
  ])('port %j is accepted: %s', (port, ok) => {
    expect(profileFormErrors(form({ port }), false).port).toBe(ok ? undefined : 'profileForm.error.port')
  })

  it('verifying the server needs a CA, but only once saving (like the other required fields)', () => {
    for (const tlsMode of ['verify-ca', 'verify-identity'] as const) {
      expect(profileFormErrors(form({ tlsMode }), true)).toEqual({ tlsCa: 'profileForm.error.ca' })
      expect(profileFormErrors(form({ tlsMode }), false)).toEqual({})
      expect(profileFormErrors(form({ tlsMode, tlsCa: '/ca.pem' }), true)).toEqual({})
    }
    expect(profileFormErrors(form({ tlsMode: 'required' }), true)).toEqual({})
  })

  it('a client certificate and its key come together; the missing one is marked', () => {
    expect(profileFormErrors(form({ tlsCert: '/c.pem' }), false)).toEqual({
      tlsKey: 'profileForm.error.certPair',
    })
    expect(profileFormErrors(form({ tlsKey: '/k.pem' }), false)).toEqual({
      tlsCert: 'profileForm.error.certPair',
    })
    expect(profileFormErrors(form({ tlsCert: '/c.pem', tlsKey: '/k.pem' }), false)).toEqual({})
  })

  it('the SSH fields count only when the tunnel is on', () => {
    const broken = { sshHost: '', sshUser: '', sshPort: 'x', sshLocalPort: '70000' }
    expect(profileFormErrors(form(broken), true)).toEqual({})
    expect(profileFormErrors(form({ ...broken, sshEnabled: true }), true)).toEqual({
      sshHost: 'profileForm.error.sshHost',
      sshUser: 'profileForm.error.sshUser',
      sshPort: 'profileForm.error.port',
      sshLocalPort: 'profileForm.error.localPort',
    })
  })

  it('SSH: local port 0 (any free port) or empty is fine; an empty SSH port only once saving', () => {
    const ssh = form({ sshEnabled: true, sshHost: 'bastion', sshUser: 'dba' })
    expect(profileFormErrors({ ...ssh, sshLocalPort: '0' }, true)).toEqual({})
    expect(profileFormErrors({ ...ssh, sshLocalPort: '' }, true)).toEqual({})
    expect(profileFormErrors({ ...ssh, sshPort: '' }, false)).toEqual({})
    expect(profileFormErrors({ ...ssh, sshPort: '' }, true)).toEqual({ sshPort: 'profileForm.error.port' })
  })

  it('every error has a text in both languages', () => {
    const required = {
      ...EMPTY_PROFILE_FORM,
      host: '',
      tlsMode: 'verify-ca' as const,
      sshEnabled: true,
      sshPort: '',
    }
    const malformed = form({ name: 'a/b', tlsCert: '/c', sshEnabled: true, sshLocalPort: '-' })
    const keys = [
      ...new Set([
        ...Object.values(profileFormErrors(required, true)),
        ...Object.values(profileFormErrors(malformed, false)),
      ]),
    ]
    expect(keys).toHaveLength(10)
    for (const language of ['en', 'id'] as const) {
      const t = translator(language)
      for (const key of keys) expect(t(key)).toMatch(/\S/)
    }
  })
})

describe('formFromProfile', () => {
  it('fills the form from a stored profile, never a password', () => {
    expect(formFromProfile(view)).toEqual({
      ...EMPTY_PROFILE_FORM,
      name: 'prod',
      host: 'db1.example',
      port: '3307',
      user: 'backup',
      password: '',
      tlsMode: 'verify-ca',
      tlsCa: '/etc/ssl/ca.pem',
      sshEnabled: true,
      sshHost: 'bastion',
      sshPort: '2222',
      sshUser: 'dba',
      sshPassword: '',
      sshIdentityFile: '/k/id',
      sshLocalPort: '0',
    })
  })

  it('a profile without TLS settings or a tunnel gets the form’s defaults', () => {
    const values = formFromProfile({ ...view, tls: null, ssh: null, socket: '/run/mysqld.sock' })
    expect(values).toMatchObject({
      tlsMode: 'preferred',
      sshEnabled: false,
      sshPort: '22',
      socket: '/run/mysqld.sock',
    })
  })
})

describe('profileInputFrom', () => {
  it('trims what is typed, leaves empty optional fields out, keeps the password as typed', () => {
    const input = profileInputFrom(
      form({ name: ' prod ', host: ' db1 ', port: '3307', password: ' p w ', tlsCa: '  ', socket: ' /s ' }),
    )
    expect(input).toEqual({
      name: 'prod',
      host: 'db1',
      port: 3307,
      user: 'backup',
      password: ' p w ',
      socket: '/s',
      tls: { mode: 'preferred', ca: undefined, cert: undefined, key: undefined },
      ssh: null,
    })
  })

  it('an empty password keeps the stored one (undefined), for the database and the tunnel', () => {
    const input = profileInputFrom(form({ sshEnabled: true, sshHost: 'b', sshUser: 'u', sshLocalPort: '' }))
    expect(input.password).toBeUndefined()
    expect(input.ssh).toEqual({
      host: 'b',
      port: 22,
      user: 'u',
      password: undefined,
      identityFile: undefined,
      localPort: 0,
    })
  })

  it('a stored profile, edited without changes, comes back as it was', () => {
    const input = profileInputFrom(formFromProfile(view))
    expect(input).toMatchObject({ name: view.name, host: view.host, port: view.port, user: view.user })
    expect(input.tls).toEqual({ mode: 'verify-ca', ca: '/etc/ssl/ca.pem', cert: undefined, key: undefined })
    expect(input.ssh).toMatchObject({
      host: 'bastion',
      port: 2222,
      user: 'dba',
      identityFile: '/k/id',
      localPort: 0,
    })
  })

  it('a form without errors becomes a request that main’s schema accepts', () => {
    const forms = [
      form(),
      formFromProfile(view),
      form({
        tlsCert: '/c',
        tlsKey: '/k',
        sshEnabled: true,
        sshHost: 'b',
        sshUser: 'u',
        sshLocalPort: '6000',
      }),
    ]
    for (const values of forms) {
      expect(profileFormErrors(values, true)).toEqual({})
      expect(profileInputSchema.safeParse(profileInputFrom(values)).success).toBe(true)
    }
  })
})
