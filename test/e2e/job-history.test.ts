/**
 * The job history in the app: a file that failed is still on the Jobs page after a reload, with its log
 * (shown, copied, saved); "Retry failed" reruns only that database; History's Status filter finds it.
 * Real parts: the renderer in Chromium, the real handlers and job supervisor, the private mariadbd (a view
 * whose table is gone makes mariadb-dump fail on that database), a real gnome-keyring.
 */
import { readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type mysql from 'mysql2/promise'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { BackupRequestInput, JobRecord } from '../../shared/ipc.ts'
import { createSampleDatabase } from '../harness/fixtures.ts'
import { useKeyring } from '../harness/keyring.ts'
import { connectRoot } from '../harness/mariadb.ts'
import { seedProfile } from './harness/seed.ts'
import { withApp, type AppSession } from './harness/with-app.ts'

const USER = 'bk_jobhist'
const PASSWORD = 'job history pw'

type Invoke = (page: Page, channel: string, request: unknown) => Promise<{ ok: boolean; value?: unknown }>
const invoke: Invoke = (page, channel, request) =>
  page.evaluate(
    ([c, r]) =>
      (
        globalThis as unknown as { sfdb: { invoke(c: string, r: unknown): Promise<{ ok: boolean }> } }
      ).sfdb.invoke(c as string, r),
    [channel, request] as const,
  )

describe('the job history in the app (real handlers, jobs, server and keyring)', () => {
  const server = inject('mariadb')
  let conn: mysql.Connection
  useKeyring()

  beforeAll(async () => {
    conn = await connectRoot(server)
    await createSampleDatabase(conn, 'jh_ok', { rows: 200 })
    await conn.query(`DROP DATABASE IF EXISTS jh_broken; CREATE DATABASE jh_broken;
      CREATE TABLE jh_broken.t (id INT PRIMARY KEY); CREATE VIEW jh_broken.v AS SELECT id FROM jh_broken.t;
      DROP TABLE jh_broken.t`)
    await conn.query(`DROP USER IF EXISTS ?@'127.0.0.1'`, [USER])
    await conn.query(`CREATE USER ?@'127.0.0.1' IDENTIFIED BY ?`, [USER, PASSWORD])
    await conn.query(`GRANT SELECT, SHOW VIEW, TRIGGER, EVENT, LOCK TABLES, RELOAD ON *.* TO ?@'127.0.0.1'`, [
      USER,
    ])
  })
  afterAll(async () => {
    await conn.query('DROP DATABASE IF EXISTS jh_ok; DROP DATABASE IF EXISTS jh_broken')
    await conn.query(`DROP USER IF EXISTS ?@'127.0.0.1'`, [USER])
    await conn.end()
  })

  const nav = (page: Page, section: string) =>
    page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: section }).click()

  const history = async (page: Page): Promise<JobRecord[]> =>
    ((await invoke(page, 'jobs:history', {})).value as { records: JobRecord[] }).records

  it('a failed file survives a reload with its log; Retry failed reruns only it; History finds it as Failed', async () => {
    await withApp(
      async (app: AppSession) => {
        const { page, screenshot, consoleErrors, configDir } = app
        await seedProfile(app, {
          name: 'prod',
          host: server.host,
          port: server.port,
          user: USER,
          password: PASSWORD,
          profileKey: 'job history profile key',
          backupKey: 'job history backup key',
        })
        const out = join(configDir, 'out')
        const request: BackupRequestInput = {
          profile: 'prod',
          mode: 'filter',
          filterMode: 'multi-file',
          databases: ['jh_ok', 'jh_broken'],
          companions: [],
          excludeDatabases: [],
          excludeSystem: true,
          excludeEmpty: false,
          excludeData: false,
          excludeUser: true,
          captureGtid: false,
          compression: { type: 'zstd', level: 3 },
          encrypt: false,
          outputDir: out,
          namePattern: 'default',
          ticket: 'CHG-H',
          parallel: 1,
        }
        const started = await invoke(page, 'backups:start', { request })
        const { jobId } = started.value as { jobId: string }
        await app.jobs.finished(jobId)

        // A new session of the window: nothing of the job is in its memory any more.
        await page.reload()
        // The Dashboard's last backup of the profile is that job: both files, the failure included.
        await nav(page, 'Dashboard')
        const lastRow = page.getByRole('row', { name: /^prod/ })
        await lastRow.filter({ hasText: '1 file written, 1 not' }).waitFor()
        expect(await lastRow.textContent()).toContain('Failed')
        expect(await lastRow.textContent()).toContain('jh_broken')
        await nav(page, 'Jobs')
        const card = page.getByRole('article', { name: 'prod · CHG-H' })
        await card.waitFor()
        expect(await card.textContent()).toContain('From the job history')
        expect(await card.textContent()).toContain('Done with failures')
        expect(await card.getByRole('row', { name: /jh_broken/ }).textContent()).toContain('Failed')

        await card.getByRole('button', { name: 'Show log' }).click()
        const log = card.getByLabel('Log of this job')
        await log.waitFor()
        expect(await log.textContent()).toMatch(
          /jh_broken.*failed: \[DumpFailed\][\s\S]*references invalid table/,
        )
        await app.context.grantPermissions(['clipboard-read', 'clipboard-write'], {
          origin: new URL(app.url).origin,
        })
        // The clipboard serves a focused page only.
        await page.bringToFront()
        await card.getByRole('button', { name: 'Copy log' }).click()
        await card.getByRole('status').filter({ hasText: 'The log is on the clipboard.' }).waitFor()
        expect(await page.evaluate('navigator.clipboard.readText()')).toBe(await log.textContent())
        const saved = join(configDir, 'saved.log')
        app.pickAnswers.push(saved)
        await card.getByRole('button', { name: 'Save log…' }).click()
        await card
          .getByRole('status')
          .filter({ hasText: `Log saved to ${saved}` })
          .waitFor()
        expect(await readFile(saved, 'utf8')).toBe(await log.textContent())
        expect((await stat(saved)).mode & 0o777).toBe(0o600)
        await screenshot('flow-job-history')

        // The cause mended, Retry failed dumps jh_broken alone, with the same options.
        await conn.query('CREATE TABLE jh_broken.t (id INT PRIMARY KEY)')
        await card.getByRole('button', { name: 'Retry failed' }).click()
        await card.getByRole('status').filter({ hasText: 'Started again as a new job' }).waitFor()
        const retry = app.ipcCalls.find((c) => c.channel === 'backups:retry')?.result
        const retryId = retry?.ok ? (retry.value as { jobId: string }).jobId : ''
        expect(retryId).toMatch(/^job-/)
        await app.jobs.finished(retryId)
        const [newest] = await history(page)
        expect(newest).toMatchObject({ jobId: retryId, status: 'success', retryOf: jobId })
        expect(newest?.request?.databases).toEqual(['jh_broken'])
        const files = (await readdir(out)).filter((n) => n.endsWith('.sql.zst')).sort()
        expect(files).toEqual([
          expect.stringMatching(/^jh_broken_\d{8}_\d{6}_CHG-?H\.sql\.zst$/),
          expect.stringMatching(/^jh_ok_\d{8}_\d{6}_CHG-?H\.sql\.zst$/),
        ])

        // History: a failed file has no metadata in the folder; the job history still lists it.
        await nav(page, 'History')
        await page.getByLabel('Status').selectOption({ label: 'Failed' })
        const failedRow = page.getByRole('row', { name: /jh_broken/ }).filter({ hasText: 'not written' })
        await failedRow.waitFor()
        expect(await failedRow.textContent()).toContain('Failed')
        expect(await page.getByRole('row', { name: /jh_ok/ }).count()).toBe(0)
        await failedRow.getByRole('button', { name: 'Show job' }).click()
        await page.getByRole('heading', { name: 'Jobs', level: 1 }).waitFor()
        expect(consoleErrors).toEqual([])
      },
      { name: 'flow-job-history-failure' },
    )
  })
})
