/**
 * Quick-backup schedules in the app (issue 15), over the real handlers: the Schedule dialog of a quick
 * backup shows the next five runs from the engine as it is edited, names a bad cron field and will not save
 * it; the dashboard shows each schedule, its next run and its last scheduled run (the scheduler's state and
 * the job history seeded in the session's config folder); History and Jobs mark a scheduled, late job.
 */
import { randomUUID } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type mysql from 'mysql2/promise'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type {
  JobRecord,
  QuickBackupPreset,
  SchedulePreview,
  SchedulesStatus,
  Settings,
} from '../../shared/ipc.ts'
import { err, ok } from '../../shared/result.ts'
import { backupRequest } from '../harness/backup-request.ts'
import { createSampleDatabase } from '../harness/fixtures.ts'
import { connectRoot } from '../harness/mariadb.ts'
import type { IpcCall } from './harness/sfdb-bridge.ts'
import { withApp } from './harness/with-app.ts'

const nav = (page: Page, section: string) =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: section }).click()

/** Stores the quick backups through the real settings handler, then reloads (the stores load once). */
async function seedPresets(page: Page, presets: QuickBackupPreset[]): Promise<void> {
  const saved = await page.evaluate(`(async () => {
    const current = await sfdb.invoke('settings:get', {})
    return sfdb.invoke('settings:update', { settings: { ...current.value, presets: ${JSON.stringify(presets)} } })
  })()`)
  expect(saved).toMatchObject({ ok: true })
  await page.reload()
}

const answers = <T>(calls: IpcCall[], channel: string): T[] =>
  calls.flatMap((c) => (c.channel === channel && c.result?.ok === true ? [c.result.value as T] : []))

const savedPresets = (calls: IpcCall[]): QuickBackupPreset[] =>
  calls
    .filter((c) => c.channel === 'settings:update')
    .map((c) => (c.request as { settings: Settings }).settings.presets)
    .at(-1) ?? []

const preset = (over: Partial<QuickBackupPreset> = {}): QuickBackupPreset => ({
  id: 'p1',
  label: 'Shop nightly',
  request: backupRequest({ ticket: 'NIGHTLY' }),
  ...over,
})

const USER = 'bk_ui_sched'
const PASSWORD = 'sched pw'
const ENV = { SFDB_PROFILE_KEY: 'sched profile key', SFDB_BACKUP_ENCRYPTION_KEY: 'sched backup key' }
const DB = 'sched_shop'

