import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { createJobNotifier, type NotificationContent } from '../../../electron/main/notifications.ts'
import type { JobFinishedInfo } from '../../../electron/main/jobs/supervisor.ts'
import { readQuickBackupPresets } from '../../../electron/main/tray/presets.ts'
import { result } from './fake-job-child.ts'
import { backupRequest } from '../../harness/backup-request.ts'

const info: JobFinishedInfo = {
  profile: 'prod',
  files: ['/b/shop.sql.gz'],
  mode: 'single',
  ticket: 'T-1',
  startedAt: '2025-01-01T00:00:00.000Z',
  finishedAt: '2025-01-01T00:00:05.000Z',
  exit: { code: 0, signal: null, crashed: false, killed: false },
}

function setup(supported = true) {
  const shown: { content: NotificationContent; click?: () => void }[] = []
  const openResult = vi.fn()
  const notifier = createJobNotifier({
    createNotification: (content) => {
      const entry: { content: NotificationContent; click?: () => void } = { content }
      return {
        show: () => void shown.push(entry),
        on: (event: string, listener: () => void) => {
          if (event === 'click') entry.click = listener
        },
      }
    },
    isSupported: () => supported,
    openResult,
  })
  return { notifier, shown, openResult }
}

describe('job notifications', () => {
  it('a finished job: what was written; a click opens its result', () => {
    const { notifier, shown, openResult } = setup()
    notifier.jobFinished('job-1', { kind: 'done', result: result(true, '/b/shop.sql.gz') }, info)
    expect(shown.map((s) => s.content)).toEqual([
      { title: 'Backup finished: prod', body: '1 file, 2.0 KiB in 5.0 s' },
    ])
    shown[0]?.click?.()
    expect(openResult).toHaveBeenCalledWith('job-1')
  })

  it('a failed or crashed job says why', () => {
    const { notifier, shown } = setup()
    notifier.jobFinished(
      'job-2',
      { kind: 'failed', error: { code: 'JobCrashed', message: 'the backup job process ended unexpectedly' } },
      info,
    )
    expect(shown[0]?.content).toEqual({
      title: 'Backup failed: prod',
      body: 'the backup job process ended unexpectedly',
    })
  })

  it('a run with a failed file is "finished with errors"', () => {
    const { notifier, shown } = setup()
    const partial = result(true, '/b/a.sql.gz')
    partial.ok = false
    partial.targets.push({
      ...partial.targets[0]!,
      databases: ['other'],
      status: 'failed',
      file: null,
      bytes: 0,
      error: { code: 'DumpFailed', message: 'mariadb-dump exited 2' },
    })
    notifier.jobFinished('job-3', { kind: 'done', result: partial }, info)
    expect(shown[0]?.content).toEqual({
      title: 'Backup finished with errors: prod',
      body: '1 file failed (mariadb-dump exited 2); 1 file, 2.0 KiB in 5.0 s',
    })
  })

  it('a run whose files all ended with warnings is "finished with warnings", naming the first', () => {
    const { notifier, shown } = setup()
    const warned = result(true, '/b/a.sql.gz')
    warned.targets = warned.targets.map((t) => ({
      ...t,
      status: 'success_with_warnings' as const,
      warnings: ['GTID not captured: the account may not read the binlog position'],
    }))
    notifier.jobFinished('job-5', { kind: 'done', result: warned }, info)
    expect(shown[0]?.content).toEqual({
      title: 'Backup finished with warnings: prod',
      body: '1 file with warnings (GTID not captured: the account may not read the binlog position); 1 file, 2.0 KiB in 5.0 s',
    })
  })

  it('a cancel is not announced, and nothing shows where the OS has no notifications', () => {
    const quiet = setup()
    quiet.notifier.jobFinished('job-4', { kind: 'cancelled', result: result(false) }, info)
    expect(quiet.shown).toEqual([])
    const unsupported = setup(false)
    unsupported.notifier.jobFinished('job-5', { kind: 'done', result: result(true) }, info)
    expect(unsupported.shown).toEqual([])
  })
})

describe('quick-backup presets for the tray', () => {
  const request = backupRequest({
    captureGtid: true,
    encrypt: true,
    namePattern: '{database}_{timestamp}',
    ticket: 'NIGHTLY',
  })

  it('reads the valid presets of desktop-settings.json; none when the file is missing or broken', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sfdb-presets-'))
    expect(await readQuickBackupPresets(dir)).toEqual([])
    await writeFile(
      join(dir, 'desktop-settings.json'),
      JSON.stringify({ theme: 'dark', presets: [{ id: 'n', label: 'Nightly', request }, { id: 'bad' }] }),
    )
    expect(await readQuickBackupPresets(dir)).toEqual([{ id: 'n', label: 'Nightly', request }])
    await writeFile(join(dir, 'desktop-settings.json'), '{ not json')
    expect(await readQuickBackupPresets(dir)).toEqual([])
  })
})
