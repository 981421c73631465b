/**
 * Verify jobs over the REAL Node adapter and the BUILT job entry (out/main/backup-job.js, what Electron
 * runs as a utility process): the file is read in another process, with progress, giving the same report
 * as the engine's verifyBackup in-process; a cancel stops it mid-file; a job killed from outside is
 * JobCrashed; and the log file has each job's lines with its pid — and never its keys.
 */
import { existsSync } from 'node:fs'
import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { JobEvent, VerifyJobEvent, VerifyProgress } from '../../shared/job-protocol.ts'
import { verifyBackup } from '../../electron/engine/backup/verify.ts'
import type { JobChild } from '../../electron/engine/jobs/job-child.ts'
import { toVerifyView } from '../../electron/jobs/verify-run.ts'
import { createNodeForker } from '../../electron/main/jobs/node-fork.ts'
import { createJobSupervisor } from '../../electron/main/jobs/supervisor.ts'
import { createFileLogger } from '../../electron/main/logging/logger.ts'
import { ROOT } from '../harness/cli.ts'
import { writeBackupFile } from '../unit/main/backup-files.ts'

const JOB_ENTRY = join(ROOT, 'out', 'main', 'backup-job.js')
const KEY = 'verify job key, not for any log'
const WRONG_KEY = 'a wrong key, not for any log either'

describe('verify jobs: real job processes', () => {
  let dir: string
  let encrypted: string
  let big: string

  beforeAll(async () => {
    if (!existsSync(JOB_ENTRY)) throw new Error('the job entry is not built: run `npm run build` first')
    dir = await mkdtemp(join(tmpdir(), 'sfdb-verify-job-'))
    encrypted = join(dir, 'shop_20250101_020000_T1.sql.zst.enc')
    await writeBackupFile(encrypted, { sqlBytes: 6 << 20, compression: 'zstd', key: KEY })
    // Large enough that reading it takes many event-loop turns of the job: a cancel lands mid-file.
    big = join(dir, 'big_20250101_020000_T1.sql')
    await writeBackupFile(big, { sqlBytes: 96 << 20, meta: false })
  })

  /** The supervisor over forked job processes (their output piped to the log), and what it saw. */
  const setup = (onEvent: (event: JobEvent, child: JobChild) => void = () => {}) => {
    const children: JobChild[] = []
    const events: JobEvent[] = []
    const log = createFileLogger({ dir: join(dir, `logs-${children.length}-${Math.random()}`) })
    const fork = createNodeForker(JOB_ENTRY, { output: 'pipe' })
    const jobs = createJobSupervisor({
      forkJob: () => {
        const child = fork()
        children.push(child)
        return child
      },
      onEvent: (event) => {
        events.push(event)
        onEvent(event, children.at(-1) as JobChild)
      },
      log,
    })
    return { jobs, children, events, log }
  }
  const progressOf = (events: JobEvent[]): VerifyProgress[] =>
    events.flatMap((e) => (e.type === 'verify-progress' ? [e.progress] : []))

  it('reads the file in its own process, with progress, and gives the engine’s report', async () => {
    const { jobs, children, events, log } = setup()
    const jobId = jobs.startVerify({ file: encrypted, keys: [WRONG_KEY, KEY] })
    const end = await jobs.whenVerified(jobId)
    const pid = children[0]?.pid

    expect(pid).toBeGreaterThan(0)
    expect(pid).not.toBe(process.pid)
    const expected = toVerifyView(await verifyBackup(encrypted, KEY))
    expect(end?.outcome).toEqual({ kind: 'done', report: expected })
    expect(expected).toMatchObject({ ok: true, checks: { container: 'ok', checksum: 'ok' } })
    expect(end?.exit).toEqual({ code: 0, signal: null, crashed: false, killed: false })

    expect(events.every((e) => e.jobId === jobId && (e as VerifyJobEvent).file === encrypted)).toBe(true)
    expect(events.at(-1)?.type).toBe('verify-done')
    const progress = progressOf(events)
    expect(progress[0]).toMatchObject({ bytesRead: 0, fraction: 0 })
    expect(progress.at(-1)).toMatchObject({ bytesRead: expected.bytes, fraction: 1 })

    const text = await readFile(log.path, 'utf8')
    expect(text).toContain(`[job ${jobId} pid ${pid}] verify started: ${encrypted} (2 key(s) to try)`)
    expect(text).toContain(`[job ${jobId} pid ${pid}] verify verified: ${expected.bytes} bytes`)
    expect(text).not.toContain(KEY)
    expect(text).not.toContain(WRONG_KEY)
  })

  it('a cancel stops the reading mid-file: verify-cancelled, answered by the job itself', async () => {
    let jobId = ''
    let asked = false
    const { jobs, events } = setup((event, child) => {
      if (event.type !== 'verify-progress' || asked) return
      asked = true
      // Frozen while the cancel is posted, so it is waiting when the job reads on, however fast the disk.
      process.kill(child.pid as number, 'SIGSTOP')
      expect(jobs.cancel(jobId)).toBe(true)
      process.kill(child.pid as number, 'SIGCONT')
    })
    jobId = jobs.startVerify({ file: big, keys: [] })
    const end = await jobs.whenVerified(jobId)

    expect(end?.outcome).toEqual({ kind: 'cancelled' })
    expect(end?.exit).toMatchObject({ crashed: false, killed: false })
    expect(events.at(-1)).toEqual({ type: 'verify-cancelled', jobId, file: big })
    const progress = progressOf(events)
    const total = progress[0]?.totalBytes ?? 0
    expect(total).toBeGreaterThan(96 << 20)
    expect(Math.max(...progress.map((p) => p.bytesRead))).toBeLessThan(total)
    expect(jobs.runningVerifies()).toEqual([])
  })

  it('a verify job killed from outside is JobCrashed, and the log says how it ended', async () => {
    let killed = false
    const { jobs, events, log } = setup((event, child) => {
      if (event.type !== 'verify-progress' || killed) return
      killed = true
      process.kill(child.pid as number, 'SIGKILL')
    })
    const jobId = jobs.startVerify({ file: big, keys: [] })
    const end = await jobs.whenVerified(jobId)
    const error = {
      code: 'JobCrashed',
      message: 'the verify job process ended unexpectedly (signal SIGKILL)',
    }
    expect(end?.outcome).toEqual({ kind: 'failed', error })
    expect(events.at(-1)).toEqual({ type: 'verify-failed', jobId, file: big, error })
    expect(await readFile(log.path, 'utf8')).toMatch(
      new RegExp(`WARN  \\[job ${jobId} pid \\d+\\] verify could not run: \\[JobCrashed\\]`),
    )
  })
})
