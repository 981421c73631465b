/**
 * The Jobs page driven by job events as main pushes them: live progress (overall and per database),
 * Cancel with its cancelling state, then the result of the cancelled job with its kept file.
 */
import { describe, expect, it } from 'vitest'
import type { BackupProgress } from '../../shared/backup-types.ts'
import type { RunningJobView } from '../../shared/ipc.ts'
import { ok } from '../../shared/result.ts'
import { withApp } from './harness/with-app.ts'

const JOB_ID = 'job-e2e-1'
const RUNNING: RunningJobView = {
  jobId: JOB_ID,
  profile: 'prod',
  mode: 'filter',
  ticket: 'CHG-1',
  startedAt: new Date(Date.now() - 65_000).toISOString(),
  files: ['/backups/shop_20261121_140502_CHG1.sql.zst', '/backups/crm_20261121_140502_CHG1.sql.zst'],
  progress: null,
  cancelling: false,
}

const progress = (fraction: number): BackupProgress => ({
  targetIndex: 0,
  targetCount: 2,
  database: 'shop',
  table: 'orders',
  tablesDone: 27,
  tablesTotal: 64,
  sqlBytes: Math.round(2e9 * fraction),
  outBytes: Math.round(4e8 * fraction),
  estimatedBytes: 2e9,
  fraction,
  bytesPerSecond: 80e6,
  etaSeconds: 41,
  elapsedMs: 60_000,
  final: false,
})

