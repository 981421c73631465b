/**
 * Offsite copies of an app backup job: a real plan with `offsite` run by the app's real supervisor in the
 * BUILT job process (out/main/backup-job.js) against the private mariadbd — copies to a folder recorded in
 * the `.meta.json`, upload progress as `copy-progress` events, a dead destination leaving its file
 * `success_with_warnings` with the local file kept, a cancel during an upload to the private sshd leaving
 * no `.part` there, and the local retention after the copies keeping a backup that has no verified copy.
 */
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Destination } from '../../shared/destination.ts'
import type { BackupPlan, JobEvent, OffsiteSecrets } from '../../shared/job-protocol.ts'
import { planBackup } from '../../electron/engine/backup/plan-backup.ts'
import { createNodeForker } from '../../electron/main/jobs/node-fork.ts'
import { createJobSupervisor } from '../../electron/main/jobs/supervisor.ts'
import { useBackupFixture } from '../harness/backup-user.ts'
import { ROOT } from '../harness/cli.ts'
import { createSampleDatabase } from '../harness/fixtures.ts'
import { startPrivateSshd, type PrivateSshd } from '../harness/sshd.ts'

const JOB_ENTRY = join(ROOT, 'out', 'main', 'backup-job.js')
const SMALL = 'offjob_small'
const BIG = 'offjob_big'

type CopyEvent = Extract<JobEvent, { type: 'copy-progress' }>

