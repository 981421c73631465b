import { readdir } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BackupResult } from '../../shared/backup-types.ts'
import { createBackupAccount, useBackupFixture } from '../harness/backup-user.ts'
import { runCli, startCli } from '../harness/cli.ts'
import { createSampleDatabase } from '../harness/fixtures.ts'
import { createFakeDump, type FakeDump } from '../harness/fake-dump.ts'
import { descendants, listProcesses } from '../harness/processes.ts'

const BACKUP_KEY = 'failure-tests backup key'

describe('backup single: failures lose nothing and are named', () => {
  const f = useBackupFixture('failures', (conn) => createSampleDatabase(conn, 'failshop'), {
    SFDB_BACKUP_ENCRYPTION_KEY: BACKUP_KEY,
  })
  /** The dump for the tests of what happens while one runs: it waits until the test says how to end. */
  let fake: FakeDump
  beforeAll(async () => {
    fake = await createFakeDump()
  })
  afterAll(async () => {
    await fake?.close()
  })
  const freshOut = f.freshOut
  /** A backup of failshop, encrypted, through the fake dump. */
  const backupArgs = (out: string): string[] => [
    'backup',
    'single',
    '--profile',
    f.account.profile,
    '--db',
    'failshop',
    '--ticket',
    'T-1',
    '--compress-type',
    'gzip',
    '--compress-level',
    '9',
    '--output-dir',
    out,
    '--dump-binary',
    fake.path,
  ]

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
        'failshop',
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
    const run = await runCli(['backup', 'single', '--profile', f.account.profile, '--db', 'failshop'], {
      env: f.env,
    })
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('--ticket is required')
  })

  it('a dump killed mid-stream is DumpFailed and leaves no file under a final name', async () => {
    const out = await freshOut()
    const { done } = startCli([...backupArgs(out), '--json'], { env: f.env })
    const run = await fake.nextRun(done)
    // The fake wrote its head and waits: the dump is in flight and the job writes the .part.
    expect((await readdir(out)).filter((x) => x.endsWith('.part'))).toHaveLength(1)
    await run.crash('SIGKILL')
    const cli = await done
    expect(cli.code).toBe(1)
    const result = JSON.parse(cli.stdout) as BackupResult
    expect(result.targets[0]?.error?.code).toBe('DumpFailed')
    expect(result.targets[0]?.error?.message).toContain('SIGKILL')
    expect(await readdir(out)).toEqual([])
  })

  it('a dump that fails mid-stream is reported with its own error and leaves no file', async () => {
    const out = await freshOut()
    const { done } = startCli([...backupArgs(out), '--json'], { env: f.env })
    const run = await fake.nextRun(done)
    await run.fail(2, 'mariadb-dump: Got error: 2013: Lost connection to server during query')
    const cli = await done
    expect(cli.code).toBe(1)
    const result = JSON.parse(cli.stdout) as BackupResult
    expect(result.targets[0]?.status).toBe('failed')
    expect(result.targets[0]?.error?.message).toContain('Lost connection to server during query')
    expect(await readdir(out)).toEqual([])
  })

  it('no process argument list holds the password or a key while a dump runs', async () => {
    const out = await freshOut()
    const { child, done } = startCli(backupArgs(out), { env: f.env })
    const run = await fake.nextRun(done)
    // The dump is running (it waits for us) while we look at every process of the machine.
    expect(run.args[0]).toMatch(/^--defaults-extra-file=/)
    const procs = await listProcesses()
    expect(procs.some((p) => p.pid === run.pid)).toBe(true)
    for (const p of procs) {
      const joined = p.argv.join(' ')
      expect(joined).not.toContain(f.account.password)
      expect(joined).not.toContain(f.account.profileKey)
      expect(joined).not.toContain(BACKUP_KEY)
    }
    child.kill('SIGINT')
    await done
  })

  it('Ctrl-C cancels cleanly: exit 130, dump killed, no .part and no file', async () => {
    const out = await freshOut()
    // A terminal's Ctrl-C goes to the whole foreground process group: the CLI's group here.
    const { child, done } = startCli([...backupArgs(out), '--json'], { env: f.env, ownGroup: true })
    const run = await fake.nextRun(done)
    const cliPid = child.pid ?? 0
    // The CLI runs the job itself; the dump runs in a process group of its own, which Ctrl-C does not reach.
    expect(run.ppid).toBe(cliPid)
    const tree = await descendants(cliPid)
    const dump = tree.find((p) => p.pid === run.pid)
    expect(dump?.pgid).not.toBe(cliPid)
    process.kill(-cliPid, 'SIGINT')
    const cli = await done
    expect(cli.code).toBe(130)
    const result = JSON.parse(cli.stdout) as BackupResult
    // Cancelled by the CLI, not failed by a dump that died of the signal itself.
    expect(result.targets[0]?.status).toBe('cancelled')
    expect(await readdir(out)).toEqual([])
    await run.ended // killed by the cancel, not left waiting
    const alive = (await listProcesses()).filter((p) => tree.some((t) => t.pid === p.pid))
    expect(alive).toEqual([])
  })

  it('a CLI killed outright leaves no file under a final name, and its dump ends', async () => {
    const out = await freshOut()
    const { child, done } = startCli([...backupArgs(out), '--json'], { env: f.env })
    const run = await fake.nextRun(done)
    expect((await readdir(out)).filter((x) => x.endsWith('.part'))).toHaveLength(1)
    child.kill('SIGKILL')
    expect((await done).signal).toBe('SIGKILL')
    // The dump outlives it only until it writes again: the reader is gone, so the write kills it (SIGPIPE).
    await run.finish()
    await run.ended
    expect((await readdir(out)).filter((x) => !x.endsWith('.part'))).toEqual([])
  })
})
