/**
 * The flows of the desktop app, each on the real renderer bundle in Chromium with window.sfdb bound to the
 * real main-process handlers, the real job supervisor (each backup in its own process), the private
 * mariadbd and a real gnome-keyring. Each flow saves a screenshot (test-results/screenshots/flow-*.png);
 * the README shows the main screens from them.
 */
import { existsSync } from 'node:fs'
import { mkdir, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import type mysql from 'mysql2/promise'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { createFakeDump } from '../harness/fake-dump.ts'
import { createSampleDatabase } from '../harness/fixtures.ts'
import { startKeyringSession, type KeyringSession } from '../harness/keyring.ts'
import { connectRoot } from '../harness/mariadb.ts'
import { waitFor } from '../harness/processes.ts'
import { seedProfile } from './harness/seed.ts'
import { withApp, type AppSession } from './harness/with-app.ts'

const USER = 'bk_flows'
const PASSWORD = 'flows "pw" #1 ü'
const PROFILE_KEY = 'flows profile key'
const BACKUP_KEY = 'flows backup key'

describe('desktop app flows (real handlers, jobs, server and keyring)', () => {
  const server = inject('mariadb')
  let conn: mysql.Connection
  let keyring: KeyringSession
  let savedBus: string | undefined

  beforeAll(async () => {
    // The keychain of the handlers (this process) talks to a private keyring only.
    keyring = await startKeyringSession()
    savedBus = process.env.DBUS_SESSION_BUS_ADDRESS
    process.env.DBUS_SESSION_BUS_ADDRESS = keyring.env.DBUS_SESSION_BUS_ADDRESS
    conn = await connectRoot(server)
    await createSampleDatabase(conn, 'fl_shop', { rows: 6000, rowBytes: 400 })
    await createSampleDatabase(conn, 'fl_crm', { rows: 300 })
    // Its size only sets the progress estimate: the cancel flow runs the fake dump binary on it.
    await createSampleDatabase(conn, 'fl_big', { rows: 5000, rowBytes: 1000 })
    await conn.query(`DROP USER IF EXISTS ?@'127.0.0.1'`, [USER])
    await conn.query(`CREATE USER ?@'127.0.0.1' IDENTIFIED BY ?`, [USER, PASSWORD])
    await conn.query(`GRANT SELECT, SHOW VIEW, TRIGGER, EVENT, LOCK TABLES, RELOAD ON *.* TO ?@'127.0.0.1'`, [
      USER,
    ])
  })
  afterAll(async () => {
    await conn.query(
      'DROP DATABASE IF EXISTS fl_shop; DROP DATABASE IF EXISTS fl_crm; DROP DATABASE IF EXISTS fl_big',
    )
    await conn.query(`DROP USER IF EXISTS ?@'127.0.0.1'`, [USER])
    await conn.end()
    if (savedBus === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS
    else process.env.DBUS_SESSION_BUS_ADDRESS = savedBus
    await keyring.stop()
  })

  const nav = (page: Page, section: string) =>
    page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: section }).click()

  const seed = (app: AppSession, name: string): Promise<void> =>
    seedProfile(app, {
      name,
      host: server.host,
      port: server.port,
      user: USER,
      password: PASSWORD,
      profileKey: PROFILE_KEY,
      backupKey: BACKUP_KEY,
    })

  /** Makes the app's backups run `path` as the dump binary (Settings → dump binary), through window.sfdb. */
  const useDumpBinary = async (app: AppSession, path: string): Promise<void> => {
    const result = await app.page.evaluate(async (dumpBinary) => {
      const sfdb = (globalThis as unknown as { sfdb: { invoke(c: string, r: unknown): Promise<unknown> } })
        .sfdb
      const current = (await sfdb.invoke('settings:get', {})) as { ok: boolean; value: object }
      return sfdb.invoke('settings:update', { settings: { ...current.value, dumpBinary } })
    }, path)
    expect(result, JSON.stringify(result)).toMatchObject({ ok: true, value: { dumpBinary: path } })
  }

  /** Walks the New-backup wizard for `profile` to the real dry-run and runs it. */
  const runWizard = async (
    page: Page,
    opts: {
      /** Chosen with the OS folder chooser (Browse…), which answers this path. */
      outputDir?: { app: AppSession; path: string }
      profile: string
      mode: 'Filter' | 'Single'
      databases: string[]
      ticket: string
      compression?: string
    },
  ): Promise<void> => {
    await nav(page, 'New backup')
    // The flows have one profile: it is preselected.
    await expect.poll(() => page.getByRole('radio', { name: opts.profile }).isChecked()).toBe(true)
    await page.getByRole('button', { name: 'Next' }).click()
    await page.getByRole('radio', { name: opts.mode }).check()
    if (opts.mode === 'Filter') await page.getByRole('radio', { name: 'One file per database' }).check()
    await page.getByRole('button', { name: 'Next' }).click()
    await page.getByLabel('Search databases').fill('fl_')
    for (const db of opts.databases)
      await page.getByRole(opts.mode === 'Single' ? 'radio' : 'checkbox', { name: db, exact: true }).check()
    await page.getByRole('button', { name: 'Next' }).click()
    if (opts.compression) await page.getByLabel('Compression type').selectOption(opts.compression)
    if (opts.outputDir) {
      opts.outputDir.app.pickAnswers.push(opts.outputDir.path)
      await page.getByRole('button', { name: 'Choose Output folder' }).click()
      await expect
        .poll(() => page.getByLabel('Output folder', { exact: true }).inputValue())
        .toBe(opts.outputDir.path)
    }
    await page.getByRole('button', { name: 'Next' }).click()
    // Enter in the Ticket field goes on, as Next does.
    await page.getByLabel('Ticket').fill(opts.ticket)
    await page.getByLabel('Ticket').press('Enter')
    await page.getByRole('region', { name: 'Backup plan' }).waitFor({ timeout: 30_000 })
    await page.getByRole('button', { name: 'Run backup' }).click()
    await page.getByRole('heading', { name: 'Jobs', level: 1 }).waitFor()
  }

  it('creates a profile with its keys in the keychain and tests the connection', async () => {
    await withApp(
      async ({ page, ipcCalls, consoleErrors, screenshot }) => {
        await nav(page, 'Profiles')
        await page.getByLabel('Profile key', { exact: true }).fill(PROFILE_KEY)
        // A key that is kept is typed twice: a different second entry is refused, nothing stored.
        await page.getByLabel('Profile key (again)').fill(`${PROFILE_KEY}x`)
        await page.getByRole('button', { name: 'Store profile key' }).click()
        await page.getByRole('alert').filter({ hasText: 'The two entries differ' }).waitFor()
        expect(ipcCalls.some((c) => c.channel === 'keys:set')).toBe(false)
        await page.getByLabel('Profile key (again)').fill(PROFILE_KEY)
        await page.getByRole('button', { name: 'Store profile key' }).click()
        await page.getByText('Key is stored').first().waitFor()
        await page.getByRole('button', { name: 'New profile' }).click()
        const form = page.getByRole('form', { name: 'New profile' })
        await form.getByLabel('Profile name').fill('prod')
        await form.getByLabel('Host', { exact: true }).fill(server.host)
        await form.getByLabel('Port', { exact: true }).fill(String(server.port))
        await form.getByLabel('User', { exact: true }).fill(USER)
        await form.getByLabel('Password', { exact: true }).fill(PASSWORD)
        await form.getByRole('button', { name: 'Save profile' }).click()
        const details = page.getByRole('region', { name: 'Profile prod' })
        await details.getByRole('button', { name: 'Test connection' }).click()
        await details.getByText(/Connected/).waitFor({ timeout: 30_000 })
        expect(await details.textContent()).toMatch(/MariaDB/i)
        // The list shows the connection state next to each profile.
        const row = page.getByRole('row', { name: /^prod/ })
        await expect.poll(() => row.textContent()).toContain('Connected')
        await screenshot('flow-profile-test')
        // The password went renderer → main once and never came back.
        const answers = JSON.stringify(ipcCalls.map((c) => c.result))
        expect(answers).not.toContain(PASSWORD)
        expect(answers).not.toContain(PROFILE_KEY)
        expect(consoleErrors).toEqual([])
      },
      { name: 'flow-profile-test-failure' },
    )
  })

  it('"Create a profile" opens the form; a profile the app cannot open says in place how, and opens once the key is stored', async () => {
    await withApp(
      async ({ page, consoleErrors }) => {
        await page.getByRole('button', { name: 'Create a profile' }).click()
        await page.getByRole('form', { name: 'New profile' }).waitFor()

        // A profile written with a key the app then forgets: it is locked.
        const made = await page.evaluate(
          `(async () => [
            await window.sfdb.invoke('keys:set', { kind: 'profile-key', secret: ${JSON.stringify(PROFILE_KEY)} }),
            await window.sfdb.invoke('profiles:create', { profile: { name: 'vault', host: ${JSON.stringify(server.host)}, port: ${server.port}, user: ${JSON.stringify(USER)}, password: ${JSON.stringify(PASSWORD)} } }),
            await window.sfdb.invoke('keys:delete', { kind: 'profile-key' }),
          ])()`,
        )
        expect(JSON.stringify(made)).not.toContain('"ok":false')
        await page.reload()
        await nav(page, 'Profiles')
        await page.getByRole('button', { name: 'vault', exact: true }).click()
        const details = page.getByRole('region', { name: 'Profile vault' })
        const fix = details.getByRole('group', { name: 'Open this profile with the profile key' })
        expect(await fix.textContent()).toContain(
          'encrypted with the profile key, which the app does not have',
        )
        await fix.getByLabel('Profile key', { exact: true }).fill(PROFILE_KEY)
        await fix.getByLabel('Profile key (again)').fill(PROFILE_KEY)
        await fix.getByRole('button', { name: 'Store profile key' }).click()
        // Opened: the explanation and the error are gone, the profile's actions are there.
        await details.getByRole('button', { name: 'Test connection' }).waitFor()
        expect(await fix.count()).toBe(0)
        expect(await details.getByRole('alert').count()).toBe(0)
        expect(consoleErrors).toEqual([])
      },
      { name: 'flow-profile-key-in-place-failure' },
    )
  })

  it('shows a validation error on the profile form where it happened, and saves nothing', async () => {
    await withApp(
      async ({ page, ipcCalls, screenshot }) => {
        await nav(page, 'Profiles')
        await page.getByRole('button', { name: 'New profile' }).click()
        const form = page.getByRole('form', { name: 'New profile' })
        await form.getByLabel('Profile name').fill('broken')
        await form.getByLabel('Host', { exact: true }).fill('')
        await form.getByLabel('Port', { exact: true }).fill('70000')
        await form.getByRole('button', { name: 'Save profile' }).click()
        await form.getByText('Enter a port from 1 to 65535.').waitFor()
        await form.getByText('Enter the server’s host name or address.').waitFor()
        expect(await form.getByLabel('Port', { exact: true }).getAttribute('aria-invalid')).toBe('true')
        await screenshot('flow-profile-validation')
        expect(ipcCalls.filter((c) => c.channel === 'profiles:create')).toEqual([])
      },
      { name: 'flow-profile-validation-failure' },
    )
  })

  it('runs a filter multi-file backup, watches progress reach 100 %, shows the result, finds it in history and verifies it', async () => {
    await withApp(
      async (app) => {
        const { page, screenshot, consoleErrors, configDir } = app
        await seed(app, 'prod')
        // Record every value the overall progress bar shows, however briefly (a script run in the page).
        await page.evaluate(`(() => {
          const seen = []
          globalThis.__progress = seen
          new MutationObserver(() => {
            for (const bar of document.querySelectorAll('[role="progressbar"][aria-label="Overall progress"]'))
              seen.push(Number(bar.getAttribute('aria-valuenow')))
          }).observe(document.body, { subtree: true, childList: true, attributes: true })
        })()`)
        const out = join(configDir, 'chosen-folder')
        await mkdir(out)
        await runWizard(page, {
          outputDir: { app, path: out },
          profile: 'prod',
          mode: 'Filter',
          databases: ['fl_shop', 'fl_crm'],
          ticket: 'CHG-7',
        })
        const card = page.getByRole('article', { name: 'prod · CHG-7' })
        await card.getByRole('progressbar', { name: 'Overall progress' }).waitFor()
        await screenshot('flow-backup-progress')
        await card
          .getByRole('status')
          .filter({ hasText: 'Backup finished: 2 files written, 0 failed.' })
          .waitFor({ timeout: 60_000 })
        const seen = await page.evaluate(() => (globalThis as unknown as { __progress: number[] }).__progress)
        expect(Math.max(...seen)).toBe(100)
        expect(seen.some((v) => v > 0 && v < 100)).toBe(true)
        await screenshot('flow-backup-result')
        const files = (await readdir(out)).filter((n) => /\.sql\.zst\.enc$/.test(n)).sort()
        expect(files).toEqual([
          expect.stringMatching(/^fl_crm_\d{8}_\d{6}_CHG7\.sql\.zst\.enc$/),
          expect.stringMatching(/^fl_shop_\d{8}_\d{6}_CHG7\.sql\.zst\.enc$/),
        ])

        await nav(page, 'History')
        const row = page.getByRole('row', { name: /fl_shop_\d{8}_\d{6}_CHG7/ })
        await row.waitFor({ timeout: 30_000 })
        // The recorded type in words, not the metadata's value ("separated").
        expect(await row.textContent()).toContain('One file per database')
        expect(await row.textContent()).not.toContain('separated')
        await row.getByRole('button', { name: 'Details' }).click()
        const drawer = page.getByRole('dialog', { name: 'Backup details' })
        await drawer.getByRole('button', { name: 'Verify' }).click()
        await drawer.getByText('Verified: the file is complete and intact.').waitFor({ timeout: 60_000 })
        await screenshot('flow-history-verify')
        // The verify ran as a job in its own process: history:verify answered with its id, and its
        // progress and report came as job events.
        const verifyCall = app.ipcCalls.find((c) => c.channel === 'history:verify')?.result
        const verifyJob = verifyCall?.ok ? (verifyCall.value as { jobId: string }).jobId : ''
        expect(verifyJob).toMatch(/^verify-/)
        const verifyEvents = app.jobs.events.filter((e) => e.jobId === verifyJob)
        expect(verifyEvents.at(-1)).toMatchObject({ type: 'verify-done', report: { ok: true } })
        expect(verifyEvents.filter((e) => e.type === 'verify-progress').at(-1)).toMatchObject({
          progress: { fraction: 1 },
        })
        expect(app.jobs.runningVerifies()).toEqual([])
        // Escape closes the details and gives the focus back to the row's Details button.
        await page.keyboard.press('Escape')
        await expect.poll(() => drawer.count()).toBe(0)
        expect(
          await row
            .getByRole('button', { name: 'Details' })
            .evaluate((b) => b === (b.ownerDocument as { activeElement: unknown }).activeElement),
        ).toBe(true)
        // The ticket is a column, and a part of it finds the files.
        expect(await row.textContent()).toContain('CHG-7')
        await page.getByRole('searchbox', { name: 'Ticket' }).fill('chg-7')
        await expect.poll(() => page.getByRole('row', { name: /_CHG7\./ }).count()).toBe(2)
        await page.getByRole('searchbox', { name: 'Ticket' }).fill('nope')
        await expect.poll(() => page.getByRole('row', { name: /_CHG7\./ }).count()).toBe(0)
        // The dashboard shows the profile's last result from the history.
        await nav(page, 'Dashboard')
        await page
          .getByText(/fl_shop/)
          .first()
          .waitFor({ timeout: 30_000 })
        await screenshot('flow-dashboard')
        // Clicking the job's notification (main pushes 'open-result') brings its result back into view.
        const started = app.ipcCalls.find((c) => c.channel === 'backups:start')?.result
        const jobId = started?.ok ? (started.value as { jobId: string }).jobId : ''
        await app.emitAppEvent({ type: 'open-result', jobId })
        await page.getByRole('heading', { name: 'Jobs', level: 1 }).waitFor()
        await page.getByRole('article', { name: 'prod · CHG-7' }).waitFor()
        expect(consoleErrors).toEqual([])
      },
      { name: 'flow-backup-failure' },
    )
  })

  it('cancels a running backup and leaves no file behind', async () => {
    // The dump is the fake dump binary (a real one may finish before the click lands): it writes a first
    // part of `customers` and waits, is given more until the card shows progress, and is killed by the
    // cancel — mid-way on any machine, however fast or busy.
    const fake = await createFakeDump({ table: 'customers' })
    try {
      await withApp(
        async (app) => {
          const { page, screenshot, configDir, jobs } = app
          await seed(app, 'prod')
          await useDumpBinary(app, fake.path)
          await runWizard(page, { profile: 'prod', mode: 'Single', databases: ['fl_big'], ticket: 'CHG-8' })
          const run = await fake.nextRun()
          const card = page.getByRole('article', { name: 'prod · CHG-8' })
          const bar = card.getByRole('progressbar', { name: 'Overall progress' })
          // The engine reads the dump in 1 MiB blocks and shows progress at most 10 times a second.
          await waitFor(
            async () => {
              if (Number((await bar.getAttribute('aria-valuenow')) ?? 0) > 0) return true
              await run.more(1 << 20)
              return false
            },
            30_000,
            'progress on the card',
          )
          await screenshot('flow-backup-running')
          // The fake now sends nothing: once the engine calls the dump stalled (5 s without data), the card
          // says so, with the time.
          await card
            .getByRole('status')
            .filter({ hasText: /^Stalled: no data from the dump for \d+ s/ })
            .waitFor({ timeout: 30_000 })
          // The job process is held (SIGSTOP) while the cancel is asked for, so that "Cancelling…" is on
          // the screen until we let it go: the fake dump dies at once, and the job could report the
          // cancel before the button was ever looked at.
          process.kill(run.ppid, 'SIGSTOP')
          try {
            await card.getByRole('button', { name: 'Cancel' }).click()
            await page
              .getByRole('dialog', { name: 'Cancel this backup?' })
              .getByRole('button', { name: 'Cancel backup' })
              .click()
            await card.getByRole('button', { name: 'Cancelling…' }).waitFor()
          } finally {
            process.kill(run.ppid, 'SIGCONT')
          }
          await card
            .getByRole('status')
            .filter({ hasText: /^Cancelled by you/ })
            .waitFor({ timeout: 60_000 })
          await run.ended // the cancel killed the dump
          await screenshot('flow-backup-cancelled')
          expect(jobs.running()).toEqual([])
          const out = join(configDir, 'backup')
          const left = existsSync(out) ? await readdir(out) : []
          expect(left).toEqual([])
        },
        { name: 'flow-cancel-failure' },
      )
    } finally {
      await fake.close()
    }
  })

  it('a wrong key: refused for the session, and a backup verified with the wrong backup key says so', async () => {
    await withApp(
      async (app) => {
        const { page, screenshot } = app
        await seed(app, 'prod')
        await runWizard(page, { profile: 'prod', mode: 'Single', databases: ['fl_crm'], ticket: 'CHG-9' })
        await page
          .getByRole('article', { name: 'prod · CHG-9' })
          .getByRole('status')
          .filter({ hasText: 'Backup finished: 1 file written, 0 failed.' })
          .waitFor({ timeout: 60_000 })

        await nav(page, 'Profiles')
        await page.getByLabel('Profile key', { exact: true }).fill('not the profile key')
        await page.getByRole('button', { name: 'Unlock for this session' }).click()
        const refused = page.getByRole('alert').filter({ hasText: /key/i })
        await refused.first().waitFor()
        expect(await refused.first().textContent()).toMatch(/wrong|does not open/i)

        await page.getByLabel('Default backup key', { exact: true }).fill('not the backup key')
        await page.getByLabel('Default backup key (again)').fill('not the backup key')
        await page.getByRole('button', { name: 'Store default backup key' }).click()
        // Stored once the handler has answered: then the verify below reads the wrong key.
        await expect
          .poll(
            () =>
              app.ipcCalls.find(
                (c) =>
                  c.channel === 'keys:set' &&
                  (c.request as { secret?: string }).secret === 'not the backup key',
              )?.result,
            { timeout: 30_000 },
          )
          .toEqual({ ok: true, value: { stored: true } })
        await nav(page, 'History')
        const row = page.getByRole('row', { name: /fl_crm_\d{8}_\d{6}_CHG9/ })
        await row.waitFor({ timeout: 30_000 })
        await row.getByRole('button', { name: 'Verify' }).click()
        const error = page.getByRole('alert').filter({ hasText: /wrong key|WrongKey/i })
        await error.first().waitFor({ timeout: 30_000 })
        await screenshot('flow-wrong-key')
      },
      { name: 'flow-wrong-key-failure' },
    )
  })
})
