/**
 * Several dumps, one after another, as ONE dump process to its caller: their outputs follow each other in
 * one stream (a file with table rules: table-passes.ts), `exited` settles when the last has exited or the
 * first failed (the rest are then not started), `kill` stops the running one and starts no other. Each
 * dump but the last must end with its completion trailer, or the sequence stops as incomplete.
 */
import { PassThrough } from 'node:stream'
import type { ConnectionSettings } from '../../../shared/job-protocol.ts'
import { hasCompletionTrailer } from '../backup/sql-scanner.ts'
import { startDump, type DumpExit, type DumpProcess } from './dump-process.ts'

const TRAILER_KEEP = 256

export interface DumpSequence extends DumpProcess {
  /** The 0-based index of a dump (not the last) whose output lacked the completion trailer, else null. */
  readonly incompletePass: number | null
}

export async function startDumpSequence(
  binaryPath: string,
  connection: ConnectionSettings,
  passes: string[][],
  flavor: 'mariadb' | 'mysql',
  /** `--skip-comments` / `--compact`: the dumps write no trailer, so it is not looked for. */
  trailerExpected = true,
): Promise<DumpSequence> {
  const out = new PassThrough({ highWaterMark: 1 << 20 })
  let current: DumpProcess = await startDump(binaryPath, connection, passes[0] ?? [], flavor)
  let killed = false
  let incompletePass: number | null = null
  const warnings: string[] = []

  /** Copies one dump's output into `out` (not ending it) and resolves with its exit and whether it ended cleanly. */
  const follow = async (dump: DumpProcess): Promise<{ exit: DumpExit; trailer: boolean }> => {
    let tail = ''
    dump.stdout.on('data', (chunk: Buffer) => {
      tail = (tail + chunk.subarray(Math.max(0, chunk.length - TRAILER_KEEP)).toString('latin1')).slice(
        -TRAILER_KEEP,
      )
    })
    dump.stdout.pipe(out, { end: false })
    const ended = new Promise<void>((resolve) => {
      dump.stdout.once('end', resolve)
      dump.stdout.once('close', resolve)
      dump.stdout.once('error', () => resolve())
    })
    const exit = await dump.exited
    await ended
    dump.stdout.unpipe(out)
    return { exit, trailer: hasCompletionTrailer(tail) }
  }

  const exited = (async (): Promise<DumpExit> => {
    let last: DumpExit | null = null
    for (let i = 0; i < passes.length; i++) {
      if (i > 0) {
        if (killed) break
        try {
          current = await startDump(binaryPath, connection, passes[i] ?? [], flavor)
        } catch (e) {
          out.destroy(e as Error)
          return { code: null, signal: null, outcome: 'fatal', stderrTail: (e as Error).message }
        }
        if (killed) current.kill()
      }
      const { exit, trailer } = await follow(current)
      last = exit
      if (exit.outcome === 'warnings' && exit.stderrTail.trim() !== '') warnings.push(exit.stderrTail.trim())
      if (exit.outcome === 'fatal' || killed) break
      if (i < passes.length - 1 && trailerExpected && !trailer) {
        incompletePass = i
        break
      }
    }
    out.end()
    const exit = last ?? { code: null, signal: null, outcome: 'fatal' as const, stderrTail: '' }
    if (exit.outcome === 'fatal') return exit
    return warnings.length > 0 ? { ...exit, outcome: 'warnings', stderrTail: warnings.join('\n') } : exit
  })()

  return {
    stdout: out,
    exited,
    kill: () => {
      killed = true
      current.kill()
    },
    get pid() {
      return current.pid
    },
    get incompletePass() {
      return incompletePass
    },
  }
}
