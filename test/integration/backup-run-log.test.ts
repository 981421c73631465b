/** The general log of each backup run in `<log dir>/backup/`: JSON lines, rotated, the interrupt recorded. */
import { mkdir, readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BackupResult } from '../../shared/backup-types.ts'
import { useBackupFixture } from '../harness/backup-user.ts'
import { runCli, startCli } from '../harness/cli.ts'
import { createFakeDump, type FakeDump } from '../harness/fake-dump.ts'
import { createSampleDatabase } from '../harness/fixtures.ts'

const RUN_LOG = /^sfdbtools_\d{4}-\d{2}-\d{2}_\d{6}_\d+_backup\.log$/

interface LogLine {
  time: string
  level: string
  event: string
  message: string
  [k: string]: unknown
}

describe('backup: the general run log', () => {
  const f = useBackupFixture('runlog', (conn) => createSampleDatabase(conn, 'runlogdb', { rows: 30 }))
  /** A dump that waits until told, for the cancel (a real dump cannot be held mid-stream on cue). */
  let fake: FakeDump
  beforeAll(async () => {
    fake = await createFakeDump()
  })
  afterAll(async () => {
    await fake?.close()
  })
  const logDir = (): string => join(f.sandbox.configDir, 'logs', 'backup')
  const freshOut = f.freshOut
  const args = (out: string, ticket: string): string[] => [
    'backup',
    'single',
    '--profile',
    f.account.profile,
    '--db',
    'runlogdb',
    '--ticket',
    ticket,
    '--no-encrypt',
    '--output-dir',
    out,
  ]
  const runLogs = async (): Promise<string[]> =>
    (await readdir(logDir()).catch(() => [] as string[])).filter((n) => RUN_LOG.test(n))
  const readLog = async (name: string): Promise<LogLine[]> =>
    (await readFile(join(logDir(), name), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as LogLine)

  it('every run writes a JSON-lines log in <log dir>/backup/ with its start, messages, files and end; old logs are rotated away', async () => {
    await mkdir(logDir(), { recursive: true })
    const old = join(logDir(), 'sfdbtools_2020-01-01_000000_1_backup.log')
    const foreign = join(logDir(), 'notes.txt')
    await writeFile(old, '{}\n')
    await writeFile(foreign, 'mine\n')
    const longAgo = new Date(Date.now() - 40 * 86_400_000)
    await utimes(old, longAgo, longAgo)
    const before = new Set(await runLogs())

    const out = await freshOut()
    const run = await runCli([...args(out, 'L-1'), '--json'], { env: f.env })
    expect(run.code, run.stderr).toBe(0)
    const file = (JSON.parse(run.stdout) as BackupResult).targets[0]?.file ?? ''

    const added = (await runLogs()).filter((n) => !before.has(n))
    expect(added).toHaveLength(1)
    const name = added[0] ?? ''
    expect((await stat(join(logDir(), name))).mode & 0o777).toBe(0o600)
    const lines = await readLog(name)
    const events = lines.map((l) => l.event)
    expect(events[0]).toBe('start')
    expect(events.at(-1)).toBe('end')
    expect(events).toContain('target')
    expect(lines[0]).toMatchObject({ mode: 'single', ticket: 'L-1', profile: f.account.profile })
    expect(lines.find((l) => l.event === 'target')).toMatchObject({
      databases: ['runlogdb'],
      status: 'success',
      file,
    })
    expect(lines.some((l) => l.event === 'log' && /dump binary/.test(l.message))).toBe(true)
    expect(lines.at(-1)).toMatchObject({ status: 'success', exitCode: 0 })
    for (const l of lines) expect(typeof l.time).toBe('string')
    const text = await readFile(join(logDir(), name), 'utf8')
    expect(text).not.toContain(f.account.password)
    expect(text).not.toContain(f.account.profileKey)
    // Rotation: a run log older than 30 days is removed, a file that is not a run log is left alone.
    await expect(stat(old)).rejects.toThrow()
    expect(await readFile(foreign, 'utf8')).toBe('mine\n')
  })

  it('a cancelled run records the interrupt and the signal in its log', async () => {
    const before = new Set(await runLogs())
    const out = await freshOut()
    const { child, done } = startCli([...args(out, 'C-1'), '--dump-binary', fake.path, '--json'], {
      env: f.env,
    })
    await fake.nextRun(done)
    child.kill('SIGINT')
    const cli = await done
    expect(cli.code).toBe(130)
    const added = (await runLogs()).filter((n) => !before.has(n))
    expect(added).toHaveLength(1)
    const lines = await readLog(added[0] ?? '')
    const interrupt = lines.find((l) => l.event === 'interrupt')
    expect(interrupt).toMatchObject({ level: 'warn', signal: 'SIGINT' })
    expect(interrupt?.message).toMatch(/cancel/)
    expect(lines.find((l) => l.event === 'target')).toMatchObject({ status: 'cancelled' })
    expect(lines.at(-1)).toMatchObject({ event: 'end', status: 'cancelled', exitCode: 130 })
  })
})
