/**
 * Runs the BUILT command line (out/main/cli.js through bin/sfdbtools.js) as a DBA would, in a child
 * process with its own config folder and environment. `npm test` builds before the tests run.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { descendants, waitFor } from './processes.ts'

const execFileAsync = promisify(execFile)

export const ROOT = resolve(import.meta.dirname, '../..')
export const CLI = join(ROOT, 'bin', 'sfdbtools.js')

export interface CliRun {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  /** stdout as bytes, for binary output (decrypt -o -). */
  stdoutBytes: Buffer
  stderr: string
}

export interface CliOptions {
  env?: Record<string, string | undefined>
  input?: string
  cwd?: string
  /** A process group of its own, as a terminal gives a command: `process.kill(-pid, 'SIGINT')` is a Ctrl-C. */
  ownGroup?: boolean
}

function assertBuilt(): void {
  if (!existsSync(join(ROOT, 'out', 'main', 'cli.js'))) {
    throw new Error(
      'the CLI is not built: run `npm run build` (npm test does it) before the integration tests',
    )
  }
}

/** Starts the CLI without waiting; `done` resolves when it exits. */
export function startCli(
  args: string[],
  options: CliOptions = {},
): { child: ChildProcess; done: Promise<CliRun> } {
  assertBuilt()
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries({ ...process.env, ...options.env })) if (v !== undefined) env[k] = v
  const child = spawn(process.execPath, [CLI, ...args], {
    env,
    cwd: options.cwd ?? ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: options.ownGroup === true,
  })
  const out: Buffer[] = []
  let stderr = ''
  child.stdout?.on('data', (d: Buffer) => out.push(d))
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()))
  if (options.input !== undefined) child.stdin?.end(options.input)
  else child.stdin?.end()
  const done = new Promise<CliRun>((res) =>
    child.on('close', (code, signal) => {
      const stdoutBytes = Buffer.concat(out)
      res({ code, signal, stdout: stdoutBytes.toString('utf8'), stdoutBytes, stderr })
    }),
  )
  return { child, done }
}

export const runCli = (args: string[], options: CliOptions = {}): Promise<CliRun> =>
  startCli(args, options).done

/** A fresh config folder (profiles, default output) and temp dir for one test file. */
export async function cliSandbox(): Promise<{ configDir: string; tmp: string; env: Record<string, string> }> {
  const base = await mkdtemp(join(tmpdir(), 'sfdb-cli-'))
  const configDir = join(base, 'config')
  const tmp = join(base, 'tmp')
  await mkdir(tmp)
  // TMPDIR scopes the job's private credentials folder to this test, so a test can find its own dump process.
  return { configDir, tmp, env: { SFDB_CONFIG_PATH: configDir, TMPDIR: tmp } }
}

const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`

/** The line the cursor is on (after the last newline or carriage return), without colour/erase codes. */
const currentLine = (text: string): string =>
  (text.split(/[\r\n]/).pop() ?? '').replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '') // eslint-disable-line no-control-regex

/** A question waiting for an answer: the cursor sits after "…: ", "…? " or "[y/N] ". */
const looksLikePrompt = (text: string): boolean => /[:?\]]\s*$/.test(currentLine(text))

/** The terminal device the CLI (a descendant of `script`) reads, or null when it is not running. */
async function cliTerminal(scriptPid: number): Promise<string | null> {
  const cli = (await descendants(scriptPid)).find((p) => p.argv.includes(CLI))
  return cli ? readlink(`/proc/${cli.pid}/fd/0`).catch(() => null) : null
}

/** True when the terminal is in raw mode (no line editing, no echo): what a prompt sets before it reads. */
async function isRaw(tty: string): Promise<boolean> {
  const { stdout } = await execFileAsync('stty', ['-F', tty, '-a'])
  return /(^|\s)-icanon(\s|;|$)/.test(stdout) && /(^|\s)-echo(\s|;|$)/.test(stdout)
}

/**
 * Runs the CLI on a pseudo-terminal (util-linux `script`), as a person at a terminal would: prompts and the
 * live progress line are active. `typed` is sent as keystrokes, all at once (the CLI keeps what follows a
 * line for its next prompt), as soon as the first prompt (a line ending like a question) is on the screen
 * and the terminal is in raw mode. Typing earlier would be echoed by the terminal (a hidden answer would
 * show); no fixed delay is needed however slow the machine is.
 */
export async function runCliInTerminal(
  args: string[],
  options: CliOptions & { typed?: string } = {},
): Promise<CliRun> {
  assertBuilt()
  const command = [process.execPath, CLI, ...args].map(shellQuote).join(' ')
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries({ ...process.env, ...options.env })) if (v !== undefined) env[k] = v
  const child = spawn('script', ['-qec', command, '/dev/null'], {
    env,
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: options.ownGroup === true,
  })
  const out: Buffer[] = []
  let stderr = ''
  let closed = false
  let typing = false
  const { typed } = options
  const type = async (text: string): Promise<void> => {
    const tty = await waitFor(
      async () => closed || (await cliTerminal(child.pid ?? 0)),
      30_000,
      'the CLI on its terminal',
    )
    if (tty === true) return
    await waitFor(async () => closed || (await isRaw(tty)), 30_000, `raw mode on ${tty}`)
    if (!closed) child.stdin.write(text)
  }
  let typingFailed: unknown
  child.stdout.on('data', (d: Buffer) => {
    out.push(d)
    if (typed !== undefined && !typing && looksLikePrompt(Buffer.concat(out).toString('utf8'))) {
      typing = true
      type(typed).catch((e: unknown) => {
        typingFailed = e
        child.kill('SIGKILL')
      })
    }
  })
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  return new Promise((res, rej) =>
    child.on('close', (code, signal) => {
      closed = true
      if (typingFailed)
        return rej(typingFailed instanceof Error ? typingFailed : new Error(String(typingFailed)))
      const stdoutBytes = Buffer.concat(out)
      res({ code, signal, stdout: stdoutBytes.toString('utf8'), stdoutBytes, stderr })
    }),
  )
}
