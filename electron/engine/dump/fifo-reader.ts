import { execFile } from 'node:child_process'
import { closeSync, constants, openSync } from 'node:fs'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { promisify } from 'node:util'
import { Worker } from 'node:worker_threads'
import { childEnvironment } from '../child-env.ts'
import { recyclable } from '../codecs/recycled-chunks.ts'
import { spentBytes } from '../gc-pacer.ts'

const execFileAsync = promisify(execFile)

/** Bytes a read hands on at once: the engine's stages then see ≈500 chunks per GB instead of ≈220,000. */
export const FIFO_BLOCK_SIZE = 1 << 20
/** Blocks read ahead of the consumer (backpressure beyond that). */
const READ_AHEAD = 4
/**
 * Blocks of one FIFO's pool, recycled once the last stage is done with them (recycled-chunks.ts): read
 * ahead, the stream's buffer and the blocks in flight in the compressor. With 8, the 143 MB zstd backup
 * (with or without encryption) read 134–136 of its 136 chunks into recycled slots. When every slot is in
 * use, or a stage never gives its chunks back, the thread reads into a fresh buffer instead: a slow or
 * unaware stage costs memory churn, never a wait.
 */
export const FIFO_POOL_SLOTS = 8

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
// A free slot of the pool (control[2] is the bitmask of free slots), or -1 when every slot is in use.
const takeSlot = (control) => {
  for (;;) {
    const free = Atomics.load(control, 2)
    if (free === 0) return -1
    const bit = free & -free
    if (Atomics.compareExchange(control, 2, free, free & ~bit) === free) return 31 - Math.clz32(bit)
  }
}
parentPort.on('message', ({ path, size, control, pool }) => {
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
      const slot = takeSlot(credits)
      const buf = slot >= 0 ? Buffer.from(pool, slot * size, size) : Buffer.allocUnsafeSlow(size)
      let filled = 0
      while (filled < size) {
        const n = readSync(fd, buf, filled, size - filled, null)
        if (n === 0) break
        filled += n
      }
      if (filled === 0 && slot >= 0) Atomics.or(credits, 2, 1 << slot)
      else if (slot >= 0) parentPort.postMessage({ type: 'data', slot, length: filled })
      else if (filled > 0) parentPort.postMessage({ type: 'data', buffer: buf.buffer, length: filled }, [buf.buffer])
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
const chunks = { recycled: 0, fresh: 0 }

/** How many reader threads this process has started (tests prove a run reuses one). */
export function fifoReaderThreads(): number {
  return threadsStarted
}

/** Chunks read into a recycled pool slot and into a fresh buffer, in this process so far. */
export function fifoReaderChunks(): { recycled: number; fresh: number } {
  return { ...chunks }
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
  | { type: 'data'; slot: number; length: number }
  | { type: 'data'; buffer: ArrayBuffer; length: number }
  | { type: 'end' }
  | { type: 'error'; message: string }

/** The read side of a FIFO as a Readable, fed by a worker thread with blocking reads. */
class FifoReadable extends Readable {
  readonly #worker: Worker
  readonly #control: Int32Array
  #released = false

  constructor(worker: Worker, control: Int32Array, pool: SharedArrayBuffer) {
    super({ highWaterMark: FIFO_BLOCK_SIZE * 2 })
    this.#worker = worker
    this.#control = control
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'data' && 'slot' in m) {
        chunks.recycled++
        const slot = m.slot
        const chunk = Buffer.from(pool, slot * FIFO_BLOCK_SIZE, m.length)
        this.push(recyclable(chunk, () => void Atomics.or(control, 2, 1 << slot)))
      } else if (m.type === 'data') {
        chunks.fresh++
        this.push(Buffer.from(m.buffer, 0, m.length))
        spentBytes(m.length) // garbage once the stages are done with it
      } else if (m.type === 'end') {
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
  // [credits to read, stop, bitmask of free pool slots]
  const control = new Int32Array(new SharedArrayBuffer(12))
  control[0] = 2 // blocks the worker may read before the consumer asks: it keeps reading while we work
  control[2] = 2 ** FIFO_POOL_SLOTS - 1
  // Untouched pages cost nothing: a small dump faults in only what it fills.
  const pool = new SharedArrayBuffer(FIFO_POOL_SLOTS * FIFO_BLOCK_SIZE)
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
    worker.postMessage({ path, size: FIFO_BLOCK_SIZE, control: control.buffer, pool })
  }).finally(() => closeSync(holdRead))
  let writeOpen = true
  return {
    writeFd,
    closeWriteEnd() {
      if (writeOpen) closeSync(writeFd)
      writeOpen = false
    },
    stdout: new FifoReadable(worker, control, pool),
  }
}
