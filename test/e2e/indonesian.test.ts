/**
 * The Indonesian pass: the app used in Bahasa Indonesia over the real handlers, the private mariadbd and a
 * real backup — every page, the wizard to its real dry-run, the job's result, History with the file, Settings.
 * On each screen the words shown (file names, database names, commands and paths aside) must hold none of
 * the UI's English-only texts (every message of en.ts whose Indonesian differs) and none of a list of English
 * words Indonesian does not borrow.
 */
import type mysql from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { en } from '../../renderer/src/i18n/en.ts'
import { id } from '../../renderer/src/i18n/id.ts'
import { createSampleDatabase } from '../harness/fixtures.ts'
import { connectRoot } from '../harness/mariadb.ts'
import { withApp } from './harness/with-app.ts'

const USER = 'bk_ui_id'
const PASSWORD = 'id "pw" #1'
const ENV = { SFDB_PROFILE_KEY: 'id profile key', SFDB_BACKUP_ENCRYPTION_KEY: 'id backup key' }
const DB = 'idpass_toko'

/** English words that Indonesian UI text never uses (it borrows backup, file, database, server, host…). */
const ENGLISH_WORDS = [
  'the',
  'and',
  'of',
  'with',
  'without',
  'from',
  'this',
  'that',
  'which',
  'is',
  'are',
  'was',
  'not',
  'yes',
  'cancel',
  'cancelled',
  'show',
  'save',
  'saved',
  'failed',
  'success',
  'written',
  'rate',
  'elapsed',
  'started',
  'size',
  'files',
  'verify',
  'verified',
  'never',
  'unknown',
  'done',
  'running',
  'warning',
  'warnings',
  'error',
  'loading',
  'settings',
  'history',
  'jobs',
  'profiles',
  'new',
  'backups',
  'restored',
  'keys',
  'stored',
  'choose',
  'select',
  'none',
  'every',
  'each',
  'last',
  'next',
  'back',
  'previous',
  'browse',
  'name',
  'names',
  'ticket',
  'estimate',
  'about',
  'rows',
  'tables',
  'time',
  'open',
  'close',
  'delete',
  'remove',
  'tested',
  'connected',
  'password',
  'encrypted',
  'encryption',
  'pattern',
  'example',
  'options',
  'preview',
  'plan',
  'start',
  'stop',
  'single',
  'primary',
  'secondary',
  'separated',
  'combined',
]

/**
 * Fixed English fragments of every message whose Indonesian differs: the text between placeholders, when
 * it is long enough to be a phrase (a lone "OK" or a unit is not).
 */
function englishFragments(): string[] {
  const out = new Set<string>()
  for (const [key, text] of Object.entries(en)) {
    if (id[key as keyof typeof id] === text) continue
    for (const part of text.split(/\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}/)) {
      const fragment = part.trim()
      if (fragment.length >= 12 && fragment.includes(' ')) out.add(fragment)
    }
  }
  return [...out]
}

/** The words the user reads in `main` (and dialogs): names, paths, commands and code left out. */
const READ_TEXT = `(() => {
  const parts = []
  for (const root of document.querySelectorAll('main, dialog[open]')) {
    const copy = root.cloneNode(true)
    for (const el of copy.querySelectorAll('.mono, code, pre, kbd, samp, .file-name, [translate="no"], input, textarea, select'))
      el.remove()
    parts.push(copy.textContent)
  }
  return parts.join(' \\n ')
})()`

