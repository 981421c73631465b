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
 * The worker is plain CommonJS evaluated from this string so that no extra bundle entry is needed.
 */
const WORKER_SOURCE = `;(() => {
const { parentPort, workerData } = require('node:worker_threads')
const { openSync, readSync, closeSync } = require('node:fs')
const { path, size, control } = workerData
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
})()
`

type WorkerMessage =
  | { type: 'open' }
  | { type: 'data'; buffer: ArrayBuffer; length: number }
  | { type: 'end' }
  | { type: 'error'; message: string }

/** The read side of a FIFO as a Readable, fed by a worker thread with blocking reads. */
class FifoReadable extends Readable {
  readonly #worker: Worker
  readonly #control: Int32Array

  constructor(worker: Worker, control: Int32Array) {
    super({ highWaterMark: FIFO_BLOCK_SIZE * 2 })
    this.#worker = worker
    this.#control = control
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'data') this.push(Buffer.from(m.buffer, 0, m.length))
      else if (m.type === 'end') this.push(null)
      else if (m.type === 'error') this.destroy(new Error(`reading the dump output: ${m.message}`))
    })
    worker.on('error', (e) => this.destroy(e))
  }

  override _read(): void {
    if (Atomics.load(this.#control, 0) < READ_AHEAD) {
      Atomics.add(this.#control, 0, 1)
      Atomics.notify(this.#control, 0)
    }
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    // The worker may sit in a blocking read until the dump (killed by the caller) closes its end.
    Atomics.store(this.#control, 1, 1)
    Atomics.notify(this.#control, 0)
    this.#worker.unref()
    callback(error)
  }
}

export interface DumpOutputFifo {
  /** The write end, to pass as the child's stdout; close it (closeWriteEnd) once the child is spawned. */
  writeFd: number
  closeWriteEnd(): void
  stdout: Readable
}

/**
 * Creates a FIFO in the private directory `dir` and the reader for it. Returns null where FIFOs are not
 * available (Windows, or no `mkfifo`): the caller then uses an ordinary stdout pipe.
 */
export async function createDumpOutputFifo(dir: string): Promise<DumpOutputFifo | null> {
  if (process.platform === 'win32') return null
  const path = join(dir, 'dump.fifo')
  try {
    await execFileAsync('mkfifo', ['-m', '600', path], { env: childEnvironment() })
  } catch {
    return null
  }
  // Opening a FIFO for writing blocks until a reader exists: hold a non-blocking read end meanwhile.
  const holdRead = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK)
  const writeFd = openSync(path, constants.O_WRONLY)
  const control = new Int32Array(new SharedArrayBuffer(8))
  control[0] = 2 // blocks the worker may read before the consumer asks: it keeps reading while we work
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { path, size: FIFO_BLOCK_SIZE, control: control.buffer },
  })
  // The worker's blocking open needs a writer to exist: ours stays open until the worker has opened.
  await new Promise<void>((resolve, reject) => {
    worker.once('message', (m: WorkerMessage) =>
      m.type === 'open' ? resolve() : reject(new Error(`dump output: ${m.type}`)),
    )
    worker.once('error', reject)
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
