import { Transform, type TransformCallback } from 'node:stream'
import { hasCompletionTrailer } from '../backup/sql-scanner.ts'
import { EngineError } from '../errors.ts'

/** Enough of a line's start to read a table name (64 characters of up to 4 bytes, escaped, plus the verb). */
const PREFIX_BYTES = 1024
/** A database line longer than this is not a dump's own `USE`/`CREATE DATABASE` line: it passes unchanged. */
const DATABASE_LINE_LIMIT = 64 * 1024
/** The dump's header (comments, `SET` lines) is held back at most this long while looking for `CREATE DATABASE`. */
const HEADER_LIMIT = 1 << 20
const TRAILER_KEEP = 256

const NAME = '`((?:[^`]|``)+)`'
const USE_LINE = new RegExp(`^USE ${NAME};\\s*$`)
const CREATE_DATABASE_LINE = new RegExp(
  `^CREATE (?:DATABASE|SCHEMA) (?:/\\*!32312 IF NOT EXISTS\\*/ |IF NOT EXISTS )?${NAME}(.*);\\s*$`,
)
const DROP_DATABASE_LINE = new RegExp(`^(?:/\\*!40000 )?DROP (?:DATABASE|SCHEMA) (?:IF EXISTS )?${NAME}`)
const ALTER_DATABASE_LINE = new RegExp(`^ALTER (?:DATABASE|SCHEMA) ${NAME}(.*)$`, 's')
const TABLE_LINE = new RegExp(
  `^(?:(?:INSERT(?: IGNORE)?|REPLACE) INTO|CREATE TABLE(?: IF NOT EXISTS)?) ${NAME}`,
)
/** Line starts (latin1) that may be one of the dump's database statements. */
const DATABASE_STARTS = ['USE `', 'CREATE DATABASE ', 'CREATE SCHEMA ', 'ALTER DATABASE `', 'ALTER SCHEMA `']
const DROP_STARTS = ['/*!40000 DROP DATABASE ', 'DROP DATABASE ', 'DROP SCHEMA ']
const TABLE_STARTS = ['INSERT INTO `', 'INSERT IGNORE INTO `', 'REPLACE INTO `', 'CREATE TABLE ']
/** The longest of those starts: fewer bytes than this at a chunk's end cannot be classified yet. */
const LONGEST_START = 24