describe('offsite copies of an app backup job (real supervisor, built job process)', () => {
  const f = useBackupFixture('offjob', async (conn) => {
    await createSampleDatabase(conn, SMALL, { rows: 40 })
    // ≈ 12 MB of SQL written uncompressed: an upload over SFTP that a cancel catches half-way.
    await createSampleDatabase(conn, BIG, { rows: 30_000, rowBytes: 400 })
  })
  let sshd: PrivateSshd
  let dir = ''
  beforeAll(async () => {
    sshd = await startPrivateSshd()
    dir = await mkdtemp(join(tmpdir(), 'sfdb-offjob-'))
    await writeFile(join(dir, 'known_hosts'), `[${sshd.host}]:${sshd.port} ${sshd.hostKey}\n`)
  })
  afterAll(async () => {
    await sshd?.stop()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  const plan = async (
    db: string,
    outputDir: string,
    destinations: Destination[],
    extra: Partial<BackupPlan> = {},
    ticket = 'T-OFF',
  ): Promise<{ plan: BackupPlan; files: string[] }> => {
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
        databases: [db],
        excludeDatabases: [],
        excludeSystem: true,
        excludeEmpty: false,
        companions: [],
      },
      ticket,
      compression: { type: 'none', level: 0 },
      encryptionKey: null,
      outputDir,
      excludeUser: true,
    })
    return {
      plan: {
        ...planned.plan,
        offsite: { destinations, hostKeys: { knownHostsFile: join(dir, 'known_hosts'), insecure: false } },
        ...extra,
      },
      files: planned.files.map((x) => x.path),
    }
  }

  const run = (p: BackupPlan, files: string[], secrets?: OffsiteSecrets, onEvent?: (e: JobEvent) => void) => {
    const events: JobEvent[] = []
    const jobs = createJobSupervisor({
      forkJob: createNodeForker(JOB_ENTRY),
      onEvent: (e) => {
        events.push(e)
        onEvent?.(e)
      },
    })
    const jobId = jobs.start(p, { profile: f.account.profile, files }, secrets)
    return { jobs, jobId, events, finished: jobs.whenFinished(jobId) }
  }

  const meta = async (file: string) =>
    JSON.parse(await readFile(`${file}.meta.json`, 'utf8')) as {
      status: string
      warnings?: string[]
      copies?: { destination: string; url: string; verified_at: string }[]
    }

  it('copies the file and its metadata to a folder, records the copy and reports upload progress', async () => {
    const out = await f.freshOut()
    const nas = join(dir, 'nas')
    const { plan: p, files } = await plan(SMALL, out, [{ kind: 'folder', name: 'nas', path: nas }])
    const { events, finished } = run(p, files)
    const end = await finished
    expect(end?.outcome.kind).toBe('done')
    const file = files[0] as string
    const result = end?.outcome.kind === 'done' ? end.outcome.result : null
    expect(result?.targets.map((t) => t.status)).toEqual(['success'])
    expect((await readdir(nas)).sort()).toEqual([basename(file), `${basename(file)}.meta.json`].sort())
    expect(await readFile(join(nas, basename(file)))).toEqual(await readFile(file))
    expect((await meta(file)).copies).toEqual([
      { destination: 'nas', url: expect.stringMatching(/^file:\/\//), verified_at: expect.any(String) },
    ])
    const copies = events.filter((e): e is CopyEvent => e.type === 'copy-progress')
    const dump = copies.filter((e) => e.file === basename(file))
    expect(dump.length).toBeGreaterThan(0)
    expect(dump.at(-1)).toMatchObject({ destination: 'nas', bytes: dump.at(-1)?.total })
    // The copies come after the file was written, before the job's final event.
    const order = events.map((e) => e.type)
    expect(order.indexOf('copy-progress')).toBeGreaterThan(order.indexOf('target'))
    expect(order.at(-1)).toBe('done')
  })

  it('a dead destination leaves the file success_with_warnings, the local file kept and the good copy made', async () => {
    const out = await f.freshOut()
    const blocker = join(dir, 'not-a-folder')
    await writeFile(blocker, 'a file where the destination folder should be\n')
    const good = join(dir, 'good')
    const { plan: p, files } = await plan(SMALL, out, [
      { kind: 'folder', name: 'dead', path: join(blocker, 'inside') },
      { kind: 'folder', name: 'good', path: good },
    ])
    const { events, finished } = run(p, files)
    const end = await finished
    expect(end?.outcome.kind).toBe('done')
    const file = files[0] as string
    const target = end?.outcome.kind === 'done' ? end.outcome.result.targets[0] : undefined
    expect(target?.status).toBe('success_with_warnings')
    expect(target?.warnings.join('\n')).toMatch(
      /offsite copy to dead failed \[CopyFailed\].*the local file is kept/,
    )
    expect((await readdir(out)).sort()).toEqual([basename(file), `${basename(file)}.meta.json`].sort())
    const recorded = await meta(file)
    expect(recorded.status).toBe('success_with_warnings')
    expect(recorded.copies?.map((c) => c.destination)).toEqual(['good'])
    expect(
      events.some((e) => e.type === 'log' && e.level === 'warn' && e.message.includes('copy to dead failed')),
    ).toBe(true)
  })

  it('a cancel during an upload over SFTP ends cancelled: no .part on the server, the local file kept', async () => {
    const out = await f.freshOut()
    const remote = join(dir, 'remote')
    await mkdir(remote)
    const sftp: Destination = {
      kind: 'sftp',
      name: 'off1',
      host: sshd.host,
      port: sshd.port,
      user: sshd.user,
      path: remote,
      auth: 'key',
      identityFile: sshd.identityFile,
    }
    const { plan: p, files } = await plan(BIG, out, [sftp])
    const file = files[0] as string
    let sawPart = false
    const handle: { cancel?: () => void } = {}
    const started = run(p, files, undefined, (e) => {
      if (e.type !== 'copy-progress' || e.file !== basename(file) || e.bytes < 1024 * 1024) return
      if (handle.cancel === undefined) return
      const cancel = handle.cancel
      handle.cancel = undefined
      void readdir(remote).then((names) => {
        sawPart ||= names.includes(`${basename(file)}.part`)
        cancel()
      })
    })
    handle.cancel = () => started.jobs.cancel(started.jobId)
    const end = await started.finished
    expect(end?.outcome.kind).toBe('cancelled')
    expect(sawPart).toBe(true) // the upload was really under way
    expect((await readdir(remote)).filter((n) => n.endsWith('.part'))).toEqual([])
    expect((await readdir(remote)).includes(basename(file))).toBe(false)
    expect((await readdir(out)).sort()).toEqual([basename(file), `${basename(file)}.meta.json`].sort())
    expect((await meta(file)).copies ?? []).toEqual([])
  })

  it('the retention after the copies keeps an old backup without a verified copy, removes one with a copy', async () => {
    const out = await f.freshOut()
    const nas = join(dir, 'nas-retention')
    const destinations: Destination[] = [{ kind: 'folder', name: 'nas2', path: nas }]
    // Two earlier runs of the same database, both copied, then made old: one loses its recorded copy.
    const earlier: string[] = []
    for (let i = 0; i < 2; i++) {
      const { plan: p, files } = await plan(SMALL, out, destinations, {}, `T-OLD${i}`)
      const { finished } = run(p, files)
      expect((await finished)?.outcome.kind).toBe('done')
      earlier.push(files[0] as string)
    }
    const [uncopied, copied] = earlier as [string, string]
    const old = new Date(Date.now() - 40 * 86_400_000)
    for (const file of earlier) {
      const m = JSON.parse(await readFile(`${file}.meta.json`, 'utf8')) as {
        time: Record<string, unknown>
        copies?: unknown
      }
      const stamped = { ...m, backup_date: old.toISOString(), time: { ...m.time, start: old.toISOString() } }
      if (file === uncopied) delete stamped.copies
      await chmod(`${file}.meta.json`, 0o600)
      await writeFile(`${file}.meta.json`, JSON.stringify(stamped, null, 2))
      await utimes(file, old, old)
    }
    const { plan: p, files } = await plan(SMALL, out, destinations, {
      cleanup: { retentionDays: 7, minBackups: 1 },
    })
    const { events, finished } = run(p, files)
    expect((await finished)?.outcome.kind).toBe('done')
    const names = await readdir(out)
    expect(names).toContain(basename(files[0] as string))
    expect(names).toContain(basename(uncopied)) // no verified copy: kept whatever its age
    expect(names).not.toContain(basename(copied))
    expect(events.some((e) => e.type === 'log' && e.message.includes(`removed ${copied}`))).toBe(true)
  })
})
