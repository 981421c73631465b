/**
 * Runs the BUILT command line (out/main/cli.js through bin/sfdbtools.js) as a DBA would, in a child
 * process with its own config folder and environment. `npm test` builds before the tests run.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

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

/**
 * Runs the CLI on a pseudo-terminal (util-linux `script`), as a person at a terminal would: prompts and the
 * live progress line are active. `typed` is sent as keystrokes once the command has started.
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
  })
  const out: Buffer[] = []
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => out.push(d))
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  if (options.typed !== undefined) setTimeout(() => child.stdin.write(options.typed), 700)
  return new Promise((res) =>
    child.on('close', (code, signal) => {
      const stdoutBytes = Buffer.concat(out)
      res({ code, signal, stdout: stdoutBytes.toString('utf8'), stdoutBytes, stderr })
    }),
  )
}
