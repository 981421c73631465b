/**
 * Table rules after the backup, in the real renderer over the real handlers and private mariadbd: a backup
 * with an excluded and a data-only table (made by the engine, the CLI) shows its rules in History's row and
 * details; restoring it into a new database is refused in the wizard's real dry-run with the named reason
 * (which tables must exist), and Run stays disabled.
 */
import { join } from 'node:path'
import type mysql from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { BackupResult } from '../../shared/backup-types.ts'
import { en } from '../../renderer/src/i18n/en.ts'
import { createBackupAccount } from '../harness/backup-user.ts'
import { runCli } from '../harness/cli.ts'
import { createSampleDatabase } from '../harness/fixtures.ts'
import { connectRoot } from '../harness/mariadb.ts'
import { withApp } from './harness/with-app.ts'

const SRC = 'ui_tr_src'
const FRESH = 'ui_tr_fresh'

describe('table rules in History and the restore wizard', () => {
  const server = inject('mariadb')
  let conn: mysql.Connection

  beforeAll(async () => {
    conn = await connectRoot(server)
    await createSampleDatabase(conn, SRC, { rows: 50 })
    await conn.query(`DROP DATABASE IF EXISTS ${FRESH}`)
  })
  afterAll(async () => {
    await conn.query(`DROP DATABASE IF EXISTS ${SRC}; DROP DATABASE IF EXISTS ${FRESH}`)
    await conn.end()
  })

  it('History shows the rules; a restore into a new database is refused, naming the tables it needs', async () => {
    // The app's key lookup sees this (the profile key is set once the account exists).
    const env: Record<string, string | undefined> = {}
    await withApp(
      async ({ page, configDir, consoleErrors, screenshot }) => {
        const account = await createBackupAccount(conn, server, { SFDB_CONFIG_PATH: configDir }, 'uitr')
        await conn.query(`GRANT ALL PRIVILEGES ON *.* TO ?@'127.0.0.1' WITH GRANT OPTION`, [account.user])
        env.SFDB_PROFILE_KEY = account.profileKey
        const made = await runCli(
          [
            'backup',
            'single',
            '--db',
            SRC,
            '--profile',
            'uitr',
            '-t',
            'B-TR',
            '--no-encrypt',
            '--exclude-table',
            'empty_table',
            '--data-only',
            'settings',
            '-o',
            join(configDir, 'backup'),
            '--json',
          ],
          { env: { SFDB_CONFIG_PATH: configDir, SFDB_PROFILE_KEY: account.profileKey } },
        )
        expect(made.code, made.stderr).toBe(0)
        const file = (JSON.parse(made.stdout) as BackupResult).targets[0]?.file ?? ''
        const fileName = file.split('/').at(-1) ?? ''
        await page.reload()

        await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'History' }).click()
        const row = page.getByRole('row', { name: new RegExp(fileName.replace(/\./g, '\\.')) })
        await expect.poll(() => row.textContent()).toContain('1 table excluded · 1 data only')
        await row.getByRole('button', { name: 'Details' }).click()
        const drawer = page.getByRole('dialog', { name: 'Backup details' })
        const rules = drawer.getByTestId('table-rules-list')
        await rules.waitFor()
        expect(await rules.textContent()).toContain('empty_table')
        expect(await rules.textContent()).toContain('settings')
        await page.keyboard.press('Escape')

        await row.getByRole('button', { name: en['restore.action'] }).click()
        const form = page.getByRole('form', { name: en['restore.formLabel'] })
        await form.getByTestId('table-rules-list').waitFor()
        await form.getByRole('textbox', { name: en['restore.targetDatabase'], exact: true }).fill(FRESH)
        await form.getByRole('button', { name: en['common.next'] }).click()
        await form.getByLabel(en['ticket.label']).fill('CHG-TR')
        await form.getByRole('button', { name: en['common.next'] }).click()
        const plan = form.getByRole('region', { name: en['restore.plan.label'] })
        await plan.waitFor({ timeout: 30_000 })
        const refusal = plan.getByRole('alert').filter({ hasText: 'must already have the tables' })
        await refusal.waitFor({ timeout: 30_000 })
        expect(await refusal.textContent()).toContain(`${FRESH} must already have the tables settings`)
        expect(await page.getByRole('button', { name: en['restore.run'] }).isDisabled()).toBe(true)
        await screenshot('renderer-restore-data-only-refused')
        // Nothing was created on the server.
        const [found] = await conn.query<mysql.RowDataPacket[]>('SHOW DATABASES LIKE ?', [FRESH])
        expect(found).toEqual([])
        expect(consoleErrors).toEqual([])
      },
      { env, name: 'renderer-table-rules-restore-failure' },
    )
  }, 180_000)
})
