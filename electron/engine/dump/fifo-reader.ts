import { execFile } from 'node:child_process'
import { closeSync, constants, openSync } from 'node:fs'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { promisify } from 'node:util'
import { Worker } from 'node:worker_threads'
import { childEnvironment } from '../child-env.ts'

const execFileAsync = promisify(execFile)

/** Bytes a read hands on at once: the engine's stages then see ≈500 chunks per GB instead of ≈220,000. */
export const FIFO_BLOCK_SIZE = 1 << 20
/** Blocks read ahead of the consumer (backpressure beyond that). */
const READ_AHEAD = 4

/**
 * Why a FIFO and a reader thread: a child's stdout in Node is a socketpair that holds ≈14 KB, and
 * mariadb-dump writes 4 KiB at a time, so the main thread woke ≈107,000 times per 486 MB of SQL and the dump
 * stalled whenever the thread was busy (measured on 2 cores: reading alone 4.2–4.5 s where `dump | cat`
 * takes 3.9 s). A real pipe read with blocking 1 MiB reads on a worker thread moves the same data in 3.8–4.0 s.
 *
 * A worker reads one FIFO after another: starting a thread costs ≈ 50–70 ms on 2 cores, which a run of many
 * small databases paid once per database. An idle worker waits for its next `{ path, size, control }`.
 *
 * The worker is plain CommonJS evaluated from this string so that no extra bundle entry is needed.
 */
const WORKER_SOURCE = `;(() => {
const { parentPort } = require('node:worker_threads')
const { openSync, readSync, closeSync } = require('node:fs')
parentPort.on('message', ({ path, size, control }) => {
  const credits = new Int32Array(control)
  let fd
  try {
    fd = openSync(path, 'r')
  } catch (e) {
    parentPort.postMessage({ type: 'error', message: String(e && e.message) })
    return
  }
  parentPort.postMessage({ type: 'open' })
  try {
    for (;;) {
      while (Atomics.load(credits, 0) <= 0 && Atomics.load(credits, 1) === 0) Atomics.wait(credits, 0, Atomics.load(credits, 0), 1000)
      if (Atomics.load(credits, 1) !== 0) break
      Atomics.sub(credits, 0, 1)
      const buf = Buffer.allocUnsafeSlow(size)
      let filled = 0
      while (filled < size) {
        const n = readSync(fd, buf, filled, size - filled, null)
        if (n === 0) break
        filled += n
      }
      if (filled > 0) parentPort.postMessage({ type: 'data', buffer: buf.buffer, length: filled }, [buf.buffer])
      if (filled < size) break
    }
    parentPort.postMessage({ type: 'end' })
  } catch (e) {
    parentPort.postMessage({ type: 'error', message: String(e && e.message) })
  } finally {
    closeSync(fd)
  }
})
})()
`

/** Idle reader threads, kept for the next FIFO of this process (unreferenced: they never keep it alive). */
const idleWorkers: Worker[] = []
/** More idle threads than this are ended: `--parallel` is at most 16. */
const IDLE_WORKERS_KEPT = 16

let threadsStarted = 0

/** How many reader threads this process has started (tests prove a run reuses one). */
export function fifoReaderThreads(): number {
  return threadsStarted
}

function takeWorker(): Worker {
  let worker = idleWorkers.pop()
  if (worker === undefined) {
    threadsStarted++
    worker = new Worker(WORKER_SOURCE, { eval: true })
  }
  worker.ref()
  return worker
}

/**
 * Starts a reader thread ahead of the first dump (a run calls it while it inspects the server), so that the
 * first database does not wait the ≈ 50–100 ms a thread takes to start. Nothing where FIFOs are not used.
 */
export function prewarmFifoReader(): void {
  if (process.platform === 'win32' || idleWorkers.length > 0) return
  giveWorker(takeWorker(), true)
}

/** A worker whose read ended cleanly goes back to the pool; one that may still block is let go. */
function giveWorker(worker: Worker, clean: boolean): void {
  worker.removeAllListeners('message')
  worker.removeAllListeners('error')
  worker.removeAllListeners('exit')
  worker.unref()
  if (clean && idleWorkers.length < IDLE_WORKERS_KEPT) {
    // A thread that dies while idle must not be handed out again.
    worker.once('error', () => dropWorker(worker))
    worker.once('exit', () => dropWorker(worker))
    idleWorkers.push(worker)
  } else if (clean) void worker.terminate()
}

