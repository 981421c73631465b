/**
 * The loader: one backup file's SQL into a server (LoadOptions → LoadResult), statement by statement.
 *
 *   file → decrypt → decompress (codec from the content) → StatementSplitter (raw bytes, never decoded)
 *     → DumpReader (target database, excluded sections, DROP DATABASE never run, inventory)
 *     → parallel 1: one session, the dump's order
 *       parallel N: PhaseRouter → ordered session (DDL) · N data sessions (a table at a time each) ·
 *                   late session (views, triggers, routines, events, after all data)
 *     → SpillQueue per session (memory, then encrypted temp files) → `mariadb|mysql` client per session
 *
 * Every session is one client process fed on stdin (credentials through a FIFO: dump/defaults-file.ts, `--binary-mode`),
 * so the statements reach the server exactly as the dump holds them. A statement is sent only once the
 * splitter has it whole: a truncated stream never runs its partial last statement. The server is touched
 * (target created, clients started) only after the first statement beyond the dump's header is read, so a
 * wrong key or an unreadable container throws with nothing done.
 */
import { spawn as nodeSpawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { CompressionType } from '../../../../shared/backup-types.ts'
import type { ConnectionSettings } from '../../../../shared/job-protocol.ts'
import type { RestoreSqlError } from '../../../../shared/restore-types.ts'
import { hasCompletionTrailer } from '../../backup/sql-scanner.ts'
import { advice, EngineError, toEngineError } from '../../errors.ts'
import { mapMysqlError, openConnection } from '../../mysql/connection.ts'
import { withTunnel } from '../../ssh/tunnel.ts'
import { clientExitError, findClientBinary, type ClientBinary } from '../client-binary.ts'
import { createDatabaseIfMissing } from './target-database.ts'
import { RestoreProgressTracker } from '../restore-progress.ts'
import { openSqlSource } from '../sql-source.ts'
import { classifyStatement, statementHead, StatementSplitter, type SqlStatement } from '../sql-statements.ts'
import { DumpReader } from './dump-reader.ts'
import { PhaseRouter, type DataTable, type PhaseSink } from './phases.ts'
import { type LoadSession, NATIVE_RESERVE, NativeSession, nativeMarkerIndex } from './native-session.ts'
import { markerStatement, Session, type SessionError } from './session.ts'
import { MemoryBudget, SpillDir, SpillQueue } from './spill-queue.ts'
import type { LoadOptions, LoadResult } from './types.ts'

/**
 * Memory the queues of a parallel load share before they spill to their encrypted temp files (a session
 * far behind may use most of it). Measured on 8 tables of 66 MB with 2 sessions: 24 MiB per queue (up to
 * 96 MiB in all) spilled 168 MiB of 502; one budget of 64 MiB for all spills 72–75 MiB.
 */
const QUEUE_MEMORY = 64 << 20
/** Every data session has this much waiting: the reader waits (no spilling when all are busy). */
const READ_AHEAD = 16 << 20
/** Read-ahead across all queues (memory and disk) before the reader waits whatever the sessions do. */
const MAX_PENDING = 1 << 30
/** A sequential load's queue: the reader waits when the client is this far behind. */
const SEQUENTIAL_PENDING = 16 << 20
/** Statement text decoded for classification (the raw bytes are what is sent). */
const TEXT_LIMIT = 4096
const SQL_TEXT_CHARS = 200
const TRAILER_KEEP = 256

/** A statement on its way to a session. */
interface Item {
  raw: Buffer
  index: number
  line: number
  delimiter: string
}

/**
 * Loads one backup file (see LoadOptions). Throws when it fails before anything was done on the server
 * (wrong key, unreadable container, no client, refused login); otherwise resolves with the status.
 */
export async function loadSql(options: LoadOptions): Promise<LoadResult> {
  if (options.target.kind === 'one' && !options.target.database.trim()) {
    throw new EngineError('InvalidInput', 'no target database was given')
  }
  let binary: ClientBinary | null = null
  if (loaderOf(options) === 'client') {
    binary = await findClientBinary(options.clientBinary)
    options.onLog?.('info', `SQL client ${binary.path} (${binary.versionLine})`)
  }
  return withTunnel(options.connection, (direct) => new Load(options, direct, binary).run(), {
    warn: (m) => options.onLog?.('warn', m),
    ...options.hostKeyPolicy,
  })
}

/**
 * How the statements reach the server: `native` (default) over the protocol, one connection per session;
 * `client` through `mariadb`/`mysql` processes — asked for, or implied by a configured client binary.
 */
export function loaderOf(options: Pick<LoadOptions, 'loader' | 'clientBinary'>): 'native' | 'client' {
  return options.loader ?? (options.clientBinary ? 'client' : 'native')
}

/** What LoadResult.client says for the native loader. */
export const NATIVE_CLIENT = { path: 'built-in', version: 'MySQL protocol (mysql2)' }

class Load {
  private readonly options: LoadOptions
  private readonly direct: ConnectionSettings
  private readonly binary: ClientBinary | null
  private readonly native: boolean
  private readonly started = Date.now()
  private readonly reader: DumpReader
  private readonly spill: SpillDir
  private readonly token = `sfdb_${randomBytes(8).toString('hex')}`
  private readonly parallel: number
  private compression: CompressionType | null = null

  // Queues: one (parallel 1), or ordered + late + data[N].
  private readonly ordered: SpillQueue
  private readonly late: SpillQueue | null
  private readonly data: SpillQueue[] = []
  private readonly router: PhaseRouter<Item>
  private dataQueue: SpillQueue | null = null
  private readonly dataDatabase = new Map<SpillQueue, string | null>()
  private header: Buffer | null = null

  private readonly sessions: LoadSession[] = []
  private feeding: Promise<void> | null = null
  private touched = false
  private touching = false
  /** The server side's start (target created, clients started), once begun: awaited before the load returns. */
  private touchDone: Promise<void> | null = null
  private createdDatabases: string[] = []
  private existingBefore: Set<string> | null = null
  private ready = false

  private gateCount = 0
  private gateSeen = 0
  private gateWaiters: { n: number; resolve: () => void }[] = []
  private tablesDone = 0
  private takeWaiters: (() => void)[] = []

  private stopped = false
  private failure: EngineError | null = null
  private readonly sqlErrors: RestoreSqlError[] = []
  private progress: RestoreProgressTracker | null = null
  private readBytes = 0
  /** The stream's last bytes: does it end with the dump's completion trailer? */
  private tail: Buffer = Buffer.alloc(0)
  private appliedMax = 0

  constructor(options: LoadOptions, direct: ConnectionSettings, binary: ClientBinary | null) {
    this.options = options
    this.direct = direct
    this.binary = binary
    this.native = binary === null
    this.parallel = Math.max(1, Math.floor(options.parallel || 1))
    this.reader = new DumpReader(options.target, options.inventory)
    this.spill = new SpillDir(options.onSpillBlock)
    // One session: the reader simply waits for it (nothing to read ahead for). N sessions: the reader must
    // not wait for the busiest one, so it reads ahead, spilling what does not fit in memory.
    const memory = new MemoryBudget(
      this.parallel === 1 ? Infinity : (options.spillMemoryBytes ?? QUEUE_MEMORY),
    )
    const queue = (name: string): SpillQueue => new SpillQueue(this.spill, name, memory, () => this.taken())
    this.ordered = queue('ordered')
    this.late = this.parallel > 1 ? queue('late') : null
    for (let i = 0; i < (this.parallel > 1 ? this.parallel : 0); i++) this.data.push(queue(`data-${i}`))
    this.router = new PhaseRouter<Item>(this.sink(), (item) => ({ ...item, raw: Buffer.from(item.raw) }))
  }

  async run(): Promise<LoadResult> {
    const { signal } = this.options
    const { file, remote, key, hostKeyPolicy } = this.options
    const sql = await openSqlSource({ file, remote }, key, (type) => (this.compression = type), hostKeyPolicy)
    this.progress = new RestoreProgressTracker({
      database: this.options.target.kind === 'one' ? this.options.target.database : '',
      totalSqlBytes: this.options.totalSqlBytes ?? null,
      totalTables: this.options.totalTables ?? null,
      fileSize: sql.fileSize,
      // The file read so far, scaled to what the sessions have taken (a parallel load reads ahead).
      fileBytes: () =>
        this.readBytes === 0 ? 0 : Math.round((sql.file.bytesRead * this.appliedMax) / this.readBytes),
      emit: this.options.onProgress ?? (() => {}),
    })
    // The sessions' markers count the tables done exactly (from none): never the reader's guess, which runs
    // ahead of them and would go back when the first marker arrives.
    this.progress.onTablesDone(0)
    const onAbort = (): void => this.stop()
    signal.addEventListener('abort', onAbort, { once: true })
    let readFailure: unknown = null
    try {
      await pipeline([sql.file, ...sql.stages, this.consumer()], { signal })
    } catch (e) {
      readFailure = e
    }
    try {
      if (readFailure !== null && !this.touched && !signal.aborted) throw readFailure
      // A damaged or truncated stream: the statements read whole before it still run (as they would have
      // in order), the one being read never does, and phase 3 is not started; the load fails.
      if (readFailure !== null && !signal.aborted) this.failure ??= toEngineError(readFailure)
      if (!this.touching && !this.stopped) await this.touch() // a dump of nothing but its header
      this.endQueues()
      await this.feeding
      if (this.failure === null && !signal.aborted) this.noteCreated(await this.existingNow())
      return this.result(sql.encrypted)
    } finally {
      signal.removeEventListener('abort', onAbort)
      this.stop()
      await this.touchDone?.catch(() => {})
      await Promise.all(this.sessions.map((s) => s.exited))
      await this.spill.remove()
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Reading

  private consumer(): Writable {
    const splitter = new StatementSplitter((s) => this.onStatement(s, splitter), { textLimit: TEXT_LIMIT })
    const step = async (): Promise<void> => {
      this.flushQueues()
      if (this.ready && !this.touching) await this.touch()
      await Promise.all(this.allQueues().map((q) => q.settled()))
      while (!this.stopped && this.behind()) await new Promise<void>((r) => this.takeWaiters.push(r))
      this.onProgress()
    }
    return new Writable({
      highWaterMark: 1 << 20,
      write: (chunk: Buffer, _encoding, callback) => {
        if (this.stopped) {
          callback(this.failure ?? new EngineError('Internal', 'the load was stopped'))
          return
        }
        try {
          this.readBytes += chunk.length
          this.tail = Buffer.concat([this.tail, chunk.subarray(-TRAILER_KEEP)]).subarray(-TRAILER_KEEP)
          splitter.push(chunk)
        } catch (e) {
          callback(e as Error)
          return
        }
        step().then(() => callback(), callback)
      },
      final: (callback) => {
        try {
          splitter.end()
          this.router.end()
          this.ready = true
        } catch (e) {
          callback(e as Error)
          return
        }
        step().then(() => callback(), callback)
      },
    })
  }

  private onStatement(stmt: SqlStatement, splitter: StatementSplitter): void {
    const cls = classifyStatement(stmt.text)
    const decision = this.reader.decide(stmt, cls, splitter.backslashEscapesOff)
    if (decision.action === 'skip') return
    const raw = decision.action === 'replace' ? decision.raw : stmt.raw
    if (!this.ready && cls.kind !== 'set' && cls.kind !== 'use' && cls.kind !== 'create-database')
      this.ready = true
    const item: Item = { raw, index: stmt.index, line: stmt.startLine, delimiter: stmt.delimiter }
    this.router.route(item, cls, this.reader.current, stmt.text)
  }

  private sink(): PhaseSink<Item> {
    if (this.parallel === 1) {
      const q = this.ordered
      return {
        ordered: (item) => this.enqueue(q, item),
        late: (item) => this.enqueue(q, item),
        both: (item) => this.enqueue(q, item),
        data: (item) => this.enqueue(q, item),
        dataOpen: (t) => this.progress?.onTable(t.table),
        dataClose: () => this.marker(q, 0),
      }
    }
    const late = this.late as SpillQueue
    return {
      ordered: (item) => this.enqueue(this.ordered, item),
      late: (item) => this.enqueue(late, item),
      both: (item) => {
        this.enqueue(this.ordered, item)
        this.enqueue(late, item)
      },
      data: (item) => this.enqueue(this.dataQueue ?? this.ordered, item),
      dataOpen: (t) => this.openData(t),
      dataClose: () => {
        if (this.dataQueue) this.marker(this.dataQueue, 0)
        this.dataQueue = null
      },
    }
  }

  /** A table's data goes to the data session with the least waiting: after the ordered session's DDL so far. */
  private openData(t: DataTable): void {
    this.progress?.onTable(t.table)
    const q = this.data.reduce((a, b) => (b.pendingBytes < a.pendingBytes ? b : a))
    if (!this.dataDatabase.has(q)) {
      this.writeSessionStart(q)
      this.dataDatabase.set(q, null)
    }
    const n = ++this.gateCount
    this.marker(this.ordered, n)
    q.gate(n)
    if (
      this.options.target.kind === 'sections' &&
      t.database !== null &&
      this.dataDatabase.get(q) !== t.database
    ) {
      this.writeOwn(q, `USE \`${t.database.replace(/`/g, '``')}\``)
      this.dataDatabase.set(q, t.database)
    }
    this.dataQueue = q
  }

  /** A data session's first statements: the dump's header (SET NAMES, sql_mode, …), no checks. */
  private writeSessionStart(q: SpillQueue): void {
    if (this.native) {
      for (const h of this.router.header) this.enqueue(q, h)
      this.writeOwn(q, 'SET foreign_key_checks=0, unique_checks=0')
      return
    }
    this.header ??= Buffer.concat([
      ...this.router.header.flatMap((h) => frame(h).parts),
      Buffer.from('SET foreign_key_checks=0, unique_checks=0;\n'),
    ])
    q.write(this.header, undefined, countLines(this.header))
  }

  /** A statement of the loader's own (not the dump's): one line, no statement number. */
  private writeOwn(q: SpillQueue, sql: string): void {
    if (this.native) {
      q.write(Buffer.from(sql, 'utf8'), { sessionLine: 0, index: 0, fileLine: 0 }, 0, NATIVE_RESERVE)
    } else q.write(Buffer.from(`${sql};\n`, 'utf8'), undefined, 1)
  }

  /** The session reaches marker `n` once everything queued before it has run. */
  private marker(q: SpillQueue, n: number): void {
    if (this.native) {
      q.write(MARKER_BYTES, { sessionLine: 0, index: nativeMarkerIndex(n), fileLine: 0 }, 0)
    } else q.write(markerStatement(this.token, n), undefined, 1)
  }

  private enqueue(q: SpillQueue, item: Item): void {
    if (this.native) {
      // The statement alone: the session sends each mark's bytes as one query.
      q.write(item.raw, { sessionLine: 0, index: item.index, fileLine: item.line }, 0, NATIVE_RESERVE)
      return
    }
    const { parts, rawAt } = frame(item)
    let line = q.lines + 1
    parts.forEach((p, k) => {
      if (k === rawAt) {
        q.write(p, { sessionLine: line, index: item.index, fileLine: item.line }, countLines(p))
        line += countLines(p)
      } else {
        const n = countLines(p)
        q.write(p, undefined, n)
        line += n
      }
    })
  }

  private allQueues(): SpillQueue[] {
    return [this.ordered, ...(this.late ? [this.late] : []), ...this.data]
  }

  private flushQueues(): void {
    for (const q of this.allQueues()) q.flush()
  }

  private endQueues(): void {
    for (const q of this.allQueues()) q.end()
  }

  /**
   * The reader waits: sequentially, when the client is SEQUENTIAL_PENDING behind; in parallel, only when
   * EVERY data session has READ_AHEAD waiting (one busy session never holds it up: its queue spills) or the
   * read-ahead as a whole reaches MAX_PENDING.
   */
  private behind(): boolean {
    if (this.parallel === 1) return this.ordered.pendingBytes > SEQUENTIAL_PENDING
    return this.data.every((q) => q.pendingBytes > READ_AHEAD) || this.pending() > MAX_PENDING
  }

  private pending(): number {
    return this.allQueues().reduce((s, q) => s + q.pendingBytes, 0)
  }

  private taken(): void {
    const w = this.takeWaiters.splice(0)
    for (const r of w) r()
    this.onProgress()
  }

  private onProgress(): void {
    const applied = Math.max(this.appliedMax, this.readBytes - this.pending())
    this.appliedMax = applied
    this.progress?.onSqlBytes(applied)
  }

  // ---------------------------------------------------------------------------------------------------
  // The server

  /**
   * Creates the target (one database) or notes the databases that exist (sections), then starts the clients
   * — once. A stop while it runs (a cancel) starts no client after it, and the load returns only once it
   * has settled, so nothing is created on the server after the load has returned.
   */
  private touch(): Promise<void> {
    this.touching = true
    this.touchDone ??= this.startServerSide()
    return this.touchDone
  }

  private async startServerSide(): Promise<void> {
    const target = this.options.target
    if (target.kind === 'one') {
      const created = await createDatabaseIfMissing(this.direct, target.database, this.reader.databaseOptions)
      this.touched = true
      if (created) this.createdDatabases.push(target.database)
    } else {
      this.existingBefore = await this.existingNow()
      this.touched = true
    }
    const database = target.kind === 'one' ? target.database : null
    const start = (onMarker: (n: number) => void): Promise<LoadSession> =>
      this.binary === null
        ? NativeSession.start({
            direct: this.direct,
            database,
            force: this.options.force,
            onMarker,
            onError: (e) => this.onSqlError(e),
          })
        : Session.start({
            binary: this.binary,
            direct: this.direct,
            database,
            force: this.options.force,
            spawn: this.options.spawn ?? nodeSpawn,
            token: this.token,
            onMarker,
            onError: (e) => this.onSqlError(e),
          })
    const stopped = (): boolean => this.stopped
    if (this.stopped) return
    const main = await start((n) => (this.parallel === 1 ? this.tableDone() : this.gateReached(n)))
    this.sessions.push(main)
    if (this.stopped) main.kill()
    if (this.parallel === 1) {
      this.feeding = this.drive(main, async () => {
        await main.feed(this.ordered, async () => {}, stopped)
      })
      return
    }
    const dataSessions = await Promise.all(this.data.map(() => start(() => this.tableDone())))
    this.sessions.push(...dataSessions)
    if (this.stopped) for (const s of dataSessions) s.kill()
    const dataDone = Promise.all(
      dataSessions.map((s, i) =>
        this.drive(s, () => s.feed(this.data[i] as SpillQueue, (n) => this.gate(n), stopped)),
      ),
    )
    this.feeding = Promise.all([
      dataDone,
      this.drive(main, async () => {
        await main.feed(this.ordered, async () => {}, stopped)
        await dataDone
        // The late statements follow the ordered ones on the same client: their lines count on from there.
        if (!this.stopped && this.failure === null) {
          await main.feed(this.late as SpillQueue, async () => {}, stopped, this.ordered.lines)
        }
      }),
    ]).then(() => {})
  }

  /** Feeds a session, closes its input, and judges its exit. */
  private async drive(session: LoadSession, feed: () => Promise<unknown>): Promise<void> {
    try {
      await feed()
    } catch (e) {
      this.fail(toEngineError(e))
    }
    session.end()
    const exit = await session.exited
    const ok = exit.code === 0 && exit.signal === null
    if (ok || this.stopped) return
    if (this.options.force && exit.code === 1 && this.sqlErrors.length > 0) return
    if (this.failure !== null) return
    const database = this.options.target.kind === 'one' ? this.options.target.database : ''
    this.fail(clientExitError(exit, database))
  }

  private onSqlError(e: SessionError): void {
    const text = e.head === null ? '' : statementHead(e.head, SQL_TEXT_CHARS)
    const error: RestoreSqlError = {
      statement: e.mark?.index ?? null,
      line: e.mark?.fileLine ?? null,
      text,
      errno: e.client.errno,
      message: e.client.message,
    }
    if (this.options.force) {
      this.sqlErrors.push(error)
      this.options.onLog?.('warn', `statement ${error.statement ?? '?'}: ${error.message}`)
      return
    }
    if (this.failure !== null) return
    this.sqlErrors.push(error)
    const server =
      e.client.errno === null
        ? e.client.message
        : `ERROR ${e.client.errno} (${e.client.sqlState}): ${e.client.message}`
    const where =
      error.statement === null
        ? 'a statement failed'
        : `statement ${error.statement} (line ${error.line ?? '?'}) failed`
    this.fail(
      new EngineError('SqlError', `${where}: ${server}`, {
        ...(text ? { detail: text } : {}),
        advice: advice('restoreSqlError', { statement: error.statement ?? '?' }),
      }),
    )
  }

  private fail(error: EngineError): void {
    this.failure ??= error
    this.stop()
  }

  /** Stops everything: the clients are killed (a client must not run what it already read), waiters released. */
  private stop(): void {
    if (this.stopped) return
    this.stopped = true
    for (const s of this.sessions) s.kill()
    for (const w of this.gateWaiters.splice(0)) w.resolve()
    for (const r of this.takeWaiters.splice(0)) r()
  }

  private gate(n: number): Promise<void> {
    if (this.gateSeen >= n || this.stopped) return Promise.resolve()
    return new Promise((resolve) => this.gateWaiters.push({ n, resolve }))
  }

  private gateReached(n: number): void {
    this.gateSeen = Math.max(this.gateSeen, n)
    this.gateWaiters = this.gateWaiters.filter((w) => {
      if (w.n > this.gateSeen) return true
      w.resolve()
      return false
    })
  }

  private tableDone(): void {
    this.tablesDone++
    this.progress?.onTablesDone(this.tablesDone)
  }

  private async existingNow(): Promise<Set<string>> {
    if (this.options.target.kind === 'one') return new Set()
    const conn = await openConnection(this.direct)
    try {
      const [rows] = await conn.query('SHOW DATABASES')
      return new Set((rows as Record<string, unknown>[]).map((r) => String(Object.values(r)[0])))
    } catch (e) {
      throw mapMysqlError(e, this.direct)
    } finally {
      await conn.end().catch(() => {})
    }
  }

  private noteCreated(now: Set<string>): void {
    if (this.existingBefore === null) return
    for (const db of this.reader.databases) {
      if (now.has(db) && !this.existingBefore.has(db)) this.createdDatabases.push(db)
    }
  }

  private result(encrypted: boolean): LoadResult {
    const cancelled = this.options.signal.aborted
    const status = cancelled ? 'cancelled' : this.failure !== null ? 'failed' : 'success'
    if (status === 'success') this.appliedMax = this.readBytes
    this.progress?.finish(status === 'success')
    const warnings: string[] = []
    if (status === 'success' && !hasCompletionTrailer(this.tail.toString('utf8'))) {
      warnings.push(
        'the SQL does not end with the dump\'s "-- Dump completed" line: the file may be truncated ' +
          '(or was written without comments)',
      )
    }
    return {
      status,
      error: status === 'failed' && this.failure ? this.failure.toAppError() : null,
      databases: [...this.reader.databases],
      sourceDatabases: [...this.reader.sourceDatabases],
      skippedDatabases: [...this.reader.skippedDatabases],
      createdDatabases: [...this.createdDatabases],
      touched: this.touched,
      sqlBytes: this.readBytes,
      compression: this.compression,
      encrypted,
      durationMs: Date.now() - this.started,
      tables: this.reader.tables.size,
      rows: this.options.inventory ? this.reader.rows : null,
      inventory: this.options.inventory ? this.reader.inventory : null,
      sqlErrors: this.sqlErrors,
      warnings,
      client: this.binary ? { path: this.binary.path, version: this.binary.versionLine } : NATIVE_CLIENT,
    }
  }
}

/** The bytes that carry a statement to a client: its own delimiter (DELIMITER lines around it when not `;`). */
function frame(item: Item): { parts: Buffer[]; rawAt: number } {
  const d = item.delimiter
  if (d === ';' || d === '') return { parts: [item.raw, SEMI_NL], rawAt: 0 }
  return {
    parts: [Buffer.from(`DELIMITER ${d}\n`), item.raw, Buffer.from(`${d}\nDELIMITER ;\n`)],
    rawAt: 1,
  }
}

const SEMI_NL = Buffer.from(';\n')
/** A native marker's bytes (never sent: a segment needs bytes to be flushed). */
const MARKER_BYTES = Buffer.from('DO 0')

function countLines(buf: Buffer): number {
  let n = 0
  for (let at = buf.indexOf(10); at >= 0; at = buf.indexOf(10, at + 1)) n++
  return n
}
