/**
 * The app's job supervisor over the REAL Node adapter and the BUILT job entry (out/main/backup-job.js, what
 * Electron runs as a utility process), against the private mariadbd: a plan runs to done; a cancel
 * mid-dump, a job that ignores its cancel, and a job killed from outside leave no file and no `.part`.
 */
import { existsSync } from 'node:fs'
import { mkdir, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { JobEvent } from '../../shared/job-protocol.ts'
import { planBackup } from '../../electron/engine/backup/plan-backup.ts'
import { createNodeForker } from '../../electron/main/jobs/node-fork.ts'
import { createJobSupervisor, type JobSupervisor } from '../../electron/main/jobs/supervisor.ts'
import { useBackupFixture } from '../harness/backup-user.ts'
import { ROOT } from '../harness/cli.ts'
import { createSampleDatabase } from '../harness/fixtures.ts'
import { descendants, listProcesses, waitFor, type ProcessEntry } from '../harness/processes.ts'

const JOB_ENTRY = join(ROOT, 'out', 'main', 'backup-job.js')
const DB = 'jobsup_big'

describe('job supervisor: real job processes', () => {
  // Several MB of SQL: far more than the pipes between the dump and the job hold.
  const f = useBackupFixture('jobsup', (conn) =>
    createSampleDatabase(conn, DB, { rows: 30_000, rowBytes: 400 }),
  )
  let n = 0
  const freshOut = async (): Promise<string> => {
    const dir = join(f.sandbox.tmp, `out-${++n}`)
    await mkdir(dir)
    return dir
  }
  const plan = async (outputDir: string) => {
    if (!existsSync(JOB_ENTRY)) throw new Error('the job entry is not built: run `npm run build` first')
    const planned = await planBackup({
      mode: 'single',
      profileName: f.account.profile,
      connection: {
        host: f.server.host,
        port: f.server.port,
        user: f.account.user,
        password: f.account.password,
      },
      selection: {
        databases: [DB],
        excludeDatabases: [],
        excludeSystem: true,
        excludeEmpty: false,
        companions: [],
      },
      ticket: 'T-SUP',
      compression: { type: 'gzip', level: 9 },
      encryptionKey: null,
      outputDir,
      excludeUser: true,
    })
    return { plan: planned.plan, files: planned.files.map((x) => x.path) }
  }
  const supervisor = (cancelGraceMs?: number) => {
    const events: JobEvent[] = []
    const jobs: JobSupervisor = createJobSupervisor({
      forkJob: createNodeForker(JOB_ENTRY),
      onEvent: (e) => events.push(e),
      ...(cancelGraceMs === undefined ? {} : { cancelGraceMs }),
    })
    return { jobs, events }
  }
  /** The job process of this test (a child of this worker) once its dump runs, and the dump. */
  const dumpRunning = async (): Promise<{ job: ProcessEntry; dump: ProcessEntry }> => {
    const dump = await waitFor(
      async () =>
        (await descendants(process.pid)).find(
          (p) => /mariadb-dump|mysqldump/.test(p.argv[0] ?? '') && p.argv.includes(DB),
        ),
      60_000,
      'the dump process',
    )
    const job = (await listProcesses()).find((p) => p.pid === dump.ppid)
    expect(job?.argv.some((a) => a.endsWith('backup-job.js'))).toBe(true)
    return { job: job as ProcessEntry, dump }
  }
  const gone = async (pids: number[]) =>
    waitFor(
      async () => !(await listProcesses()).some((p) => pids.includes(p.pid)),
      10_000,
      'the processes to end',
    )

  it('runs a real backup plan to done: progress, the target, one final event, the file', async () => {
    const out = await freshOut()
    const { plan: p, files } = await plan(out)
    const { jobs, events } = supervisor()
    const jobId = jobs.start(p, { profile: f.account.profile, files })
    expect(jobs.running()).toMatchObject([{ jobId, profile: f.account.profile, mode: 'single', files }])
    const end = await jobs.whenFinished(jobId)

    expect(end?.outcome.kind).toBe('done')
    expect(end?.info.exit).toEqual({ code: 0, signal: null, crashed: false, killed: false })
    expect(events.every((e) => e.jobId === jobId)).toBe(true)
    expect(events.some((e) => e.type === 'progress')).toBe(true)
    expect(events.filter((e) => e.type === 'target')).toHaveLength(1)
    expect(events.at(-1)?.type).toBe('done')
    const names = await readdir(out)
    expect(names).toContain(files[0]?.split('/').at(-1))
    expect(names.filter((x) => x.endsWith('.part'))).toEqual([])
    expect(jobs.running()).toEqual([])
  })

  it('a cancel mid-dump ends cancelled, with no file, no .part and no process left', async () => {
    const out = await freshOut()
    const { plan: p, files } = await plan(out)
    const { jobs, events } = supervisor()
    const jobId = jobs.start(p, { profile: 'p', files })
    const { job, dump } = await dumpRunning()
    // Frozen mid-dump, so the cancel lands while the dump is blocked on a full pipe, however fast the machine.
    process.kill(job.pid, 'SIGSTOP')
    await waitFor(async () => (await readdir(out)).some((x) => x.endsWith('.part')), 10_000, 'the .part file')
    expect(jobs.cancel(jobId)).toBe(true)
    expect(jobs.running()[0]?.cancelling).toBe(true)
    process.kill(job.pid, 'SIGCONT')
    const end = await jobs.whenFinished(jobId)

    expect(end?.outcome.kind).toBe('cancelled')
    // The job cancelled itself within the grace: reported by the job, not killed.
    expect(end?.info.exit).toMatchObject({ crashed: false, killed: false })
    expect(events.at(-1)).toMatchObject({ type: 'cancelled', jobId })
    expect(await readdir(out)).toEqual([])
    await gone([job.pid, dump.pid])
  })

  it('a job that does not answer its cancel is killed after the grace, with its dump; the .part is removed', async () => {
    const out = await freshOut()
    const { plan: p, files } = await plan(out)
    const { jobs } = supervisor(500)
    const jobId = jobs.start(p, { profile: 'p', files })
    const { job, dump } = await dumpRunning()
    process.kill(job.pid, 'SIGSTOP') // and never resumed
    await waitFor(async () => (await readdir(out)).some((x) => x.endsWith('.part')), 10_000, 'the .part file')
    jobs.cancel(jobId)
    const end = await jobs.whenFinished(jobId)

    expect(end?.outcome.kind).toBe('cancelled')
    expect(end?.info.exit).toEqual({ code: null, signal: 'SIGKILL', crashed: true, killed: true })
    expect(await readdir(out)).toEqual([])
    await gone([job.pid, dump.pid])
  })

  it('a job killed from outside is JobCrashed and leaves no .part', async () => {
    const out = await freshOut()
    const { plan: p, files } = await plan(out)
    const { jobs, events } = supervisor()
    const jobId = jobs.start(p, { profile: 'p', files })
    const { job } = await dumpRunning()
    process.kill(job.pid, 'SIGSTOP')
    await waitFor(async () => (await readdir(out)).some((x) => x.endsWith('.part')), 10_000, 'the .part file')
    process.kill(job.pid, 'SIGKILL')
    const end = await jobs.whenFinished(jobId)

    expect(end?.outcome).toMatchObject({ kind: 'failed', error: { code: 'JobCrashed' } })
    expect(end?.info.exit).toMatchObject({ signal: 'SIGKILL', crashed: true, killed: false })
    expect(events.at(-1)).toMatchObject({ type: 'failed', jobId, error: { code: 'JobCrashed' } })
    expect(await readdir(out)).toEqual([])
  })
})
