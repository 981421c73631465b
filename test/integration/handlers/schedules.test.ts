/**
 * The schedules handlers, and the in-app scheduler over the REAL job supervisor (backups in their own
 * forked job processes from the built job entry) against the private mariadbd: a due preset runs as a
 * normal backup job, the job history records it as scheduled, the state shared with `schedule run-due`
 * records its run, and 'schedules:status' tells it.
 */
import { existsSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type mysql from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { QuickBackupPreset } from '../../../shared/ipc.ts'
import { lockPath } from '../../../electron/engine/schedule/preset-lock.ts'
import { readPresets } from '../../../electron/engine/schedule/presets-file.ts'
import {
  emptyScheduleState,
  markHandled,
  readScheduleState,
  writeScheduleState,
} from '../../../electron/engine/schedule/schedule-state.ts'
import { createServices } from '../../../electron/main/ipc/handlers/services.ts'
import { readJobJournal } from '../../../electron/main/jobs/job-journal.ts'
import {
  createAppScheduler,
  startThroughSupervisor,
  supervisorJobEnd,
  type AppScheduler,
  type SchedulerClock,
} from '../../../electron/main/scheduler/app-scheduler.ts'
import { backupRequest } from '../../harness/backup-request.ts'
import { createBackupAccount, type BackupAccount } from '../../harness/backup-user.ts'
import { createSampleDatabase } from '../../harness/fixtures.ts'
import { connectRoot } from '../../harness/mariadb.ts'
import { expectNoSecretIn, useHandlerSession, useKeyring } from './handler-session.ts'

const DB = 'sched_shop'
/** The scheduler's time: 2026-01-12 02:00:20 UTC, 20 s after the preset's daily 02:00. */
const DUE = '2026-01-12T02:00:00.000Z'
const NOW = Date.parse(DUE) + 20_000

/** A clock that stands still; its timer never fires (the test checks by hand, as a resume would). */
const stillClock: SchedulerClock = {
  now: () => new Date(NOW),
  setTimeout: () => 0,
  clearTimeout: () => {},
}

describe('schedules: preview and status handlers, a scheduled run through the real supervisor', () => {
  useKeyring()
  const s = useHandlerSession()
  const server = inject('mariadb')
  let conn: mysql.Connection
  let account: BackupAccount
  let scheduler: AppScheduler | undefined

  beforeAll(async () => {
    conn = await connectRoot(server)
    await createSampleDatabase(conn, DB, { rows: 40 })
    account = await createBackupAccount(conn, server, { SFDB_CONFIG_PATH: s.configDir }, 'sched')
    s.env.SFDB_PROFILE_KEY = account.profileKey
  })
  afterAll(async () => {
    scheduler?.stop()
    expectNoSecretIn(s.answers, [account.password, account.profileKey])
    await conn.query(`DROP DATABASE IF EXISTS ${DB}`)
    await conn.end()
  })

  it('schedules:preview gives five runs and the time zone; an invalid schedule names its field', async () => {
    const preview = await s.value('schedules:preview', { schedule: { kind: 'hourly', every: 6 } })
    expect(preview.timeZone).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone)
    expect(preview.runs).toHaveLength(5)
    const times = preview.runs.map((r) => Date.parse(r))
    expect(times[0]).toBeGreaterThan(Date.now() - 1000)
    expect(times.slice(1).map((t, i) => t - (times[i] ?? 0))).toSatisfy((gaps: number[]) =>
      gaps.every((g) => g > 0 && g <= 6 * 3_600_000),
    )
    expect(
      await s.failure('schedules:preview', { schedule: { kind: 'cron', expression: '61 * * * *' } }),
    ).toMatchObject({
      code: 'InvalidInput',
      advice: { code: 'scheduleInvalid', params: { field: 'minute', value: '61' } },
    })
    expect(await s.failure('schedules:preview', { schedule: { kind: 'daily', time: '7 pm' } })).toMatchObject(
      { code: 'InvalidInput', advice: { code: 'scheduleInvalid', params: { field: 'time' } } },
    )
  })

  it('runs a due preset as a real backup job: the job history records it as scheduled, status tells it', async () => {
    const preset: QuickBackupPreset = {
      id: 'nightly-shop',
      label: 'Nightly shop',
      request: backupRequest({
        profile: 'sched',
        databases: [DB],
        outputDir: join(s.configDir, 'backup'),
        ticket: 'CHG-SCHEDULED',
      }),
      schedule: { kind: 'daily', time: '02:00', enabled: true, catchUpHours: 12 },
    }
    const settings = await s.value('settings:get', {})
    await s.value('settings:update', { settings: { ...settings, presets: [preset] } })
    expect((await s.value('schedules:status', {})).presets).toEqual([
      { presetId: 'nightly-shop', nextRun: expect.any(String), last: null },
    ])
    // The last check before the due time was at 01:00 (this app earlier, or `schedule run-due`).
    await writeScheduleState(
      s.configDir,
      markHandled(emptyScheduleState(), preset.id, new Date(NOW - 3_600_000)),
    )

    const services = createServices(s.platform)
    scheduler = createAppScheduler({
      configDir: s.configDir,
      presets: () => readPresets(s.configDir),
      startJob: startThroughSupervisor(services.backups.start, supervisorJobEnd(s.jobs)),
      runningPresets: () => s.jobs.running().flatMap((j) => (j.presetId ? [j.presetId] : [])),
      clock: stillClock,
      timeZone: 'UTC',
    })
    scheduler.start()
    await scheduler.settled()
    expect(scheduler.running()).toEqual(['nightly-shop'])
    expect(existsSync(lockPath(s.configDir, preset.id))).toBe(true)
    // Its preset runs: the same time is not run twice, and a check now runs nothing more.
    await scheduler.check()
    expect(scheduler.running()).toEqual(['nightly-shop'])

    await scheduler.runsEnded()
    expect(existsSync(lockPath(s.configDir, preset.id))).toBe(false)
    const [record, ...older] = await readJobJournal(s.configDir)
    expect(older).toEqual([])
    expect(record).toMatchObject({
      kind: 'backup',
      trigger: 'scheduled',
      presetId: 'nightly-shop',
      schedule: { dueAt: DUE, late: false },
      profile: 'sched',
      ticket: 'CHG-SCHEDULED',
      status: 'success',
    })
    const file = record?.targets[0]?.file
    expect(file).toEqual(expect.stringContaining(join(s.configDir, 'backup')))
    expect(existsSync(file ?? '')).toBe(true)
    const state = await readScheduleState(s.configDir)
    expect(state.presets[preset.id]?.handledUntil).toBe(DUE)
    expect(state.history).toMatchObject([
      { presetId: preset.id, scheduledFor: DUE, outcome: 'success', late: false, jobId: record?.jobId },
    ])

    const history = await s.value('jobs:history', {})
    expect(history.records[0]).toMatchObject({
      jobId: record?.jobId,
      trigger: 'scheduled',
      presetId: preset.id,
    })
    const status = await s.value('schedules:status', {})
    expect(status.presets).toEqual([
      {
        presetId: 'nightly-shop',
        nextRun: expect.stringMatching(/T\d\d:\d\d:00\.000Z$/),
        last: { at: new Date(NOW).toISOString(), outcome: 'ran', jobId: record?.jobId, status: 'success' },
      },
    ])
  })

  it('a preset whose lock a live process holds is skipped, and status says so', async () => {
    // The state moved on to the next day; `schedule run-due` (here: this test's own process) holds the lock.
    await mkdir(join(s.configDir, 'schedule', 'locks'), { recursive: true })
    await writeFile(lockPath(s.configDir, 'nightly-shop'), `${process.pid}\n`)
    const day = 24 * 3_600_000
    const later = createAppScheduler({
      configDir: s.configDir,
      presets: () => readPresets(s.configDir),
      startJob: () => Promise.reject(new Error('nothing may start')),
      runningPresets: () => [],
      clock: { ...stillClock, now: () => new Date(NOW + day) },
      timeZone: 'UTC',
    })
    await later.check()
    later.stop()
    expect((await s.value('schedules:status', {})).presets[0]?.last).toEqual({
      at: new Date(Date.parse(DUE) + day).toISOString(),
      outcome: 'skipped',
      jobId: null,
      status: null,
    })
    expect((await readJobJournal(s.configDir)).length).toBe(1)
  })
})
