/**
 * A quick-backup preset run through the real handlers and the real supervisor (built job process, the
 * private mariadbd): `backups:start` with its presetId copies each file to the preset's destinations in
 * the job (copy-progress events, the copy in the `.meta.json`), and the job's end sends the preset's
 * channels — a POST to a local HTTP server — while a channel that fails is a warning in the job's log,
 * never a failed job. A run without the preset sends nothing.
 */
import { readdir, readFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import type mysql from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { BackupRequestInput } from '../../../shared/ipc.ts'
import { createBackupAccount } from '../../harness/backup-user.ts'
import { backupRequest } from '../../harness/backup-request.ts'
import { createSampleDatabase } from '../../harness/fixtures.ts'
import { connectRoot } from '../../harness/mariadb.ts'
import { startWebhookServer, type WebhookServer } from '../../harness/webhook-server.ts'
import { useHandlerSession, useKeyring } from './handler-session.ts'

const DB = 'pon_shop'

describe('a preset run: its copies in the job, its notifications at the end', () => {
  useKeyring()
  const s = useHandlerSession()
  const server = inject('mariadb')
  let conn: mysql.Connection
  let hooks: WebhookServer
  let deadOrigin = ''
  let request: BackupRequestInput

  beforeAll(async () => {
    conn = await connectRoot(server)
    await createSampleDatabase(conn, DB, { rows: 60 })
    const account = await createBackupAccount(conn, server, { SFDB_CONFIG_PATH: s.configDir }, 'pon')
    s.env.SFDB_PROFILE_KEY = account.profileKey
    hooks = await startWebhookServer()
    const dead = await startWebhookServer()
    deadOrigin = dead.origin
    await dead.close()
    request = backupRequest({
      profile: 'pon',
      databases: [DB],
      outputDir: join(s.configDir, 'backup'),
      ticket: 'NIGHT-1',
    })
    await s.value('destinations:save', {
      destination: { kind: 'folder', name: 'nas', path: join(s.tmp, 'nas') },
      replace: false,
    })
    await s.value('notify:save', {
      channel: { kind: 'webhook', name: 'chat', url: `${hooks.origin}/hook/chat`, format: 'json' },
      replace: false,
    })
    await s.value('notify:save', {
      channel: { kind: 'webhook', name: 'gone', url: `${deadOrigin}/hook/gone`, format: 'json' },
      replace: false,
    })
    const settings = await s.value('settings:get', {})
    await s.value('settings:update', {
      settings: {
        ...settings,
        presets: [
          {
            id: 'nightly',
            label: 'Nightly shop',
            request,
            copyTo: ['nas'],
            notify: { channels: ['chat', 'gone'], on: 'always' },
          },
        ],
      },
    })
  })
  afterAll(async () => {
    await hooks?.close()
    await conn?.query(`DROP DATABASE IF EXISTS ${DB}`)
    await conn?.end()
  })

  it('copies to the preset’s destination and POSTs the summary; a dead channel is a warning in the job’s log', async () => {
    const { jobId } = await s.value('backups:start', { request, presetId: 'nightly' })
    const final = await s.jobs.finished(jobId)
    expect(final.type).toBe('done')
    const target = final.type === 'done' ? final.result.targets[0] : undefined
    expect(target?.status).toBe('success')
    const file = target?.file as string
    expect(await readdir(join(s.tmp, 'nas'))).toContain(basename(file))
    const meta = JSON.parse(await readFile(`${file}.meta.json`, 'utf8')) as {
      copies?: { destination: string }[]
    }
    expect(meta.copies?.map((c) => c.destination)).toEqual(['nas'])
    expect(s.jobs.events.some((e) => e.jobId === jobId && e.type === 'copy-progress')).toBe(true)

    const post = await hooks.waitFor((p) => p.path === '/hook/chat')
    expect(post.body).toMatchObject({
      event: 'backup.finished',
      status: 'success',
      profile: 'pon',
      preset: 'Nightly shop',
      ticket: 'NIGHT-1',
    })
    await s.jobs.notified()
    const { text } = await s.value('jobs:log', { jobId })
    expect(text).toMatch(/INFO notification 'chat' sent \(success\)/)
    expect(text).toMatch(/WARN notification 'gone' was not sent: .*cannot be reached \(NotifyFailed\)/)
    expect(text).not.toContain('/hook/gone') // the address's path (a token) never in a log
    const { records } = await s.value('jobs:history', {})
    expect(records.find((r) => r.jobId === jobId)).toMatchObject({ status: 'success', presetId: 'nightly' })
  })

  it('the same request without the preset copies nothing and sends nothing', async () => {
    const before = hooks.posts.length
    const { jobId } = await s.value('backups:start', { request: { ...request, ticket: 'PLAIN-1' } })
    const final = await s.jobs.finished(jobId)
    expect(final.type).toBe('done')
    await s.jobs.notified()
    expect(hooks.posts.length).toBe(before)
    expect(s.jobs.events.some((e) => e.jobId === jobId && e.type === 'copy-progress')).toBe(false)
  })
})