function dropWorker(worker: Worker): void {
  const i = idleWorkers.indexOf(worker)
  if (i >= 0) idleWorkers.splice(i, 1)
}

type WorkerMessage =
  | { type: 'open' }
  | { type: 'data'; buffer: ArrayBuffer; length: number }
  | { type: 'end' }
  | { type: 'error'; message: string }

/** The read side of a FIFO as a Readable, fed by a worker thread with blocking reads. */
class FifoReadable extends Readable {
  readonly #worker: Worker
  readonly #control: Int32Array
  #released = false

  constructor(worker: Worker, control: Int32Array) {
    super({ highWaterMark: FIFO_BLOCK_SIZE * 2 })
    this.#worker = worker
    this.#control = control
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'data') this.push(Buffer.from(m.buffer, 0, m.length))
      else if (m.type === 'end') {
        this.#release(true)
        this.push(null)
      } else if (m.type === 'error') {
        this.#release(true)
        this.destroy(new Error(`reading the dump output: ${m.message}`))
      }
    })
    worker.on('error', (e) => {
      this.#release(false)
      this.destroy(e)
    })
  }

  /** The worker is done with this FIFO (its file closed): back to the pool, once. */
  #release(clean: boolean): void {
    if (this.#released) return
    this.#released = true
    giveWorker(this.#worker, clean)
  }

  override _read(): void {
    if (Atomics.load(this.#control, 0) < READ_AHEAD) {
      Atomics.add(this.#control, 0, 1)
      Atomics.notify(this.#control, 0)
    }
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    // The worker may sit in a blocking read until the dump (killed by the caller) closes its end; it ends
    // the read at its next wake-up and posts 'end', which returns it to the pool. Until then it must not
    // keep the process alive.
    Atomics.store(this.#control, 1, 1)
    Atomics.notify(this.#control, 0)
    if (!this.#released) this.#worker.unref()
    callback(error)
  }
}

export interface DumpOutputFifo {
  /** The write end, to pass as the child's stdout; close it (closeWriteEnd) once the child is spawned. */
  writeFd: number
  closeWriteEnd(): void
  stdout: Readable
}

/** The dump output's FIFO in the dump's private folder. */
export const DUMP_FIFO_NAME = 'dump.fifo'

/**
 * Creates a FIFO in the private directory `dir` (or uses the one made there already: `premade`) and the
 * reader for it. Returns null where FIFOs are not available (Windows, or no `mkfifo`): the caller then uses
 * an ordinary stdout pipe.
 */
export async function createDumpOutputFifo(dir: string, premade = false): Promise<DumpOutputFifo | null> {
  if (process.platform === 'win32') return null
  const path = join(dir, DUMP_FIFO_NAME)
  if (!premade) {
    try {
      await execFileAsync('mkfifo', ['-m', '600', path], { env: childEnvironment() })
    } catch {
      return null
    }
  }
  // Opening a FIFO for writing blocks until a reader exists: hold a non-blocking read end meanwhile.
  const holdRead = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK)
  const writeFd = openSync(path, constants.O_WRONLY)
  const control = new Int32Array(new SharedArrayBuffer(8))
  control[0] = 2 // blocks the worker may read before the consumer asks: it keeps reading while we work
  const worker = takeWorker()
  // The worker's blocking open needs a writer to exist: ours stays open until the worker has opened.
  await new Promise<void>((resolve, reject) => {
    const onError = (e: Error): void => reject(e)
    worker.once('message', (m: WorkerMessage) => {
      worker.off('error', onError)
      if (m.type === 'open') resolve()
      else {
        giveWorker(worker, true)
        reject(new Error(`dump output: ${m.type}`))
      }
    })
    worker.once('error', onError)
    worker.postMessage({ path, size: FIFO_BLOCK_SIZE, control: control.buffer })
  }).finally(() => closeSync(holdRead))
  let writeOpen = true
  return {
    writeFd,
    closeWriteEnd() {
      if (writeOpen) closeSync(writeFd)
      writeOpen = false
    },
    stdout: new FifoReadable(worker, control),
  }
}
