/**
 * Notifications against real servers on this machine: an SMTP server with STARTTLS (a self-signed
 * certificate made here) checking a login, and an HTTP server taking webhooks — through the engine and
 * through the built CLI with a private Secret Service for the password.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { SMTPServer } from 'smtp-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EmailChannel, WebhookChannel } from '../../../shared/notify.ts'
import type { EngineError } from '../../../electron/engine/errors.ts'
import { postWebhook, sendEmail } from '../../../electron/engine/notify/send.ts'
import { renderSummary } from '../../../electron/engine/notify/summary.ts'
import { cliSandbox, runCli } from '../../harness/cli.ts'
import { startKeyringSession, type KeyringSession } from '../../harness/keyring.ts'

const PASSWORD = 'smtp-Secret-9d1f'
const USER = 'mailer'

interface Mail {
  from: string
  to: string[]
  body: string
  secure: boolean
}

let dir: string
let cert: string
let certPath: string
let smtp: SMTPServer
let smtpPort: number
const mails: Mail[] = []
let http: Server
let httpPort: number
const posts: { path: string; body: unknown }[] = []
let failNext = 0
let deadPort: number

const listen = (server: { listen: (port: number, host: string, cb: () => void) => unknown }): Promise<void> =>
  new Promise((resolve) => void server.listen(0, '127.0.0.1', resolve))

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sfdb-notify-'))
  const keyPath = join(dir, 'key.pem')
  certPath = join(dir, 'cert.pem')
  await promisify(execFile)('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=localhost',
    '-addext',
    'subjectAltName=DNS:localhost,IP:127.0.0.1',
    '-keyout',
    keyPath,
    '-out',
    certPath,
  ])
  cert = await readFile(certPath, 'utf8')
  smtp = new SMTPServer({
    key: await readFile(keyPath),
    cert,
    logger: false,
    authMethods: ['PLAIN', 'LOGIN'],
    onAuth(auth, _session, done) {
      if (auth.username === USER && auth.password === PASSWORD) done(null, { user: USER })
      else done(new Error('Invalid username or password'))
    },
    onData(stream, session, done) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        mails.push({
          from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
          to: session.envelope.rcptTo.map((r) => r.address),
          body: Buffer.concat(chunks).toString('utf8'),
          secure: session.secure,
        })
        done()
      })
    },
  })
  await listen(smtp.server)
  smtpPort = (smtp.server.address() as AddressInfo).port
  http = createServer((req, res) => {
    let text = ''
    req.on('data', (c: Buffer) => (text += c.toString()))
    req.on('end', () => {
      if (failNext > 0) {
        failNext--
        res.writeHead(503).end()
        return
      }
      posts.push({ path: req.url ?? '', body: JSON.parse(text) })
      res.writeHead(200).end('ok')
    })
  })
  await listen(http)
  httpPort = (http.address() as AddressInfo).port
  // A port nothing listens on: one that was just free.
  const probe = createServer()
  await listen(probe)
  deadPort = (probe.address() as AddressInfo).port
  await new Promise((resolve) => probe.close(resolve))
})

afterAll(async () => {
  await new Promise((resolve) => smtp?.close(() => resolve(undefined)))
  await new Promise((resolve) => http?.close(resolve))
  await rm(dir, { recursive: true, force: true })
})

const mailChannel = (over: Partial<EmailChannel> = {}): EmailChannel => ({
  kind: 'email',
  name: 'ops',
  host: 'localhost',
  port: smtpPort,
  security: 'starttls',
  user: USER,
  from: 'sfdb@example.test',
  to: ['dba@example.test'],
  ...over,
})

const result = {
  ok: false,
  mode: 'single' as const,
  ticket: 'CHG-9',
  startedAt: '2026-01-01T02:00:00.000Z',
  finishedAt: '2026-01-01T02:00:01.000Z',
  durationMs: 1000,
  targets: [
    {
      databases: ['shop'],
      status: 'failed' as const,
      file: null,
      bytes: 0,
      sqlBytes: 0,
      sha256: null,
      durationMs: 1000,
      warnings: [],
      error: { code: 'DumpFailed' as const, message: 'mariadb-dump exited 2' },
    },
  ],
}

const caught = async (p: Promise<unknown>): Promise<EngineError> => {
  try {
    await p
  } catch (e) {
    return e as EngineError
  }
  throw new Error('expected a failure')
}

describe('e-mail over SMTP with STARTTLS', () => {
  it('delivers the summary over an upgraded connection', async () => {
    const summary = renderSummary(result, { profile: 'prod', host: 'db1' })
    await sendEmail(mailChannel(), PASSWORD, summary, { ca: cert })
    const mail = mails.at(-1)!
    expect(mail.secure).toBe(true)
    expect(mail.to).toEqual(['dba@example.test'])
    expect(mail.body).toContain('Subject: [sfDBTools] Backup FAILED: prod (db1)')
    expect(mail.body).toContain('mariadb-dump exited 2')
    expect(mail.body).not.toContain(PASSWORD)
  })

  it('a wrong password is the named error, without the password', async () => {
    const e = await caught(sendEmail(mailChannel(), 'wrong-pass', { subject: 's', text: 't' }, { ca: cert }))
    expect(e.code).toBe('NotifyFailed')
    expect(e.advice?.code).toBe('smtpAuthFailed')
    expect(`${e.message}${e.detail ?? ''}`).not.toContain('wrong-pass')
  })

  it('a dead port is the named error', async () => {
    const e = await caught(
      sendEmail(
        mailChannel({ port: deadPort }),
        PASSWORD,
        { subject: 's', text: 't' },
        { ca: cert, timeoutMs: 3000 },
      ),
    )
    expect(e.code).toBe('NotifyFailed')
    expect(e.advice?.code).toBe('notifyUnreachable')
  })

  it('an untrusted certificate is refused (checks are on)', async () => {
    const e = await caught(sendEmail(mailChannel(), PASSWORD, { subject: 's', text: 't' }))
    expect(e.code).toBe('NotifyFailed')
    expect(e.advice?.code).toBe('notifyTlsFailed')
  })
})

describe('webhooks', () => {
  const hook = (format: WebhookChannel['format'], port = httpPort): WebhookChannel => ({
    kind: 'webhook',
    name: `hook-${format}`,
    url: `http://127.0.0.1:${port}/hooks/${format}`,
    format,
  })
  it('posts the payload of each format, and retries a 503 once', async () => {
    const summary = renderSummary(result, { profile: 'prod' })
    await postWebhook(hook('json'), summary.json)
    await postWebhook(hook('slack'), summary.slack)
    failNext = 1
    await postWebhook(hook('teams'), summary.teams, { retryDelayMs: 10 })
    const byPath = Object.fromEntries(posts.map((p) => [p.path, p.body as Record<string, unknown>]))
    expect(byPath['/hooks/json']).toMatchObject({ event: 'backup.finished', status: 'failed', ok: false })
    expect(byPath['/hooks/slack']?.text).toContain('FAILED')
    expect(Array.isArray(byPath['/hooks/slack']?.blocks)).toBe(true)
    expect(byPath['/hooks/teams']?.['@type']).toBe('MessageCard')
  })
  it('a dead destination is the named error', async () => {
    const e = await caught(postWebhook(hook('json', deadPort), {}, { retryDelayMs: 10 }))
    expect(e.code).toBe('NotifyFailed')
    expect(e.advice?.code).toBe('notifyUnreachable')
  })
})

describe('sfdbtools notify', () => {
  let keyring: KeyringSession
  let env: Record<string, string>
  let configDir: string
  beforeAll(async () => {
    keyring = await startKeyringSession()
    const sandbox = await cliSandbox()
    configDir = sandbox.configDir
    env = { ...sandbox.env, ...keyring.env, NODE_EXTRA_CA_CERTS: certPath }
  })
  afterAll(async () => keyring?.stop())

  it('adds channels (the password from stdin into the keychain), lists, tests and removes them', async () => {
    const add = await runCli(
      [
        'notify',
        'add-email',
        'ops',
        '--host',
        'localhost',
        '--port',
        String(smtpPort),
        '--user',
        USER,
        '--from',
        'sfdb@example.test',
        '--to',
        'dba@example.test',
      ],
      { env, input: `${PASSWORD}\n` },
    )
    expect(add.stderr).toBe('')
    expect(add.code).toBe(0)
    const hook = await runCli(['notify', 'add-webhook', 'chat', '--format', 'slack'], {
      env,
      input: `http://127.0.0.1:${httpPort}/hooks/cli-token-123\n`,
    })
    expect(hook.code).toBe(0)
    const file = join(configDir, 'notifications.json')
    expect((await stat(file)).mode & 0o777).toBe(0o600)
    expect(await readFile(file, 'utf8')).not.toContain(PASSWORD)
    const list = await runCli(['notify', 'list'], { env })
    expect(list.stdout).toContain('ops  e-mail  localhost')
    expect(list.stdout).not.toContain('cli-token-123')

    const before = mails.length
    const test = await runCli(['notify', 'test', 'ops'], { env })
    expect(test.stderr).toBe('')
    expect(test.code).toBe(0)
    expect(mails.length).toBe(before + 1)
    expect(mails.at(-1)?.body).toContain('Test notification: ops')
    expect((await runCli(['notify', 'test', 'chat'], { env })).code).toBe(0)
    expect(posts.some((p) => p.path === '/hooks/cli-token-123')).toBe(true)

    // A wrong password in the keychain: the named error, exit 1, and the password nowhere in the output.
    await runCli(
      [
        'notify',
        'add-email',
        'ops',
        '--replace',
        '--host',
        'localhost',
        '--port',
        String(smtpPort),
        '--user',
        USER,
        '--from',
        'sfdb@example.test',
        '--to',
        'dba@example.test',
      ],
      { env, input: 'not-the-password\n' },
    )
    const wrong = await runCli(['notify', 'test', 'ops'], { env })
    expect(wrong.code).toBe(1)
    expect(wrong.stderr).toContain('error [NotifyFailed]')
    expect(wrong.stderr).toContain('refused the login')
    expect(`${wrong.stdout}${wrong.stderr}`).not.toContain('not-the-password')

    expect((await runCli(['notify', 'remove', 'ops'], { env })).code).toBe(0)
    expect((await runCli(['notify', 'list', '--json'], { env })).stdout).not.toContain('"ops"')
  })

  it('refuses plaintext SMTP to another machine and a password as a flag', async () => {
    const plain = await runCli(
      [
        'notify',
        'add-email',
        'far',
        '--host',
        'mail.example.test',
        '--security',
        'none',
        '--from',
        'a@example.test',
        '--to',
        'b@example.test',
      ],
      { env },
    )
    expect(plain.code).not.toBe(0)
    expect(plain.stderr).toContain('localhost')
    const flag = await runCli(['notify', 'add-email', 'x', '--password', PASSWORD], { env })
    expect(flag.code).toBe(2)
  })
})
