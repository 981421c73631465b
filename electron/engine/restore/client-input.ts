import { finished, Writable } from 'node:stream'
import type { ClientExit } from '../dump/client-process.ts'

/** A started SQL client, as the restore drives it. */
export interface RunningClient {
  stdin: Writable
  /** Resolves when the process has closed (and its credentials file is removed); never rejects. */
  exited: Promise<ClientExit>
  /** Stops it at once (SIGKILL): a client stopped mid-stream must not run what it already read. */
  kill(): void
  /** True while the process has not exited. */
  running(): boolean
}

/**
 * The end of a restore's pipeline: the SQL client's stdin, started on the first bytes that reach it — so a
 * wrong key, an unreadable file or a refused container fails before anything is done on the server — with
 * backpressure (one write in flight at a time).
 *
 * On an error or a cancel the client is killed BEFORE its stdin is closed: a client that saw the end of its
 * input would run the partial statement it holds and exit as if the dump were complete.
 */
export class ClientInput extends Writable {
  /** True when this side killed the client (the input failed or was cancelled): its exit is not the cause. */
  killedClient = false
  private readonly start: () => Promise<RunningClient>
  private starting: Promise<RunningClient> | null = null
  private client: RunningClient | null = null
  private stopped = false

  constructor(start: () => Promise<RunningClient>) {
    super()
    this.start = start
  }

  /**
   * How the client ended, once it has (null when it was never started): to await after the pipeline, also
   * when it failed while the client was still starting.
   */
  async exited(): Promise<ClientExit | null> {
    const c = this.starting ? await this.starting.catch(() => null) : null
    return c ? c.exited : null
  }

  /** Stops the client if it runs (a cancel after the last byte was written). */
  kill(): void {
    if (this.client?.running()) {
      this.killedClient = true
      this.client.kill()
    }
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.ready().then((c) => c.stdin.write(chunk, (e) => callback(e ?? null)), callback)
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.ready().then((c) => {
      c.stdin.end()
      finished(c.stdin, { readable: false }, (e) => callback(e ?? null))
    }, callback)
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.stopped = true
    const c = this.client
    if (c === null) {
      callback(error) // a client still starting is killed by ready() as soon as it is there
      return
    }
    if (error && c.running()) {
      this.killedClient = true
      c.kill()
    }
    void c.exited.then(() => {
      c.stdin.destroy()
      callback(error)
    })
  }

  private ready(): Promise<RunningClient> {
    this.starting ??= this.start().then((c) => {
      this.client = c
      if (this.stopped) {
        this.killedClient = true
        c.kill()
      }
      return c
    })
    return this.starting
  }
}
