import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { CronExpressionParser, CronFileParser } from 'cron-parser'
import { describe, expect, it } from 'vitest'
import { scheduleSchema, type Schedule, type ScheduleInput } from '../../../shared/schedule.ts'
import {
  crontabLine,
  onCalendar,
  systemdUnits,
  windowsTaskXml,
  type ExportInput,
} from '../../../electron/engine/schedule/schedule-export.ts'
import { backupRequest } from '../../harness/backup-request.ts'

const run = promisify(execFile)
const FIXTURES = resolve(import.meta.dirname, '../../fixtures/schedule')
const SYSTEMD_ANALYZE = '/usr/bin/systemd-analyze'

const s = (input: ScheduleInput): Schedule => scheduleSchema.parse(input)
const input = (schedule: ScheduleInput, program = ['/usr/bin/sfdbtools']): ExportInput => ({
  preset: {
    id: 'nightly-shop',
    label: 'Nightly shop & co <100%>',
    request: backupRequest({ ticket: 'CHG-7' }),
    schedule: s(schedule),
  },
  program,
  configDir: '/home/dba/.config/sfdbtools',
  envFile: '/home/dba/.config/sfdbtools/schedule.env',
})

describe('systemd: OnCalendar= from every kind of schedule, units that systemd-analyze verify accepts', () => {
  it('converts the supported forms', () => {
    expect(onCalendar(s({ kind: 'daily', time: '02:30' }))).toBe('*-*-* 02:30:00')
    expect(onCalendar(s({ kind: 'weekly', days: [4, 1], time: '23:05' }))).toBe('Mon,Thu *-*-* 23:05:00')
    expect(onCalendar(s({ kind: 'hourly', every: 6 }))).toBe('*-*-* 00,06,12,18:00:00')
    expect(onCalendar(s({ kind: 'hourly', every: 1 }))).toBe('*-*-* *:00:00')
    expect(onCalendar(s({ kind: 'cron', expression: '*/15 1-3 1,15 jan,jul *' }))).toBe(
      '*-01,07-01,15 01,02,03:00,15,30,45:00',
    )
    expect(onCalendar(s({ kind: 'cron', expression: '0 4 * * 1-5' }))).toBe(
      'Mon,Tue,Wed,Thu,Fri *-*-* 04:00:00',
    )
    expect(onCalendar(s({ kind: 'cron', expression: '0 4 * * 7' }))).toBe('Sun *-*-* 04:00:00')
  })

  it('refuses what systemd cannot express, with advice', () => {
    const refused = (expression: string) => () => onCalendar(s({ kind: 'cron', expression }))
    expect(refused('0 4 1 * mon')).toThrow(/day of the month OR the weekday/)
    expect(refused('0 4 L * *')).toThrow(/systemd cannot express/)
    expect(refused('0 4 * * 1#2')).toThrow(/systemd cannot express/)
    try {
      refused('0 4 1 * mon')()
    } catch (e) {
      expect((e as { advice?: unknown }).advice).toEqual({
        code: 'scheduleNotExportable',
        params: { expression: '0 4 1 * mon', target: 'systemd' },
      })
    }
  })

  it.runIf(existsSync(SYSTEMD_ANALYZE))(
    'the service and timer pass systemd-analyze verify; OnCalendar parses',
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'units-'))
      // ExecStart's program must exist for verify: this Node, with a script path after it.
      for (const schedule of [
        { kind: 'daily', time: '02:30' },
        { kind: 'weekly', days: [1, 4], time: '02:30' },
        { kind: 'hourly', every: 6 },
        { kind: 'cron', expression: '*/20 1-3 * * sat,sun' },
      ] satisfies ScheduleInput[]) {
        const units = systemdUnits(input(schedule, [process.execPath, '/opt/sfdb tools/bin/sfdbtools.js']))
        expect(units.service).toContain('Type=oneshot')
        expect(units.service).toContain('EnvironmentFile=-/home/dba/.config/sfdbtools/schedule.env')
        expect(units.service).toContain('"schedule" "run-due" "--preset" "nightly-shop"')
        expect(units.service).toContain('Description=sfDBTools scheduled backup: Nightly shop & co <100%%>')
        expect(units.service).not.toMatch(/KEY=[^…]/)
        expect(units.timer).toContain('Persistent=true')
        await writeFile(join(dir, `${units.name}.service`), units.service)
        await writeFile(join(dir, `${units.name}.timer`), units.timer)
        const verify = await run(
          SYSTEMD_ANALYZE,
          ['verify', join(dir, `${units.name}.timer`), join(dir, `${units.name}.service`)],
          {
            env: { ...process.env, SYSTEMD_LOG_LEVEL: 'warning' },
          },
        ).catch((e: { stderr?: string; code?: number }) => e)
        expect('code' in verify ? verify.stderr : '', JSON.stringify(schedule)).toBe('')
        const calendar = /^OnCalendar=(.*)$/m.exec(units.timer)?.[1] ?? ''
        const parsed = await run(SYSTEMD_ANALYZE, ['calendar', calendar])
        expect(parsed.stdout).toContain('Next elapse')
      }
    },
  )
})

