/**
 * The CLI's jobs run in the CLI's own process (job-host.ts, the code the desktop app's job processes run),
 * behind the same JobChild interface and supervision (supervise-job.ts) as a job process.
 *
 * Why not a process of its own, as in the app: on 2 cores a second Node process cost a backup ≈ 0.2 s before
 * its dump could start — Node's start and a second load of zod, mysql2 and the engine (≈ 0.2 s of CPU in
 * all), competing with the profile key's derivation and the planning queries — which is ≈ 10 % of a 143 MB
 * backup. The CLI is a process of its own already: the app's reasons for a separate job process (a window
 * that stays responsive, a crash that does not take the app down) do not apply to it.
 *
 * What a job process gave the CLI and how it is kept:
 * - a terminal's Ctrl-C reaches the CLI only: the programs a job starts run in their own process group
 *   (shelterChildren), and the CLI turns the signal into a cancel (job-signals.ts);
 * - the V8 settings of a job process: `gc` for the byte path's pacing (gc-pacer.ts) is exposed here;
 * - messages cross a boundary: each one is a structured clone, delivered on a later turn, as over IPC.
 */
import type { JobRequest } from '../../shared/job-protocol.ts'
import { shelterChildren } from '../engine/child-env.ts'
import { prepareDumpStart } from '../engine/dump/dump-process.ts'
import { exposeCollector } from '../engine/gc-pacer.ts'
import type { JobChild, JobExitListener, JobSignal } from '../engine/jobs/job-child.ts'
import { mark } from '../engine/timing.ts'
import { serveJob } from '../jobs/job-host.ts'
import type { JobPort } from '../jobs/job-port.ts'

/**
 * `backup`: the job will run a backup, whose first dump gets its reader thread and FIFOs now, while the key
 * is derived and the plan made (measured: its dump started ≈ 10 ms sooner than with them made after the
 * key's derivation, which they then no longer compete with).
 */
export function inProcessJob(backup = false): JobChild {
  shelterChildren()
  exposeCollector()
  if (backup) prepareDumpStart()
  const toJob: ((message: unknown) => void)[] = []
  const fromJob: ((message: unknown) => void)[] = []
  const exitListeners: JobExitListener[] = []
  let exit: [number | null, NodeJS.Signals | null, string | undefined] | null = null
  const ended = (code: number | null, signal: NodeJS.Signals | null, reason?: string): void => {
    if (exit) return
    exit = [code, signal, reason]
    process.off('unhandledRejection', crashed)
    for (const l of exitListeners.splice(0)) l(code, signal, reason)
  }
  // A job process that hit an error nothing caught died, and its supervisor reported JobCrashed and removed
  // its partial files. Here the same error would end the CLI with a stack trace and leave them: while the
  // job runs, a rejection nobody handled ends the job instead, as a crash of its own.
  const crashed = (error: unknown): void => {
    controller.abort()
    ended(1, null, `an internal error: ${error instanceof Error ? error.message : String(error)}`)
  }
  process.on('unhandledRejection', crashed)
  const deliver = (listeners: ((message: unknown) => void)[], message: unknown): Promise<void> => {
    const copy = structuredClone(message)
    return new Promise((resolve) =>
      setImmediate(() => {
        if (!exit) for (const l of listeners) l(copy)
        resolve()
      }),
    )
  }
  const port: JobPort = {
    send: (message) => deliver(fromJob, message),
    onMessage: (handler) => void toJob.push(handler),
    onParentGone: () => {},
  }
  // The job's exit comes after its final event, which is delivered on the turn after it was sent. Requests
  // come from this process's own code: not checked again against the protocol's schema (≈ 10 ms of zod
  // for a plan, before its dump could start).
  const controller = serveJob(port, (code) => setImmediate(() => ended(code, null)), { trusted: true })
  mark('cli: job ready in this process')
  return {
    // No pid of its own: the supervisor sweeps a job process's credential folders after it ended, but this
    // job shares the CLI's pid and still runs its own cleanup after a kill (removing its dump's folder
    // releases a FIFO open that waits for a client which never read it; a sweep first would leave it hung).
    pid: undefined,
    send: (message: JobRequest) => void (exit ? undefined : deliver(toJob, message)),
    onMessage: (listener) => void fromJob.push(listener),
    onExit(listener) {
      const done = exit
      if (done) queueMicrotask(() => listener(...done))
      else exitListeners.push(listener)
    },
    onError: () => {},
    kill(signal: JobSignal) {
      if (exit) return
      controller.abort()
      // A kill ends the job at once as far as its supervisor knows: it removes the partial files, as after a
      // job process was killed; the aborted job's own cleanup finishes behind it.
      if (signal === 'SIGKILL') ended(null, 'SIGKILL')
    },
  }
}
