/**
 * The Node adapter with fake job entries (tiny scripts): what the supervisor sees when the entry is missing,
 * and that a kill after the cancel grace takes the job's own children (the dump binary) down with it.
 */
import { readFileSync } from 'node:fs'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createNodeForker } from '../../../electron/main/jobs/node-fork.ts'
import { createJobSupervisor } from '../../../electron/main/jobs/supervisor.ts'
import { waitFor } from '../../harness/processes.ts'
import { testPlan } from './fake-job-child.ts'

/** Running: there and not a zombie (in a container nobody may reap an orphan's zombie). */
const running = (pid: number): boolean => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z'
  } catch {
    return false
  }
}

async function script(source: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sfdb-fake-job-'))
  const path = join(dir, 'job.mjs')
  await writeFile(path, source)
  return path
}

// Each test starts a real Node process (and the second a child of it): seconds on a busy machine.
describe('node-fork adapter', { timeout: 60_000 }, () => {
  it('a job entry that is not there is a JobCrashed with the exit code', async () => {
    const jobs = createJobSupervisor({
      forkJob: createNodeForker('/nonexistent/backup-job.js', { output: 'ignore' }),
      onEvent: () => {},
    })
    const jobId = jobs.start(testPlan('/nonexistent-out'), { profile: 'p', files: [] })
    const end = await jobs.whenFinished(jobId)
    expect(end?.outcome).toEqual({
      kind: 'failed',
      error: {
        code: 'JobCrashed',
        message: 'the backup job process ended unexpectedly (exit code 1); no partial file was kept',
      },
    })
  })

  it('a job deaf to cancel and SIGTERM is killed after the grace, together with its child process', async () => {
    // Reports the pid of its `sleep` child, then ignores everything.
    const entry = await script(`
      import { spawn } from 'node:child_process'
      process.on('SIGTERM', () => {})
      const sleeper = spawn('sleep', ['60'], { stdio: 'ignore' })
      process.send({ type: 'log', jobId: '', level: 'info', message: String(sleeper.pid) })
      process.on('message', () => {})
    `)
    let reported: (pid: number) => void = () => {}
    const sleeperPid = new Promise<number>((resolve) => (reported = resolve))
    const jobs = createJobSupervisor({
      forkJob: createNodeForker(entry, { output: 'ignore' }),
      onEvent: (e) => {
        if (e.type === 'log') reported(Number(e.message))
      },
      cancelGraceMs: 200,
    })
    const jobId = jobs.start(testPlan('/nonexistent-out'), { profile: 'p', files: [] })
    const sleeper = await sleeperPid
    expect(running(sleeper)).toBe(true)
    jobs.cancel(jobId)
    const end = await jobs.whenFinished(jobId)
    expect(end?.outcome.kind).toBe('cancelled')
    expect(end?.info.exit).toEqual({ code: null, signal: 'SIGKILL', crashed: true, killed: true })
    // The kill went to the job's process group: the sleep is gone too (once the kernel has ended it).
    await waitFor(async () => !running(sleeper), 10_000, `the job's child ${sleeper} to end`)
  })
})
