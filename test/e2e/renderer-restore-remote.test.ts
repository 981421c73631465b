/**
 * Restore from an offsite destination in the real renderer over the real handlers, job supervisor and
 * private mariadbd: a backup made by the CLI with `--copy-to` a folder destination, its local dump then
 * deleted (only its metadata and the copy are left) — History's details list the copy, "Restore from nas"
 * opens the wizard with the copy as its source, the real dry-run reads it from the destination, and the
 * restore job streams it into a new database equal to the source.
 */
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import type mysql from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { BackupResult } from '../../shared/backup-types.ts'
import { en } from '../../renderer/src/i18n/en.ts'
import { createBackupAccount } from '../harness/backup-user.ts'
import { runCli } from '../harness/cli.ts'
import { createSampleDatabase, fingerprint } from '../harness/fixtures.ts'
import { connectRoot } from '../harness/mariadb.ts'
import { withApp } from './harness/with-app.ts'

const BACKUP_KEY = 'remote restore e2e key ✓'
const SOURCE = 'ui_rrem_src'
const TARGET = 'ui_rrem_copy'

describe('restore from a destination in the app, end to end', () => {
  const server = inject('mariadb')
  let conn: mysql.Connection

  beforeAll(async () => {
    conn = await connectRoot(server)
    await createSampleDatabase(conn, SOURCE, { rows: 300 })
  }, 120_000)
  afterAll(async () => {
    for (const db of [SOURCE, TARGET]) await conn.query(`DROP DATABASE IF EXISTS ${db}`)
    await conn.end()
  })

  it('History lists the copies; "Restore from nas" restores the copy, streamed from the destination', async () => {
    const env: Record<string, string | undefined> = { SFDB_BACKUP_ENCRYPTION_KEY: BACKUP_KEY }
    await withApp(
      async ({ page, configDir, consoleErrors, screenshot }) => {
        const account = await createBackupAccount(conn, server, { SFDB_CONFIG_PATH: configDir }, 'uirrem')
        await conn.query(`GRANT ALL PRIVILEGES ON *.* TO ?@'127.0.0.1' WITH GRANT OPTION`, [account.user])
        Object.assign(env, { SFDB_PROFILE_KEY: account.profileKey, SFDB_CONFIG_PATH: configDir })
        const nas = join(configDir, 'nas')
        const added = await runCli(['destination', 'add-folder', 'nas', nas], { env })
        expect(added.code, added.stderr).toBe(0)
        const made = await runCli(
          ['backup', 'single', '--db', SOURCE, '--profile', 'uirrem', '-t', 'B-REM'].concat([
            '-o',
            join(configDir, 'backup'),
            '--copy-to',
            'nas',
            '--json',
          ]),
          { env },
        )
        expect(made.code, made.stderr).toBe(0)
        const file = (JSON.parse(made.stdout) as BackupResult).targets[0]?.file ?? ''
        const name = file.split('/').at(-1) ?? ''
        // The local dump is gone (as retention would remove it); its metadata still names the copy.
        await rm(file)
        await page.reload()

        // ── History → the backup's details: its offsite copy, and "Restore from nas" ────────────────────
        await page
          .getByRole('navigation', { name: 'Main' })
          .getByRole('button', { name: en['nav.history'] })
          .click()
        const row = page.getByRole('row', { name: new RegExp(name.replace(/\./g, '\\.')) })
        await row.getByRole('button', { name: en['history.details'] }).click()
        const drawer = page.getByRole('dialog', { name: en['history.detailsTitle'] })
        const copies = drawer.getByRole('region', { name: en['history.copies'] })
        await copies.waitFor()
        expect(await copies.textContent()).toContain('nas')
        expect(await copies.textContent()).toContain(`file://${join(nas, name)}`)
        expect(await copies.textContent()).toContain(en['history.copyVerified'].split(' ')[0] ?? '')
        // The local file is gone: only the copy can be restored.
        expect(await drawer.getByRole('button', { name: en['restore.action'] }).isDisabled()).toBe(true)
        await screenshot('renderer-history-copies')
        await copies.getByRole('button', { name: 'Restore from nas' }).click()

        // ── The wizard, with the copy as its source ────────────────────────────────────────────────────
        const form = page.getByRole('form', { name: en['restore.formLabel'] })
        expect(await form.getByRole('radio', { name: en['restore.sourceKind.remote'] }).isChecked()).toBe(
          true,
        )
        expect(await form.getByLabel(en['restore.destination'], { exact: true }).inputValue()).toBe('nas')
        expect(await form.getByLabel(en['restore.remoteFile']).inputValue()).toBe(name)
        expect(await form.getByRole('note').textContent()).toContain('never copied to a local file')
        const facts = form.getByRole('definition').filter({ hasText: 'On nas: streamed from there' })
        await facts.waitFor()
        await form.getByRole('definition').filter({ hasText: SOURCE }).first().waitFor()
        // The destination's backups are listed for the picker too.
        await expect
          .poll(async () => (await form.getByLabel(en['restore.remoteFile']).textContent()) ?? '')
          .toContain(SOURCE)
        const target = form.getByRole('textbox', { name: en['restore.targetDatabase'], exact: true })
        expect(await target.inputValue()).toBe(SOURCE)
        await target.fill(TARGET)
        await screenshot('renderer-restore-remote-source')
        await form.getByRole('button', { name: en['common.next'] }).click()
        await form.getByLabel(en['ticket.label']).fill('CHG-REM')
        await form.getByRole('button', { name: en['common.next'] }).click()

        // ── The real dry-run, read from the destination; Run → the job → the result ───────────────────
        const plan = page.getByRole('region', { name: en['restore.plan.label'] })
        await plan.getByRole('row', { name: new RegExp(TARGET) }).waitFor()
        expect(await plan.textContent()).toContain(`nas:${name}`)
        expect(await plan.textContent()).toContain('streamed into the restore, never copied to a local file')
        expect(await plan.getByRole('alert').count()).toBe(0)
        await page.getByRole('button', { name: en['restore.run'] }).click()
        await page.getByRole('heading', { level: 1, name: en['jobs.title'] }).waitFor()
        const result = page
          .getByRole('article')
          .filter({ has: page.getByRole('heading', { name: `Restore of ${TARGET} on uirrem` }) })
          .filter({ hasText: en['restoreResult.status.success'] })
        await result.waitFor({ timeout: 120_000 })
        expect(await fingerprint(conn, TARGET)).toEqual(await fingerprint(conn, SOURCE))
        expect(consoleErrors).toEqual([])
      },
      { name: 'renderer-restore-remote', env },
    )
  }, 300_000)
})
