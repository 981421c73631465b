/**
 * One `mariadb`/`mysql` client process of a load, fed on stdin from a SpillQueue: credentials through a
 * FIFO (never argv, the environment or a file at rest: defaults-file.ts), `--binary-mode` (raw bytes, no client commands but
 * DELIMITER), `--force` when asked. It reads back what the client says:
 *
 * - stdout: the marker SELECTs the loader appends (a table's data done, the ordered session's progress);
 * - stderr: every "ERROR nnnn (xxxxx) at line N", mapped to the statement that starts at or before that
 *   line of the session's input (the marks of the segments written lately).
 */
import type { spawn as nodeSpawn } from 'node:child_process'
import type { Writable } from 'node:stream'
import type { ConnectionSettings } from '../../../../shared/job-protocol.ts'
import { watchClient, type ClientExit } from '../../dump/client-process.ts'
import { createDefaultsFile } from '../../dump/defaults-file.ts'
import { childEnvironment, childGroup } from '../../child-env.ts'
import { EngineError } from '../../errors.ts'
import { parseClientError, type ClientBinary, type ClientError } from '../client-binary.ts'
import type { Segment, SpillQueue, StatementMark } from './spill-queue.ts'

/** Segments kept after they were written, to name a failed statement (the client reads ahead this far at most). */
const RECENT_BYTES = 32 << 20
const RECENT_MIN = 4
/** A stderr line longer than this is a statement the client echoes, never one of its ERROR lines. */
const MAX_ERROR_LINE = 64 * 1024

export interface SessionError {
  client: ClientError
  /** The statement, when the line maps to one written lately. */
  mark: StatementMark | null
  /** The statement's first bytes, from the segment. */
  head: string | null
}

export interface SessionOptions {
  binary: ClientBinary
  direct: ConnectionSettings
  database: string | null
  force: boolean
  spawn: typeof nodeSpawn
  /** The random token of the load's marker SELECTs. */
  token: string
  onMarker: (value: number) => void
  onError: (error: SessionError) => void
}

/** The client's arguments after `--defaults-extra-file=…`. */
export function loaderClientArgs(database: string | null, force: boolean): string[] {
  return [
    '--default-character-set=utf8mb4',
    '--max-allowed-packet=1G',
    '--binary-mode',
    '--batch',
    '--skip-column-names',
    '--unbuffered',
    ...(force ? ['--force'] : []),
    ...(database === null ? [] : ['--', database]),
  ]
}

/** `SELECT '<token>:<n>';` — its output line tells that everything before it ran. */
export const markerStatement = (token: string, n: number): Buffer => Buffer.from(`SELECT '${token}:${n}';\n`)

export class Session {
  readonly pid: number | undefined
  private readonly stdin: Writable
  private readonly watched: ReturnType<typeof watchClient>
  readonly exited: Promise<ClientExit>
  /** Segments written lately, with the lines the client had read before their queue began. */
  private readonly recent: { seg: Segment; lineBase: number }[] = []
  private recentBytes = 0
  private readonly options: SessionOptions

  private constructor(
    options: SessionOptions,
    child: ReturnType<typeof nodeSpawn>,
    watched: ReturnType<typeof watchClient>,
  ) {
    this.options = options
    this.pid = child.pid
    this.watched = watched
    this.exited = watched.exited
    const stdin = child.stdin
    if (stdin === null) throw new EngineError('Internal', 'the SQL client has no stdin')
    stdin.on('error', () => {}) // EPIPE once the client stopped: the exit says why
    this.stdin = stdin
    readLines(child.stdout, 4096, (line) => this.onStdout(line))
    readLines(child.stderr, MAX_ERROR_LINE, (line) => this.onStderr(line))
  }

