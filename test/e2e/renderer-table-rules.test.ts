/**
 * Table choices in the real renderer over the real handlers, job process and private mariadbd: the
 * New-backup wizard's table picker (search, sizes, row estimates, a choice per table, select-all of the
 * search results), the Advanced extra dump arguments checked as they are typed, the preview's dump commands
 * (main + the data-only dump) and the written file's metadata.
 */
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type mysql from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { BackupPlanView } from '../../shared/backup-types.ts'
import type { BackupMetadata } from '../../electron/engine/backup/metadata.ts'
import { createSampleDatabase } from '../harness/fixtures.ts'
import { connectRoot } from '../harness/mariadb.ts'
import { en } from '../../renderer/src/i18n/en.ts'
import { withApp } from './harness/with-app.ts'

const USER = 'bk_ui_tables'
const PASSWORD = 'ui-tables "pw" #1'
const ENV = { SFDB_PROFILE_KEY: 'ui tables profile key' }

describe('new backup: table choices, end to end', () => {
  const server = inject('mariadb')
  let conn: mysql.Connection

  beforeAll(async () => {
    conn = await connectRoot(server)
    await createSampleDatabase(conn, 'ui_tbl', { rows: 200 })
    await conn.query(`DROP USER IF EXISTS ?@'127.0.0.1'`, [USER])
    await conn.query(`CREATE USER ?@'127.0.0.1' IDENTIFIED BY ?`, [USER, PASSWORD])
    await conn.query(
      `GRANT SELECT, SHOW VIEW, TRIGGER, EVENT, LOCK TABLES, RELOAD, PROCESS ON *.* TO ?@'127.0.0.1'`,
      [USER],
    )
  })
  afterAll(async () => {
    await conn.query('DROP DATABASE IF EXISTS ui_tbl')
    await conn.query(`DROP USER IF EXISTS ?@'127.0.0.1'`, [USER])
    await conn.end()
  })

  it('picks tables, shows the split dump commands in the preview, and records the choices', async () => {
    await withApp(
      async ({ page, ipcCalls, consoleErrors, screenshot }) => {
        await page
          .getByRole('navigation', { name: 'Main' })
          .getByRole('button', { name: en['nav.profiles'] })
          .click()
        await page.getByRole('button', { name: 'New profile' }).click()
        const form = page.getByRole('form', { name: 'New profile' })
        await form.getByLabel('Profile name').fill('ui-tables')
        await form.getByLabel('Host').fill(server.host)
        await form.getByLabel('Port', { exact: true }).fill(String(server.port))
        await form.getByLabel('User').fill(USER)
        await form.getByLabel('Password', { exact: true }).fill(PASSWORD)
        await form.getByRole('button', { name: 'Save profile' }).click()
        await page.getByRole('region', { name: 'Profile ui-tables' }).waitFor()

        await page
          .getByRole('navigation', { name: 'Main' })
          .getByRole('button', { name: 'New backup' })
          .click()
        await page.getByRole('radio', { name: 'ui-tables' }).check()
        await page.getByRole('button', { name: 'Next' }).click()
        await page.getByRole('radio', { name: en['mode.single.name'] }).check()
        await page.getByRole('button', { name: 'Next' }).click()
        await page.getByLabel('Search databases').fill('ui_tbl')
        await page.getByRole('radio', { name: 'ui_tbl', exact: true }).check()

        await page.getByRole('button', { name: 'Choose tables of ui_tbl' }).click()
        const picker = page.getByRole('region', { name: 'Tables of ui_tbl' })
        const customers = picker.locator('tr', {
          has: page.getByRole('rowheader', { name: 'customers', exact: true }),
        })
        await customers.waitFor()
        expect(await customers.textContent()).toMatch(/≈ [\d,]+/)
        // A view has no data: only "Full" and "Excluded" are offered for it.
        const viewChoice = picker.getByLabel('What to back up of active_customers')
        expect(await viewChoice.locator('option').allTextContents()).toEqual(['Full', 'Excluded'])

        await picker.getByLabel('What to back up of empty_table').selectOption({ label: 'Excluded' })
        await picker.getByLabel('What to back up of audit_log').selectOption({ label: 'Structure only' })
        // Select-all of the search results, then one choice for the selection.
        await picker.getByLabel('Search tables').fill('sett')
        await picker.getByRole('checkbox', { name: 'Select the 1 table shown' }).check()
        await picker
          .getByRole('group', { name: 'Set the 1 selected table to:' })
          .getByRole('button', { name: 'Data only' })
          .click()
        expect(await page.getByTestId('table-summary-ui_tbl').textContent()).toBe(
          '1 table excluded · 1 structure only · 1 data only',
        )
        await screenshot('renderer-backup-table-picker')
        await page.getByRole('button', { name: 'Next' }).click()

        // Advanced: a refused extra dump argument is named next to the field, and the step does not go on.
        await page.getByText('Advanced', { exact: true }).click()
        const args = page.getByLabel('Extra dump arguments')
        await args.fill('--result-file=/tmp/ui.sql')
        await page
          .getByRole('alert')
          .filter({
            hasText: '--result-file=/tmp/ui.sql: --result-file would write the dump outside the backup file.',
          })
          .waitFor()
        await args.fill('--max-allowed-packet=64M')
        expect(await page.getByRole('alert').filter({ hasText: 'outside the backup file' }).count()).toBe(0)
        // Plain SQL, so the test reads the file as it is.
        await page.getByLabel('Compression type').selectOption('none')
        await page.getByLabel('Encrypt the backup').uncheck()
        await page.getByRole('button', { name: 'Next' }).click()
        await page.getByLabel('Ticket').fill('CHG-TBL-UI')
        await page.getByRole('button', { name: 'Next' }).click()

        const plan = page.getByRole('region', { name: 'Backup plan' })
        await plan.waitFor({ timeout: 30_000 })
        const rules = plan.getByTestId('preview-table-rules')
        expect(await rules.textContent()).toBe('ui_tbl: 1 table excluded · 1 structure only · 1 data only')
        const commands = plan.getByTestId('preview-file-command')
        expect(await commands.count()).toBe(2)
        const main = (await commands.nth(0).textContent()) ?? ''
        const data = (await commands.nth(1).textContent()) ?? ''
        for (const arg of [
          '--ignore-table=ui_tbl.empty_table',
          '--ignore-table=ui_tbl.settings',
          '--ignore-table-data=ui_tbl.audit_log',
          '--max-allowed-packet=64M',
        ])
          expect(main).toContain(arg)
        expect(data).toContain('--no-create-info')
        expect(data).toMatch(/ui_tbl \\\n {2}settings$/)
        expect(await plan.textContent()).toContain(
          'ui_tbl (settings): 1 table is backed up as data only, by a second dump moments after the rest. The file has no CREATE TABLE for that table',
        )
        await screenshot('renderer-backup-table-preview')

        const planned = ipcCalls.filter((c) => c.channel === 'backups:plan').at(-1)
        expect(planned?.request).toMatchObject({
          request: {
            tables: {
              ui_tbl: { exclude: ['empty_table'], structureOnly: ['audit_log'], dataOnly: ['settings'] },
            },
            dumpArgs: ['--max-allowed-packet=64M'],
          },
        })
        const outputDir = (planned?.result as { ok: true; value: BackupPlanView }).value.outputDir

        await page.getByRole('button', { name: 'Run backup' }).click()
        await page.getByRole('heading', { name: 'Jobs', level: 1 }).waitFor()
        await page
          .getByRole('article', { name: 'ui-tables · CHG-TBL-UI' })
          .getByRole('status')
          .filter({ hasText: /Backup finished( with warnings)?: 1 file written/ })
          .waitFor({ timeout: 60_000 })

        const metaName = (await readdir(outputDir)).find(
          (n) => n.startsWith('ui_tbl_') && n.endsWith('.meta.json'),
        )
        const meta = JSON.parse(await readFile(join(outputDir, metaName ?? ''), 'utf8')) as BackupMetadata
        expect(meta.table_rules).toEqual({
          ui_tbl: { excluded: ['empty_table'], structure_only: ['audit_log'], data_only: ['settings'] },
        })
        expect(meta.dump.passes).toHaveLength(2)
        const sql = await readFile(join(outputDir, meta.file.name), 'utf8')
        expect(sql.match(/CREATE TABLE `\w+`/g)).toEqual([
          'CREATE TABLE `audit_log`',
          'CREATE TABLE `customers`',
        ])
        expect(sql.match(/^-- Dump completed/gm)).toHaveLength(2)
        expect(consoleErrors).toEqual([])
      },
      { env: ENV, name: 'renderer-table-rules-failure' },
    )
  })
})
