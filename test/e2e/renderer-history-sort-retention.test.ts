/**
 * History's sortable columns and its "Last verified" column, and Settings' retention preview, in Chromium
 * with the real handlers on real backup files: clicking (or pressing Enter on) a header reorders the rows
 * and moves `aria-sort`; a verify's outcome shows in its row, survives a reload of the window and is in the
 * details; the preview lists what the policy being edited would remove, before Save, and removes nothing.
 */
import { access, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { writeBackup } from '../harness/backup-files.ts'
import { withApp } from './harness/with-app.ts'

/** The databases of the History table's rows, top to bottom (run in the page). */
const ROW_DATABASES = `[...document.querySelectorAll('table.table tbody tr:not(.row-detail) th[scope=row] > :first-child')].map((e) => e.textContent.trim())`

const order = (page: Page): Promise<string[]> => page.evaluate<string[]>(ROW_DATABASES)

const sortOf = async (page: Page, column: string): Promise<string | null> =>
  page.getByRole('columnheader', { name: column }).getAttribute('aria-sort')

const exists = (p: string): Promise<boolean> =>
  access(p).then(
    () => true,
    () => false,
  )

describe('History sorting and last verified; the retention preview', () => {
  it('sorts by the clicked column, shows each backup’s last verification, also after a reload', async () => {
    await withApp(
      async ({ page, configDir, consoleErrors, screenshot }) => {
        const out = join(configDir, 'backup')
        // Newest: crm (small), then hr (large), then shop (middle).
        await writeBackup(out, 'shop', 3, 'a', 200)
        await writeBackup(out, 'crm', 1, 'b', 10)
        await writeBackup(out, 'hr', 2, 'c', 2000)
        await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'History' }).click()
        await page.getByRole('button', { name: 'Refresh' }).click()
        await page.getByRole('row', { name: /shop_a\.sql/ }).waitFor()

        // Newest first, as it opens.
        expect(await order(page)).toEqual(['crm', 'hr', 'shop'])
        expect(await sortOf(page, 'Date')).toBe('descending')
        expect(await sortOf(page, 'Size')).toBe('none')

        await page.getByRole('button', { name: 'Size' }).click()
        expect(await order(page)).toEqual(['hr', 'shop', 'crm'])
        expect(await sortOf(page, 'Size')).toBe('descending')
        expect(await sortOf(page, 'Date')).toBe('none')
        expect(await page.getByRole('columnheader', { name: 'Size' }).textContent()).toContain('▼')
        await page.getByRole('button', { name: 'Size' }).click()
        expect(await order(page)).toEqual(['crm', 'shop', 'hr'])
        expect(await sortOf(page, 'Size')).toBe('ascending')
        expect(await page.getByRole('columnheader', { name: 'Size' }).textContent()).toContain('▲')

        // The keyboard: the header is a button.
        await page.getByRole('button', { name: 'Databases' }).focus()
        await page.keyboard.press('Enter')
        expect(await order(page)).toEqual(['crm', 'hr', 'shop'])
        expect(await sortOf(page, 'Databases')).toBe('ascending')
        await page.keyboard.press('Enter')
        expect(await order(page)).toEqual(['shop', 'hr', 'crm'])

        // The sort stays while the filters change.
        await page.getByLabel('Database', { exact: true }).fill('h')
        await expect.poll(() => order(page)).toEqual(['shop', 'hr'])
        expect(await sortOf(page, 'Databases')).toBe('descending')
        await page.getByLabel('Database', { exact: true }).fill('')
        await expect.poll(() => order(page)).toEqual(['shop', 'hr', 'crm'])

        // Never verified, then verified: the row says when and that it passed.
        const lastOf = (db: string) =>
          page.getByRole('row', { name: new RegExp(`${db}_\\w\\.sql`) }).locator('td.col-wide .last-verified')
        expect(await lastOf('hr').textContent()).toBe('never')
        await page
          .getByRole('row', { name: /hr_c\.sql/ })
          .getByRole('button', { name: 'Verify' })
          .click()
        await expect.poll(() => lastOf('hr').textContent()).toMatch(/^passed/)
        expect(await lastOf('shop').textContent()).toBe('never')
        await page.getByRole('button', { name: 'Last verified' }).click()
        expect(await sortOf(page, 'Last verified')).toBe('descending')
        expect((await order(page))[0]).toBe('hr')
        await screenshot('renderer-history-sorted-verified')

        // After a reload the page reads it from main (the verification is kept in the config folder).
        await page.reload()
        await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'History' }).click()
        await page.getByRole('row', { name: /hr_c\.sql/ }).waitFor()
        await expect.poll(() => lastOf('hr').textContent()).toMatch(/^passed/)
        expect(await lastOf('crm').textContent()).toBe('never')
        await page
          .getByRole('row', { name: /hr_c\.sql/ })
          .getByRole('button', { name: 'Details' })
          .click()
        const drawer = page.getByRole('dialog')
        await drawer.getByText('Last verified').waitFor()
        expect(await drawer.locator('.last-verified').textContent()).toMatch(/^passed/)
        expect(consoleErrors).toEqual([])
      },
      { name: 'renderer-history-sort-failure', viewport: { width: 1600, height: 900 } },
    )
  })

  it('the retention preview lists what the edited policy would remove, before Save, and removes nothing', async () => {
    await withApp(
      async ({ page, configDir, consoleErrors, screenshot }) => {
        const out = join(configDir, 'backup')
        const old1 = await writeBackup(out, 'sales', 60, 'old1')
        const old2 = await writeBackup(out, 'sales', 45, 'old2')
        const recent = await writeBackup(out, 'sales', 2, 'recent')
        const settingsFile = join(configDir, 'desktop-settings.json')
        const before = await readFile(settingsFile, 'utf8').catch(() => null)

        await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click()
        await page.getByLabel('Apply retention after each backup').check()
        await page.getByLabel('Retention days').fill('30')
        await page.getByLabel('Minimum backups').fill('1')
        const preview = page.getByRole('region', { name: 'What this policy would remove now' })
        await preview
          .getByText(/^These 4 files \(2 backups, .+\) would be removed by the policy from /)
          .waitFor()
        await preview.getByText('Not saved yet: the policy applies once you save the settings.').waitFor()
        await preview.getByText('The files').click()
        for (const name of ['sales_old1.sql', 'sales_old1.sql.meta.json', 'sales_old2.sql'])
          await preview.getByText(name, { exact: false }).first().waitFor()
        expect(await preview.getByText('sales_recent.sql').count()).toBe(0)
        await screenshot('renderer-settings-retention-preview')

        // A policy that keeps more: nothing would go.
        await page.getByLabel('Minimum backups').fill('5')
        await preview.getByText(/^This policy would remove nothing from .+: 3 backups kept\.$/).waitFor()

        // Nothing was removed and nothing saved.
        for (const path of [old1, old2, recent, `${old1}.meta.json`]) expect(await exists(path)).toBe(true)
        expect(await readFile(settingsFile, 'utf8').catch(() => null)).toBe(before)
        expect(consoleErrors).toEqual([])
      },
      { name: 'renderer-settings-retention-failure' },
    )
  })
})
