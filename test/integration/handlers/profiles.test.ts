import { appendFile, copyFile, readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type mysql from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { encryptSingleShot } from '../../../electron/engine/crypto/index.ts'
import { readProfile } from '../../../electron/engine/profiles/index.ts'
import type { ProfileInput, ProfileListEntry } from '../../../shared/ipc.ts'
import { createBackupAccount, trickyPassword, type BackupAccount } from '../../harness/backup-user.ts'
import { connectRoot } from '../../harness/mariadb.ts'
import { startPrivateSshd, type PrivateSshd } from '../../harness/sshd.ts'
import { VECTOR_DIR, vectorByName } from '../../unit/crypto/vectors.ts'
import { expectNoSecretIn, useHandlerSession, useKeyring } from './handler-session.ts'

const KEY = 'app profile key ü'

describe('profiles handlers (the private mariadbd, a real keyring, real profile files)', () => {
  useKeyring()
  const s = useHandlerSession()
  const server = inject('mariadb')
  let conn: mysql.Connection
  let account: BackupAccount
  const dir = (): string => join(s.configDir, 'database_profile')
  const input = (name: string, extra: Partial<ProfileInput> = {}): ProfileInput => ({
    name,
    host: server.host,
    port: server.port,
    user: account.user,
    password: account.password,
    ...extra,
  })
  const entry = (list: ProfileListEntry[], name: string): ProfileListEntry | undefined =>
    list.find((e) => e.name === name)

  beforeAll(async () => {
    conn = await connectRoot(server)
    // The account's own profile is made by the CLI with another key: a profile our key cannot open.
    account = await createBackupAccount(conn, server, { SFDB_CONFIG_PATH: s.configDir }, 'happ')
    s.env.SFDB_PROFILE_KEY = KEY
  })
  afterAll(async () => {
    expectNoSecretIn(s.answers, [account.password, account.profileKey, KEY, 'S3cr3t=with;special#chars'])
    await conn.end()
  })

  it('create → list → get: the view has hasPassword flags, never a password', async () => {
    const created = await s.value('profiles:create', { profile: input('app-prof') })
    expect(created).toEqual({
      name: 'app-prof',
      path: join(dir(), 'app-prof.cnf.enc'),
      host: server.host,
      port: server.port,
      user: account.user,
      hasPassword: true,
      socket: null,
      tls: null,
      ssh: null,
      backupKeyStored: false,
    })
    expect((await stat(created.path)).mode & 0o777).toBe(0o600)
    const list = await s.value('profiles:list', {})
    expect(entry(list, 'app-prof')).toEqual({
      name: 'app-prof',
      path: created.path,
      status: 'ok',
      profile: created,
    })
    // The CLI's profile, written with another key, is listed as locked, not as an error of the whole list.
    expect(entry(list, 'happ')).toMatchObject({ status: 'locked', error: { code: 'WrongKey' } })
    expect(await s.value('profiles:get', { name: 'app-prof' })).toEqual(created)
    expect((await s.failure('profiles:create', { profile: input('app-prof') })).code).toBe('ProfileExists')
  })

  it('update without a password keeps the stored one; test connects with it', async () => {
    const updated = await s.value('profiles:update', {
      name: 'app-prof',
      profile: { ...input('app-prof'), password: undefined, tls: { mode: 'required' } },
    })
    expect(updated).toMatchObject({ hasPassword: true, tls: { mode: 'required', ca: null } })
    expect((await readProfile(updated.path, KEY)).data.password).toBe(account.password)
    const report = await s.value('profiles:test', { name: 'app-prof' })
    expect(report).toMatchObject({
      ok: true,
      server: { flavor: 'mariadb' },
      binlog: true,
      account: `'${account.user}'@'127.0.0.1'`,
      missingPrivileges: [],
      fix: null,
    })
    expect(report.gtid).toContain('MariaDB GTID')
  })

  it('test names missing privileges with the GRANT that fixes them, and a wrong password as AuthFailed', async () => {
    const user = 'bk_happ_limited'
    const password = trickyPassword()
    await conn.query(`DROP USER IF EXISTS ?@'127.0.0.1'`, [user])
    await conn.query(`CREATE USER ?@'127.0.0.1' IDENTIFIED BY ?`, [user, password])
    await conn.query(`GRANT SELECT ON *.* TO ?@'127.0.0.1'`, [user])
    await s.value('profiles:create', { profile: { ...input('limited'), user, password } })
    const report = await s.value('profiles:test', { name: 'limited' })
    expect(report.ok).toBe(false)
    expect(report.missingPrivileges).toEqual(['SHOW VIEW', 'TRIGGER', 'EVENT', 'LOCK TABLES', 'RELOAD'])
    expect(report.fix).toBe(
      `GRANT SHOW VIEW, TRIGGER, EVENT, LOCK TABLES, RELOAD ON *.* TO '${user}'@'127.0.0.1';`,
    )
    await s.value('profiles:update', {
      name: 'limited',
      profile: { ...input('limited'), user, password: 'wrong' },
    })
    expect((await s.failure('profiles:test', { name: 'limited' })).code).toBe('AuthFailed')
    await s.value('profiles:delete', { name: 'limited' })
    expectNoSecretIn(s.answers, [password])
  })

  it('a renamed profile moves its file; clone copies under a new name; delete removes it', async () => {
    const renamed = await s.value('profiles:update', {
      name: 'app-prof',
      profile: { ...input('prod-main'), password: undefined },
    })
    expect(renamed).toMatchObject({
      name: 'prod-main',
      path: join(dir(), 'prod-main.cnf.enc'),
      hasPassword: true,
    })
    expect((await s.failure('profiles:get', { name: 'app-prof' })).code).toBe('ProfileNotFound')

    const clone = await s.value('profiles:clone', { from: 'prod-main', to: 'prod-copy' })
    expect(clone).toEqual({ ...renamed, name: 'prod-copy', path: join(dir(), 'prod-copy.cnf.enc') })
    expect((await readProfile(clone.path, KEY)).data.password).toBe(account.password)
    expect((await s.failure('profiles:clone', { from: 'prod-main', to: 'prod-copy' })).code).toBe(
      'ProfileExists',
    )
    expect((await s.failure('profiles:clone', { from: 'prod-main', to: '../escape' })).code).toBe(
      'InvalidInput',
    )

    expect(await s.value('profiles:delete', { name: 'prod-copy' })).toEqual({ deleted: 'prod-copy' })
    await expect(stat(clone.path)).rejects.toThrow(/ENOENT/)
    expect((await s.failure('profiles:delete', { name: 'prod-copy' })).code).toBe('ProfileNotFound')
    expect((await s.value('profiles:list', {})).map((e) => e.name)).toEqual(['happ', 'prod-main'])
  })

  it('imports a real sfDBTools profile with its own key, re-stored under ours', async () => {
    const vector = vectorByName('v3_profile_dev-mariadb.cnf.enc')
    const source = join(VECTOR_DIR, vector.name)
    const before = await readFile(source)
    const wrong = await s.failure('profiles:import', { path: source, key: 'not its key', force: false })
    expect(wrong.code).toBe('WrongKey')
    const imported = await s.value('profiles:import', { path: source, key: vector.passphrase, force: false })
    expect(imported).toEqual({
      name: 'v3_profile_dev-mariadb',
      path: join(dir(), 'v3_profile_dev-mariadb.cnf.enc'),
      host: 'db-dev.example.internal',
      port: 3307,
      user: 'sfbackup',
      hasPassword: true,
      socket: null,
      tls: null,
      ssh: {
        host: 'bastion.example.internal',
        port: 2222,
        user: 'tunnel',
        hasPassword: false,
        identityFile: '/home/ops/.ssh/id_ed25519',
        localPort: 0,
      },
      backupKeyStored: false,
    })
    const stored = await readProfile(imported.path, KEY)
    expect(stored.data.password).toBe('S3cr3t=with;special#chars')
    expect(stored.format).toBe('single-shot-600k')
    expect(await readFile(source)).toEqual(before) // the source file is never changed

    const clash = await s.failure('profiles:import', { path: source, key: vector.passphrase, force: false })
    expect(clash).toMatchObject({
      code: 'ProfileExists',
      message: expect.stringContaining('choose another name'),
    })
    expect(await s.value('profiles:import', { path: source, key: vector.passphrase, force: true })).toEqual(
      imported,
    )

    const old = vectorByName('v1_profile_100k_old-profile.cnf.enc')
    const renamed = await s.value('profiles:import', {
      path: join(VECTOR_DIR, old.name),
      key: old.passphrase,
      name: 'old-prod',
      force: false,
    })
    expect(renamed).toMatchObject({
      name: 'old-prod',
      host: '192.168.10.20',
      user: 'root',
      hasPassword: true,
    })
    expect((await readProfile(renamed.path, KEY)).format).toBe('single-shot-600k')
    expect(
      (await s.failure('profiles:import', { path: old.name, key: old.passphrase, force: false })).code,
    ).toBe('InvalidInput')
  })

  it('the list never fails as a whole: locked without a key or with another, damaged files named', async () => {
    // A file that opens with our key but holds no profile, and one cut short.
    await writeFile(join(dir(), 'not-ini.cnf.enc'), await encryptSingleShot(Buffer.from('hello\n'), KEY), {
      mode: 0o600,
    })
    const good = await readFile(join(dir(), 'prod-main.cnf.enc'))
    await writeFile(join(dir(), 'cut.cnf.enc'), good.subarray(0, 20), { mode: 0o600 })
    const list = await s.value('profiles:list', {})
    expect(entry(list, 'prod-main')?.status).toBe('ok')
    expect(entry(list, 'not-ini')).toMatchObject({ status: 'damaged', error: { code: 'InvalidProfile' } })
    expect(entry(list, 'cut')).toMatchObject({ status: 'damaged' })
    expect(entry(list, 'happ')).toMatchObject({ status: 'locked', error: { code: 'WrongKey' } })

    delete s.env.SFDB_PROFILE_KEY
    try {
      const locked = await s.value('profiles:list', {})
      expect(locked.length).toBe(list.length)
      for (const e of locked) {
        expect(e.status).toBe('locked')
        if (e.status === 'ok') continue
        expect(e.error.code).toBe('MissingKey')
        expect(e.error.advice).toEqual({ code: 'profileKeyRequired' })
      }
      expect((await s.failure('profiles:get', { name: 'prod-main' })).code).toBe('MissingKey')
    } finally {
      s.env.SFDB_PROFILE_KEY = KEY
    }
  })

  describe('through an SSH tunnel (a real sshd on loopback)', () => {
    let sshd: PrivateSshd
    beforeAll(async () => {
      sshd = await startPrivateSshd()
    })
    afterAll(async () => {
      await sshd.stop()
    })

    it('an unknown host key is refused with how to trust it; once known, test and databases go through', async () => {
      await s.value('profiles:create', {
        profile: {
          ...input('tunneled'),
          ssh: {
            host: sshd.host,
            port: sshd.port,
            user: sshd.user,
            identityFile: sshd.identityFile,
            localPort: 0,
          },
        },
      })
      const knownHosts = join(s.configDir, 'known_hosts')
      const refused = await s.failure('profiles:test', { name: 'tunneled' })
      expect(refused.code).toBe('ConnectFailed')
      expect(refused.message).toContain('unknown SSH host key')
      expect(refused.message).toContain(knownHosts)
      await appendFile(knownHosts, `[${sshd.host}]:${sshd.port} ${sshd.hostKey}\n`)
      expect(await s.value('profiles:test', { name: 'tunneled' })).toMatchObject({ ok: true })
      const { databases } = await s.value('servers:databases', { profile: 'tunneled' })
      expect(databases.map((d) => d.name)).toContain('mysql')
    })
  })

  it('a copy of a foreign file is imported from anywhere the user picks', async () => {
    const vector = vectorByName('v3_profile_dev-mariadb.cnf.enc')
    const picked = join(s.tmp, 'from-colleague.cnf.enc')
    await copyFile(join(VECTOR_DIR, vector.name), picked)
    const view = await s.value('profiles:import', { path: picked, key: vector.passphrase, force: false })
    expect(view.name).toBe('from-colleague')
  })
})
