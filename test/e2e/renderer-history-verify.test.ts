/**
 * A verify on the History page as main drives it: history:verify answers with a job id at once, the job's
 * progress arrives as job events (a bar with bytes, rate and time left, and Cancel), Cancel asks main
 * (history:verify-cancel) and the job's verify-cancelled ends it; a second verify runs to its report. A
 * verify that already runs when the window loads (history:verifying) shows up with its progress.
 */
import { describe, expect, it } from 'vitest'
import type { HistoryEntry, RunningVerifyView, VerifyProgress } from '../../shared/ipc.ts'
import { ok } from '../../shared/result.ts'
import { withApp } from './harness/with-app.ts'

const FILE = '/backups/shop_20261121_140502_CHG1.sql.zst.enc'
const OTHER = '/backups/crm_20261121_140502_CHG1.sql.zst.enc'

const entry = (file: string, database: string): HistoryEntry => ({
  metaPath: `${file}.meta.json`,
  backupFile: file,
  fileName: file.split('/').at(-1) ?? file,
  source: 'ours',
  databases: [database],
  type: 'single',
  status: 'success',
  startedAt: '2026-11-21T14:05:02.000Z',
  durationMs: 12_000,
  host: 'db1',
  hostname: 'db1',
  ticket: 'CHG-1',
  sizeBytes: 300 * 2 ** 20,
  sha256: 'ab'.repeat(32),
  compression: { type: 'zstd', level: 3 },
  encrypted: true,
  gtid: null,
  binlog: null,
  fileExists: true,
  companions: [],
  profile: 'prod',
})

const progress = (fraction: number): VerifyProgress => ({
  bytesRead: Math.round(300 * 2 ** 20 * fraction),
  totalBytes: 300 * 2 ** 20,
  fraction,
  bytesPerSecond: 80 * 2 ** 20,
  etaSeconds: (300 * (1 - fraction)) / 80,
  elapsedMs: 2000,
})

describe('history verify with progress and cancel', () => {
  it('shows a running verify with progress and Cancel, then its cancel; a second one runs to its report', async () => {
    const started: string[] = []
    const cancelled: string[] = []
    const running: RunningVerifyView[] = [
      {
        jobId: 'verify-old',
        file: OTHER,
        startedAt: new Date().toISOString(),
        progress: progress(0.5),
        cancelling: false,
      },
    ]
    await withApp(
      async ({ page, emitJobEvent, consoleErrors, screenshot }) => {
        await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'History' }).click()

        // Running before the window loaded: picked up with its progress.
        const other = page
          .getByRole('region', { name: 'Verification' })
          .filter({ hasText: '150 MiB of 300 MiB' })
        await other.waitFor()
        expect(
          await other.getByRole('progressbar', { name: 'Verify progress' }).getAttribute('aria-valuenow'),
        ).toBe('50')
        running.length = 0
        await emitJobEvent({ type: 'verify-cancelled', jobId: 'verify-old', file: OTHER })
        await page.getByText('Verification cancelled: the file was not read to its end.').waitFor()

        const row = page.getByRole('row', { name: /shop_20261121_140502_CHG1/ })
        await row.getByRole('button', { name: 'Verify' }).click()
        await expect.poll(() => started).toEqual([FILE])
        const report = page.getByRole('region', { name: 'Verification' }).filter({ hasText: 'of 300 MiB' })
        await emitJobEvent({
          type: 'verify-progress',
          jobId: 'verify-1',
          file: FILE,
          progress: progress(0.42),
        })
        const bar = report.getByRole('progressbar', { name: 'Verify progress' })
        await expect.poll(() => bar.getAttribute('aria-valuenow')).toBe('42')
        expect(await report.textContent()).toContain('126 MiB of 300 MiB')
        expect(await report.textContent()).toMatch(/80(\.0)? MiB\/s · 0:02 left/)
        // The Verify button waits while its verify runs.
        expect(await row.getByRole('button', { name: 'Verify' }).isDisabled()).toBe(true)
        await screenshot('renderer-history-verify-running')

        await report.getByRole('button', { name: 'Cancel verify' }).click()
        await report.getByRole('button', { name: 'Cancelling…' }).waitFor()
        await expect.poll(() => cancelled).toEqual(['verify-1'])
        await emitJobEvent({ type: 'verify-cancelled', jobId: 'verify-1', file: FILE })
        await page.getByText('Verification cancelled: the file was not read to its end.').nth(1).waitFor()

        await row.getByRole('button', { name: 'Verify' }).click()
        await expect.poll(() => started).toEqual([FILE, FILE])
        await emitJobEvent({ type: 'verify-progress', jobId: 'verify-2', file: FILE, progress: progress(1) })
        await emitJobEvent({
          type: 'verify-done',
          jobId: 'verify-2',
          file: FILE,
          report: {
            ok: true,
            file: FILE,
            checks: { container: 'ok', compression: 'ok', trailer: 'ok', checksum: 'ok' },
            bytes: 300 * 2 ** 20,
            sqlBytes: 1200 * 2 ** 20,
            sha256: 'ab'.repeat(32),
            notes: [],
            error: null,
          },
        })
        await page.getByText('Verified: the file is complete and intact.').waitFor()
        expect(await row.getByRole('button', { name: 'Verify' }).isDisabled()).toBe(false)
        expect(consoleErrors).toEqual([])
      },
      {
        name: 'renderer-history-verify-failure',
        handlers: {
          'history:list': () => ok({ entries: [entry(FILE, 'shop'), entry(OTHER, 'crm')], problems: [] }),
          'history:verifying': () => ok([...running]),
          'history:verify': ({ file }) => {
            started.push(file)
            return ok({ jobId: `verify-${started.length}` })
          },
          'history:verify-cancel': ({ jobId }) => {
            cancelled.push(jobId)
            return ok({ cancelling: true })
          },
        },
      },
    )
  })

  it('names a GTID position and binlog coordinates each as what they are', async () => {
    const withCoordinates = { ...entry(FILE, 'shop'), gtid: '0-1-534', binlog: 'mysql-bin.000003:1234' }
    await withApp(
      async ({ page, consoleErrors }) => {
        await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'History' }).click()
        await page.getByRole('row', { name: /shop_/ }).getByRole('button', { name: 'Details' }).click()
        const drawer = page.getByRole('dialog', { name: 'Backup details' })
        await drawer.getByText('mysql-bin.000003:1234').waitFor()
        const facts = await page.evaluate<Record<string, string>>(
          `Object.fromEntries([...document.querySelectorAll('[role="dialog"] dt, dialog dt')].map((dt) => [dt.textContent, dt.nextElementSibling?.textContent ?? '']))`,
        )
        expect(facts).toMatchObject({
          'GTID position': '0-1-534',
          'Binlog position (file:position)': 'mysql-bin.000003:1234',
        })
        expect(consoleErrors).toEqual([])
      },
      {
        name: 'renderer-history-gtid-failure',
        handlers: {
          'history:list': () => ok({ entries: [withCoordinates], problems: [] }),
          'history:details': () => ok({ entry: withCoordinates, metadata: {} }),
        },
      },
    )
  })
})
