/**
 * Database selection at scale in the New-backup wizard (real renderer, real handlers, private mariadbd):
 * a pasted list, wildcard and regex filters, "select the results", the primary prefix default, and where
 * focus goes after a refused Next.
 */
import type mysql from 'mysql2/promise'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { connectRoot } from '../harness/mariadb.ts'
import { withApp, type AppSession } from './harness/with-app.ts'

const USER = 'bk_ui_select'
const PASSWORD = 'select "pw" #1'
const ENV = { SFDB_PROFILE_KEY: 'select profile key', SFDB_BACKUP_ENCRYPTION_KEY: 'select backup key' }
const DATABASES = ['sel_nbc_acme', 'sel_nbc_acme_dmart', 'sel_nbc_globex', 'sel_other', 'sel_zeta']
/** A tenant as sfDBTools names them (created for the primary-mode test only). */
const TENANT = 'dbsf_nbc_selacme'

describe('database selection at scale', () => {
  const server = inject('mariadb')
  let conn: mysql.Connection

  beforeAll(async () => {
    conn = await connectRoot(server)
    for (const db of DATABASES)
      await conn.query(`DROP DATABASE IF EXISTS ${db}; CREATE DATABASE ${db}; CREATE TABLE ${db}.t (id INT)`)
    await conn.query(`DROP USER IF EXISTS ?@'127.0.0.1'`, [USER])
    await conn.query(`CREATE USER ?@'127.0.0.1' IDENTIFIED BY ?`, [USER, PASSWORD])
    await conn.query(`GRANT SELECT, SHOW VIEW, TRIGGER, EVENT, LOCK TABLES ON *.* TO ?@'127.0.0.1'`, [USER])
  })
  afterAll(async () => {
    await conn.query(`DROP DATABASE IF EXISTS ${TENANT}`)
    for (const db of DATABASES) await conn.query(`DROP DATABASE IF EXISTS ${db}`)
    await conn.query(`DROP USER IF EXISTS ?@'127.0.0.1'`, [USER])
    await conn.end()
  })

  /** One profile (the profile key from the environment), then the wizard's Mode step. */
  const openModeStep = async (app: AppSession): Promise<Page> => {
    const { page } = app
    const created = await page.evaluate(
      `window.sfdb.invoke('profiles:create', { profile: { name: 'sel', host: ${JSON.stringify(server.host)}, port: ${server.port}, user: ${JSON.stringify(USER)}, password: ${JSON.stringify(PASSWORD)} } })`,
    )
    expect(created, JSON.stringify(created)).toMatchObject({ ok: true })
    await page.reload()
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'New backup' }).click()
    await expect.poll(() => page.getByRole('radio', { name: 'sel' }).isChecked()).toBe(true)
    await page.getByRole('button', { name: 'Next' }).click()
    return page
  }
  /** The wizard's Databases step in Filter mode. */
  const openFilterStep = async (app: AppSession): Promise<Page> => {
    const page = await openModeStep(app)
    await page.getByRole('radio', { name: 'Filter' }).check()
    await page.getByRole('button', { name: 'Next' }).click()
    await page.getByRole('checkbox', { name: 'sel_zeta', exact: true }).waitFor()
    return page
  }
  const checked = async (page: Page): Promise<string[]> => {
    const out: string[] = []
    for (const db of DATABASES)
      if (await page.getByRole('checkbox', { name: db, exact: true }).isChecked()) out.push(db)
    return out
  }
  const search = async (page: Page, kind: string, query: string): Promise<void> => {
    await page.getByLabel('How the search matches names').selectOption({ label: kind })
    await page.getByLabel('Search databases').fill(query)
  }

  it('a pasted list selects the names the server has and names the others', async () => {
    await withApp(
      async (app) => {
        const page = await openFilterStep(app)
        await page.getByRole('button', { name: 'Paste a list…' }).click()
        const dialog = page.getByRole('dialog', { name: 'Select databases from a list' })
        // Focus is in the dialog's field: typing goes there.
        await page.keyboard.type('# tonight\nSEL_NBC_ACME\nsel_zeta, sel_gone\n')
        await expect
          .poll(() => dialog.textContent())
          .toContain('2 databases found on the server · 1 name is not on it')
        await dialog.getByRole('button', { name: 'Select 2 databases' }).click()
        await expect.poll(() => checked(page)).toEqual(['sel_nbc_acme', 'sel_zeta'])
        const status = page.getByRole('status').filter({ hasText: 'from the pasted list' })
        expect(await status.textContent()).toContain('2 databases from the pasted list selected.')
        expect(await status.textContent()).toContain('1 name is not on this server: sel_gone')
        expect(app.consoleErrors).toEqual([])
      },
      { env: ENV, name: 'database-selection-paste' },
    )
  })

  it('wildcard and regex filters, an invalid regex named, and "select the results"', async () => {
    await withApp(
      async (app) => {
        const page = await openFilterStep(app)
        await search(page, 'Wildcard (* ?)', 'sel_nbc_*')
        await page.getByRole('button', { name: 'Select the 3 results' }).click()
        await search(page, 'Contains', '')
        await expect
          .poll(() => checked(page))
          .toEqual(['sel_nbc_acme', 'sel_nbc_acme_dmart', 'sel_nbc_globex'])

        await search(page, 'Regular expression', '_(acme|globex)$')
        await expect.poll(() => page.getByRole('row').count()).toBe(3) // the header and two rows
        await page.getByRole('button', { name: 'Clear the 2 results' }).click()
        await search(page, 'Regular expression', 'acme(')
        expect(await page.getByRole('alert').textContent()).toContain('This regular expression is not valid')
        expect(await page.getByLabel('Search databases').getAttribute('aria-invalid')).toBe('true')
        await search(page, 'Contains', '')
        await expect.poll(() => checked(page)).toEqual(['sel_nbc_acme_dmart'])
        expect(app.consoleErrors).toEqual([])
      },
      { env: ENV, name: 'database-selection-filters' },
    )
  })

  it("primary mode: the prefix is sfDBTools' dbsf_nbc_ (the configured default), so a client code alone finds the tenant", async () => {
    await conn.query(
      `DROP DATABASE IF EXISTS ${TENANT}; CREATE DATABASE ${TENANT}; CREATE TABLE ${TENANT}.t (id INT)`,
    )
    try {
      await withApp(
        async (app) => {
          const page = await openModeStep(app)
          await page.getByRole('radio', { name: 'Primary' }).check()
          await expect.poll(() => page.getByLabel('Prefix').inputValue()).toBe('dbsf_nbc_')
          await page.getByLabel('Client code').fill('selacme')
          await page.getByRole('button', { name: 'Next' }).click()
          await expect
            .poll(() => page.getByRole('checkbox', { name: TENANT, exact: true }).isChecked())
            .toBe(true)
          const other = page.getByRole('row', { name: /sel_nbc_acme\b/ }).first()
          expect(await other.textContent()).toContain('does not start with the prefix dbsf_nbc_')
          // Emptied, the prefix takes every name: the client code then matches nothing here.
          await page.getByRole('button', { name: 'Previous' }).click()
          await page.getByLabel('Prefix').fill('')
          await page.getByLabel('Client code').fill('sel_nbc_acme')
          await page.getByRole('button', { name: 'Next' }).click()
          await expect
            .poll(() => page.getByRole('checkbox', { name: 'sel_nbc_acme', exact: true }).isChecked())
            .toBe(true)
          expect(app.consoleErrors).toEqual([])
        },
        { env: ENV, name: 'database-selection-prefix' },
      )
    } finally {
      await conn.query(`DROP DATABASE IF EXISTS ${TENANT}`)
    }
  })

  it('a refused Next moves focus to what needs fixing; the example name waits for the ticket', async () => {
    await withApp(
      async (app) => {
        const page = await openFilterStep(app)
        const focused = (): Promise<string> =>
          page.evaluate(
            `(() => { const e = document.activeElement; return e ? (e.id ? document.querySelector('label[for="' + e.id + '"]')?.textContent ?? '' : '') || e.getAttribute('aria-label') || e.tagName : '' })()`,
          )
        // Nothing chosen: the first database's check box has the focus.
        await page.getByRole('button', { name: 'Next' }).click()
        await page.getByRole('alert').filter({ hasText: 'Choose' }).waitFor()
        await expect
          .poll(() =>
            page.evaluate(
              `(() => { const e = document.activeElement; return e instanceof HTMLInputElement && e.type === 'checkbox' && e.closest('tbody') !== null })()`,
            ),
          )
          .toBe(true)
        await page.getByRole('checkbox', { name: 'sel_nbc_acme', exact: true }).check()
        await page.getByRole('button', { name: 'Next' }).click()

        // Options: before the ticket is known, the example shows its place.
        const example = page.getByLabel('Example file name')
        await expect.poll(() => example.textContent()).toMatch(/^sel_nbc_acme_\d{8}_\d{6}_<ticket>\.sql/)
        await page.getByLabel('File name pattern').fill('{db}_{foo}')
        await page.getByLabel('Output folder', { exact: true }).fill('')
        await page.getByRole('button', { name: 'Next' }).click()
        await expect.poll(focused).toBe('Output folder')
        expect(await page.locator('.wizard-card').textContent()).toContain('{foo}')
        expect(app.consoleErrors).toEqual([])
      },
      { env: ENV, name: 'database-selection-focus' },
    )
  })
})
