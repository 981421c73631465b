/**
 * The database password never rests on disk and no secret reaches a child's environment (issue 11, points
 * 1, 2 and 4): whatever signals hit the CLI, the job or the dump, and whatever the config's extra dump
 * arguments say. The signal races use the FAKE dump binary (test/harness/fake-dump.ts) so that they strike
 * while the dump is in flight; the read-once proof uses the REAL mariadb-dump and mariadb.
 */
import { spawn } from 'node:child_process'
import { lstat, mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ConnectionSettings } from '../../shared/job-protocol.ts'
import { startDump } from '../../electron/engine/dump/dump-process.ts'
import { Session } from '../../electron/engine/restore/load/session.ts'
import { findClientBinary } from '../../electron/engine/restore/client-binary.ts'
import { useBackupFixture } from '../harness/backup-user.ts'
import { runCli, startCli, type CliRun } from '../harness/cli.ts'
import { createFakeDump, type FakeDump, type FakeDumpRun } from '../harness/fake-dump.ts'
import { createSampleDatabase } from '../harness/fixtures.ts'
import { waitFor } from '../harness/processes.ts'

const BACKUP_KEY = 'credentials-at-rest backup key'
/** What a careless environment could hold: MySQL's password variable and a host that is not the profile's. */
const MYSQL_PWD = 'mysql-pwd-that-must-not-leak'

/** Every regular file under `dir` (a FIFO is never read: it holds nothing at rest, and a read would block). */
async function regularFiles(dir: string): Promise<string[]> {
  const out: string[] = []
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(join(entry.parentPath, entry.name))
  }
  return out
}

/** The files under `dir` holding one of `secrets`, and the credential folders left there. */
async function leftovers(dir: string, secrets: string[]): Promise<{ holding: string[]; folders: string[] }> {
  const holding: string[] = []
  for (const file of await regularFiles(dir)) {
    const text = (await readFile(file).catch(() => Buffer.alloc(0))).toString('latin1')
    if (secrets.some((s) => text.includes(s))) holding.push(file)
  }
  const folders = (await readdir(dir)).filter((n) => n.startsWith('sfdb-cred-'))
  return { holding, folders }
}

