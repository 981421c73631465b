import { mkdir, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { BackupResult } from '../../shared/backup-types.ts'
import { createBackupAccount, useBackupFixture } from '../harness/backup-user.ts'
import { runCli, startCli } from '../harness/cli.ts'
import { createSampleDatabase } from '../harness/fixtures.ts'
import { descendants, listProcesses, waitFor } from '../harness/processes.ts'

const BACKUP_KEY = 'failure-tests backup key'

describe('backup single: failures lose nothing and are named', () => {
  // Several MB of SQL: far more than the pipes between the dump and the job hold.
  const f = useBackupFixture(
    'failures',
    (conn) => createSampleDatabase(conn, 'bigshop', { rows: 30_000, rowBytes: 400 }),
    { SFDB_BACKUP_ENCRYPTION_KEY: BACKUP_KEY },
  )
  let n = 0
  const freshOut = async (): Promise<string> => {
    const dir = join(f.sandbox.tmp, `out-${++n}`)
    await mkdir(dir)
    return dir
  }
  const bigBackup = (out: string, extra: string[] = []): string[] => [
    'backup',
    'single',
    '--profile',
    f.account.profile,
    '--db',
    'bigshop',
    '--ticket',
    'T-1',
    '--compress-type',
    'gzip',
    '--compress-level',
    '9',
    '--output-dir',
    out,
    ...extra,
  ]
  /**
   * Freezes the job process (SIGSTOP) as soon as its dump is running, so the dump blocks on a full pipe
   * mid-stream however fast the machine is; resume() lets the job go on.
   */
  const freezeMidDump = async (cliPid: number) => {
    const dump = await waitFor(
      async () => (await descendants(cliPid)).find((p) => /mariadb-dump|mysqldump/.test(p.argv[0] ?? '')),
      60_000,
      'the dump process',
    )
    process.kill(dump.ppid, 'SIGSTOP')
    return { dump, job: dump.ppid, resume: () => process.kill(dump.ppid, 'SIGCONT') }
  }

  it('a wrong database password is AuthFailed and writes nothing', async () => {
    const bad = await createBackupAccount(f.conn, f.server, f.sandbox.env, 'wrongpw')
    await f.conn.query(`ALTER USER ?@'127.0.0.1' IDENTIFIED BY 'something-else'`, [bad.user])
    const out = await freshOut()
    const run = await runCli(
      [
        'backup',
        'single',
        '--profile',
        bad.profile,
        '--db',
        'bigshop',
        '--ticket',
        'T',
        '--output-dir',
        out,
        '--json',
      ],
      { env: { ...f.env, SFDB_PROFILE_KEY: bad.profileKey } },
    )
    expect(run.code).toBe(1)
    const result = JSON.parse(run.stdout) as BackupResult
    expect(result.targets[0]?.error?.code).toBe('AuthFailed')
    expect(result.targets[0]?.status).toBe('failed')
    expect(await readdir(out)).toEqual([])
  })

  it('an unknown database is UnknownDatabase, named in the message', async () => {
    const out = await freshOut()
    const run = await runCli(
      [
        'backup',
        'single',
        '--profile',
        f.account.profile,
        '--db',
        'no_such_db',
        '--ticket',
        'T',
        '--output-dir',
        out,
      ],
      { env: f.env },
    )
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('[UnknownDatabase]')
    expect(run.stderr).toContain("'no_such_db'")
    expect(await readdir(out)).toEqual([])
  })

  it('a missing ticket is a usage error (exit 2)', async () => {
    const run = await runCli(['backup', 'single', '--profile', f.account.profile, '--db', 'bigshop'], {
      env: f.env,
    })
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('--ticket is required')
  })

  it('a dump killed mid-stream is DumpFailed and leaves no file under a final name', async () => {
    const out = await freshOut()
    const { child, done } = startCli([...bigBackup(out), '--json'], { env: f.env })
    const frozen = await freezeMidDump(child.pid ?? 0)
    await waitFor(async () => (await readdir(out)).some((x) => x.endsWith('.part')), 10_000, 'the .part file')
    process.kill(frozen.dump.pid, 'SIGKILL')
    frozen.resume()
    const run = await done
    expect(run.code).toBe(1)
    const result = JSON.parse(run.stdout) as BackupResult
    expect(result.targets[0]?.error?.code).toBe('DumpFailed')
    expect(result.targets[0]?.error?.message).toContain('SIGKILL')
    expect(await readdir(out)).toEqual([])
  })

  it('no process argument list holds the password or a key while a dump runs', async () => {
    const out = await freshOut()
    const { child, done } = startCli(bigBackup(out), { env: f.env })
    const frozen = await freezeMidDump(child.pid ?? 0)
    const procs = await listProcesses()
    const dumpProc = (await descendants(child.pid ?? 0)).find((p) => /mariadb-dump/.test(p.argv[0] ?? ''))
    expect(dumpProc, 'the dump must be running while we look').toBeDefined()
    expect(dumpProc?.argv[1]).toMatch(/^--defaults-extra-file=/)
    for (const p of procs) {
      const joined = p.argv.join(' ')
      expect(joined).not.toContain(f.account.password)
      expect(joined).not.toContain(f.account.profileKey)
      expect(joined).not.toContain(BACKUP_KEY)
    }
    frozen.resume()
    child.kill('SIGINT')
    await done
  })

  it('Ctrl-C cancels cleanly: exit 130, dump killed, no .part and no file', async () => {
    const out = await freshOut()
    const { child, done } = startCli([...bigBackup(out), '--json'], { env: f.env })
    const frozen = await freezeMidDump(child.pid ?? 0)
    const tree = await descendants(child.pid ?? 0)
    child.kill('SIGINT')
    await new Promise((r) => setTimeout(r, 200)) // the cancel request waits in the frozen job's channel
    frozen.resume()
    const run = await done
    expect(run.code).toBe(130)
    const result = JSON.parse(run.stdout) as BackupResult
    expect(result.targets[0]?.status).toBe('cancelled')
    expect(await readdir(out)).toEqual([])
    const alive = (await listProcesses()).filter((p) => tree.some((t) => t.pid === p.pid))
    expect(alive).toEqual([])
  })

  it('a crashed job process is reported as JobCrashed and leaves no .part', async () => {
    const out = await freshOut()
    const { child, done } = startCli([...bigBackup(out), '--json'], { env: f.env })
    const frozen = await freezeMidDump(child.pid ?? 0)
    const job = (await descendants(child.pid ?? 0)).find((p) =>
      p.argv.some((a) => a.endsWith('backup-job.js')),
    )
    expect(job?.pid).toBe(frozen.job)
    await waitFor(async () => (await readdir(out)).some((x) => x.endsWith('.part')), 10_000, 'the .part file')
    process.kill(frozen.job, 'SIGKILL')
    const run = await done
    expect(run.code).toBe(1)
    const result = JSON.parse(run.stdout) as BackupResult
    expect(result.targets[0]?.error?.code).toBe('JobCrashed')
    expect(await readdir(out)).toEqual([])
  })
})