describe('jobs page', () => {
  it('follows a job live, cancels it and shows what was kept', async () => {
    let cancelled = false
    await withApp(
      async ({ page, ipcCalls, consoleErrors, emitJobEvent, screenshot }) => {
        await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Jobs' }).click()
        await emitJobEvent({ type: 'progress', jobId: JOB_ID, progress: progress(0.42) })

        const card = page.getByRole('article', { name: 'prod · CHG-1' })
        await card.waitFor()
        const overall = card.getByRole('progressbar', { name: 'Overall progress' })
        await expect.poll(() => overall.getAttribute('aria-valuenow')).toBe('21')
        expect(
          await card.getByRole('progressbar', { name: 'Progress of shop' }).getAttribute('aria-valuenow'),
        ).toBe('42')
        expect(await card.textContent()).toContain('Now: shop.orders')
        expect(await card.textContent()).toContain('27 of 64 tables')

        await emitJobEvent({ type: 'progress', jobId: JOB_ID, progress: progress(0.8) })
        await expect.poll(() => overall.getAttribute('aria-valuenow')).toBe('40')

        await card.getByRole('button', { name: 'Cancel' }).click()
        // It asks first; Enter (the focused button) keeps it running.
        const ask = page.getByRole('dialog', { name: 'Cancel this backup?' })
        await ask.waitFor()
        await page.keyboard.press('Enter')
        await expect.poll(() => ask.count()).toBe(0)
        expect(ipcCalls.some(({ channel }) => channel === 'backups:cancel')).toBe(false)
        await card.getByRole('button', { name: 'Cancel' }).click()
        await ask.getByRole('button', { name: 'Cancel backup' }).click()
        const cancelling = card.getByRole('button', { name: 'Cancelling…' })
        await cancelling.waitFor()
        expect(await cancelling.isDisabled()).toBe(true)
        expect(ipcCalls.find(({ channel }) => channel === 'backups:cancel')?.request).toEqual({
          jobId: JOB_ID,
        })
        await screenshot('renderer-jobs-cancelling')

        const kept = {
          databases: ['shop'],
          status: 'success' as const,
          file: '/backups/shop_20261121_140502_CHG1.sql.zst',
          bytes: 400e6,
          sqlBytes: 2e9,
          sha256: 'ab'.repeat(32),
          durationMs: 60_000,
          warnings: [],
          error: null,
        }
        await emitJobEvent({ type: 'target', jobId: JOB_ID, target: kept })
        await emitJobEvent({
          type: 'cancelled',
          jobId: JOB_ID,
          result: {
            ok: false,
            mode: 'filter',
            ticket: 'CHG-1',
            startedAt: RUNNING.startedAt,
            finishedAt: new Date().toISOString(),
            durationMs: 70_000,
            targets: [
              kept,
              {
                ...kept,
                databases: ['crm'],
                status: 'cancelled',
                file: null,
                bytes: 0,
                error: { code: 'Cancelled', message: 'the backup was cancelled' },
              },
            ],
          },
        })

        await expect.poll(() => page.getByRole('article', { name: 'prod · CHG-1' }).count()).toBe(1)
        const result = page.getByRole('article', { name: 'prod · CHG-1' })
        await expect
          .poll(() => result.getByRole('status').first().textContent())
          .toBe('Cancelled by you: 1 finished file kept, nothing partial left.')
        // A cancel is not an error: no alert for the file that was cancelled, a neutral badge.
        expect(await result.getByRole('alert').count()).toBe(0)
        const row = result.getByRole('row', { name: /shop_20261121_140502_CHG1/ })
        expect(await row.textContent()).toContain('Success')

        // Verify reads the real file: it does not exist here, so the error says so where it was asked.
        await row.getByRole('button', { name: 'Verify' }).click()
        await result.getByRole('alert').first().waitFor()
        expect(ipcCalls.some(({ channel }) => channel === 'history:verify')).toBe(true)
        await screenshot('renderer-jobs-result')
        expect(consoleErrors).toEqual([])
      },
      {
        name: 'renderer-jobs-failure',
        handlers: {
          'backups:running': () => ok(cancelled ? [] : [RUNNING]),
          'backups:cancel': () => {
            cancelled = true
            return ok({ cancelling: true })
          },
        },
      },
    )
  })

  it('a combined file says which database is dumped now, with whole-file figures; a compressor holding its first block says so', async () => {
    const combined: RunningJobView = {
      ...RUNNING,
      jobId: 'job-e2e-all',
      mode: 'all',
      ticket: 'CHG-ALL',
      files: ['/backups/all_databases_20261121_140502_CHGALL.sql.xz'],
    }
    await withApp(
      async ({ page, consoleErrors, emitJobEvent }) => {
        await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Jobs' }).click()
        const card = page.getByRole('article', { name: 'prod · CHG-ALL' })
        const holding = 'the compressor writes each block once it is compressed'
        // xz has read 3 MiB of SQL and written only its header.
        await emitJobEvent({
          type: 'progress',
          jobId: combined.jobId,
          progress: {
            ...progress(0.2),
            targetCount: 1,
            database: 'crm',
            sqlBytes: 3 * 2 ** 20,
            outBytes: 28,
          },
        })
        await card.waitFor()
        const row = card.getByRole('list', { name: 'Databases being written' }).getByRole('listitem')
        await expect.poll(() => row.textContent()).toContain('all_databases_20261121_140502_CHGALL.sql.xz')
        expect(await row.textContent()).toContain('now: crm')
        expect(await row.textContent()).toContain('Whole file:')
        expect(await card.textContent()).toContain(holding)
        expect(
          await card
            .getByRole('progressbar', { name: 'Progress of all_databases_20261121_140502_CHGALL.sql.xz' })
            .count(),
        ).toBe(1)

        // The next database; the first block is out: no note.
        await emitJobEvent({
          type: 'progress',
          jobId: combined.jobId,
          progress: {
            ...progress(0.5),
            targetCount: 1,
            database: 'shop',
            sqlBytes: 9 * 2 ** 20,
            outBytes: 2 ** 20,
          },
        })
        await expect.poll(() => row.textContent()).toContain('now: shop')
        expect(await card.textContent()).not.toContain(holding)
        expect(consoleErrors).toEqual([])
      },
      {
        name: 'renderer-jobs-combined',
        handlers: { 'backups:running': () => ok([combined]) },
      },
    )
  })
})