const quoteName = (name: string): string => '`' + name.replace(/`/g, '``') + '`'
const unquote = (s: string | undefined): string => (s ?? '').replace(/``/g, '`')

type LineKind = 'database' | 'table' | 'other' | 'unknown'

/** What the dump's `CREATE DATABASE` line asked for, to create the target database alike. */
export interface DatabaseOptions {
  charset: string | null
  collation: string | null
}

export interface RestoreScannerEvents {
  /** A table's definition or rows begin (`CREATE TABLE`, `INSERT INTO`, `REPLACE INTO`). */
  onTable?: (table: string) => void
  /** The SQL bytes read so far (before any rewrite). */
  onBytes?: (total: number) => void
}

/**
 * A tap over the SQL going to the client, for a restore of ONE database under any name:
 *
 * - counts the SQL bytes and reports each table as its `CREATE TABLE` / `INSERT INTO` line starts;
 * - keeps the dump pointed at the target database: a dump made with `--databases` names the original
 *   database in top-level lines, which would write into it. `USE` and `ALTER DATABASE` lines (the latter
 *   around routines of another collation) are rewritten to the target; `CREATE DATABASE` and
 *   `DROP DATABASE` lines become comments (the caller creates the target, with the character set and
 *   collation of the dump's `CREATE DATABASE`, read from the header: it is held back until the first
 *   statement after it; a restore never drops a database on its own). Every line stays one line, so the
 *   client's "at line N" is the line of the dump file. A second database in the file is refused
 *   (InvalidInput): one restore loads one database.
 * - keeps the end of the stream, to tell whether it ends with the dump's completion trailer.
 *
 * The limitation of a line filter: only lines that START with these statements are looked at, as
 * mysqldump and mariadb-dump write them; a statement that names the original database elsewhere (a view,
 * routine or trigger body with `db`.`table`, or a `USE` in the middle of a line) is not rewritten.
 */
export class RestoreScanner extends Transform {
  bytes = 0
  /** The database the dump names in its `USE` / `CREATE DATABASE` lines, if any. */
  sourceDatabase: string | null = null
  /** The character set and collation of the dump's `CREATE DATABASE` line, if it has one. */
  databaseOptions: DatabaseOptions | null = null
  /** Every table seen, in order. */
  readonly tables = new Set<string>()
  private readonly target: string
  private readonly events: RestoreScannerEvents
  private atLineStart = true
  /** The start of a line held over from the last chunk (too short to classify, or a database line). */
  private carry: Buffer | null = null
  private inHeader = true
  private header: Buffer[] = []
  private headerLength = 0
  /** The raw start of the current table's `INSERT INTO `t`` lines: the same again needs no decoding. */
  private lastTablePrefix: Buffer | null = null
  private tail: Buffer = Buffer.alloc(0)

  constructor(target: string, events: RestoreScannerEvents = {}) {
    super({ highWaterMark: 1 << 20 })
    this.target = target
    this.events = events
  }

  /** True when the stream so far ends with the dump's `-- Dump completed` trailer. */
  get completed(): boolean {
    return hasCompletionTrailer(this.tail.toString('utf8'))
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length
    this.tail =
      chunk.length >= TRAILER_KEEP
        ? chunk.subarray(chunk.length - TRAILER_KEEP)
        : Buffer.concat([this.tail, chunk]).subarray(-TRAILER_KEEP)
    const buffer = this.carry ? Buffer.concat([this.carry, chunk]) : chunk
    this.carry = null
    try {
      this.output(this.scan(buffer, false))
    } catch (e) {
      callback(e as Error)
      return
    }
    this.events.onBytes?.(this.bytes)
    callback()
  }

  override _flush(callback: TransformCallback): void {
    try {
      const rest = this.carry
      this.carry = null
      this.inHeader = false
      this.output(rest ? this.scan(rest, true) : [])
    } catch (e) {
      callback(e as Error)
      return
    }
    callback()
  }

  private output(pieces: Buffer[]): void {
    if (this.inHeader) {
      for (const p of pieces) {
        this.header.push(p)
        this.headerLength += p.length
      }
      if (this.headerLength < HEADER_LIMIT) return
      this.inHeader = false
    }
    if (this.header.length > 0) {
      pieces = [...this.header, ...pieces]
      this.header = []
    }
    for (const p of pieces) if (p.length > 0) this.push(p)
  }

  /** Passes `buffer` through, line by line, replacing database lines; returns the pieces to output. */
  private scan(buffer: Buffer, atEnd: boolean): Buffer[] {
    const out: Buffer[] = []
    const n = buffer.length
    let pass = 0 // bytes from here on pass unchanged
    let i = 0
    while (i < n) {
      if (!this.atLineStart) {
        const nl = buffer.indexOf(10, i)
        if (nl === -1) break
        i = nl + 1
        this.atLineStart = true
        continue
      }
      const nl = buffer.indexOf(10, i)
      const end = nl === -1 ? n : nl + 1
      if (this.continuesTable(buffer, i, end)) {
        // Another row line of the current table: the common case of a dump, decided with one compare.
        i = end
        this.atLineStart = nl !== -1
        continue
      }
      const complete = nl !== -1 || atEnd
      let kind = lineKind(buffer, i, end)
      if (kind === 'unknown' && complete) kind = 'other'
      const need = kind === 'database' ? DATABASE_LINE_LIMIT : kind === 'table' ? PREFIX_BYTES : LONGEST_START
      if (!complete && kind !== 'other' && n - i < need) {
        // Too little of this line to decide: hold it over to the next chunk.
        out.push(buffer.subarray(pass, i))
        this.carry = Buffer.from(buffer.subarray(i))
        return out
      }
      if (this.inHeader && kind !== 'database' && !isHeaderLine(buffer[i])) this.inHeader = false
      if (kind === 'table') this.noteTable(buffer, i, end)
      if (kind === 'database' && complete) {
        const replaced = this.rewrite(buffer.toString('utf8', i, end))
        if (replaced !== null) {
          out.push(buffer.subarray(pass, i), Buffer.from(replaced, 'utf8'))
          pass = end
        }
        if (this.inHeader && this.databaseOptions !== null) this.inHeader = false
      }
      i = end
      this.atLineStart = nl !== -1
    }
    out.push(buffer.subarray(pass, n))
    return out
  }

  /** True when the line at `start` begins like the current table's last `INSERT INTO `t`` line. */
  private continuesTable(buffer: Buffer, start: number, end: number): boolean {
    const last = this.lastTablePrefix
    return (
      last !== null &&
      end - start > last.length &&
      buffer.compare(last, 0, last.length, start, start + last.length) === 0
    )
  }

  private noteTable(buffer: Buffer, start: number, end: number): void {
    const text = buffer.toString('utf8', start, Math.min(end, start + PREFIX_BYTES))
    const m = TABLE_LINE.exec(text)
    if (!m) return
    const table = unquote(m[1])
    this.lastTablePrefix = Buffer.from(m[0], 'utf8')
    this.tables.add(table)
    this.events.onTable?.(table)
  }

  /** The replacement of one of the dump's database lines (with its line ending), or null to keep it. */
  private rewrite(line: string): string | null {
    const eol = /\r?\n$/.exec(line)?.[0] ?? ''
    const body = line.slice(0, line.length - eol.length)
    let m = USE_LINE.exec(body)
    if (m) {
      this.noteSource(unquote(m[1]))
      return `USE ${quoteName(this.target)};${eol}`
    }
    m = CREATE_DATABASE_LINE.exec(body)
    if (m) {
      this.noteSource(unquote(m[1]))
      const spec = m[2] ?? ''
      this.databaseOptions = {
        charset: /CHARACTER SET\s+(\w+)/i.exec(spec)?.[1] ?? null,
        collation: /COLLATE\s+(\w+)/i.exec(spec)?.[1] ?? null,
      }
      return `-- the dump's CREATE DATABASE left out: the restore creates the target database${eol}`
    }
    m = DROP_DATABASE_LINE.exec(body)
    if (m) {
      this.noteSource(unquote(m[1]))
      return `-- the dump's DROP DATABASE left out: a restore never drops a database${eol}`
    }
    m = ALTER_DATABASE_LINE.exec(body)
    if (m) {
      this.noteSource(unquote(m[1]))
      return `ALTER DATABASE ${quoteName(this.target)}${m[2] ?? ''}${eol}`
    }
    return null
  }

  private noteSource(name: string): void {
    if (this.sourceDatabase === null) {
      this.sourceDatabase = name
      return
    }
    if (name !== this.sourceDatabase) {
      throw new EngineError(
        'InvalidInput',
        `the file holds more than one database (${this.sourceDatabase}, ${name}): ` +
          'restoring it into one database would mix them',
      )
    }
  }
}

/** Blank lines, comments and `/*!…*\/` lines: the dump's header before its first statement. */
const isHeaderLine = (first: number | undefined): boolean =>
  first === 0x2d /* - */ || first === 0x2f /* / */ || first === 0x0a || first === 0x0d

function startsWithAny(text: string, starts: readonly string[]): boolean | null {
  let undecided = false
  for (const s of starts) {
    if (text.startsWith(s)) return true
    if (text.length < s.length && s.startsWith(text)) undecided = true
  }
  return undecided ? null : false
}

/** What the line at `start` may be, from its first bytes; 'unknown' when too few bytes are there. */
function lineKind(buffer: Buffer, start: number, end: number): LineKind {
  const first = buffer[start]
  // Most lines (row data, column definitions, comments) are decided by their first byte.
  if (
    first !== 0x55 &&
    first !== 0x43 &&
    first !== 0x41 &&
    first !== 0x44 &&
    first !== 0x49 &&
    first !== 0x52
  ) {
    if (first !== 0x2f) return first === undefined ? 'unknown' : 'other'
  }
  const text = buffer.toString('latin1', start, Math.min(end, start + LONGEST_START))
  const database = startsWithAny(text, DATABASE_STARTS)
  const drop = startsWithAny(text, DROP_STARTS)
  if (database || drop) return 'database'
  const table = startsWithAny(text, TABLE_STARTS)
  if (table) return 'table'
  return database === null || drop === null || table === null ? 'unknown' : 'other'
}
