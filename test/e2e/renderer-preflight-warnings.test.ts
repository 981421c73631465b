/**
 * What the pre-flight knows reaches the app: "Test connection" names the privileges of the options (GTID
 * capture, the grants export) instead of "every privilege a backup needs", and a backup whose every file
 * ended "success with warnings" (e.g. GTID capture without BINLOG MONITOR) is not a green "Done".
 */
import { describe, expect, it } from 'vitest'
import type { TargetResult } from '../../shared/backup-types.ts'
import type { ProfileTestReport, RunningJobView } from '../../shared/ipc.ts'
import { ok } from '../../shared/result.ts'
import { withApp } from './harness/with-app.ts'

const JOB_ID = 'job-e2e-warn'
const RUNNING: RunningJobView = {
  jobId: JOB_ID,
  profile: 'prod',
  mode: 'filter',
  ticket: 'CHG-W',
  startedAt: new Date(Date.now() - 30_000).toISOString(),
  files: ['/backups/shop_20261121_140502_CHGW.sql.zst', '/backups/crm_20261121_140502_CHGW.sql.zst'],
  progress: null,
  cancelling: false,
}

const warned = (db: string): TargetResult => ({
  databases: [db],
  status: 'success_with_warnings',
  file: `/backups/${db}_20261121_140502_CHGW.sql.zst`,
  bytes: 4e6,
  sqlBytes: 2e7,
  sha256: 'cd'.repeat(32),
  durationMs: 10_000,
  warnings: ['GTID not captured: the account may not read the binlog position'],
  error: null,
})

describe('result of a run with warnings', () => {
  it('shows "Done with warnings", not a green "Done", when every file ended with warnings', async () => {
    let finished = false
    await withApp(
      async ({ page, consoleErrors, emitJobEvent, screenshot }) => {
        await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Jobs' }).click()
        await page.getByRole('article', { name: 'prod · CHG-W' }).waitFor()
        const targets = [warned('shop'), warned('crm')]
        for (const target of targets) await emitJobEvent({ type: 'target', jobId: JOB_ID, target })
        finished = true
        await emitJobEvent({
          type: 'done',
          jobId: JOB_ID,
          result: {
            ok: true,
            mode: 'filter',
            ticket: 'CHG-W',
            startedAt: RUNNING.startedAt,
            finishedAt: new Date().toISOString(),
            durationMs: 30_000,
            targets,
          },
        })
        const result = page.getByRole('article', { name: 'prod · CHG-W' })
        await expect
          .poll(() => result.getByRole('status').first().textContent())
          .toBe('Backup finished with warnings: 2 files written, 2 with warnings, 0 failed.')
        const head = await result.locator('.job-card-head').textContent()
        expect(head).toContain('Done with warnings')
        expect(await result.locator('.job-card-head .badge-ok').count()).toBe(0)
        await screenshot('renderer-job-warnings')
        expect(consoleErrors).toEqual([])
      },
      {
        name: 'renderer-job-warnings',
        handlers: { 'backups:running': () => ok(finished ? [] : [RUNNING]) },
      },
    )
  })
})

const ENV = { SFDB_PROFILE_KEY: 'e2e-profile-key-warnings-0123' }
const REPORT: ProfileTestReport = {
  ok: true,
  server: { flavor: 'mariadb', version: '10.11.6-MariaDB', hostname: 'db1' },
  binlog: true,
  gtid: 'MariaDB GTID, binlog position 0-1-42',
  account: "'backup'@'%'",
  missingPrivileges: [],
  fix: null,
  options: [
    {
      option: 'captureGtid',
      privilege: 'BINLOG MONITOR',
      fix: "GRANT BINLOG MONITOR ON *.* TO 'backup'@'%';",
    },
  ],
}

describe('connection test with an option the account may not use', () => {
  it('names GTID capture and its GRANT instead of "every privilege a backup needs"', async () => {
    await withApp(
      async ({ page, consoleErrors, screenshot }) => {
        await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Profiles' }).click()
        await page.getByRole('button', { name: 'New profile' }).click()
        const form = page.getByRole('form', { name: 'New profile' })
        await form.getByLabel('Profile name').fill('warn-prod')
        await form.getByLabel('Host').fill('db1.example.invalid')
        await form.getByLabel('User').fill('backup')
        await form.getByLabel('Password', { exact: true }).fill('s3cret-pw')
        await form.getByRole('button', { name: 'Save profile' }).click()
        const details = page.getByRole('region', { name: 'Profile warn-prod' })
        await details.getByRole('button', { name: 'Test connection' }).click()
        const report = details.getByRole('region', { name: 'Connection test result' })
        await report.waitFor()
        const text = await report.textContent()
        expect(text).not.toContain('every privilege a backup needs')
        expect(text).toContain('GTID capture needs BINLOG MONITOR')
        expect(await report.getByRole('status').textContent()).toBe(
          'Connected: a backup works, but 1 option needs a privilege the account lacks.',
        )
        expect(await report.getByLabel('GRANT statement for GTID capture').textContent()).toBe(
          "GRANT BINLOG MONITOR ON *.* TO 'backup'@'%';",
        )
        await screenshot('renderer-profile-test-options')
        expect(consoleErrors).toEqual([])
      },
      { env: ENV, name: 'renderer-profile-test-options', handlers: { 'profiles:test': () => ok(REPORT) } },
    )
  })
})
