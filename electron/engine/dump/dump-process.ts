import { spawn, type ChildProcess } from 'node:child_process'
import type { Readable } from 'node:stream'
import type { ConnectionSettings } from '../../../shared/job-protocol.ts'
import { EngineError } from '../errors.ts'
import { classifyDumpExit, dumpFailureCode, type DumpOutcome } from './classify.ts'
import { createDefaultsFile } from './defaults-file.ts'
import { createDumpOutputFifo } from './fifo-reader.ts'

/** How much of the dump's stderr is kept for the report (its tail). */
const STDERR_TAIL_BYTES = 16 * 1024
/** How long a killed dump gets to exit on SIGTERM before SIGKILL. */
const KILL_GRACE_MS = 2_000

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

/** Keeps the last `limit` bytes of a stream as text. */
class Tail {
  private chunks: Buffer[] = []
  private size = 0
  private readonly limit: number
  constructor(limit: number) {
    this.limit = limit
  }
  push(chunk: Buffer): void {
    this.chunks.push(chunk)
    this.size += chunk.length
    while (this.size - (this.chunks[0]?.length ?? 0) >= this.limit && this.chunks.length > 1) {
      this.size -= this.chunks.shift()?.length ?? 0
    }
  }
  toString(): string {
    const all = Buffer.concat(this.chunks)
    return all.subarray(Math.max(0, all.length - this.limit)).toString('utf8')
  }
}

/**
 * Starts the dump binary with the credentials in a private 0600 defaults file (never in argv). stdout is
 * the SQL stream; stderr is drained continuously (a full stderr pipe would stall the dump) and its tail kept.
 * The defaults file is removed as soon as the process has exited.
 */
export async function startDump(
  binaryPath: string,
  connection: ConnectionSettings,
  args: string[],
  flavor: 'mariadb' | 'mysql' = 'mariadb',
): Promise<DumpProcess> {
  const defaults = await createDefaultsFile(connection, flavor)
  // A FIFO read by a worker thread where the OS has them (see fifo-reader.ts), else an ordinary pipe.
  const fifo = await createDumpOutputFifo(defaults.dir).catch(() => null)
  let child: ChildProcess
  try {
    child = spawn(binaryPath, [`--defaults-extra-file=${defaults.path}`, ...args], {
      stdio: ['ignore', fifo ? fifo.writeFd : 'pipe', 'pipe'],
      windowsHide: true,
    })
  } catch (e) {
    fifo?.closeWriteEnd()
    fifo?.stdout.destroy()
    await defaults.remove()
    throw new EngineError('DumpFailed', `cannot start ${binaryPath}: ${(e as Error).message}`, { cause: e })
  } finally {
    fifo?.closeWriteEnd() // the child has its own copy; ours would keep the reader from seeing the end
  }
  const stdout = fifo?.stdout ?? (child.stdout as Readable)
  const tail = new Tail(STDERR_TAIL_BYTES)
  child.stderr?.on('data', (d: Buffer) => tail.push(d))
  let killTimer: NodeJS.Timeout | undefined
  const exited = new Promise<DumpExit>((resolve) => {
    let spawnError: Error | undefined
    child.on('error', (e) => (spawnError = e))
    child.on('close', (code, signal) => {
      if (killTimer) clearTimeout(killTimer)
      void defaults.remove().finally(() => {
        const stderrTail = spawnError ? `${spawnError.message}\n${tail.toString()}` : tail.toString()
        resolve({
          code,
          signal,
          outcome: classifyDumpExit(spawnError ? 2 : code, signal, stderrTail),
          stderrTail,
        })
      })
    })
  })
  return {
    stdout,
    exited,
    pid: child.pid,
    kill() {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGTERM')
      killTimer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS)
      killTimer.unref()
    },
  }
}

/** The EngineError for a fatal exit, with the stderr tail as detail. */
export function dumpExitError(exit: DumpExit): EngineError {
  const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`
  const lastLine = exit.stderrTail.trim().split('\n').pop() ?? ''
  return new EngineError(
    dumpFailureCode(exit.stderrTail),
    `the dump ${how}${lastLine ? `: ${lastLine}` : ''}`,
    {
      detail: exit.stderrTail.trim(),
    },
  )
}
