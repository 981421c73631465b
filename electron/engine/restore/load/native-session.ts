/**
 * One session of a load that speaks the MySQL protocol itself (the default loader): one mysql2 connection
 * (the profile's TLS, the SSH tunnel's endpoint, credentials in memory only — no client process, no
 * defaults file), every statement sent as one COM_QUERY made of the dump's raw bytes (never decoded and
 * re-encoded, so binary strings of dumps made without --hex-blob travel intact), one at a time in the
 * dump's order, as the `mariadb` client does (with CLIENT_MULTI_STATEMENTS, as it). `DELIMITER` is the
 * splitter's business: the server gets each routine or trigger body whole, without the client's delimiter.
 *
 * The queue's segments hold bare statements, each with its mark (the loader's native framing); a mark with
 * a negative index is the loader's marker `-(index + 1)` and is not sent: it is reached once every statement
 * before it has run. An error names the statement directly (its mark), not a line of a client's input.
 *
 * Why not the client: on the 2-core bench (526 MB of SQL) the client processes spend ≈ 4 CPU-s parsing the
 * text again and copying it through a pipe — CPU that a parallel load takes from the server.
 */
import mysql from 'mysql2'
import type { ConnectionSettings } from '../../../../shared/job-protocol.ts'
import type { ClientExit } from '../../dump/client-process.ts'
import { openConnection } from '../../mysql/connection.ts'
import type { SessionError } from './session.ts'
import type { Segment, SpillQueue, StatementMark } from './spill-queue.ts'

export interface NativeSessionOptions {
  direct: ConnectionSettings
  database: string | null
  force: boolean
  onMarker: (value: number) => void
  onError: (error: SessionError) => void
}

/** What the loader needs of a session, whatever carries the statements. */
export interface LoadSession {
  readonly exited: Promise<ClientExit>
  feed(
    queue: SpillQueue,
    gate: (n: number) => Promise<void>,
    stopped: () => boolean,
    lineBase?: number,
  ): Promise<boolean>
  end(): void
  kill(): void
}

/** The index of a marker's mark in a native segment. */
export const nativeMarkerIndex = (n: number): number => -(n + 1)

/** mysql2's error fields that a failed statement carries. */
interface QueryError {
  errno?: number
  sqlState?: string
  sqlMessage?: string
  message?: string
  code?: string
  fatal?: boolean
}

interface RawPacket {
  buffer: Buffer
  length(): number
  writeHeader(seq: number): void
}

/** Bytes the loader reserves in front of each statement in a native segment: the packet header and COM_QUERY. */
export const NATIVE_RESERVE = 5

/**
 * A duck-typed mysql2 packet made in place: `buffer` is the statement with its NATIVE_RESERVE bytes in
 * front — 4 of header (the connection writes them) and COM_QUERY — so the statement is never copied.
 */
export function queryPacket(buffer: Buffer): RawPacket {
  buffer[4] = 0x03 // COM_QUERY
  return {
    buffer,
    length: () => buffer.length,
    writeHeader(seq: number) {
      // A packet of 16 MiB or more is cut by the connection, which writes each part's header itself.
      buffer.writeUIntLE(Math.min(buffer.length - 4, 0xffffff), 0, 3)
      buffer[3] = seq
    },
  }
}

interface CoreConnection {
  config: unknown
  query(cmd: unknown): unknown
  destroy(): void
  end(cb?: () => void): void
  on(event: 'error', listener: (e: QueryError) => void): unknown
  on(event: 'end', listener: () => void): unknown
}

/** The parts of mysql2's API the raw query uses (exported by it, not in its typings). */
const driver = mysql as unknown as {
  createQuery(sql: string, values: unknown[], cb: (e: unknown) => void, config: unknown): unknown
  ConnectionConfig: { queryOptions(config: unknown, options: unknown): unknown }
}

/** mysql2's Query command, whose `start` is replaced to write the raw packet (see `run`). */
interface QueryCommand {
  start: (packet: unknown, connection: { writePacket(p: RawPacket): void; config: unknown }) => unknown
  _connection: unknown
  options: unknown
  _queryOptions: unknown
}

export class NativeSession implements LoadSession {
  readonly exited: Promise<ClientExit>
  private readonly core: CoreConnection
  private readonly options: NativeSessionOptions
  private resolveExit!: (exit: ClientExit) => void
  private errors = 0
  private lastError = ''
  private closed = false
  private fatal: QueryError | null = null
  /** The running statement's callback (a closed connection may never call it). */
  private pending: ((e: unknown) => void) | null = null

