import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { chmod, readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { CronExpressionParser } from 'cron-parser'
import { beforeAll, describe, expect, it } from 'vitest'
import { useBackupFixture } from '../harness/backup-user.ts'
import { backupRequest } from '../harness/backup-request.ts'
import { runCli, startCli } from '../harness/cli.ts'
import { createSampleDatabase } from '../harness/fixtures.ts'
import { waitFor } from '../harness/processes.ts'

const run = promisify(execFile)

describe('sfdbtools schedule list|add|remove|run-due|export', () => {
  const f = useBackupFixture('sched', async (conn) => {
    await createSampleDatabase(conn, 'sched_shop', { rows: 50 })
  })
  let out: string
  let nas: string
  const settingsFile = () => join(f.sandbox.configDir, 'desktop-settings.json')
  const statePath = () => join(f.sandbox.configDir, 'schedule', 'state.json')
  const readJson = async (path: string) => JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>

  beforeAll(async () => {
    out = await f.freshOut()
    nas = join(f.sandbox.tmp, 'nas')
    const added = await runCli(['destination', 'add-folder', 'nas', nas], { env: f.env })
    expect(added.code, added.stderr).toBe(0)
    const preset = {
      id: 'nightly',
      label: 'Nightly shop',
      // A scheduled run copies where the preset says (run-due gives it as --copy-to).
      copyTo: ['nas'],
      request: backupRequest({
        profile: f.account.profile,
        databases: ['sched_shop'],
        outputDir: out,
        ticket: 'CHG-SCHED',
      }),
    }
    await writeFile(settingsFile(), JSON.stringify({ theme: 'dark', presets: [preset] }, null, 2), {
      mode: 0o600,
    })
  })

  it('add refuses an invalid cron expression naming the field', async () => {
    const r = await runCli(['schedule', 'add', 'nightly', '--cron', '0 25 * * *'], { env: f.env })
    expect(r.code).toBe(2)
    expect(r.stderr).toContain("hour field '25'")
    expect(r.stderr).toContain('fix the hour field')
  })

  it('add stores the schedule in the presets file (0600, other settings kept) and shows five runs', async () => {
    const r = await runCli(
      ['schedule', 'add', 'Nightly shop', '--weekly', 'mon,thu@02:30', '--catch-up', '6'],
      {
        env: f.env,
      },
    )
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain('mon,thu at 02:30')
    expect(r.stdout.match(/^ {2}\d{4}-\d\d-\d\d 02:30 /gm)).toHaveLength(5)
    expect(r.stdout).toContain("stored ticket 'CHG-SCHED'")
    const stored = await readJson(settingsFile())
    expect(stored.theme).toBe('dark')
    expect((stored.presets as { schedule: unknown }[])[0]?.schedule).toEqual({
      kind: 'weekly',
      days: [1, 4],
      time: '02:30',
      enabled: true,
      catchUpHours: 6,
    })
    expect((await stat(settingsFile())).mode & 0o777).toBe(0o600)
    const list = await runCli(['schedule', 'list'], { env: f.env })
    expect(list.stdout).toMatch(/^nightly\tNightly shop\tmon,thu at 02:30, next \d{4}-/m)
  })

  it('export --systemd writes units that systemd-analyze verify accepts; --cron parses; --windows-task is XML', async () => {
    const dir = join(f.sandbox.tmp, 'units')
    const r = await runCli(
      ['schedule', 'export', 'nightly', '--systemd', '--output', dir, '--bin', process.execPath],
      { env: f.env },
    )
    expect(r.code, r.stderr).toBe(0)
    const files = (await readdir(dir)).sort()
    expect(files).toEqual(['sfdbtools-nightly.service', 'sfdbtools-nightly.timer'])
    const timer = await readFile(join(dir, 'sfdbtools-nightly.timer'), 'utf8')
    expect(timer).toContain('OnCalendar=Mon,Thu *-*-* 02:30:00')
    expect(timer).toContain('Persistent=true')
    const service = await readFile(join(dir, 'sfdbtools-nightly.service'), 'utf8')
    expect(service).not.toContain(f.account.profileKey)
    if (existsSync('/usr/bin/systemd-analyze')) {
      const v = await run('/usr/bin/systemd-analyze', ['verify', ...files.map((n) => join(dir, n))]).catch(
        (e: { stderr: string }) => ({ stderr: e.stderr, failed: true }),
      )
      expect('failed' in v ? v.stderr : '').toBe('')
    }
    const cron = await runCli(['schedule', 'export', 'nightly', '--cron'], { env: f.env })
    expect(cron.code, cron.stderr).toBe(0)
    const line = cron.stdout.trim()
    expect(line.split(' ').slice(0, 5).join(' ')).toBe('30 2 * * 1,4')
    expect(() => CronExpressionParser.parse(line.split(' ').slice(0, 5).join(' '))).not.toThrow()
    expect(line).toContain('schedule run-due --preset nightly --env-file')
    const xml = await runCli(['schedule', 'export', 'nightly', '--windows-task'], { env: f.env })
    expect(xml.stdout).toContain(
      '<ScheduleByWeek><WeeksInterval>1</WeeksInterval><DaysOfWeek><Monday /><Thursday />',
    )
  })

  it('run-due runs a real backup of the due preset; a concurrent run-due of it is skipped and recorded', async () => {
    // A dump that takes a while, so the second run-due comes while the first still holds the lock.
    const slow = join(f.sandbox.tmp, 'slow-dump')
    await writeFile(
      slow,
      '#!/bin/sh\ncase "$*" in *--version*) exec mariadb-dump "$@";; esac\nsleep 3\nexec mariadb-dump "$@"\n',
    )
    await chmod(slow, 0o755)
    await writeFile(
      join(f.sandbox.configDir, 'sfDBTools_config.yaml'),
      `backup:\n  dump:\n    binary: ${slow}\n`,
    )
    const add = await runCli(['schedule', 'add', 'nightly', '--cron', '* * * * *'], { env: f.env })
    expect(add.code, add.stderr).toBe(0)
    // Dealt with up to 3 minutes ago: the newest minute is due, on time.
    const state = await readJson(statePath())
    ;(state.presets as Record<string, { handledUntil: string }>).nightly = {
      handledUntil: new Date(Date.now() - 180_000).toISOString(),
    }
    await writeFile(statePath(), JSON.stringify(state))
    const first = startCli(['schedule', 'run-due'], { env: f.env })
    const lock = join(f.sandbox.configDir, 'schedule', 'locks', 'nightly.lock')
    // The first takes the lock, then marks its minute as dealt with before its dump (the lock comes first,
    // so both are waited for); the next scheduled time comes while that run still goes (as an earlier time
    // here): the second run-due finds it due and the lock held.
    const handledUntil = (s: Record<string, unknown>): string | undefined =>
      (s.presets as Record<string, { handledUntil: string }>).nightly?.handledUntil
    let during: Record<string, unknown> = state
    await waitFor(
      async () => {
        if (!existsSync(lock)) return false
        during = await readJson(statePath())
        return handledUntil(during) !== handledUntil(state)
      },
      20_000,
      'the first run-due to take the lock and mark its minute',
    )
    ;(during.presets as Record<string, { handledUntil: string }>).nightly = {
      handledUntil: new Date(Date.now() - 180_000).toISOString(),
    }
    await writeFile(statePath(), JSON.stringify(during))
    const second = await runCli(['schedule', 'run-due', '--preset', 'nightly'], { env: f.env })
    const one = await first.done
    expect(one.code, one.stderr).toBe(0)
    expect(one.stdout).toContain('Nightly shop (nightly, cron * * * * *): running the backup')
    expect(one.stdout).toContain(': success')
    expect(second.code, second.stderr).toBe(0)
    expect(second.stdout).toContain('skipped: the previous run of this preset is still going')
    const files = await readdir(out)
    const dump = files.find((n) => /^sched_shop_.*\.sql\.zst$/.test(n))
    expect(dump).toBeDefined()
    expect((await readdir(nas)).sort()).toEqual([`${dump}`, `${dump}.meta.json`])
    const meta = await readJson(join(out, `${dump}.meta.json`))
    expect(meta.copies).toEqual([expect.objectContaining({ destination: 'nas' })])
    expect(existsSync(lock)).toBe(false)
    const history = (await readJson(statePath())).history as {
      outcome: string
      trigger: string
      late: boolean
    }[]
    expect(history.map((h) => h.outcome).sort()).toEqual(['skipped', 'success'])
    expect(history.every((h) => h.trigger === 'scheduled' && !h.late)).toBe(true)
    // Nothing is due any more within this minute's run; a later call finds it not due or due again.
    const list = await runCli(['schedule', 'list'], { env: f.env })
    expect(list.stdout).toMatch(/last (success|skipped)/)
  }, 60_000)

  it('remove clears the schedule', async () => {
    const r = await runCli(['schedule', 'remove', 'nightly'], { env: f.env })
    expect(r.code, r.stderr).toBe(0)
    const stored = await readJson(settingsFile())
    expect((stored.presets as Record<string, unknown>[])[0]).not.toHaveProperty('schedule')
    expect((await runCli(['schedule', 'list'], { env: f.env })).stdout).toContain('not scheduled')
  })
})