describe('Bahasa Indonesia pass', () => {
  const server = inject('mariadb')
  let conn: mysql.Connection
  const fragments = englishFragments()

  beforeAll(async () => {
    conn = await connectRoot(server)
    await createSampleDatabase(conn, DB, { rows: 400 })
    await conn.query(`DROP USER IF EXISTS ?@'127.0.0.1'`, [USER])
    await conn.query(`CREATE USER ?@'127.0.0.1' IDENTIFIED BY ?`, [USER, PASSWORD])
    await conn.query(
      `GRANT SELECT, SHOW VIEW, TRIGGER, EVENT, LOCK TABLES, RELOAD, PROCESS ON *.* TO ?@'127.0.0.1'`,
      [USER],
    )
  })
  afterAll(async () => {
    await conn.query(`DROP DATABASE IF EXISTS ${DB}`)
    await conn.query(`DROP USER IF EXISTS ?@'127.0.0.1'`, [USER])
    await conn.end()
  })

  it('the list of English texts is the real one (it would catch an untranslated message)', () => {
    expect(fragments.length).toBeGreaterThan(300)
    expect(fragments).toContain(en['wizard.problem.filter'])
  })

  it('every screen of a backup, in Indonesian, has no English left', async () => {
    await withApp(
      async ({ page, consoleErrors, screenshot }) => {
        const found: Record<string, string[]> = {}
        const check = async (screen: string): Promise<void> => {
          // A file-name pattern's tokens ({ticket}, {time}) are its syntax, not words.
          const text = (await page.evaluate<string>(READ_TEXT)).replace(/\{[a-z]+\}/g, ' ')
          const hits = [
            ...fragments.filter((f) => text.includes(f)),
            ...ENGLISH_WORDS.flatMap((w) => {
              // Letters, digits and _ around a word make it part of a name (dbsf_nbc_x_secondary).
              const match = new RegExp(`(^|[^\\p{L}\\p{N}_])${w}($|[^\\p{L}\\p{N}_])`, 'iu').exec(text)
              return match === null
                ? []
                : [`${w}: …${text.slice(Math.max(0, match.index - 40), match.index + 40)}…`]
            }),
          ]
          if (hits.length > 0) found[screen] = hits
        }
        const created = await page.evaluate(`(async () => {
          const current = await sfdb.invoke('settings:get', {})
          await sfdb.invoke('settings:update', { settings: { ...current.value, language: 'id' } })
          return sfdb.invoke('profiles:create', { profile: { name: 'toko', host: ${JSON.stringify(server.host)}, port: ${server.port}, user: ${JSON.stringify(USER)}, password: ${JSON.stringify(PASSWORD)} } })
        })()`)
        expect(created).toMatchObject({ ok: true })
        await page.reload()
        const nav = (name: string) =>
          page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name }).click()
        await page.getByRole('heading', { name: id['nav.dashboard'], level: 1 }).waitFor()
        await check('dasbor')

        await nav(id['nav.profiles'])
        await page.getByRole('button', { name: 'toko', exact: true }).click()
        const details = page.getByRole('region', {
          name: id['profiles.detailsLabel'].replace('{name}', 'toko'),
        })
        await details.getByRole('button', { name: id['profiles.test'] }).click()
        const row = page.getByRole('row', { name: /^toko/ })
        await expect
          .poll(() => row.textContent(), { timeout: 30_000 })
          .toContain(id['profiles.connection.ok'])
        await check('profil')
        await page.getByRole('button', { name: id['profiles.new'] }).click()
        await check('profil baru')

        // The wizard, step by step, to the real dry-run.
        await nav(id['nav.newBackup'])
        await expect.poll(() => page.getByRole('radio', { name: 'toko' }).isChecked()).toBe(true)
        await check('wizard: profil')
        await page.getByRole('button', { name: id['common.next'] }).click()
        await page.getByRole('radio', { name: id['mode.single.name'] }).check()
        await check('wizard: mode')
        await page.getByRole('button', { name: id['common.next'] }).click()
        await page.getByRole('button', { name: id['common.next'] }).click() // refused: nothing chosen
        await page.getByRole('radio', { name: DB, exact: true }).check()
        await check('wizard: database')
        await page.getByRole('button', { name: id['common.next'] }).click()
        await check('wizard: opsi')
        await page.getByRole('button', { name: id['common.next'] }).click()
        await page.getByLabel(id['ticket.label']).fill('CHG-ID1')
        await check('wizard: tiket')
        await page.getByRole('button', { name: id['common.next'] }).click()
        await page.getByRole('region', { name: id['preview.label'] }).waitFor({ timeout: 30_000 })
        await check('wizard: pratinjau')
        await screenshot('indonesian-preview')
        // Saved as a quick backup with a schedule: the form's Schedule section with its next runs.
        await page.getByRole('button', { name: id['preset.open'] }).click()
        const presetForm = page.getByRole('form', { name: id['preset.formLabel'] })
        await presetForm.getByLabel(id['preset.name']).fill('Toko kerja')
        await presetForm.getByRole('radio', { name: id['schedule.choice.weekly'] }).check()
        const runs = page.getByRole('region', { name: id['schedule.nextRuns'] }).getByRole('listitem')
        await runs.nth(4).waitFor()
        await check('wizard: backup cepat terjadwal')
        await presetForm.getByRole('button', { name: id['preset.save'] }).click()
        await page.getByRole('status').filter({ hasText: 'Toko kerja' }).waitFor()

        await page.getByRole('button', { name: id['wizard.run'] }).click()
        await page.getByRole('heading', { name: id['nav.jobs'], level: 1 }).waitFor()
        const result = page.getByRole('article', { name: 'toko · CHG-ID1' })
        await result.locator('.result-verdict, [role="status"]').first().waitFor({ timeout: 60_000 })
        await result.getByRole('button', { name: id['action.verify'] }).first().waitFor({ timeout: 60_000 })
        await check('pekerjaan: hasil')
        await screenshot('indonesian-result')

        await nav(id['nav.history'])
        await page.locator('main table tbody tr').first().waitFor({ timeout: 30_000 })
        await check('riwayat')
        await nav(id['nav.dashboard'])
        await page.getByRole('heading', { name: id['nav.dashboard'], level: 1 }).waitFor()
        await check('dasbor dengan backup')
        await page
          .getByRole('button', { name: id['schedule.editPreset'].replace('{label}', 'Toko kerja') })
          .click()
        await runs.nth(4).waitFor()
        await check('dasbor: jadwal')
        await page.getByRole('dialog').getByRole('button', { name: id['common.cancel'] }).click()
        await nav(id['nav.settings'])
        await page.getByRole('heading', { name: id['nav.settings'], level: 1 }).waitFor()
        await check('pengaturan')

        expect(found).toEqual({})
        expect(consoleErrors).toEqual([])
      },
      { env: ENV, name: 'indonesian-failure' },
    )
  }, 180_000)
})
