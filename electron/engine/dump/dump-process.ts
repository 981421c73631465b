import { spawn, type ChildProcess } from 'node:child_process'
import type { Readable } from 'node:stream'
import type { ConnectionSettings } from '../../../shared/job-protocol.ts'
import { childEnvironment, childGroup } from '../child-env.ts'
import { EngineError } from '../errors.ts'
import { classifyDumpExit, dumpFailureCode, type DumpOutcome } from './classify.ts'
import { watchClient } from './client-process.ts'
import {
  createDefaultsFile,
  discardSpareCredentialFolders,
  prepareCredentialFolders,
} from './defaults-file.ts'
import { createDumpOutputFifo, DUMP_FIFO_NAME, prewarmFifoReader } from './fifo-reader.ts'
import { withBufferedOutput } from './output-buffer.ts'

export interface DumpExit {
  code: number | null
  signal: NodeJS.Signals | null
  outcome: DumpOutcome
  stderrTail: string
}

export interface DumpProcess {
  /** The SQL stream. */
  stdout: Readable
  /** Resolves when the process has exited and its stderr is drained; never rejects. */
  exited: Promise<DumpExit>
  /** Stops the dump (SIGTERM, then SIGKILL after a grace period). */
  kill(): void
  readonly pid: number | undefined
}

/** Dump folders made at once ahead of a run's next dumps (one `mkfifo` for all of them). */
const FOLDERS_AHEAD = 16

/**
 * Gets the start of the next `dumps` dumps (at most 16) ready in the background: a reader thread for the
 * output (unless the dumps write their files themselves: `reader` false) and the private folders with
 * both FIFOs (the credentials' and the output's), made by one `mkfifo`. A run calls it before its first dump
 * and again once those are used up; discardDumpStart removes what was not used.
 */
export function prepareDumpStart(dumps = 1, reader = true): void {
  if (reader) prewarmFifoReader()
  prepareCredentialFolders([DUMP_FIFO_NAME], Math.min(dumps, FOLDERS_AHEAD))
}

/** Removes the dump folders made ahead and not used (the reader thread stays idle, unreferenced). */
export const discardDumpStart = (): Promise<void> => discardSpareCredentialFolders()

/**
 * Starts the dump binary with the credentials handed over through a FIFO (never argv, the environment or a
 * file at rest; see defaults-file.ts) and an environment with no secret (child-env.ts). stdout is
 * the SQL stream; stderr is drained continuously (a full stderr pipe would stall the dump) and its tail kept.
 * The credential folder is removed as soon as the process has exited.
 */
export async function startDump(
  binaryPath: string,
  connection: ConnectionSettings,
  args: string[],
  flavor: 'mariadb' | 'mysql' = 'mariadb',
): Promise<DumpProcess> {
  const dump = await spawnDump(binaryPath, connection, args, flavor)
  return { ...dump, stdout: dump.stdout as Readable }
}

/** A dump that writes its output to a file itself (its stdout is the file `outputFd`), as `dump > f` does. */
export const startDumpToFile = (
  binaryPath: string,
  connection: ConnectionSettings,
  args: string[],
  flavor: 'mariadb' | 'mysql',
  outputFd: number,
): Promise<FileDumpProcess> => spawnDump(binaryPath, connection, args, flavor, outputFd)

/** A dump process whose output is a file it writes itself (stdout null) or the stream of startDump. */
export type FileDumpProcess = Omit<DumpProcess, 'stdout'> & { stdout: Readable | null }

async function spawnDump(
  binaryPath: string,
  connection: ConnectionSettings,
  args: string[],
  flavor: 'mariadb' | 'mysql',
  outputFd?: number,
): Promise<FileDumpProcess> {
  const toFile = outputFd !== undefined
  // The output FIFO is made with the credentials' FIFO, by the same `mkfifo`.
  const defaults = await createDefaultsFile(connection, flavor, { alsoFifos: toFile ? [] : [DUMP_FIFO_NAME] })
  // A FIFO read by a worker thread where the OS has them (see fifo-reader.ts), else an ordinary pipe.
  const fifo = toFile
    ? null
    : await createDumpOutputFifo(defaults.dir, defaults.fifos.includes(DUMP_FIFO_NAME)).catch(() => null)
  let child: ChildProcess
  try {
    // The credentials' file stays the dump's FIRST argument (stdbuf's own come before the dump's path).
    const start = withBufferedOutput(binaryPath, [`--defaults-extra-file=${defaults.path}`, ...args])
    child = spawn(start.program, start.args, {
      stdio: ['ignore', toFile ? outputFd : fifo ? fifo.writeFd : 'pipe', 'pipe'],
      env: childEnvironment(),
      windowsHide: true,
      ...childGroup(),
    })
  } catch (e) {
    fifo?.closeWriteEnd()
    fifo?.stdout.destroy()
    await defaults.remove()
    throw new EngineError('DumpFailed', `cannot start ${binaryPath}: ${(e as Error).message}`, { cause: e })
  } finally {
    fifo?.closeWriteEnd() // the child has its own copy; ours would keep the reader from seeing the end
  }
  const stdout = toFile ? null : (fifo?.stdout ?? (child.stdout as Readable))
  const watched = watchClient(child, defaults)
  const exited = watched.exited.then(({ code, signal, spawnFailed, stderrTail }): DumpExit => ({
    code,
    signal,
    outcome: classifyDumpExit(spawnFailed ? 2 : code, signal, stderrTail),
    stderrTail,
  }))
  return { stdout, exited, pid: child.pid, kill: () => watched.kill() }
}

/**
 * The client's words for a connection the server dropped in the middle of a dump (2013 lost connection,
 * 2006 gone away, 2026 a TLS session reset by the peer): a server drops a dump it cannot write to for
 * net_write_timeout seconds, i.e. when this side stopped reading.
 */
const SERVER_CLOSED =
  /Error (2013|2006)\b|Lost connection to (MySQL |MariaDB )?server|server has gone away|Error 2026: .*(reset by peer|broken pipe)/i

/** The EngineError for a fatal exit, with the stderr tail as detail. */
export function dumpExitError(exit: DumpExit): EngineError {
  const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`
  const lastLine = exit.stderrTail.trim().split('\n').pop() ?? ''
  if (!exit.signal && SERVER_CLOSED.test(exit.stderrTail) && /when dumping table/i.test(exit.stderrTail)) {
    return new EngineError(
      'DumpFailed',
      `the server closed the connection while the dump was waiting: compression too slow for the server's net_write_timeout (the dump ${how}: ${lastLine})`,
      { detail: exit.stderrTail.trim() },
    )
  }
  return new EngineError(
    dumpFailureCode(exit.stderrTail),
    `the dump ${how}${lastLine ? `: ${lastLine}` : ''}`,
    {
      detail: exit.stderrTail.trim(),
    },
  )
}