  static async start(options: SessionOptions): Promise<Session> {
    const defaults = await createDefaultsFile(options.direct, options.binary.flavor)
    let child
    try {
      child = options.spawn(
        options.binary.path,
        [`--defaults-extra-file=${defaults.path}`, ...loaderClientArgs(options.database, options.force)],
        { stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true, env: childEnvironment(), ...childGroup() },
      )
    } catch (e) {
      await defaults.remove()
      throw new EngineError(
        'ClientBinaryMissing',
        `cannot start ${options.binary.path}: ${(e as Error).message}`,
        {
          cause: e,
        },
      )
    }
    return new Session(options, child, watchClient(child, defaults))
  }

  kill(): void {
    this.watched.kill(true)
  }

  /**
   * Sends the queue's segments in order (each gated one after `gate(n)` resolves), until the queue ends;
   * false when the client went away first.
   */
  async feed(
    queue: SpillQueue,
    gate: (n: number) => Promise<void>,
    stopped: () => boolean,
    lineBase = 0,
  ): Promise<boolean> {
    for (;;) {
      const seg = await queue.next()
      if (seg === null || stopped()) return seg === null
      if (seg.gate > 0) await gate(seg.gate)
      if (stopped()) return false
      this.remember(seg, lineBase)
      if (!(await this.write(seg.buf))) return false
    }
  }

  /** Closes stdin (the client runs what it has, then exits). */
  end(): void {
    this.stdin.end()
  }

  private write(buf: Buffer): Promise<boolean> {
    return new Promise((resolve) => {
      if (this.stdin.destroyed || this.stdin.writableEnded) {
        resolve(false)
        return
      }
      const ok = this.stdin.write(buf, (e) => {
        if (e) resolve(false)
      })
      if (ok) {
        resolve(true)
        return
      }
      const done = (v: boolean) => (): void => {
        this.stdin.off('drain', onDrain)
        this.stdin.off('close', onClose)
        resolve(v)
      }
      const onDrain = done(true)
      const onClose = done(false)
      this.stdin.once('drain', onDrain)
      this.stdin.once('close', onClose)
    })
  }

  private remember(seg: Segment, lineBase: number): void {
    this.recent.push({ seg, lineBase })
    this.recentBytes += seg.buf.length
    while (this.recent.length > RECENT_MIN && this.recentBytes > RECENT_BYTES) {
      this.recentBytes -= this.recent.shift()?.seg.buf.length ?? 0
    }
  }

  private onStdout(line: string): void {
    const prefix = this.options.token + ':'
    if (line.startsWith(prefix)) this.options.onMarker(Number(line.slice(prefix.length)))
  }

  private onStderr(line: string): void {
    const parsed = parseClientError(line)
    if (parsed === null) return
    let mark: StatementMark | null = null
    let head: string | null = null
    if (parsed.line !== null) {
      let best = 0
      for (const { seg, lineBase } of this.recent) {
        for (const m of seg.marks) {
          const line = lineBase + m.sessionLine
          if (line <= parsed.line && line >= best) {
            best = line
            mark = m
            head = seg.buf.toString(
              'utf8',
              m.offset,
              Math.min(seg.buf.length, m.offset + Math.min(m.length, 1024)),
            )
          }
        }
      }
    }
    this.options.onError({ client: parsed, mark, head })
  }
}

/** Calls `onLine` for every line of a stream; lines longer than `max` are skipped. */
function readLines(stream: NodeJS.ReadableStream | null, max: number, onLine: (line: string) => void): void {
  if (stream === null) return
  let parts: Buffer[] = []
  let length = 0
  let skipping = false
  stream.on('data', (chunk: Buffer) => {
    let from = 0
    for (;;) {
      const nl = chunk.indexOf(10, from)
      if (nl < 0) {
        if (!skipping) {
          parts.push(chunk.subarray(from))
          length += chunk.length - from
          if (length > max) {
            skipping = true
            parts = []
            length = 0
          }
        }
        return
      }
      if (!skipping) {
        parts.push(chunk.subarray(from, nl))
        onLine(Buffer.concat(parts).toString('utf8').replace(/\r$/, ''))
      }
      parts = []
      length = 0
      skipping = false
      from = nl + 1
    }
  })
}
