/**
 * Settings → Destinations and Settings → Notifications through the real handlers: the files written 0600
 * without any secret, the secrets in a real keychain (never in an answer), a folder and an SFTP destination
 * on the private sshd tested with a probe, a destination's retention previewed, a webhook channel tested
 * against a local HTTP server, and removals that take the secrets and the presets' references with them.
 */
import { execFile } from 'node:child_process'
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { osKeychain } from '../../../electron/engine/secrets/keychain.ts'
import { backupRequest } from '../../harness/backup-request.ts'
import { startPrivateSshd, type PrivateSshd } from '../../harness/sshd.ts'
import { startWebhookServer, type WebhookServer } from '../../harness/webhook-server.ts'
import { expectNoSecretIn, useHandlerSession, useKeyring } from './handler-session.ts'

const execFileAsync = promisify(execFile)
const TOKEN = 'T0KEN-b7e1-secret-path'
const SMTP_PASSWORD = 'smtp pw ü 77'

describe('destinations and notifications handlers', () => {
  useKeyring()
  const s = useHandlerSession()
  let sshd: PrivateSshd
  let hooks: WebhookServer
  let login = { user: '', password: '' }
  /** Outside the run's private TMPDIR (0700): the password account must reach it. */
  let remoteRoot = ''
  const mode = async (path: string): Promise<number> => (await stat(path)).mode & 0o777

  beforeAll(async () => {
    sshd = await startPrivateSshd({ passwordLogin: true })
    login = sshd.passwordLogin ?? login
    hooks = await startWebhookServer()
    remoteRoot = await mkdtemp('/tmp/sfdb-dest-pw-')
    await chmod(remoteRoot, 0o755)
    await mkdir(join(remoteRoot, 'in'))
    await execFileAsync('chown', [login.user, join(remoteRoot, 'in')])
  })
  afterAll(async () => {
    expectNoSecretIn(s.answers, [login.password, TOKEN, SMTP_PASSWORD])
    await sshd?.stop()
    await hooks?.close()
    if (remoteRoot) await rm(remoteRoot, { recursive: true, force: true })
  })

  it('saves a folder destination (0600, absolute path only), lists it and tests it with a probe', async () => {
    const nas = join(s.tmp, 'nas')
    const refused = await s.failure('destinations:save', {
      destination: { kind: 'folder', name: 'nas', path: 'relative/nas' },
      replace: false,
    })
    expect(refused).toMatchObject({ code: 'InvalidInput' })
    const saved = await s.value('destinations:save', {
      destination: { kind: 'folder', name: 'nas', path: nas },
      replace: false,
    })
    expect(saved).toEqual({ kind: 'folder', name: 'nas', path: nas, secretStored: false })
    expect(await mode(join(s.configDir, 'destinations.json'))).toBe(0o600)
    expect(await s.value('destinations:list', {})).toEqual({ destinations: [saved] })
    // A second "add" of the same name is refused; an edit replaces.
    expect(
      await s.failure('destinations:save', {
        destination: { kind: 'folder', name: 'nas', path: nas },
        replace: false,
      }),
    ).toMatchObject({ code: 'InvalidInput', message: expect.stringContaining('exists already') })
    const tested = await s.value('destinations:test', { name: 'nas' })
    expect(tested.url).toMatch(/^file:\/\/.*\.sfdbtools-probe-/)
    expect(await readdir(nas)).toEqual([]) // the probe was removed
  })

  it('a dead folder destination fails its test with the phrased reason', async () => {
    const blocker = join(s.tmp, 'a-file')
    await writeFile(blocker, 'x')
    await s.value('destinations:save', {
      destination: { kind: 'folder', name: 'dead', path: join(blocker, 'inside') },
      replace: false,
    })
    const e = await s.failure('destinations:test', { name: 'dead' })
    expect(e).toMatchObject({
      code: 'CopyFailed',
      advice: { code: 'copyUnreachable', params: { destination: 'dead' } },
    })
  })

  it('an SFTP destination with a password: the password in the keychain only, the probe on the private sshd', async () => {
    const destination = {
      kind: 'sftp' as const,
      name: 'off1',
      host: sshd.host,
      port: sshd.port,
      user: login.user,
      path: join(remoteRoot, 'in'),
      auth: 'password' as const,
    }
    // A password login without a password stored or given is refused up front.
    expect(await s.failure('destinations:save', { destination, replace: false })).toMatchObject({
      code: 'InvalidInput',
      message: expect.stringContaining('enter the SFTP password'),
    })
    const saved = await s.value('destinations:save', { destination, secret: login.password, replace: false })
    expect(saved).toMatchObject({ name: 'off1', secretStored: true })
    expect(await osKeychain().get('sftp-password', 'off1')).toBe(login.password)
    const file = await readFile(join(s.configDir, 'destinations.json'), 'utf8')
    expect(file).not.toContain(login.password)

    // The host key is not known yet: refused with what to do, nothing written.
    expect(await s.failure('destinations:test', { name: 'off1' })).toMatchObject({
      code: 'CopyFailed',
      advice: { code: 'sshHostKeyUnknown' },
    })
    await writeFile(join(s.configDir, 'known_hosts'), `[${sshd.host}]:${sshd.port} ${sshd.hostKey}\n`)
    expect((await s.value('destinations:test', { name: 'off1' })).url).toMatch(/^sftp:\/\//)
    expect(await readdir(join(remoteRoot, 'in'))).toEqual([])

    // An edit without the password keeps the stored one.
    await s.value('destinations:save', { destination: { ...destination, port: sshd.port }, replace: true })
    expect(await osKeychain().get('sftp-password', 'off1')).toBe(login.password)
    // A wrong password is the phrased login refusal.
    await s.value('destinations:save', { destination, secret: 'not the password', replace: true })
    expect(await s.failure('destinations:test', { name: 'off1' })).toMatchObject({
      code: 'CopyFailed',
      advice: { code: 'copyLoginRefused' },
    })
  })

  it("previews a destination's retention without removing anything", async () => {
    const nas = join(s.tmp, 'nas')
    await writeFile(join(nas, 'foreign.sql.meta.json'), '{"not":"ours"}\n')
    const preview = await s.value('destinations:prune-preview', {
      name: 'nas',
      retention: { retentionDays: 7, minBackups: 1 },
    })
    expect(preview).toMatchObject({ destination: 'nas', remove: [], kept: 0, bytes: 0 })
    expect(preview.ignored.map((i) => i.name)).toEqual(['foreign.sql.meta.json'])
    expect(await readdir(nas)).toEqual(['foreign.sql.meta.json'])
  })

  it('saves a webhook channel (0600), never answers its address back, and tests it', async () => {
    const url = `${hooks.origin}/hooks/${TOKEN}`
    const saved = await s.value('notify:save', {
      channel: { kind: 'webhook', name: 'chat', url, format: 'json' },
      replace: false,
    })
    expect(saved).toEqual({ kind: 'webhook', name: 'chat', format: 'json', origin: hooks.origin })
    expect(await mode(join(s.configDir, 'notifications.json'))).toBe(0o600)
    expect(await s.value('notify:list', {})).toEqual({ channels: [saved] })
    expect(await s.value('notify:test', { name: 'chat' })).toEqual({ sent: true })
    const post = await hooks.waitFor((p) => p.path === `/hooks/${TOKEN}`)
    expect(post.body).toMatchObject({ event: 'backup.finished', ticket: 'NOTIFY-TEST', status: 'success' })
    // An edit without the address keeps it (a Slack body now).
    await s.value('notify:save', {
      channel: { kind: 'webhook', name: 'chat', format: 'slack' },
      replace: true,
    })
    await s.value('notify:test', { name: 'chat' })
    await hooks.waitFor((p) => p.path === `/hooks/${TOKEN}` && Array.isArray(p.body.blocks))
    // A new webhook without an address is refused.
    expect(
      await s.failure('notify:save', {
        channel: { kind: 'webhook', name: 'nourl', format: 'json' },
        replace: false,
      }),
    ).toMatchObject({ code: 'InvalidInput' })
  })

  it('a webhook that cannot be reached fails its test with the phrased reason', async () => {
    const dead = await startWebhookServer()
    const origin = dead.origin
    await dead.close()
    await s.value('notify:save', {
      channel: { kind: 'webhook', name: 'gone', url: `${origin}/x`, format: 'json' },
      replace: false,
    })
    expect(await s.failure('notify:test', { name: 'gone' })).toMatchObject({
      code: 'NotifyFailed',
      advice: { code: 'notifyUnreachable', params: { channel: 'gone' } },
    })
  })

  it('an e-mail channel keeps its SMTP password in the keychain only', async () => {
    const channel = {
      kind: 'email' as const,
      name: 'ops',
      host: 'smtp.example.invalid',
      port: 587,
      security: 'starttls' as const,
      user: 'backup',
      from: 'backup@example.com',
      to: ['dba@example.com'],
    }
    expect(await s.failure('notify:save', { channel, replace: false })).toMatchObject({
      code: 'InvalidInput',
    })
    const saved = await s.value('notify:save', { channel, password: SMTP_PASSWORD, replace: false })
    expect(saved).toEqual({ ...channel, passwordStored: true })
    expect(await osKeychain().get('smtp-password', 'ops')).toBe(SMTP_PASSWORD)
    expect(await readFile(join(s.configDir, 'notifications.json'), 'utf8')).not.toContain(SMTP_PASSWORD)
  })

  it('removing a destination or a channel takes its secret and the presets’ references with it', async () => {
    const settings = await s.value('settings:get', {})
    await s.value('settings:update', {
      settings: {
        ...settings,
        presets: [
          {
            id: 'p1',
            label: 'Nightly',
            request: backupRequest({ copyTo: ['off1'] }),
            copyTo: ['off1', 'nas'],
            notify: { channels: ['ops', 'chat'], on: 'always' },
          },
        ],
      },
    })
    expect(await s.value('destinations:remove', { name: 'off1' })).toEqual({ removed: true })
    expect(await osKeychain().get('sftp-password', 'off1')).toBeNull()
    expect(await s.value('notify:remove', { name: 'ops' })).toEqual({ removed: true })
    expect(await osKeychain().get('smtp-password', 'ops')).toBeNull()
    const [preset] = (await s.value('settings:get', {})).presets
    expect(preset).toMatchObject({
      copyTo: ['nas'],
      request: { copyTo: [] },
      notify: { channels: ['chat'], on: 'always' },
    })
    expect((await s.value('destinations:list', {})).destinations.map((d) => d.name)).toEqual(['nas', 'dead'])
    expect((await s.value('notify:list', {})).channels.map((c) => c.name)).toEqual(['chat', 'gone'])
  })
})
