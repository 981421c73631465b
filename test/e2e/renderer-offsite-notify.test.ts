/**
 * Offsite copies and notifications in the app, in Chromium against the real handlers: Settings →
 * Destinations (a folder added and tested; a dead one's error phrased in English and Bahasa Indonesia),
 * Settings → Notifications (a webhook added and tested against a local HTTP server), a quick backup's
 * copies and channels chosen on the dashboard and its run naming the preset, and a job card during the copy
 * phase (per destination the file, bytes, rate, time left — and Cancel).
 */
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { BackupProgress } from '../../shared/backup-types.ts'
import type { QuickBackupPreset, RunningJobView, Settings } from '../../shared/ipc.ts'
import { ok } from '../../shared/result.ts'
import { backupRequest } from '../harness/backup-request.ts'
import { createSampleDatabase } from '../harness/fixtures.ts'
import { connectRoot } from '../harness/mariadb.ts'
import { useKeyring } from '../harness/keyring.ts'
import { startWebhookServer, type WebhookServer } from '../harness/webhook-server.ts'
import { withApp } from './harness/with-app.ts'

const MIB = 2 ** 20
const ENV = {
  SFDB_PROFILE_KEY: 'copy-to e2e profile key',
  SFDB_BACKUP_ENCRYPTION_KEY: 'copy-to e2e backup key',
}

const openSettings = async (page: Page): Promise<void> => {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click()
  await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor()
}

