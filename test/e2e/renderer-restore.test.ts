/**
 * Restore in the real renderer over the real handlers, job supervisor and private mariadbd, with backups
 * made by the engine (the CLI, into the app's default output folder): History → Restore… → the wizard →
 * the real dry-run (the target's size and tables, the pre-restore backup) → Run → Jobs with progress, then
 * the result; the refusal of a non-empty target without "Replace" phrased in English and in Bahasa
 * Indonesia; Test restore from History → a restore-test job → the row's badge says passed.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type mysql from 'mysql2/promise'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { BackupResult } from '../../shared/backup-types.ts'
import { en } from '../../renderer/src/i18n/en.ts'
import { id } from '../../renderer/src/i18n/id.ts'
import { createBackupAccount } from '../harness/backup-user.ts'
import { runCli } from '../harness/cli.ts'
import { createSampleDatabase, fingerprint } from '../harness/fixtures.ts'
import { connectRoot } from '../harness/mariadb.ts'
import { withApp } from './harness/with-app.ts'

const BACKUP_KEY = 'restore e2e backup key ✓'
const SMALL = 'ui_rs_small'
const BIG = 'ui_rs_big'
const TARGET = 'ui_rs_big_copy'

type Dictionary = typeof en

describe('restore in the app, end to end', () => {
  const server = inject('mariadb')
  let conn: mysql.Connection

  beforeAll(async () => {
    conn = await connectRoot(server)
    await createSampleDatabase(conn, SMALL, { rows: 400 })
    // ≈ 30 MB of SQL: the load runs long enough to be seen on Jobs.
    await createSampleDatabase(conn, BIG, { rows: 30_000, rowBytes: 900 })
    // The target exists with tables: a restore into it is refused unless it is replaced.
    await createSampleDatabase(conn, TARGET, { rows: 10 })
  }, 120_000)
  afterAll(async () => {
    for (const db of [SMALL, BIG, TARGET]) await conn.query(`DROP DATABASE IF EXISTS ${db}`)
    await conn.end()
  })

  /** A backup of `db` made by the engine (the CLI) into the app's default output folder. */
  const backupOf = async (db: string, env: Record<string, string | undefined>): Promise<string> => {
    const made = await runCli(
      [
        'backup',
        'single',
        '--db',
        db,
        '--profile',
        'uirs',
        '-t',
        'B-E2E',
        '-o',
        join(env.SFDB_CONFIG_PATH ?? '', 'backup'),
        '--json',
      ],
      { env },
    )
    expect(made.code, made.stderr).toBe(0)
    return (JSON.parse(made.stdout) as BackupResult).targets[0]?.file ?? ''
  }

  /** History → the backup's row → Restore… → target → options → the dry-run, in the UI's language. */
  const walkToDryRun = async (
    page: Page,
    t: Dictionary,
    fileName: string,
    replace: boolean,
  ): Promise<void> => {
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('button', { name: t['nav.history'] })
      .click()
    const row = page.getByRole('row', { name: new RegExp(fileName.replace(/\./g, '\\.')) })
    await row.getByRole('button', { name: t['restore.action'] }).click()
    const form = page.getByRole('form', { name: t['restore.formLabel'] })
    await form.getByRole('definition').filter({ hasText: BIG }).first().waitFor()
    const target = form.getByRole('textbox', { name: t['restore.targetDatabase'], exact: true })
    expect(await target.inputValue()).toBe(BIG)
    await target.fill(TARGET)
    // The target as it is now, as the name is typed.
    const now = form.getByRole('status', { name: t['restore.targetState'] })
    const exists = t['restore.target.exists'].replace('{database}', TARGET).replace('{tables}', '5')
    await now.filter({ hasText: exists.split(' (')[0] ?? exists }).waitFor()
    await form.getByRole('button', { name: t['common.next'] }).click()
    await form.getByLabel(t['ticket.label']).fill('CHG-E2E')
    const replaceBox = form.getByRole('checkbox', { name: t['restore.dropTarget'] })
    if (replace) await replaceBox.check()
    else await replaceBox.uncheck()
    expect(await form.getByRole('checkbox', { name: t['restore.preBackup'] }).isChecked()).toBe(true)
    await form.getByRole('button', { name: t['common.next'] }).click()
    await form.getByRole('region', { name: t['restore.plan.label'] }).waitFor()
  }

  it('restores from History with a real dry-run, follows the job, refuses in en and id, and tests a restore', async () => {
    const env: Record<string, string | undefined> = { SFDB_BACKUP_ENCRYPTION_KEY: BACKUP_KEY }
    await withApp(
      async ({ page, configDir, consoleErrors, screenshot, pickAnswers }) => {
        // A profile in the app's config folder (made by the CLI), for an account that may write.
        const account = await createBackupAccount(conn, server, { SFDB_CONFIG_PATH: configDir }, 'uirs')
        await conn.query(`GRANT ALL PRIVILEGES ON *.* TO ?@'127.0.0.1' WITH GRANT OPTION`, [account.user])
        Object.assign(env, { SFDB_PROFILE_KEY: account.profileKey, SFDB_CONFIG_PATH: configDir })
        const cliEnv = { ...env, SFDB_CONFIG_PATH: configDir }
        const small = await backupOf(SMALL, cliEnv)
        const big = await backupOf(BIG, cliEnv)
        // The window reads profiles and history at its start: start it again, now that both exist.
        await page.reload()

        // ── Dashboard → Restore a file…: the OS chooser, then the wizard with that file ──────────────
        pickAnswers.push(small)
        await page.getByRole('button', { name: en['restore.fromFile'] }).click()
        const wizard = page.getByRole('form', { name: en['restore.formLabel'] })
        expect(await wizard.getByRole('textbox', { name: en['restore.file'] }).inputValue()).toBe(small)
        await wizard.getByRole('definition').filter({ hasText: SMALL }).first().waitFor()
        expect(
          await wizard.getByRole('textbox', { name: en['restore.targetDatabase'], exact: true }).inputValue(),
        ).toBe(SMALL)
        expect(await wizard.getByLabel(en['restore.profile']).inputValue()).toBe('uirs')

        // ── The refusal, in English ────────────────────────────────────────────────────────────────
        await walkToDryRun(page, en, big.split('/').at(-1) ?? '', false)
        const plan = page.getByRole('region', { name: en['restore.plan.label'] })
        const refusal = plan.getByRole('alert')
        await refusal.waitFor()
        expect(await refusal.textContent()).toMatch(
          new RegExp(
            `${TARGET} already exists with 5 tables \\(\\d[\\d.,]* (KiB|MiB)\\): choose “Replace the existing database”`,
          ),
        )
        expect(await page.getByRole('button', { name: en['restore.run'] }).isDisabled()).toBe(true)

        // ── Replace: the dry-run names the pre-restore backup; Run → Jobs → the result ───────────────
        await page.getByRole('button', { name: en['common.back'] }).click()
        await page.getByRole('checkbox', { name: en['restore.dropTarget'] }).check()
        await page.getByRole('button', { name: en['common.next'] }).click()
        const row = plan.getByRole('row', { name: new RegExp(TARGET) })
        await row.waitFor()
        expect(await row.textContent()).toContain(en['restore.action.replace'])
        expect(await row.textContent()).toMatch(new RegExp(`/backup/${TARGET}_[0-9_a-z]*_pre_restore`))
        expect(await plan.getByRole('alert').count()).toBe(0)
        const how = await plan.getByLabel(en['restore.plan.command']).textContent()
        expect(how).toMatch(/^built-in loader: one connection over the MySQL protocol as /)
        expect(how).not.toContain(account.password)
        await screenshot('renderer-restore-dry-run')

        await page.getByRole('button', { name: en['restore.run'] }).click()
        await page.getByRole('heading', { level: 1, name: en['jobs.title'] }).waitFor()
        const card = page.getByRole('article', { name: `Restore of ${TARGET} on uirs` })
        const bar = card.getByRole('progressbar', { name: en['restoreJob.progress'] })
        await expect
          .poll(async () => Number((await bar.getAttribute('aria-valuenow')) ?? 0), { timeout: 60_000 })
          .toBeGreaterThan(0)
        expect(await card.textContent()).toContain(en['restoreJob.phase.load'])
        expect(await card.textContent()).toMatch(/Tables\s*\d+ (of \d+ tables|done)/)
        await screenshot('renderer-restore-running')

        const result = page
          .getByRole('article')
          .filter({ has: page.getByRole('heading', { name: `Restore of ${TARGET} on uirs` }) })
          .filter({ hasText: en['restoreResult.undo'] })
        await result.waitFor({ timeout: 120_000 })
        expect(await result.textContent()).toContain(en['restoreResult.status.success'])
        const preBackup = await result
          .getByRole('definition')
          .filter({ hasText: '_pre_restore' })
          .first()
          .textContent()
        expect(preBackup !== null && existsSync(preBackup.trim())).toBe(true)
        expect(await fingerprint(conn, TARGET)).toEqual(await fingerprint(conn, BIG))
        await screenshot('renderer-restore-result')

        // ── Test restore from History: the row's badge says passed ───────────────────────────────────
        await page
          .getByRole('navigation', { name: 'Main' })
          .getByRole('button', { name: en['nav.history'] })
          .click()
        const smallRow = page.getByRole('row', {
          name: new RegExp((small.split('/').at(-1) ?? '').replace(/\./g, '\\.')),
        })
        await smallRow.getByRole('button', { name: en['restoreTest.action'] }).click()
        const dialog = page.getByRole('dialog', { name: en['restoreTest.dialogTitle'] })
        expect(await dialog.getByLabel(en['restoreTest.profile']).inputValue()).toBe('uirs')
        await dialog.getByLabel(en['ticket.label']).fill('CHG-TEST')
        await dialog.getByRole('button', { name: en['restoreTest.start'] }).click()
        await smallRow.getByText(en['restoreTest.badgePassed']).waitFor({ timeout: 120_000 })
        // The counts of the source: its base tables and the rows they hold.
        const tables = Object.keys((await fingerprint(conn, SMALL)).checksums)
        let rows = 0
        for (const table of tables) {
          const [n] = await conn.query<mysql.RowDataPacket[]>(`SELECT COUNT(*) AS n FROM ${SMALL}.${table}`)
          rows += Number(n[0]?.n)
        }
        expect(await smallRow.textContent()).toContain(
          `${tables.length} tables, ${rows.toLocaleString('en-GB')} rows`,
        )
        const [left] = await conn.query<mysql.RowDataPacket[]>("SHOW DATABASES LIKE 'sfdb\\_restoretest\\_%'")
        expect(left).toEqual([])
        await screenshot('renderer-history-restore-test')

        // ── The refusal, in Bahasa Indonesia ─────────────────────────────────────────────────────────
        await page
          .getByRole('navigation', { name: 'Main' })
          .getByRole('button', { name: en['nav.settings'] })
          .click()
        await page.getByLabel(en['settings.language']).selectOption('id')
        await page
          .getByRole('navigation', { name: 'Main' })
          .getByRole('button', { name: id['nav.dashboard'] })
          .waitFor()
        await walkToDryRun(page, id, big.split('/').at(-1) ?? '', false)
        const refusalId = page.getByRole('region', { name: id['restore.plan.label'] }).getByRole('alert')
        await refusalId.waitFor()
        expect(await refusalId.textContent()).toMatch(
          new RegExp(
            `${TARGET} sudah ada dengan 5 tabel \\(\\d[\\d.,]* (KiB|MiB)\\): pilih “Ganti database yang ada”`,
          ),
        )
        expect(await page.getByRole('button', { name: id['restore.run'] }).isDisabled()).toBe(true)
        expect(consoleErrors).toEqual([])
      },
      { name: 'renderer-restore-failure', env },
    )
  }, 400_000)
})
