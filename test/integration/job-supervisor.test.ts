/**
 * The app's job supervisor over the REAL Node adapter and the BUILT job entry (out/main/backup-job.js, what
 * Electron runs as a utility process), against the private mariadbd: a plan runs to done; a cancel
 * mid-dump, a job that ignores its cancel, and a job killed from outside leave no file and no `.part`.
 * The last two stop the job while the fake dump binary (../harness/fake-dump.ts) waits mid-stream.
 */
import { existsSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import type mysql from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { JobEvent } from '../../shared/job-protocol.ts'
import { planBackup } from '../../electron/engine/backup/plan-backup.ts'
import { createNodeForker } from '../../electron/main/jobs/node-fork.ts'
import { createJobSupervisor, type JobSupervisor } from '../../electron/main/jobs/supervisor.ts'
import { useBackupFixture } from '../harness/backup-user.ts'
import { ROOT } from '../harness/cli.ts'
import { createSampleDatabase } from '../harness/fixtures.ts'
import { createFakeDump, type FakeDump } from '../harness/fake-dump.ts'
import { connectRoot } from '../harness/mariadb.ts'
import { descendants, listProcesses, waitFor, type ProcessEntry } from '../harness/processes.ts'

const JOB_ENTRY = join(ROOT, 'out', 'main', 'backup-job.js')
const DB = 'jobsup_big'

describe('job supervisor: real job processes', () => {
  // Several MB of SQL: far more than the pipes between the dump and the job hold.
  const f = useBackupFixture('jobsup', (conn) =>
    createSampleDatabase(conn, DB, { rows: 30_000, rowBytes: 400 }),
  )
  const freshOut = f.freshOut
  /** The fake dump for the tests of jobs stopped mid-dump: it waits until the test says how to end. */
  let fake: FakeDump
  beforeAll(async () => {
    fake = await createFakeDump()
  })
  afterAll(async () => {
    await fake?.close()
  })
  const plan = async (outputDir: string, dumpBinary: string | null = null) => {
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
      dumpBinary,
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
  /** The processes of this worker (the job processes it forked, their dumps) among `pids` still alive. */
  const alive = async (pids: number[]): Promise<ProcessEntry[]> =>
    (await listProcesses()).filter((p) => pids.includes(p.pid))

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

  it('a cancel mid-dump of the real mariadb-dump ends cancelled, with no file, no .part and no process left', async () => {
    // The real client, held mid-stream by the server: a write lock on the last table makes the dump wait
    // there after it wrote the tables before it, however fast or slow the machine is.
    const locker = await connectRoot(f.server)
    try {
      await locker.query(`LOCK TABLES ${DB}.settings WRITE`)
      const out = await freshOut()
      const { plan: p, files } = await plan(out)
      const { jobs, events } = supervisor()
      const jobId = jobs.start(p, { profile: 'p', files })
      const finished = jobs.whenFinished(jobId)
      let ended = false
      void finished?.then(() => (ended = true))
      await waitFor(
        async () => {
          const [rows] = await f.conn.query<mysql.RowDataPacket[]>(
            `SELECT ID FROM information_schema.PROCESSLIST WHERE USER = ? AND STATE LIKE 'Waiting for table%lock'`,
            [f.account.user],
          )
          // Also stop waiting when the job ended early: the assertions below then say how.
          return rows.length > 0 || ended
        },
        60_000,
        'the dump to wait for the locked table',
      )
      const dump = (await descendants(process.pid)).find(
        (x) => /mariadb-dump|mysqldump/.test(x.argv[0] ?? '') && x.argv.includes(DB),
      )
      expect(dump, 'the real dump is running').toBeDefined()
      expect(events.some((e) => e.type === 'progress')).toBe(true) // the tables before the lock went through
      expect((await readdir(out)).filter((x) => x.endsWith('.part'))).toHaveLength(1)
      expect(jobs.cancel(jobId)).toBe(true)
      expect(jobs.running()[0]?.cancelling).toBe(true)
      const end = await finished

      expect(end?.outcome.kind).toBe('cancelled')
      // The job cancelled itself within the grace: reported by the job, not killed.
      expect(end?.info.exit).toMatchObject({ crashed: false, killed: false })
      expect(events.at(-1)).toMatchObject({ type: 'cancelled', jobId })
      expect(await readdir(out)).toEqual([])
      // The job has exited (whenFinished); the dump was killed and reaped by it before it reported.
      expect(await alive([dump?.pid ?? 0, dump?.ppid ?? 0])).toEqual([])
    } finally {
      await locker.query('UNLOCK TABLES').catch(() => {})
      await locker.end()
    }
  })

  it('a job that does not answer its cancel is killed after the grace, with its dump; the .part is removed', async () => {
    const out = await freshOut()
    const { plan: p, files } = await plan(out, fake.path)
    const { jobs } = supervisor(500)
    const jobId = jobs.start(p, { profile: 'p', files })
    const run = await fake.nextRun(jobs.whenFinished(jobId) ?? undefined)
    expect((await readdir(out)).filter((x) => x.endsWith('.part'))).toHaveLength(1)
    process.kill(run.ppid, 'SIGSTOP') // the job, frozen and never resumed: it cannot answer
    jobs.cancel(jobId)
    const end = await jobs.whenFinished(jobId)

    expect(end?.outcome.kind).toBe('cancelled')
    expect(end?.info.exit).toEqual({ code: null, signal: 'SIGKILL', crashed: true, killed: true })
    expect(await readdir(out)).toEqual([])
    await run.ended // the kill took the job's process group, the dump with it
  })

  it('a job killed from outside is JobCrashed and leaves no .part', async () => {
    const out = await freshOut()
    const { plan: p, files } = await plan(out, fake.path)
    const { jobs, events } = supervisor()
    const jobId = jobs.start(p, { profile: 'p', files })
    const run = await fake.nextRun(jobs.whenFinished(jobId) ?? undefined)
    expect((await readdir(out)).filter((x) => x.endsWith('.part'))).toHaveLength(1)
    process.kill(run.ppid, 'SIGKILL')
    const end = await jobs.whenFinished(jobId)

    expect(end?.outcome).toMatchObject({ kind: 'failed', error: { code: 'JobCrashed' } })
    expect(end?.info.exit).toMatchObject({ signal: 'SIGKILL', crashed: true, killed: false })
    expect(events.at(-1)).toMatchObject({ type: 'failed', jobId, error: { code: 'JobCrashed' } })
    expect(await readdir(out)).toEqual([])
    await run.crash() // the orphaned dump: nobody reads it any more
  })
})