describe('schedules in the app', () => {
  const server = inject('mariadb')
  let conn: mysql.Connection

  beforeAll(async () => {
    conn = await connectRoot(server)
    await createSampleDatabase(conn, DB, { rows: 50 })
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

  it('the Schedule dialog shows the next five runs, names a bad cron field and saves only a valid schedule', async () => {
    await withApp(
      async ({ page, ipcCalls, consoleErrors, screenshot }) => {
        await seedPresets(page, [preset()])
        const item = page.getByRole('listitem').filter({ hasText: 'Shop nightly' })
        await item.getByText('Not scheduled').waitFor()
        await page.getByRole('button', { name: 'Schedule of Shop nightly' }).click()
        const dialog = page.getByRole('dialog', { name: 'Schedule of “Shop nightly”' })
        const save = dialog.getByRole('button', { name: 'Save schedule' })
        const runs = dialog.getByRole('region', { name: 'Next runs' })
        const runTexts = () => runs.getByRole('listitem').allTextContents()

        // Daily at a time: five days at that time, as the real engine computes them.
        await dialog.getByRole('radio', { name: 'Daily' }).check()
        await dialog.getByLabel('At (HH:MM)').fill('03:15')
        await expect.poll(async () => (await runTexts()).filter((r) => r.endsWith('03:15')).length).toBe(5)
        const preview = answers<SchedulePreview>(ipcCalls, 'schedules:preview').at(-1)
        expect(preview?.runs).toHaveLength(5)
        expect(await runs.textContent()).toContain(`Local time, time zone ${preview?.timeZone}`)
        const asked = ipcCalls.filter((c) => c.channel === 'schedules:preview').at(-1)?.request
        expect(asked).toEqual({ schedule: { kind: 'daily', time: '03:15', enabled: true, catchUpHours: 12 } })

        // A field the form can check itself: said at the field, the engine is not asked, Save is off.
        await dialog.getByRole('radio', { name: 'Weekly' }).check()
        for (const day of ['Mon', 'Tue', 'Wed', 'Thu', 'Fri']) await dialog.getByLabel(day).uncheck()
        await dialog.getByText('Choose at least one day.').waitFor()
        expect(await save.isDisabled()).toBe(true)
        await dialog.getByLabel('Sat').check()
        await expect.poll(async () => (await runTexts()).filter((r) => r.startsWith('Sat')).length).toBe(5)
        await dialog.getByLabel('Catch-up window (hours)').fill('200')
        await dialog.getByText('Enter a whole number of hours from 0 to 168.').waitFor()
        expect(await save.isDisabled()).toBe(true)
        await dialog.getByLabel('Catch-up window (hours)').fill('6')

        // An invalid cron expression: the engine's refusal names the field, at the field; it cannot be saved.
        await dialog.getByRole('radio', { name: 'Cron expression' }).check()
        const cron = dialog.getByRole('textbox', { name: 'Cron expression' })
        await cron.fill('0 25 * * *')
        await expect.poll(() => cron.getAttribute('aria-invalid')).toBe('true')
        const errorId = (await cron.getAttribute('aria-describedby'))?.split(' ')[0] ?? ''
        expect(await dialog.locator(`[id="${errorId}"]`).textContent()).toContain(
          'Fix the hour field “25” of 0 25 * * *',
        )
        expect(await runs.count()).toBe(0)
        expect(await save.isDisabled()).toBe(true)
        await screenshot('renderer-schedule-invalid-cron')

        // Fixed: weekdays at 04:30, saved on the preset.
        await cron.fill('30 4 * * 1-5')
        await expect.poll(async () => (await runTexts()).filter((r) => r.endsWith('04:30')).length).toBe(5)
        expect((await runTexts()).some((r) => /^(Sat|Sun)/.test(r))).toBe(false)
        expect(await cron.getAttribute('aria-invalid')).toBeNull()
        await screenshot('renderer-schedule-editor')
        await save.click()
        await expect.poll(() => dialog.count()).toBe(0)
        await item.getByRole('status').filter({ hasText: 'saved: Cron 30 4 * * 1-5.' }).waitFor()
        expect(savedPresets(ipcCalls)[0]?.schedule).toEqual({
          kind: 'cron',
          expression: '30 4 * * 1-5',
          enabled: true,
          catchUpHours: 6,
        })
        // The dashboard's next run is the real status handler's, read again after the save.
        await expect.poll(() => item.textContent()).toMatch(/Cron 30 4 \* \* 1-5 · Next run: \w{3}, .*04:30/)
        const status = answers<SchedulesStatus>(ipcCalls, 'schedules:status').at(-1)
        expect(status?.presets[0]?.nextRun).toEqual(expect.any(String))

        // Off keeps the stored schedule, paused: no next run.
        await page.getByRole('button', { name: 'Schedule of Shop nightly' }).click()
        expect(await dialog.getByRole('radio', { name: 'Cron expression' }).isChecked()).toBe(true)
        await dialog.getByRole('radio', { name: 'Off' }).check()
        await dialog.getByText('The stored schedule (Cron 30 4 * * 1-5) is kept, paused').waitFor()
        await save.click()
        await item.getByText('Cron 30 4 * * 1-5 (paused)', { exact: true }).waitFor()
        expect(savedPresets(ipcCalls)[0]?.schedule).toMatchObject({ kind: 'cron', enabled: false })
        expect(await item.textContent()).not.toContain('Next run')
        // The ticket and the request were kept.
        expect(savedPresets(ipcCalls)[0]?.request.ticket).toBe('NIGHTLY')
        expect(consoleErrors).toEqual([])
      },
      { name: 'renderer-schedule-editor-failure' },
    )
  })

  it('a new quick backup is saved with its schedule from the last step of New backup (real dry-run)', async () => {
    await withApp(
      async ({ page, ipcCalls, consoleErrors, screenshot }) => {
        const created = await page.evaluate(
          `sfdb.invoke('profiles:create', { profile: ${JSON.stringify({
            name: 'sched',
            host: server.host,
            port: server.port,
            user: USER,
            password: PASSWORD,
          })} })`,
        )
        expect(created).toMatchObject({ ok: true })
        await page.reload()
        await nav(page, 'New backup')
        // The only profile is preselected.
        await expect.poll(() => page.getByRole('radio', { name: 'sched' }).isChecked()).toBe(true)
        await page.getByRole('button', { name: 'Next' }).click()
        await page.getByRole('radio', { name: 'Single' }).check()
        await page.getByRole('button', { name: 'Next' }).click()
        await page.getByRole('radio', { name: DB, exact: true }).check()
        await page.getByRole('button', { name: 'Next' }).click()
        await page.getByRole('button', { name: 'Next' }).click()
        await page.getByLabel('Ticket').fill('CHG-SCHED')
        await page.getByRole('button', { name: 'Next' }).click()
        await page.getByRole('region', { name: 'Backup plan' }).waitFor({ timeout: 30_000 })

        await page.getByRole('button', { name: 'Save as quick backup' }).click()
        const form = page.getByRole('form', { name: 'Save as quick backup' })
        await form.getByLabel('Quick backup name').fill('Shop every 6 h')
        await form.getByRole('radio', { name: 'Every N hours' }).check()
        await form.getByLabel('Every (hours)').fill('0')
        await form.getByText('Enter a whole number of hours from 1 to 23.').waitFor()
        expect(await form.getByRole('button', { name: 'Save quick backup' }).isDisabled()).toBe(true)
        await form.getByLabel('Every (hours)').fill('6')
        const runs = form.getByRole('region', { name: 'Next runs' }).getByRole('listitem')
        await expect.poll(() => runs.count()).toBe(5)
        // Every 6 hours from midnight: 00:00, 06:00, 12:00, 18:00.
        for (const run of await runs.allTextContents()) expect(run).toMatch(/(00|06|12|18):00$/)
        await screenshot('renderer-schedule-new-preset')
        await form.getByRole('button', { name: 'Save quick backup' }).click()
        await page.getByRole('status').filter({ hasText: 'Saved "Shop every 6 h"' }).waitFor()
        const saved = savedPresets(ipcCalls).find((p) => p.label === 'Shop every 6 h')
        expect(saved?.schedule).toEqual({ kind: 'hourly', every: 6, enabled: true, catchUpHours: 12 })
        expect(saved?.request).toMatchObject({ profile: 'sched', databases: [DB], ticket: 'CHG-SCHED' })

        await nav(page, 'Dashboard')
        const item = page.getByRole('listitem').filter({ hasText: 'Shop every 6 h' })
        await expect
          .poll(() => item.textContent())
          .toMatch(/Every 6 hours · Next run: \w{3}, .*(00|06|12|18):00/)
        expect(consoleErrors).toEqual([])
      },
      { env: ENV, name: 'renderer-schedule-new-failure' },
    )
  })

  it('the dashboard, Jobs and History show a scheduled run that ran late and failed (real handlers)', async () => {
    await withApp(
      async ({ page, ipcCalls, configDir, consoleErrors, screenshot }) => {
        const jobId = `job-${randomUUID()}`
        const dueAt = '2026-03-02T02:00:00.000Z'
        const startedAt = '2026-03-02T05:10:00.000Z'
        const request = backupRequest({ ticket: 'NIGHTLY', outputDir: join(configDir, 'out') })
        await mkdir(join(configDir, 'schedule'), { recursive: true, mode: 0o700 })
        await writeFile(
          join(configDir, 'schedule', 'state.json'),
          JSON.stringify({
            version: 1,
            presets: { p1: { handledUntil: dueAt } },
            history: [
              {
                presetId: 'p1',
                label: 'Shop nightly',
                trigger: 'scheduled',
                scheduledFor: dueAt,
                at: startedAt,
                finishedAt: '2026-03-02T05:11:00.000Z',
                outcome: 'failed',
                late: true,
                lateByMs: 11_400_000,
                jobId,
              },
            ],
          }),
          { mode: 0o600 },
        )
        const record: JobRecord = {
          jobId,
          kind: 'backup',
          trigger: 'scheduled',
          profile: 'prod',
          mode: 'single',
          ticket: 'NIGHTLY',
          startedAt,
          finishedAt: '2026-03-02T05:11:00.000Z',
          status: 'failed',
          error: null,
          targets: [
            {
              databases: ['shop'],
              status: 'failed',
              file: null,
              bytes: 0,
              sqlBytes: 0,
              sha256: null,
              durationMs: 900,
              warnings: [],
              error: { code: 'ConnectFailed', message: 'the server could not be reached' },
            },
          ],
          items: [],
          warnings: [],
          request,
          retryOf: null,
          presetId: 'p1',
          schedule: { dueAt, late: true },
          logLines: 0,
        }
        await mkdir(join(configDir, 'jobs'), { recursive: true, mode: 0o700 })
        await writeFile(join(configDir, 'jobs', 'journal.jsonl'), `${JSON.stringify(record)}\n`, {
          mode: 0o600,
        })
        await seedPresets(page, [
          preset({
            request,
            schedule: { kind: 'daily', time: '02:00', enabled: true, catchUpHours: 12 },
          }),
        ])

        // The dashboard: the schedule, its next run, and the last scheduled run with its job's status.
        const item = page.getByRole('listitem').filter({ hasText: 'Shop nightly' })
        await item.getByText('Ran late').waitFor()
        const text = await item.textContent()
        expect(text).toMatch(/Daily at 02:00 · Next run: \w{3}, .*02:00/)
        expect(text).toContain('Last scheduled run: Mon, 2 Mar 2026')
        expect(text).toContain('Failed')
        const status = answers<SchedulesStatus>(ipcCalls, 'schedules:status').at(-1)
        expect(status?.presets).toEqual([
          {
            presetId: 'p1',
            nextRun: expect.any(String),
            last: { at: startedAt, outcome: 'late', jobId, status: 'failed' },
          },
        ])
        await screenshot('renderer-schedule-dashboard')

        // Its result, from the link: the job of the job history, marked as a late scheduled run.
        await item
          .getByRole('button', { name: 'Show the result of the last scheduled run of Shop nightly' })
          .click()
        await page.getByRole('heading', { name: 'Jobs', level: 1 }).waitFor()
        const result = page.getByRole('article', { name: 'prod · NIGHTLY' })
        await result.getByText('Scheduled, ran late').waitFor()
        expect(await result.textContent()).toContain('From the job history')

        // History: the file it did not write, marked; the "How it started" filter keeps or hides it.
        await nav(page, 'History')
        const row = page.getByRole('row').filter({ hasText: 'Not written' })
        await row.waitFor()
        expect(await row.textContent()).toContain('Scheduled, ran late')
        const filters = page.getByRole('search', { name: 'Filter backups' })
        await filters.getByLabel('How it started').selectOption({ label: 'Scheduled' })
        await row.waitFor()
        await filters.getByLabel('How it started').selectOption({ label: 'By hand' })
        await expect.poll(() => row.count()).toBe(0)
        await page.getByText('No backup matches.').waitFor()
        await filters.getByLabel('How it started').selectOption({ label: 'All' })
        await row.waitFor()
        expect(consoleErrors).toEqual([])
      },
      { name: 'renderer-schedule-dashboard-failure' },
    )
  })

  it('shows each kind of last run, reads the state again when a job ends, and says when it cannot', async () => {
    let answer: SchedulesStatus | null = {
      presets: [
        {
          presetId: 'p1',
          nextRun: '2031-06-02T02:00:00.000Z',
          last: { at: '2031-06-01T02:00:00.000Z', outcome: 'skipped', jobId: null, status: null },
        },
        {
          presetId: 'p2',
          nextRun: null,
          last: { at: '2031-06-01T03:00:00.000Z', outcome: 'missed', jobId: null, status: null },
        },
        {
          presetId: 'p3',
          nextRun: '2031-06-02T04:00:00.000Z',
          last: { at: '2031-06-01T04:00:05.000Z', outcome: 'ran', jobId: 'job-running', status: null },
        },
      ],
    }
    await withApp(
      async ({ page, ipcCalls, emitJobEvent, consoleErrors }) => {
        const daily = { kind: 'daily', time: '02:00', enabled: true, catchUpHours: 12 } as const
        await seedPresets(page, [
          preset({ schedule: daily }),
          preset({
            id: 'p2',
            label: 'Shop hourly',
            schedule: { kind: 'hourly', every: 4, enabled: true, catchUpHours: 0 },
          }),
          preset({
            id: 'p3',
            label: 'Shop weekly',
            schedule: { kind: 'weekly', days: [1, 3], time: '04:00', enabled: true, catchUpHours: 12 },
          }),
        ])
        const item = (label: string) => page.getByRole('listitem').filter({ hasText: label })
        await item('Shop nightly').getByText('Skipped (the previous run was still running)').waitFor()
        expect(await item('Shop hourly').textContent()).toContain('Every 4 hours')
        expect(await item('Shop hourly').textContent()).toContain('Missed')
        expect(await item('Shop hourly').textContent()).not.toContain('Next run')
        expect(await item('Shop weekly').textContent()).toContain('Mon, Wed at 04:00')
        expect(await item('Shop weekly').textContent()).toContain('Ran')
        expect(await item('Shop weekly').textContent()).toContain('Running')
        // Only a run with a job links to a result.
        expect(
          await item('Shop nightly')
            .getByRole('button', { name: /Show the result/ })
            .count(),
        ).toBe(0)
        expect(
          await item('Shop weekly')
            .getByRole('button', { name: /Show the result/ })
            .count(),
        ).toBe(1)

        // The scheduled run that goes on: the running jobs mark it (main tells what an unknown job is).
        await emitJobEvent({ type: 'log', jobId: 'job-running', level: 'info', message: 'dumping shop' })
        const card = page.getByRole('article', { name: 'prod · NIGHTLY' })
        await card.getByText('Scheduled, ran late').waitFor()

        // A job ends: the state is read again — here main cannot read it, and the dashboard says so.
        answer = null
        const reads = ipcCalls.filter((c) => c.channel === 'schedules:status').length
        await emitJobEvent({
          type: 'failed',
          jobId: 'job-running',
          error: { code: 'Internal', message: 'gone' },
        })
        await expect
          .poll(() => ipcCalls.filter((c) => c.channel === 'schedules:status').length)
          .toBeGreaterThan(reads)
        await page.getByText('The schedules’ state could not be read').waitFor()
        expect(consoleErrors).toEqual([])
      },
      {
        name: 'renderer-schedule-states-failure',
        handlers: {
          'backups:running': () =>
            ok([
              {
                jobId: 'job-running',
                profile: 'prod',
                mode: 'single',
                ticket: 'NIGHTLY',
                startedAt: '2031-06-01T04:00:05.000Z',
                files: [],
                progress: null,
                cancelling: false,
                presetId: 'p3',
                schedule: { dueAt: '2031-06-01T01:00:00.000Z', late: true },
              },
            ]),
          'schedules:status': () =>
            answer === null ? err('PermissionDenied', 'reading the schedule state: EACCES') : ok(answer),
        },
      },
    )
  })
})