describe('offsite destinations and notifications in the app', () => {
  useKeyring()
  let hooks: WebhookServer
  beforeAll(async () => {
    hooks = await startWebhookServer()
  })
  afterAll(async () => {
    await hooks?.close()
  })

  it('adds a folder destination in Settings and tests it; a dead one shows its phrased error in both languages', async () => {
    await withApp(
      async ({ page, configDir, consoleErrors, screenshot }) => {
        await openSettings(page)
        const card = page.getByRole('region', { name: 'Destinations' })
        await card.getByText('No destinations yet').waitFor()
        await card.getByRole('button', { name: 'Add destination' }).click()
        const form = card.getByRole('form', { name: 'New destination' })
        await form.getByLabel('Name', { exact: true }).fill('nas')
        await form.getByLabel('Folder path', { exact: true }).fill(join(configDir, 'nas'))
        await form.getByRole('button', { name: 'Save destination' }).click()
        const row = card.getByRole('listitem').filter({ hasText: 'nas' })
        await row.waitFor()
        expect(await form.count()).toBe(0)
        await row.getByRole('button', { name: 'Test destination nas' }).click()
        await row.getByRole('status').filter({ hasText: 'Test passed' }).waitFor()
        expect(await row.getByRole('status').textContent()).toContain(
          'a probe file was written, verified and removed',
        )
        const file = JSON.parse(await readFile(join(configDir, 'destinations.json'), 'utf8')) as unknown
        expect(file).toEqual({
          version: 1,
          destinations: [{ kind: 'folder', name: 'nas', path: join(configDir, 'nas') }],
        })

        // A destination that cannot be written: the advice, in the UI's language.
        const blocker = join(configDir, 'a-file')
        await writeFile(blocker, 'x')
        await card.getByRole('button', { name: 'Add destination' }).click()
        await form.getByLabel('Name', { exact: true }).fill('dead')
        await form.getByLabel('Folder path', { exact: true }).fill(join(blocker, 'inside'))
        await form.getByRole('button', { name: 'Save destination' }).click()
        const dead = card.getByRole('listitem').filter({ hasText: 'dead' })
        await dead.getByRole('button', { name: 'Test destination dead' }).click()
        const alert = dead.getByRole('alert')
        await alert.waitFor()
        expect(await alert.textContent()).toContain(
          'The destination dead could not be reached or written: the local backup is kept.',
        )
        await screenshot('renderer-settings-destinations')
        await page.getByLabel('Language').selectOption('id')
        await page.getByRole('heading', { name: 'Pengaturan', level: 1 }).waitFor()
        const deadId = page
          .getByRole('region', { name: 'Tujuan', exact: true })
          .getByRole('listitem')
          .filter({ hasText: 'dead' })
        await deadId.getByRole('button', { name: 'Uji tujuan dead' }).click()
        await expect
          .poll(() => deadId.getByRole('alert').textContent())
          .toContain('Tujuan dead tidak dapat dihubungi atau ditulisi: cadangan lokal tetap disimpan.')
        expect(consoleErrors).toEqual([])
      },
      { name: 'renderer-destinations-failure' },
    )
  })

  it('adds a webhook channel in Settings and tests it against a local HTTP server; its address never comes back', async () => {
    const url = `${hooks.origin}/hooks/e2e-token-5f2a`
    await withApp(
      async ({ page, ipcCalls, consoleErrors }) => {
        await openSettings(page)
        const card = page.getByRole('region', { name: 'Notifications' })
        await card.getByRole('button', { name: 'Add channel' }).click()
        const form = card.getByRole('form', { name: 'New notification channel' })
        await form.getByRole('radio', { name: 'Webhook' }).check()
        await form.getByLabel('Channel name').fill('chat')
        await form.getByLabel('Webhook address').fill(url)
        await form.getByLabel('Format').selectOption('slack')
        await form.getByRole('button', { name: 'Save channel' }).click()
        const row = card.getByRole('listitem').filter({ hasText: 'chat' })
        await row.getByText(`${hooks.origin}/… (slack)`).waitFor()
        await row.getByRole('button', { name: 'Test channel chat' }).click()
        await row.getByRole('status').filter({ hasText: 'Test message sent to chat.' }).waitFor()
        const post = await hooks.waitFor((p) => p.path === '/hooks/e2e-token-5f2a')
        expect(Array.isArray(post.body.blocks)).toBe(true) // Slack's format
        expect(JSON.stringify(post.body)).toContain('NOTIFY-TEST')
        // Sent in, never answered back.
        expect(JSON.stringify(ipcCalls.map((c) => c.result))).not.toContain('e2e-token-5f2a')
        expect(consoleErrors).toEqual([])
      },
      { name: 'renderer-notifications-failure' },
    )
  })

  it("chooses a quick backup's copies and channels on the dashboard, and its run names the preset", async () => {
    const preset: QuickBackupPreset = { id: 'p-nightly', label: 'Nightly', request: backupRequest() }
    await withApp(
      async ({ page, configDir, ipcCalls, consoleErrors }) => {
        await writeFile(
          join(configDir, 'destinations.json'),
          JSON.stringify({
            version: 1,
            destinations: [{ kind: 'folder', name: 'nas', path: join(configDir, 'nas') }],
          }),
        )
        await writeFile(
          join(configDir, 'notifications.json'),
          JSON.stringify({
            version: 1,
            channels: [{ kind: 'webhook', name: 'chat', url: `${hooks.origin}/x`, format: 'json' }],
          }),
        )
        const settings = await page.evaluate(async () => {
          const sfdb = (
            globalThis as unknown as { sfdb: { invoke(c: string, r: unknown): Promise<unknown> } }
          ).sfdb
          return (await sfdb.invoke('settings:get', {})) as { value: Settings }
        })
        await page.evaluate(
          async (next) => {
            const sfdb = (
              globalThis as unknown as { sfdb: { invoke(c: string, r: unknown): Promise<unknown> } }
            ).sfdb
            await sfdb.invoke('settings:update', { settings: next })
          },
          { ...settings.value, presets: [preset] },
        )
        await page.reload()
        const item = page.getByRole('listitem').filter({ hasText: 'Nightly' })
        await item.getByText('no offsite copy · no notification channel').waitFor()
        await item.getByRole('button', { name: 'Copies and notifications of Nightly' }).click()
        const dialog = page.getByRole('dialog', { name: 'Copies and notifications of Nightly' })
        await dialog.getByRole('checkbox', { name: 'nas' }).check()
        await dialog.getByRole('checkbox', { name: 'chat' }).check()
        await dialog.getByRole('radio', { name: 'After every run' }).check()
        await dialog.getByRole('button', { name: 'Save' }).click()
        await item.getByText('copies to nas · notifies chat after every run').waitFor()
        const saved = ipcCalls.filter((c) => c.channel === 'settings:update').at(-1)?.request as {
          settings: Settings
        }
        expect(saved.settings.presets[0]).toMatchObject({
          copyTo: ['nas'],
          notify: { channels: ['chat'], on: 'always' },
        })

        await item.getByRole('button', { name: 'Run Nightly' }).click()
        const ask = page.getByRole('dialog', { name: /Nightly/ })
        await ask.getByRole('button', { name: 'Run' }).click()
        await expect
          .poll(() => ipcCalls.find((c) => c.channel === 'backups:start')?.request)
          .toMatchObject({ presetId: 'p-nightly', request: { profile: 'prod' } })
        expect(consoleErrors).toEqual([])
      },
      {
        name: 'renderer-preset-delivery-failure',
        handlers: { 'backups:start': () => ok({ jobId: 'job-preset-1' }), 'backups:running': () => ok([]) },
      },
    )
  })

  it('a New backup with "Copy to" runs a real job that copies its file to the folder destination', async () => {
    const server = inject('mariadb')
    const conn = await connectRoot(server)
    const user = 'bk_ui_copyto'
    const password = 'copy-to "pw" 9'
    try {
      await createSampleDatabase(conn, 'ui_copyto', { rows: 50 })
      await conn.query(`DROP USER IF EXISTS ?@'127.0.0.1'`, [user])
      await conn.query(`CREATE USER ?@'127.0.0.1' IDENTIFIED BY ?`, [user, password])
      await conn.query(
        `GRANT SELECT, SHOW VIEW, TRIGGER, EVENT, LOCK TABLES, RELOAD, PROCESS ON *.* TO ?@'127.0.0.1'`,
        [user],
      )
      await withApp(
        async ({ page, configDir, ipcCalls, consoleErrors }) => {
          const nas = join(configDir, 'nas')
          await writeFile(
            join(configDir, 'destinations.json'),
            JSON.stringify({ version: 1, destinations: [{ kind: 'folder', name: 'nas', path: nas }] }),
          )
          const nav = page.getByRole('navigation', { name: 'Main' })
          await nav.getByRole('button', { name: 'Profiles' }).click()
          await page.getByRole('button', { name: 'New profile' }).click()
          const profile = page.getByRole('form', { name: 'New profile' })
          await profile.getByLabel('Profile name').fill('copyto')
          await profile.getByLabel('Host').fill(server.host)
          await profile.getByLabel('Port', { exact: true }).fill(String(server.port))
          await profile.getByLabel('User').fill(user)
          await profile.getByLabel('Password', { exact: true }).fill(password)
          await profile.getByRole('button', { name: 'Save profile' }).click()
          await page.getByRole('region', { name: 'Profile copyto' }).waitFor()

          await nav.getByRole('button', { name: 'New backup' }).click()
          await page.getByRole('radio', { name: 'copyto' }).check()
          await page.getByRole('button', { name: 'Next' }).click()
          await page.getByRole('radio', { name: 'Filter' }).check()
          await page.getByRole('button', { name: 'Next' }).click()
          await page.getByLabel('Search databases').fill('ui_copyto')
          await page.getByRole('checkbox', { name: 'ui_copyto', exact: true }).check()
          await page.getByRole('button', { name: 'Next' }).click()
          const copyTo = page.getByRole('group', { name: 'Copy to' })
          await copyTo.getByRole('checkbox', { name: 'nas' }).check()
          await page.getByRole('button', { name: 'Next' }).click()
          await page.getByLabel('Ticket').fill('CHG-COPY')
          await page.getByRole('button', { name: 'Next' }).click()
          await page.getByRole('region', { name: 'Backup plan' }).waitFor()
          await page.getByRole('button', { name: 'Run backup' }).click()
          const result = page.getByRole('article', { name: 'copyto · CHG-COPY' })
          await result
            .getByRole('status')
            .filter({ hasText: 'Backup finished: 1 file written, 0 failed.' })
            .waitFor()
          expect(ipcCalls.find((c) => c.channel === 'backups:start')?.request).toMatchObject({
            request: { copyTo: ['nas'] },
          })
          const copied = await readdir(nas)
          expect(copied.some((n) => /^ui_copyto_\d{8}_\d{6}_CHGCOPY\.sql\.zst\.enc$/.test(n))).toBe(true)
          expect(copied.some((n) => n.endsWith('.meta.json'))).toBe(true)
          expect(consoleErrors).toEqual([])
        },
        { env: ENV, name: 'renderer-copy-to-failure' },
      )
    } finally {
      await conn.query(`DROP DATABASE IF EXISTS ui_copyto`)
      await conn.query(`DROP USER IF EXISTS ?@'127.0.0.1'`, [user])
      await conn.end()
    }
  })

  it('shows the copy phase on the job card: per destination the file, bytes of its size, rate and time left; Cancel works', async () => {
    const JOB_ID = 'job-e2e-copy'
    const running: RunningJobView = {
      jobId: JOB_ID,
      profile: 'prod',
      mode: 'single',
      ticket: 'CHG-7',
      startedAt: new Date(Date.now() - 30_000).toISOString(),
      files: ['/backups/shop_20261121_140502_CHG7.sql.zst'],
      progress: null,
      cancelling: false,
    }
    const done: BackupProgress = {
      targetIndex: 0,
      targetCount: 1,
      database: 'shop',
      table: null,
      tablesDone: 4,
      tablesTotal: 4,
      sqlBytes: 9e8,
      outBytes: 3e8,
      estimatedBytes: 9e8,
      fraction: 1,
      bytesPerSecond: 0,
      etaSeconds: 0,
      elapsedMs: 29_000,
      final: true,
    }
    let cancelled = false
    await withApp(
      async ({ page, ipcCalls, consoleErrors, emitJobEvent, screenshot }) => {
        await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Jobs' }).click()
        await emitJobEvent({ type: 'progress', jobId: JOB_ID, progress: done })
        const card = page.getByRole('article', { name: 'prod · CHG-7' })
        await card.waitFor()
        const file = 'shop_20261121_140502_CHG7.sql.zst'
        const copy = (destination: string, bytes: number) =>
          emitJobEvent({ type: 'copy-progress', jobId: JOB_ID, destination, file, bytes, total: 300 * MIB })
        await copy('nas', 0)
        await copy('off1', 0)
        const copies = card.getByRole('region', { name: 'Offsite copies' })
        const nas = copies.getByRole('listitem').filter({ hasText: 'to nas' })
        await nas.waitFor()
        await copy('nas', 75 * MIB)
        await expect
          .poll(() => nas.getByRole('progressbar', { name: 'Copy to nas' }).getAttribute('aria-valuenow'))
          .toBe('25')
        expect(await nas.textContent()).toContain(file)
        expect(await nas.textContent()).toContain('75.0 MiB of 300 MiB')
        expect(await nas.textContent()).toMatch(/\/s/)
        expect(await nas.textContent()).toMatch(/left/)
        expect(await copies.getByRole('listitem').count()).toBe(2)
        await screenshot('renderer-jobs-copy-progress')

        await card.getByRole('button', { name: 'Cancel' }).click()
        await page
          .getByRole('dialog', { name: 'Cancel this backup?' })
          .getByRole('button', { name: 'Cancel backup' })
          .click()
        await card.getByRole('button', { name: 'Cancelling…' }).waitFor()
        expect(ipcCalls.find((c) => c.channel === 'backups:cancel')?.request).toEqual({ jobId: JOB_ID })
        expect(consoleErrors).toEqual([])
      },
      {
        name: 'renderer-copy-progress-failure',
        handlers: {
          'backups:running': () => ok(cancelled ? [] : [running]),
          'backups:cancel': () => {
            cancelled = true
            return ok({ cancelling: true })
          },
        },
      },
    )
  })
})