/** The pid of a process that has ended (so no process has it now, for the sweep test). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' })
  const pid = child.pid ?? 0
  await new Promise((resolve) => child.once('close', resolve))
  return pid
}

describe('credentials at rest and in child environments', () => {
  const f = useBackupFixture('credrest', (conn) => createSampleDatabase(conn, 'credshop', { rows: 50 }), {
    SFDB_BACKUP_ENCRYPTION_KEY: BACKUP_KEY,
    MYSQL_PWD,
  })
  let fake: FakeDump
  beforeAll(async () => {
    fake = await createFakeDump()
  })
  afterAll(async () => {
    await fake?.close()
  })
  const args = (out: string, extra: string[] = []): string[] => [
    'backup',
    'single',
    '--profile',
    f.account.profile,
    '--db',
    'credshop',
    '--ticket',
    'T-CRED',
    '--output-dir',
    out,
    ...extra,
  ]
  const secrets = (): string[] => [f.account.password, f.account.profileKey, BACKUP_KEY]

  /** The ways a run can be cut short while its dump is in flight (the CLI runs the job itself). */
  const attacks: Record<string, (cli: ReturnType<typeof startCli>, run: FakeDumpRun) => void> = {
    'SIGKILL to the CLI': ({ child }) => child.kill('SIGKILL'),
    'SIGTERM then SIGINT to the CLI': ({ child }) => {
      child.kill('SIGTERM')
      child.kill('SIGINT')
    },
    // The attack run's spacing: the CLI is in its cancel when the second signal kills the job.
    'SIGTERM, 20 ms, SIGINT to the CLI': ({ child }) => {
      child.kill('SIGTERM')
      setTimeout(() => child.kill('SIGINT'), 20)
    },
    'SIGKILL to the dump': (_cli, run) => process.kill(run.pid, 'SIGKILL'),
    "SIGTERM to the dump's parent": (_cli, run) => process.kill(run.ppid, 'SIGTERM'),
  }

  it('no sequence of signals to the CLI or the dump leaves the password on disk (25 runs)', async () => {
    const names = Object.keys(attacks)
    for (let i = 0; i < 25; i++) {
      const name = names[i % names.length] ?? ''
      const out = join(f.sandbox.tmp, `race-${i}`)
      await mkdir(out)
      const cli = startCli(args(out, ['--dump-binary', fake.path]), { env: f.env })
      const run = await fake.nextRun(cli.done)
      // While the dump runs, its options are a FIFO: the password is in no file at rest.
      const optionsPath = (run.args[0] ?? '').replace(/^--defaults-extra-file=/, '')
      expect((await lstat(optionsPath)).isFIFO(), optionsPath).toBe(true)
      expect((await leftovers(f.sandbox.tmp, secrets())).holding, name).toEqual([])
      attacks[name]?.(cli, run)
      const ended: CliRun = await cli.done
      expect(ended.code, `${name}: ${ended.stderr}`).not.toBe(0)
      const killed = name === 'SIGKILL to the CLI'
      // The fake may outlive a killed CLI (it waits on its control socket): end it, as a real dump's EPIPE would.
      if (killed) await run.crash('SIGKILL').catch(() => {})
      await run.ended
      // A process killed outright cleans nothing: its folder (an empty FIFO's, holding nothing) stays until
      // the next run sweeps the folders of processes that no longer run — the next run's check proves it.
      const left = await leftovers(f.sandbox.tmp, secrets())
      expect(left.holding, `run ${i}: ${name}`).toEqual([])
      expect(
        left.folders.filter((n) => !(killed && n.startsWith(`sfdb-cred-${run.ppid}-`))),
        `run ${i}: ${name}`,
      ).toEqual([])
    }
  }, 600_000)

  it('a credential folder of a process that no longer runs is swept when the CLI starts a job', async () => {
    const stale = join(f.sandbox.tmp, `sfdb-cred-${await deadPid()}-AbC123`)
    await mkdir(stale, { mode: 0o700 })
    await writeFile(join(stale, 'client.cnf'), '[client]\npassword="left by a killed job"\n', { mode: 0o600 })
    const out = join(f.sandbox.tmp, 'sweep')
    await mkdir(out)
    const run = await runCli(args(out), { env: f.env })
    expect(run.code, run.stderr).toBe(0)
    expect((await readdir(f.sandbox.tmp)).filter((n) => n.startsWith('sfdb-cred-'))).toEqual([])
  }, 120_000)

  it('the dump binary gets no SFDB_* variable, no MYSQL_PWD and nothing else of ours in its environment', async () => {
    const out = join(f.sandbox.tmp, 'environ')
    await mkdir(out)
    const cli = startCli(args(out, ['--dump-binary', fake.path]), {
      env: { ...f.env, MYSQL_HOST: 'not-the-profile-host', SFDB_SOME_TOKEN: 'tok' },
    })
    const run = await fake.nextRun(cli.done)
    const environ = (await readFile(`/proc/${run.pid}/environ`, 'utf8')).split('\0').filter(Boolean)
    const names = environ.map((e) => e.slice(0, e.indexOf('=')))
    await run.finish()
    expect((await cli.done).code).toBe(0)
    expect(names.filter((n) => /^(SFDB_|MYSQL_|MARIADB_)/.test(n))).toEqual([])
    expect(names).toContain('PATH')
    // Started through stdbuf (output-buffer.ts): its stdout in 1 MiB writes; stdbuf's own variables, no secret.
    expect(environ).toContain('_STDBUF_O=1048576')
    for (const secret of [...secrets(), MYSQL_PWD]) expect(environ.join('\n')).not.toContain(secret)
  }, 120_000)

  it('refuses mysqldump_args that redirect the output or change the credentials, naming the argument', async () => {
    const config = join(f.sandbox.configDir, 'sfDBTools_config.yaml')
    const leak = join(f.sandbox.tmp, 'leak.sql')
    const cases = [
      `--result-file=${leak}`,
      `-r ${leak}`,
      `--tab=${f.sandbox.tmp}`,
      '--user=root',
      '--password=x',
      `--defaults-file=${leak}`,
      '--skip-ssl',
      '--loose-result_file=/tmp/x',
    ]
    try {
      for (const bad of cases) {
        await writeFile(config, `backup:\n  mysqldump_args: "--skip-comments ${bad}"\n`)
        const out = join(f.sandbox.tmp, `args-${cases.indexOf(bad)}`)
        await mkdir(out)
        const run = await runCli(args(out), { env: f.env })
        expect(run.code, `${bad}: ${run.stderr}`).toBe(2)
        expect(run.stderr).toContain(`the extra dump argument '${bad.split(' ')[0]}'`)
        expect(run.stderr).toContain('is refused')
        expect(await readdir(out)).toEqual([])
      }
      await expect(lstat(leak)).rejects.toThrow(/ENOENT/)
    } finally {
      await writeFile(config, '')
    }
  }, 240_000)
})

describe('the real clients read their options from the FIFO once', () => {
  const f = useBackupFixture('credfifo', (conn) => createSampleDatabase(conn, 'fifoshop', { rows: 20 }))
  const connection = (): ConnectionSettings => ({
    host: f.server.host,
    port: f.server.port,
    user: f.account.user,
    password: f.account.password,
  })

  it('mariadb-dump and mariadb log in through it, end, and leave no credential folder', async () => {
    const tmp = await mkdtemp(join(f.sandbox.tmp, 'fifo-'))
    const previous = process.env.TMPDIR
    process.env.TMPDIR = tmp
    try {
      for (let i = 0; i < 3; i++) {
        const dump = await startDump('mariadb-dump', connection(), ['--no-data', '--', 'fifoshop'])
        let sql = ''
        dump.stdout.on('data', (d: Buffer) => (sql += d.toString()))
        const exit = await dump.exited
        expect(exit.code, exit.stderrTail).toBe(0)
        expect(sql).toContain('-- Dump completed')
      }
      const binary = await findClientBinary()
      const seen: string[] = []
      const session = await Session.start({
        binary,
        direct: connection(),
        database: 'fifoshop',
        force: false,
        spawn,
        token: 'tok',
        onMarker: (n) => seen.push(String(n)),
        onError: (e) => seen.push(`error ${e.client.message}`),
      })
      session.end()
      const exit = await session.exited
      expect(exit.code, exit.stderrTail).toBe(0)
      await waitFor(async () => (await readdir(tmp)).length === 0, 10_000, 'the credential folders removed')
    } finally {
      if (previous === undefined) delete process.env.TMPDIR
      else process.env.TMPDIR = previous
    }
  }, 120_000)
})
