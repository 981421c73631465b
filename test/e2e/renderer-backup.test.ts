/**
 * The golden path in the real renderer over the real handlers, job supervisor and private mariadbd: create a
 * profile, walk the New-backup wizard to the real dry-run, run it, follow it on Jobs, read the result and
 * verify a file.
 */
import { existsSync } from 'node:fs'
import type mysql from 'mysql2/promise'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { createSampleDatabase } from '../harness/fixtures.ts'
import { connectRoot } from '../harness/mariadb.ts'
import { en } from '../../renderer/src/i18n/en.ts'
import { id } from '../../renderer/src/i18n/id.ts'
import { withApp } from './harness/with-app.ts'

const USER = 'bk_ui_e2e'
/** An account without RELOAD and PROCESS: the dry-run warns, with the GRANT that fixes it. */
const WEAK_USER = 'bk_ui_weak'
const PASSWORD = 'ui-e2e "pw" #1'
const ENV = { SFDB_PROFILE_KEY: 'ui e2e profile key', SFDB_BACKUP_ENCRYPTION_KEY: 'ui e2e backup key' }

describe('new backup, end to end', () => {
  const server = inject('mariadb')

  /** Creates a profile for `user` on the private server through the Profiles page (in English). */
  const createProfile = async (page: Page, name: string, user: string): Promise<void> => {
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('button', { name: en['nav.profiles'] })
      .click()
    await page.getByRole('button', { name: 'New profile' }).click()
    const form = page.getByRole('form', { name: 'New profile' })
    await form.getByLabel('Profile name').fill(name)
    await form.getByLabel('Host').fill(server.host)
    await form.getByLabel('Port', { exact: true }).fill(String(server.port))
    await form.getByLabel('User').fill(user)
    await form.getByLabel('Password', { exact: true }).fill(PASSWORD)
    await form.getByRole('button', { name: 'Save profile' }).click()
    await page.getByRole('region', { name: `Profile ${name}` }).waitFor()
  }
  /** A new profile, then the wizard up to the filter step with every database matching `search` selected. */
  const startFilterBackup = async (
    page: Page,
    profile: string,
    search: string,
    shown: string,
  ): Promise<void> => {
    await createProfile(page, profile, USER)
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'New backup' }).click()
    await page.getByRole('radio', { name: profile }).check()
    await page.getByRole('button', { name: 'Next' }).click()
    await page.getByRole('radio', { name: 'Filter' }).check()
    await page.getByRole('button', { name: 'Next' }).click()
    await page.getByLabel('Search databases').fill(search)
    await page.getByRole('checkbox', { name: shown, exact: true }).waitFor()
    await page.getByRole('checkbox', { name: 'Select all' }).check()
  }
  let conn: mysql.Connection

  beforeAll(async () => {
    conn = await connectRoot(server)
    await createSampleDatabase(conn, 'ui_shop', { rows: 3000 })
    await createSampleDatabase(conn, 'ui_crm', { rows: 300 })
    for (const db of ['tinydb_a', 'tinydb_b'])
      await conn.query(`DROP DATABASE IF EXISTS ${db}; CREATE DATABASE ${db}; CREATE TABLE ${db}.t (id INT)`)
    await conn.query(`DROP USER IF EXISTS ?@'127.0.0.1'`, [USER])
    await conn.query(`CREATE USER ?@'127.0.0.1' IDENTIFIED BY ?`, [USER, PASSWORD])
    await conn.query(
      `GRANT SELECT, SHOW VIEW, TRIGGER, EVENT, LOCK TABLES, RELOAD, PROCESS ON *.* TO ?@'127.0.0.1'`,
      [USER],
    )
    await conn.query(`DROP USER IF EXISTS ?@'127.0.0.1'`, [WEAK_USER])
    await conn.query(`CREATE USER ?@'127.0.0.1' IDENTIFIED BY ?`, [WEAK_USER, PASSWORD])
    await conn.query(`GRANT SELECT, SHOW VIEW, TRIGGER, EVENT, LOCK TABLES ON *.* TO ?@'127.0.0.1'`, [
      WEAK_USER,
    ])
  })
  afterAll(async () => {
    await conn.query(
      'DROP DATABASE IF EXISTS ui_shop; DROP DATABASE IF EXISTS ui_crm; DROP DATABASE IF EXISTS tinydb_a; DROP DATABASE IF EXISTS tinydb_b',
    )
    await conn.end()
  })

  it('reads the database list again each time the step opens; row counts say they are estimates', async () => {
    await withApp(
      async ({ page, ipcCalls, consoleErrors }) => {
        await startFilterBackup(page, 'ui-list', 'ui_', 'ui_shop')
        expect(await page.getByRole('row', { name: /ui_shop/ }).textContent()).toMatch(/≈ [\d,]+/)
        await page.getByRole('button', { name: 'Previous' }).click()
        await conn.query(
          'DROP DATABASE IF EXISTS ui_new; CREATE DATABASE ui_new; CREATE TABLE ui_new.t (id INT)',
        )
        try {
          await page.getByRole('button', { name: 'Next' }).click()
          await page.getByLabel('Search databases').fill('ui_')
          await page.getByRole('checkbox', { name: 'ui_new', exact: true }).waitFor()
          expect(ipcCalls.filter((c) => c.channel === 'servers:databases')).toHaveLength(2)
        } finally {
          await conn.query('DROP DATABASE IF EXISTS ui_new')
        }
        expect(consoleErrors).toEqual([])
      },
      { env: ENV, name: 'renderer-backup-list-failure' },
    )
  })

  it('plans, runs, follows and verifies a filter backup of two databases', async () => {
    await withApp(
      async ({ page, ipcCalls, consoleErrors, screenshot }) => {
        await startFilterBackup(page, 'ui-e2e', 'ui_', 'ui_shop')
        expect(await page.getByRole('checkbox', { name: 'ui_crm', exact: true }).isChecked()).toBe(true)
        await page.getByRole('button', { name: 'Next' }).click()

        await page.getByLabel('Compression type').selectOption('zstd')
        await page.getByRole('button', { name: 'Next' }).click()
        await page.getByLabel('Ticket').fill('CHG-E2E')
        await page.getByRole('button', { name: 'Next' }).click()

        // The preview is the real dry-run: one file per database, nothing written yet.
        const plan = page.getByRole('region', { name: 'Backup plan' })
        await plan.waitFor({ timeout: 30_000 })
        const files = plan.getByRole('table', { name: 'Files to be written' })
        expect(await files.getByRole('row').count()).toBe(3)
        expect(await files.textContent()).toMatch(/ui_crm_\d{8}_\d{6}_CHGE2E\.sql\.zst\.enc/)
        // The names' time is the run's, and the preview says so.
        expect(await plan.textContent()).toContain('those of the run, not of this preview')
        await screenshot('renderer-backup-preview')

        await page.getByRole('button', { name: 'Run backup' }).click()
        await page.getByRole('heading', { name: 'Jobs', level: 1 }).waitFor()
        const result = page.getByRole('article', { name: 'ui-e2e · CHG-E2E' })
        await result
          .getByRole('status')
          .filter({ hasText: 'Backup finished: 2 files written, 0 failed.' })
          .waitFor({ timeout: 60_000 })
        expect(await result.textContent()).toContain('AES-256-GCM')

        const row = result.getByRole('row', { name: /ui_shop_/ })
        await row.getByRole('button', { name: 'Verify' }).click()
        await result.getByText('Verified: the file is complete and intact.').waitFor({ timeout: 60_000 })
        await screenshot('renderer-backup-result')

        const start = ipcCalls.find(({ channel }) => channel === 'backups:start')
        expect(start?.request).toMatchObject({
          request: { profile: 'ui-e2e', mode: 'filter', databases: ['ui_crm', 'ui_shop'], ticket: 'CHG-E2E' },
        })
        const done = ipcCalls.filter(({ channel }) => channel === 'history:list').at(-1)
        const written = (done?.result as { ok: true; value: { entries: { backupFile: string }[] } }).value
          .entries
        expect(written.length).toBeGreaterThanOrEqual(2)
        for (const entry of written) expect(existsSync(entry.backupFile)).toBe(true)
        expect(consoleErrors).toEqual([])
      },
      { env: ENV, name: 'renderer-backup-failure' },
    )
  })

  it('phrases the engine’s warnings and exclusions in Bahasa Indonesia, with no CLI flag', async () => {
    await withApp(
      async ({ page, consoleErrors, screenshot }) => {
        const nav = page.getByRole('navigation', { name: 'Main' })
        await createProfile(page, 'ui-weak', WEAK_USER)

        await nav.getByRole('button', { name: en['nav.settings'] }).click()
        await page.getByLabel(en['settings.language']).selectOption('id')
        await nav.getByRole('button', { name: id['nav.newBackup'] }).click()
        await page.getByRole('radio', { name: 'ui-weak' }).check()
        await page.getByRole('button', { name: id['common.next'] }).click()
        await page.getByRole('radio', { name: id['mode.all.name'] }).check()
        await page.getByRole('button', { name: id['common.next'] }).click()
        await page.getByRole('button', { name: id['common.next'] }).click()
        await page.getByRole('button', { name: id['common.next'] }).click()
        await page.getByLabel(id['ticket.label']).fill('CHG-ID')
        await page.getByRole('button', { name: id['common.next'] }).click()

        const plan = page.getByRole('region', { name: id['preview.label'] })
        await plan.waitFor({ timeout: 30_000 })
        const text = (await plan.textContent()) ?? ''
        // The missing privileges, in Indonesian, with the GRANT; the system databases' reason too.
        expect(text).toMatch(/Akun \S+ tidak memiliki [A-Z, ]*RELOAD/)
        expect(text).toContain('GRANT ')
        expect(text).toContain(id['exclusion.system'])
        expect(text).not.toContain('lacks')
        expect(text).not.toMatch(/(^|\s)--(skip|exclude|include|output|dump)/)
        await screenshot('renderer-backup-preview-id')
        expect(consoleErrors).toEqual([])
      },
      { env: ENV, name: 'renderer-backup-id-failure' },
    )
  })

  it('says in the preview when small databases share one dump, and shows that dump', async () => {
    await withApp(
      async ({ page, consoleErrors }) => {
        await startFilterBackup(page, 'ui-tiny', 'tinydb_', 'tinydb_b')
        await page.getByRole('button', { name: 'Next' }).click()
        await page.getByRole('button', { name: 'Next' }).click()
        await page.getByLabel('Ticket').fill('CHG-TINY')
        await page.getByRole('button', { name: 'Next' }).click()

        const plan = page.getByRole('region', { name: 'Backup plan' })
        await plan.waitFor({ timeout: 30_000 })
        expect(await plan.getByRole('table', { name: 'Files to be written' }).getByRole('row').count()).toBe(
          3,
        )
        const text = (await plan.textContent()) ?? ''
        expect(text).toContain('--databases')
        expect(text).toMatch(/tinydb_a[\s\\]*tinydb_b/)
        expect(text).toContain('2 files from 1 dump: small databases share one dump')
        expect(consoleErrors).toEqual([])
      },
      { env: ENV, name: 'renderer-backup-tiny-failure' },
    )
  })
})