describe('cron: one crontab line that parses back to the same times', () => {
  it('daily, weekly, hourly and cron', async () => {
    for (const schedule of [
      { kind: 'daily', time: '02:30' },
      { kind: 'weekly', days: [1, 4], time: '02:30' },
      { kind: 'hourly', every: 6 },
      { kind: 'cron', expression: '15 3 1 */2 *' },
    ] satisfies ScheduleInput[]) {
      const line = crontabLine(input(schedule, ['/opt/sfdb tools/sfdbtools']))
      expect(line).not.toContain('\n')
      expect(line).toMatch(
        / SFDB_CONFIG_PATH=\/home\/dba\/\.config\/sfdbtools '\/opt\/sfdb tools\/sfdbtools' schedule run-due --preset nightly-shop --env-file \/home\/dba\/\.config\/sfdbtools\/schedule\.env$/,
      )
      const fields = line.split(' ').slice(0, 5).join(' ')
      const from = new Date('2025-06-01T00:00:00Z')
      expect(
        CronExpressionParser.parse(fields, { currentDate: from, tz: 'UTC' }).take(3).map(String),
      ).toEqual(
        CronExpressionParser.parse(schedule.kind === 'cron' ? schedule.expression : fields, {
          currentDate: from,
          tz: 'UTC',
        })
          .take(3)
          .map(String),
      )
      // As a crontab file: cron-parser's own crontab reader takes the line (schedule + command).
      const file = join(await mkdtemp(join(tmpdir(), 'crontab-')), 'crontab')
      await writeFile(file, `${line}\n`)
      const parsed = CronFileParser.parseFileSync(file)
      expect(parsed.errors).toEqual({})
      expect(parsed.expressions).toHaveLength(1)
    }
  })

  it('escapes % for crontab', () => {
    expect(crontabLine({ ...input({ kind: 'daily', time: '01:00' }), envFile: '/tmp/100%.env' })).toContain(
      "'/tmp/100\\%.env'",
    )
  })
})

describe('Windows Task Scheduler 1.2 XML', () => {
  const golden = (name: string) => readFile(join(FIXTURES, name), 'utf8')
  const program = ['C:\\Program Files\\sfDBTools Desktop\\sfdbtools.cmd']

  it('weekly matches the golden file', async () => {
    const xml = windowsTaskXml(input({ kind: 'weekly', days: [1, 4], time: '02:30' }, program))
    expect(xml).toBe(await golden('weekly-task.xml'))
  })

  it('every 6 h and a monthly cron match their golden files', async () => {
    expect(windowsTaskXml(input({ kind: 'hourly', every: 6 }, program))).toBe(await golden('hourly-task.xml'))
    expect(windowsTaskXml(input({ kind: 'cron', expression: '0 3 1,15 * *' }, program))).toBe(
      await golden('monthly-task.xml'),
    )
  })

  it('is well-formed: every element closes, names and text are escaped, no key', () => {
    const xml = windowsTaskXml(input({ kind: 'daily', time: '02:30' }, program))
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true)
    expect(xml).toContain('Nightly shop &amp; co &lt;100%&gt;')
    expect(xml).toContain('<ScheduleByDay><DaysInterval>1</DaysInterval></ScheduleByDay>')
    expect(xml).not.toMatch(/KEY=/)
    // "--" may not appear inside an XML comment.
    for (const c of xml.matchAll(/<!--([\s\S]*?)-->/g)) expect(c[1]).not.toContain('--')
    const body = xml.replace(/<\?xml[^>]*\?>/, '').replace(/<!--[\s\S]*?-->/g, '')
    const stack: string[] = []
    for (const m of body.matchAll(/<(\/?)([A-Za-z][\w.-]*)[^>]*?(\/?)>/g)) {
      if (m[3] === '/') continue
      if (m[1] === '/') expect(stack.pop()).toBe(m[2])
      else stack.push(m[2] ?? '')
    }
    expect(stack).toEqual([])
    expect(body.replace(/<[^>]+>/g, '')).not.toMatch(/[<>]|&(?!amp;|lt;|gt;|quot;)/)
  })

  it('refuses more than 48 times a day', () => {
    expect(() => windowsTaskXml(input({ kind: 'cron', expression: '*/5 * * * *' }, program))).toThrow(
      /at most 48 triggers/,
    )
  })
})
