import { fork, type ChildProcess } from 'node:child_process'
import type { JobChild, JobExitListener, JobSignal } from './job-child.ts'
import { forEachLine } from './output-lines.ts'

/**
 * V8 flags of the job process. Its data moves in 1 MiB buffers outside V8's heap, so the heap itself holds
 * little (≈ 15 MB used); V8 still grew its young generation to 16 MB semi-spaces (35 MB reserved). Capped at
 * 2 MB the heap stays ≈ 22 MB and the job's peak RSS on the 143 MB zstd + encrypted backup fell from
 * 149–168 MB to 144–146 MB at the same speed (4 runs each, 2 cores).
 * `--external-memory-accounted-in-global-limit` once saved ≈ 5 % of a big backup's time (fewer full GCs of
 * the blocks), but V8 then let ≈ 100 MB of spent blocks pile up (263 MB peak against 171 MB): not used.
 * `--expose-gc`: the byte path runs a minor GC per 4 MiB of spent buffers (gc-pacer.ts).
 */
export const JOB_V8_FLAGS: readonly string[] = ['--max-semi-space-size=2', '--expose-gc']

export interface NodeJobChildOptions {
  /**
   * Own process group: a terminal's Ctrl-C reaches only the parent (which turns it into a clean cancel), and
   * a SIGKILL takes the job's dump binary down with it.
   */
  detached: boolean
  /** Node flags of the job process. */
  execArgv: string[]
  /** Where the job's stdout and stderr go: the terminal, nowhere, or line by line to onOutput ('pipe'). */
  output?: 'inherit' | 'ignore' | 'pipe'
  /** The job's environment (default: this process's). */
  env?: NodeJS.ProcessEnv
}

/** A JobChild over child_process.fork of the built job entry (out/main/backup-job.js). */
export function forkNodeJobChild(entry: string, options: NodeJobChildOptions): JobChild {
  const output = options.output ?? 'inherit'
  const child: ChildProcess = fork(entry, [], {
    stdio: ['ignore', output, output, 'ipc'],
    detached: options.detached,
    execArgv: options.execArgv,
    ...(options.env ? { env: options.env } : {}),
  })
  return wrapChildProcess(child, options.detached, output === 'pipe')
}

/** Adapts a forked ChildProcess; exit and error are remembered, so late listeners still hear of them. */
function wrapChildProcess(child: ChildProcess, ownGroup: boolean, piped: boolean): JobChild {
  let exit: [number | null, NodeJS.Signals | null] | null = null
  let error: Error | null = null
  const exitListeners: JobExitListener[] = []
  const errorListeners: ((error: Error) => void)[] = []
  const outputListeners: ((stream: 'stdout' | 'stderr', line: string) => void)[] = []
  const onOutput = (listener: (stream: 'stdout' | 'stderr', line: string) => void): void =>
    void outputListeners.push(listener)
  if (piped) {
    // Always read both pipes: a full one would block the job.
    for (const stream of ['stdout', 'stderr'] as const) {
      const source = child[stream]
      if (source) forEachLine(source, (line) => outputListeners.forEach((l) => l(stream, line)))
    }
  }
  const ended = (code: number | null, signal: NodeJS.Signals | null): void => {
    if (exit) return
    exit = [code, signal]
    for (const l of exitListeners.splice(0)) l(code, signal)
  }
  // 'close', not 'exit': Node may emit 'exit' before the last IPC messages (the job's final event) are read.
  child.once('close', ended)
  child.on('error', (e) => {
    error ??= e
    for (const l of errorListeners) l(e)
    // Node may not emit 'exit' for a process that never spawned.
    if (child.pid === undefined) ended(null, null)
  })
  return {
    get pid() {
      return child.pid
    },
    send(message) {
      // The callback takes send errors (a channel closing under us), which the exit then explains.
      if (child.connected) child.send(message, undefined, {}, () => {})
    },
    onMessage: (listener) => void child.on('message', listener),
    onExit(listener) {
      const done = exit
      if (done) queueMicrotask(() => listener(...done))
      else exitListeners.push(listener)
    },
    onError(listener) {
      const seen = error
      if (seen) queueMicrotask(() => listener(seen))
      errorListeners.push(listener)
    },
    onSpawn: (listener) => {
      if (child.pid !== undefined && exit === null) queueMicrotask(listener)
    },
    ...(piped ? { onOutput } : {}),
    kill(signal: JobSignal) {
      if (exit) return
      if (signal === 'SIGKILL' && ownGroup && process.platform !== 'win32' && child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL')
          return
        } catch {
          // the group is gone already; fall through to the process itself
        }
      }
      child.kill(signal)
    },
  }
}
