/**
 * A FAKE dump binary for tests of what happens while a dump runs (cancel, Ctrl-C, a dump or a job killed
 * mid-stream). It is NOT mariadb-dump and never talks to a server: it answers `--version` like MariaDB's
 * client, writes a small, known SQL stream, then stops and waits — in a blocking read on its control
 * connection, no timers — until the test tells it how to end: finish the stream (exit 0), fail like a dump
 * error (exit 2), or die by a signal. A cancel from the engine (SIGTERM) kills it at once.
 *
 * So a test acts exactly while the dump is in flight, on any machine however busy, instead of hoping to
 * catch a real multi-MB dump in /proc before it ends. Tests where the real client is the point (a real
 * backup restored, one real cancel) still use the real mariadb-dump.
 *
 *   const fake = await createFakeDump()
 *   const { child, done } = startCli([...args, '--dump-binary', fake.path])
 *   const run = await fake.nextRun(done)  // the fake has written its head and waits
 *   child.kill('SIGINT')                   // or run.finish(), run.fail(), run.crash('SIGKILL')
 *   await run.ended
 *   await fake.close()
 *
 * Files (in a private temp folder): `mariadb-dump`, a sh script that answers `--version` itself and
 * otherwise execs Node on `fake-dump.mjs`, which connects to `control.sock` (a Unix socket this module
 * serves) to say "started" and to hear what to do.
 */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer, type connect as netConnect, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** What the fake answers to `--version` (parsed by dump-binary.ts as MariaDB's client 10.11.99). */
export const FAKE_DUMP_VERSION_LINE =
  'mariadb-dump  Ver 10.19 Distrib 10.11.99-MariaDB, for sfdb-test-fake (x86_64) [FAKE dump binary]'

/** One start of the fake dump, stopped after writing its head. */
export interface FakeDumpRun {
  pid: number
  /** Its parent: the CLI (which runs its job itself) or the job process that started it. */
  ppid: number
  /** Its arguments as the engine gave them (the credentials file first). */
  args: string[]
  /** The databases it was asked for (what follows `--`). */
  databases: string[]
  /** Writes about `bytes` more rows and waits again; resolves once they are written (taken by the reader). */
  more(bytes: number): Promise<void>
  /** Writes the rest of the SQL with the completion trailer and exits 0; resolves once it has ended. */
  finish(): Promise<void>
  /** Writes `stderr` and exits with `code`, like a dump that failed; resolves once it has ended. */
  fail(code?: number, stderr?: string): Promise<void>
  /** Kills itself with `signal` (a crash mid-stream); resolves once it has ended. */
  crash(signal?: NodeJS.Signals): Promise<void>
  /** Resolves when the process has ended (its control connection closed), however it ended. */
  ended: Promise<void>
}

export interface FakeDump {
  /** The executable to configure as the dump binary (`--dump-binary`, `dumpBinary`). */
  path: string
  /**
   * The next start of the fake (in start order), once it has written its head and waits. When `orEnd`
   * settles first (e.g. the CLI's `done`), rejects with what it gave: the command ended without a dump.
   */
  nextRun(orEnd?: Promise<unknown>): Promise<FakeDumpRun>
  /** Ends every run still waiting (they exit 3) and removes the fake's files. */
  close(): Promise<void>
}

export interface FakeDumpOptions {
  /** The table its rows are for (default `fake_rows`): a real table's name makes the progress name it. */
  table?: string
}

/**
 * SQL the fake writes before it stops. Less than the engine's 1 MiB read block: the job sees it only with
 * what follows (more(), finish()), so a test that wants progress on the screen asks for more.
 */
const HEAD_BYTES = 4096

const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`

interface FakeProgramConfig {
  socketPath: string
  headBytes: number
  table: string
  versionLine: string
}

/** What the test tells a waiting fake (one JSON line each). */
type FakeCommand =
  | { do: 'more'; bytes: number }
  | { do: 'finish' }
  | { do: 'fail'; code: number; stderr: string }
  | { do: 'crash'; signal: NodeJS.Signals }

/**
 * The fake's program. It runs in its own process from its source text (fakeProgramSource), so it may use
 * nothing but its parameters and Node's globals.
 */
async function fakeDumpMain(connect: typeof netConnect, config: FakeProgramConfig): Promise<void> {
  const args = process.argv.slice(2)
  const sep = args.indexOf('--')
  const databases = sep >= 0 ? args.slice(sep + 1) : []
  const tick = String.fromCharCode(96)
  const q = (name: string): string => tick + name.split(tick).join(tick + tick) + tick
  const table = q(config.table)
  const write = (text: string): Promise<void> =>
    new Promise((resolve, reject) => process.stdout.write(text, (e) => (e ? reject(e) : resolve())))
  const die = (message: string, code: number): void => {
    process.stderr.write(`fake dump: ${message}\n`, () => process.exit(code))
  }
  let id = 1
  const rows = (bytes: number): string => {
    let sql = ''
    while (sql.length < bytes) {
      const values: string[] = []
      for (let n = 0; n < 100; n++) values.push(`(${id++},'fake row ${'x'.repeat(100)}')`)
      sql += `INSERT INTO ${table} VALUES ${values.join(',')};\n`
    }
    return sql
  }

  let head =
    `-- ${config.versionLine}\n--\n-- Host: fake    Database: ${databases[0] ?? ''}\n` +
    '-- ------------------------------------------------------\n/*!40101 SET NAMES utf8mb4 */;\n'
  for (const db of databases) {
    if (args.includes('--databases'))
      head += `\n--\n-- Current Database: ${q(db)}\n--\n\nCREATE DATABASE IF NOT EXISTS ${q(db)};\nUSE ${q(db)};\n`
    head +=
      `\n--\n-- Table structure for table ${table}\n--\n\nDROP TABLE IF EXISTS ${table};\n` +
      `CREATE TABLE ${table} (${q('id')} int NOT NULL, ${q('v')} varchar(200) NOT NULL, PRIMARY KEY (${q('id')}));\n` +
      `\n--\n-- Dumping data for table ${table}\n--\n\n`
  }
  try {
    await write(head + rows(config.headBytes - head.length))
  } catch (e) {
    return die(`cannot write the SQL: ${(e as Error).message}`, 2)
  }

  // Stopped mid-stream: say so, then wait for the test's word (a blocking read on the socket, no timer).
  const control = connect(config.socketPath)
  control.setEncoding('utf8')
  control.on('connect', () =>
    control.write(JSON.stringify({ pid: process.pid, ppid: process.ppid, args }) + '\n'),
  )
  let input = ''
  let ended = false
  const act = async (command: FakeCommand): Promise<void> => {
    if (command.do === 'more') {
      await write(rows(command.bytes))
      control.write('{"wrote":true}\n')
    } else if (command.do === 'finish') {
      await write(
        `INSERT INTO ${table} VALUES (${id},'the last row');\n\n-- Dump completed on 2025-01-01  0:00:00\n`,
      )
      ended = true
      process.exit(0)
    } else if (command.do === 'fail') {
      ended = true
      process.stderr.write(`${command.stderr}\n`, () => process.exit(command.code))
    } else {
      ended = true
      process.kill(process.pid, command.signal)
    }
  }
  let queue = Promise.resolve()
  control.on('data', (chunk: string) => {
    input += chunk
    for (let nl = input.indexOf('\n'); nl >= 0; nl = input.indexOf('\n')) {
      const command = JSON.parse(input.slice(0, nl)) as FakeCommand
      input = input.slice(nl + 1)
      queue = queue
        .then(() => act(command))
        .catch((e: unknown) => die(`cannot write the SQL: ${String(e)}`, 2))
    }
  })
  control.on('error', (e) => die(`control connection: ${e.message}`, 3))
  control.on('close', () => {
    if (!ended) die('the test ended without saying how to finish', 3)
  })
}

/** The fake's program file (ESM): fakeDumpMain from its source, called with its configuration. */
const fakeProgramSource = (config: FakeProgramConfig): string =>
  [
    '// FAKE mariadb-dump of the sfDBTools test suite (test/harness/fake-dump.ts): not a dump client.',
    "import { connect } from 'node:net'",
    `await (${fakeDumpMain.toString()})(connect, ${JSON.stringify(config)})`,
    '',
  ].join('\n')

/** Creates the fake dump binary and serves its control socket; `close()` it when done. */
export async function createFakeDump(options: FakeDumpOptions = {}): Promise<FakeDump> {
  const dir = await mkdtemp(join(tmpdir(), 'sfdb-fake-dump-'))
  const socketPath = join(dir, 'control.sock')
  const program = join(dir, 'fake-dump.mjs')
  const binary = join(dir, 'mariadb-dump')
  await writeFile(
    program,
    fakeProgramSource({
      socketPath,
      headBytes: HEAD_BYTES,
      table: options.table ?? 'fake_rows',
      versionLine: FAKE_DUMP_VERSION_LINE,
    }),
  )
  await writeFile(
    binary,
    [
      '#!/bin/sh',
      '# FAKE mariadb-dump of the sfDBTools test suite (test/harness/fake-dump.ts): not a dump client.',
      `if [ "$1" = --version ]; then echo ${shellQuote(FAKE_DUMP_VERSION_LINE)}; exit 0; fi`,
      `exec ${shellQuote(process.execPath)} ${shellQuote(program)} "$@"`,
      '',
    ].join('\n'),
  )
  await chmod(binary, 0o755)

  const arrived: FakeDumpRun[] = []
  const waiting: ((run: FakeDumpRun) => void)[] = []
  const connections = new Set<Socket>()
  const server = createServer((socket) => {
    connections.add(socket)
    const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()))
    void ended.then(() => connections.delete(socket))
    socket.on('error', () => {}) // the fake died: 'close' follows
    socket.setEncoding('utf8')
    let input = ''
    let run: FakeDumpRun | undefined
    /** Callers of more(), answered in order by the fake's "wrote" lines. */
    const wrote: { resolve: () => void; reject: (e: Error) => void }[] = []
    void ended.then(() => {
      for (const w of wrote.splice(0)) w.reject(new Error('the fake dump ended before it wrote more'))
    })
    const send = (command: FakeCommand): void => {
      socket.write(JSON.stringify(command) + '\n')
    }
    const onLine = (line: string): void => {
      if (run) {
        wrote.shift()?.resolve() // {"wrote":true}
        return
      }
      const hello = JSON.parse(line) as { pid: number; ppid: number; args: string[] }
      const sep = hello.args.indexOf('--')
      run = {
        ...hello,
        databases: sep >= 0 ? hello.args.slice(sep + 1) : [],
        more: (bytes) =>
          new Promise<void>((resolve, reject) => {
            wrote.push({ resolve, reject })
            send({ do: 'more', bytes })
          }),
        finish: () => {
          send({ do: 'finish' })
          return ended
        },
        fail: (
          code = 2,
          stderr = 'mariadb-dump: Got error: 2013: Lost connection to server during query',
        ) => {
          send({ do: 'fail', code, stderr })
          return ended
        },
        crash: (signal = 'SIGKILL') => {
          send({ do: 'crash', signal })
          return ended
        },
        ended,
      }
      const waiter = waiting.shift()
      if (waiter) waiter(run)
      else arrived.push(run)
    }
    const onData = (chunk: string): void => {
      input += chunk
      for (let nl = input.indexOf('\n'); nl >= 0; nl = input.indexOf('\n')) {
        const line = input.slice(0, nl)
        input = input.slice(nl + 1)
        onLine(line)
      }
    }
    socket.on('data', onData)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(socketPath, () => resolve())
  })

  return {
    path: binary,
    nextRun(orEnd) {
      const known = arrived.shift()
      if (known) return Promise.resolve(known)
      return new Promise<FakeDumpRun>((resolve, reject) => {
        const waiter = (run: FakeDumpRun): void => resolve(run)
        waiting.push(waiter)
        orEnd?.then(
          (value) => {
            const at = waiting.indexOf(waiter)
            if (at < 0) return // the run came first
            waiting.splice(at, 1)
            const what = JSON.stringify(value, null, 1) ?? String(value)
            reject(new Error(`ended before the fake dump started: ${what.slice(0, 4000)}`))
          },
          (e: unknown) => {
            const at = waiting.indexOf(waiter)
            if (at >= 0) waiting.splice(at, 1)
            reject(e instanceof Error ? e : new Error(String(e)))
          },
        )
      })
    },
    async close() {
      const all = [...connections]
      for (const socket of all) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await rm(dir, { recursive: true, force: true })
    },
  }
}
