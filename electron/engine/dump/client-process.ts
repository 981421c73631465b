import type { ChildProcess } from 'node:child_process'
import type { DefaultsFile } from './defaults-file.ts'

/** How much of a client program's stderr is kept for the report (its tail). */
const STDERR_TAIL_BYTES = 16 * 1024
/** How long a program stopped with SIGTERM gets to exit before SIGKILL. */
const KILL_GRACE_MS = 2_000

/** Keeps the last `limit` bytes of a stream as text. */
export class Tail {
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

export interface ClientExit {
  code: number | null
  signal: NodeJS.Signals | null
  /** The process could not be started at all (its error message leads the stderr tail). */
  spawnFailed: boolean
  stderrTail: string
}

export interface WatchedClient {
  /** Resolves when the process has closed and its defaults file is removed; never rejects. */
  exited: Promise<ClientExit>
  /** Stops the process: SIGTERM, then SIGKILL after a grace period — or SIGKILL at once with `now`. */
  kill(now?: boolean): void
}

/**
 * Watches a client program (dump binary, SQL client) started with `--defaults-extra-file=<defaults>`:
 * drains its stderr continuously (a full stderr pipe would stall it) keeping the tail, and removes the
 * credentials file as soon as the process has exited.
 */
export function watchClient(child: ChildProcess, defaults: DefaultsFile): WatchedClient {
  const tail = new Tail(STDERR_TAIL_BYTES)
  child.stderr?.on('data', (d: Buffer) => tail.push(d))
  let killTimer: NodeJS.Timeout | undefined
  const exited = new Promise<ClientExit>((resolve) => {
    let spawnError: Error | undefined
    child.on('error', (e) => (spawnError = e))
    child.on('close', (code, signal) => {
      if (killTimer) clearTimeout(killTimer)
      void defaults.remove().finally(() => {
        const stderrTail = spawnError ? `${spawnError.message}\n${tail.toString()}` : tail.toString()
        resolve({ code, signal, spawnFailed: spawnError !== undefined, stderrTail })
      })
    })
  })
  return {
    exited,
    kill(now = false) {
      if (child.exitCode !== null || child.signalCode !== null) return
      if (now) {
        child.kill('SIGKILL')
        return
      }
      child.kill('SIGTERM')
      killTimer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS)
      killTimer.unref()
    },
  }
}