  private constructor(options: NativeSessionOptions, core: CoreConnection) {
    this.options = options
    this.core = core
    this.exited = new Promise((resolve) => (this.resolveExit = resolve))
    core.on('error', (e) => {
      this.fatal ??= e
      this.close(true)
    })
    core.on('end', () => {
      if (!this.closed) this.fatal ??= { message: 'the server closed the connection', fatal: true }
      this.close(true)
    })
  }

  static async start(options: NativeSessionOptions): Promise<NativeSession> {
    const conn = await openConnection(options.direct, options.database ?? undefined, {
      multipleStatements: true,
    })
    return new NativeSession(options, (conn as unknown as { connection: CoreConnection }).connection)
  }

  /** Closes the connection at once (the server ends the statement it runs when it notices). */
  kill(): void {
    this.close(true)
  }

  /** Every statement was sent and has run: the connection quits. */
  end(): void {
    this.close()
  }

  async feed(
    queue: SpillQueue,
    gate: (n: number) => Promise<void>,
    stopped: () => boolean,
  ): Promise<boolean> {
    for (;;) {
      const seg = await queue.next()
      if (seg === null || stopped()) return seg === null
      if (seg.gate > 0) await gate(seg.gate)
      if (stopped() || this.closed) return false
      if (!(await this.runSegment(seg, stopped))) return false
      // Every statement of it has run, so the server has all its bytes: the buffer can be reused.
      queue.release(seg)
    }
  }

  private async runSegment(seg: Segment, stopped: () => boolean): Promise<boolean> {
    for (const mark of seg.marks) {
      if (stopped() || this.closed) return false
      if (mark.index < 0) {
        this.options.onMarker(-mark.index - 1)
        continue
      }
      const error = await this.run(seg.buf.subarray(mark.offset - NATIVE_RESERVE, mark.offset + mark.length))
      if (error === null) continue
      if (this.closed) return false // killed (a cancel, another session's failure) or the connection died
      if (error.fatal === true) this.fatal ??= error
      this.report(error, seg, mark)
      if (error.fatal === true || !this.options.force) {
        this.close(true)
        return false
      }
    }
    return true
  }

  /** Runs one statement (`packet`: NATIVE_RESERVE bytes, then the statement); resolves with its error, or null. */
  private run(packet: Buffer): Promise<QueryError | null> {
    return new Promise((resolve) => {
      if (this.closed) {
        resolve(this.fatal ?? { message: 'the connection is closed', fatal: true })
        return
      }
      const done = (e: unknown): void => resolve((e as QueryError | null) ?? null)
      this.pending = done
      const cmd = driver.createQuery(
        '',
        [],
        (e) => {
          this.pending = null
          done(e)
        },
        this.core.config,
      ) as QueryCommand
      const standard = Object.getPrototypeOf(cmd) as { resultsetHeader: unknown }
      // mysql2's own start, with the dump's bytes as the packet instead of an encoded string.
      cmd.start = function (this: QueryCommand, _packet, connection) {
        this._connection = connection
        this.options = driver.ConnectionConfig.queryOptions(connection.config, this._queryOptions)
        connection.writePacket(queryPacket(packet))
        return standard.resultsetHeader
      }
      this.core.query(cmd)
    })
  }

  private report(error: QueryError, seg: Segment, mark: StatementMark): void {
    this.errors++
    const message = error.sqlMessage ?? error.message ?? String(error.code ?? 'error')
    const errno = error.errno ?? (error.fatal === true ? 2013 : null)
    const sqlState = error.sqlState ?? (errno === null ? null : 'HY000')
    this.lastError = errno === null ? `ERROR: ${message}` : `ERROR ${errno} (${sqlState}): ${message}`
    const named = mark.index > 0
    this.options.onError({
      client: { errno, sqlState, line: null, message },
      mark: named ? mark : null,
      head: named ? seg.buf.toString('utf8', mark.offset, mark.offset + Math.min(mark.length, 1024)) : null,
    })
  }

  private close(now = false): void {
    if (this.closed) return
    this.closed = true
    if (now) this.core.destroy()
    else this.core.end(() => {})
    const pending = this.pending
    this.pending = null
    pending?.({ message: 'the connection was closed', fatal: true })
    if (this.fatal !== null && this.errors === 0) {
      const f = this.fatal
      const text = f.sqlMessage ?? f.message ?? 'the connection was lost'
      this.lastError = `ERROR ${f.errno ?? 2013} (${f.sqlState ?? 'HY000'}): ${text}`
    }
    // As the client's exit: 1 after SQL errors; 2 when the connection was lost (never a `--force` success).
    const code = this.fatal !== null ? 2 : this.errors > 0 ? 1 : now ? null : 0
    this.resolveExit({
      code,
      signal: code === null ? 'SIGKILL' : null,
      spawnFailed: false,
      stderrTail: this.lastError,
    })
  }
}
