/**
 * Splits a mariadb-dump / mysqldump SQL stream into the statements a server runs, the way the `mariadb`
 * client does (quotes, comments, conditional comments, `DELIMITER`), and classifies each one for restore.
 * Works on bytes: chunks may cut a UTF-8 character, a quote or a delimiter anywhere; memory stays bounded
 * by the current statement.
 */
import { EngineError } from '../errors.ts'

/** One statement, as it is sent to the server: without its delimiter, leading comments or trailing space. */
export interface SqlStatement {
  /** 1-based number of the statement in the stream. */
  index: number
  /** 1-based line of the statement's first byte. */
  startLine: number
  /** The statement, without the trailing delimiter (and without leading comments / trailing whitespace). */
  text: string
  /** UTF-8 length of `text`. */
  bytes: number
  /** Byte offset of the statement's first byte in the stream. */
  startOffset: number
  /** Byte offset just after its delimiter: the input consumed once it is applied (for progress). */
  endOffset: number
  /** The delimiter that ended it (`;` unless a `DELIMITER` command changed it); '' for a final statement without one. */
  delimiter: string
  /**
   * The statement's raw bytes (`bytes` long, as `text` but never decoded): what a restore sends, so binary
   * strings of dumps made without --hex-blob travel intact. A view into the splitter's buffer, valid only
   * during the `onStatement` call: copy what must outlive it.
   */
  raw: Buffer
}

export interface StatementSplitterOptions {
  /**
   * The session starts with NO_BACKSLASH_ESCAPES (default false). The splitter then follows the dump's own
   * `SET sql_mode = …` statements (literals, `@saved = @@sql_mode` and `sql_mode = @saved`), as the client
   * follows the server's status.
   */
  noBackslashEscapes?: boolean
  /**
   * A last statement in plain code without its delimiter is emitted (with `delimiter: ''`), as the
   * `mariadb` client runs it. Default false: it is an IncompleteDump error, because a dump cut after a
   * complete row tuple would otherwise load a partial INSERT.
   */
  allowMissingFinalDelimiter?: boolean
  /**
   * Decode at most this many bytes of each statement into `text` (default: all). A loader that sends `raw`
   * and only classifies the head saves decoding a 100 MB INSERT. At least 4096 (the classifier's head).
   */
  textLimit?: number
}

export type SqlSplitReason =
  'missing-delimiter' | 'unclosed-string' | 'unclosed-identifier' | 'unclosed-comment' | 'bad-delimiter'

/** The stream cannot be split: it ends inside a statement, or a `DELIMITER` command is unusable. */
export class SqlSplitError extends EngineError {
  readonly reason: SqlSplitReason
  /** Line where the problem starts (the statement's, the string's or the comment's first line). */
  readonly line: number
  /** Number the unfinished statement would have had, when one was started. */
  readonly statementIndex: number | undefined

  constructor(reason: SqlSplitReason, message: string, line: number, statementIndex?: number, head?: string) {
    super(reason === 'bad-delimiter' ? 'CorruptFile' : 'IncompleteDump', message, {
      ...(head === undefined ? {} : { detail: head }),
    })
    this.name = 'SqlSplitError'
    this.reason = reason
    this.line = line
    this.statementIndex = statementIndex
  }
}

/** How much of a statement an error message quotes. */
export const STATEMENT_HEAD_CHARS = 200

/** The first characters of a statement, on one line, for messages. */
export const statementHead = (text: string, chars = STATEMENT_HEAD_CHARS): string => {
  const head = text.length > chars ? text.slice(0, chars) + '…' : text
  return head.replace(/\s+/g, ' ')
}

// Scanner states.
const BETWEEN = 0 // outside any statement: whitespace, comments, client commands, stray delimiters
const CODE = 1
const SINGLE = 2 // '…'
const DOUBLE = 3 // "…"
const BACKTICK = 4 // `…`
const LINE_COMMENT = 5 // -- … / # …, to the end of the line
const BLOCK_COMMENT = 6 // /* … */ (not /*! or /*M!, which are code)

const LF = 0x0a
const CR = 0x0d
const SPACE = 0x20
const TAB = 0x09
const HASH = 0x23
const DASH = 0x2d
const SLASH = 0x2f
const STAR = 0x2a
const BANG = 0x21
const BACKSLASH = 0x5c
const QUOTE = 0x27
const DQUOTE = 0x22
const BTICK = 0x60
const UPPER_M = 0x4d

const DELIMITER_WORD = Buffer.from('delimiter')
/** mariadb-dump since its 2024 releases (10.5.25, 10.6.18, 10.11.8, …) starts with this client command. */
const SANDBOX_LINE = Buffer.from('/*M!999999\\-')
const BOM = Buffer.from([0xef, 0xbb, 0xbf])

/**
 * Statement buffers larger than this are dropped after use instead of being kept for the next one (a dump's
 * extended INSERTs are about 1 MiB each: the buffer is reused, not reallocated, for every one of them).
 */
const KEEP_BUFFER = 8 << 20

const SEMICOLON = 0x3b

/** The bytes code can skip (everything but quotes, comment openers and the delimiter's first byte). */
const PLAIN_CODE = (() => {
  const table = new Uint8Array(256).fill(1)
  for (const b of [QUOTE, DQUOTE, BTICK, HASH, DASH, SLASH]) table[b] = 0
  return table
})()

const isBlank = (b: number): boolean => b === SPACE || b === TAB || b === CR || b === 0x0b || b === 0x0c

/**
 * A push-based statement splitter: `push()` chunks of the SQL stream, `end()` once; `onStatement` is called
 * synchronously for every complete statement, in order. What it emits, as the `mariadb` client sends it:
 *
 * - a statement ends at the delimiter outside quotes ('…' and "…" with backslash escapes and doubled quotes,
 *   `…`) and comments (`-- `, `#`, `/* *\/`); a conditional comment (`/*!40101 SET … *\/;`, `/*M!…`) is code,
 *   so it is a statement of its own or part of one — and, as in the client, a delimiter inside it ends the
 *   statement;
 * - comments before a statement and after its last code are dropped, comments inside it are kept; empty
 *   statements (a lone delimiter) are dropped;
 * - `DELIMITER x` on a line of its own between statements (how mysqldump uses it) changes the delimiter and
 *   is not emitted; mariadb-dump's sandbox-mode line is consumed too (`sandboxMode`);
 * - the stream is UTF-8 (or another charset whose multi-byte characters never hold a quote or backslash
 *   byte: not sjis, gbk, big5), as the dump's `SET NAMES utf8mb4` makes it.
 *
 * At `end()`, a stream that stops inside a statement is a SqlSplitError (IncompleteDump), never a partial
 * statement (see `allowMissingFinalDelimiter`). A throw (from `onStatement` or a split error) makes the
 * splitter unusable: every later call throws the same error.
 */
export class StatementSplitter {
  private readonly onStatement: (statement: SqlStatement) => void
  private readonly allowMissingFinalDelimiter: boolean
  private readonly textLimit: number

  private state = BETWEEN
  /** Where a line comment / block comment returns to: BETWEEN or CODE. */
  private returnState = BETWEEN
  /** A backslash ended the last chunk inside a string. */
  private escape = false
  /** A `*` ended the last chunk inside a block comment. */
  private star = false
  /** Between statements, only blanks since the last newline (where `DELIMITER` is a command). */
  private atLineStart = true
  private noBackslashEscapes: boolean
  private readonly savedModes = new Map<string, boolean>()

  private delim: Buffer = Buffer.from(';')
  private delimText = ';'
  /** 1 for the bytes code can skip without a look: not the delimiter's first byte, a quote or a comment opener. */
  private plain = new Uint8Array(PLAIN_CODE)
  /**
   * The line between statements (exact there). Inside a statement nothing counts newlines on the hot path:
   * the statement's own newlines are counted once, with indexOf, when it ends.
   */
  private line = 1
  /** Absolute offset of the first byte not consumed yet (where the carried bytes start). */
  private consumed = 0
  /** Undecided bytes at the end of the last chunk (a possible delimiter, comment opener, command). */
  private carry: Buffer | null = null

  private count = 0
  private inStatement = false
  private stmtLine = 0
  private stmtOffset = 0
  /** Where the open string, identifier or comment began (an offset in a statement, a line between them). */
  private openedOffset = 0
  private openedLine = 0
  /** The statement so far ends in comments, from `commentFrom` (absolute): they are not sent. */
  private afterComment = false
  private commentFrom = 0
  /** The current statement's bytes from earlier chunks (a statement within one chunk is never copied). */
  private acc: Buffer | null = null
  private accLen = 0

  private failure: unknown = null
  private ended = false
  private sandbox = false

  constructor(onStatement: (statement: SqlStatement) => void, options: StatementSplitterOptions = {}) {
    this.onStatement = onStatement
    this.noBackslashEscapes = options.noBackslashEscapes ?? false
    this.allowMissingFinalDelimiter = options.allowMissingFinalDelimiter ?? false
    this.textLimit = Math.max(4096, options.textLimit ?? Infinity)
    this.plain[SEMICOLON] = 0
  }

  /** Statements emitted so far. */
  get statements(): number {
    return this.count
  }

  /** Bytes pushed so far. */
  get bytesIn(): number {
    return this.consumed + (this.carry?.length ?? 0)
  }

  /** NO_BACKSLASH_ESCAPES is in force (as the dump's own `SET sql_mode` statements left it). */
  get backslashEscapesOff(): boolean {
    return this.noBackslashEscapes
  }

  /** The delimiter in force (`;` unless a `DELIMITER` command changed it). */
  get delimiter(): string {
    return this.delimText
  }

  /** The stream started mariadb-dump's sandbox mode (`/*M!999999\- enable the sandbox mode *\/`). */
  get sandboxMode(): boolean {
    return this.sandbox
  }

  push(chunk: Buffer): void {
    this.check()
    if (this.ended) throw new Error('StatementSplitter: push() after end()')
    if (chunk.length === 0) return
    const data = this.carry === null ? chunk : Buffer.concat([this.carry, chunk])
    this.carry = null
    this.run(data, false)
  }

  /** The stream is complete: resolves what was undecided and fails if it ends inside a statement. */
  end(): void {
    this.check()
    if (this.ended) return
    this.ended = true
    const data = this.carry ?? Buffer.alloc(0)
    this.carry = null
    this.run(data, true)
    try {
      this.finish()
    } catch (e) {
      this.failure = e
      throw e
    }
  }

  private check(): void {
    if (this.failure !== null) throw this.failure
  }

  private run(data: Buffer, final: boolean): void {
    try {
      this.scan(data, final)
    } catch (e) {
      this.failure = e
      throw e
    }
  }

  private setDelimiter(delim: Buffer): void {
    this.delim = delim
    this.delimText = delim.toString('utf8')
    this.plain = new Uint8Array(PLAIN_CODE)
    this.plain[delim[0] as number] = 0
  }

  /**
   * One pass over `data` (the carried bytes followed by the new chunk). Everything that needs to look
   * ahead (delimiters longer than one byte, `--`, `/*!`, `DELIMITER`) stops at the end of the data unless it
   * is final, and the undecided bytes are carried into the next pass: nothing is consumed twice.
   */
  private scan(data: Buffer, final: boolean): void {
    const n = data.length
    const base = this.consumed
    let i = 0
    let state = this.state
    let line = this.line
    let stmtFrom = this.inStatement ? 0 : -1
    let delim = this.delim
    let d0 = delim[0] as number
    let dl = delim.length
    let plain = this.plain
    let noBackslash = this.noBackslashEscapes
    let afterComment = this.afterComment
    let commentFrom = this.commentFrom
    /** The next backslash at or after the string scan's position; -1: none left in this chunk; -2: not looked yet. */
    let nextBackslash = -2

    scan: while (i < n) {
      switch (state) {
        case CODE: {
          // The hot path: skip ordinary bytes (after a trailing comment, blanks must not count as code).
          if (!afterComment) {
            while (i < n && plain[data[i] as number] === 1) i++
            if (i >= n) break scan
          }
          const b = data[i] as number
          if (b === d0) {
            const m = dl === 1 || this.startsWith(data, i, n, final, delim)
            if (m === null) break scan
            if (m) {
              this.emit(data, stmtFrom, i, base + i + dl, afterComment ? commentFrom : -1)
              line = this.line
              stmtFrom = -1
              afterComment = false
              noBackslash = this.noBackslashEscapes
              state = BETWEEN
              i += dl
              continue
            }
          }
          if (b <= SPACE) {
            i++
            continue
          }
          switch (b) {
            case QUOTE:
            case DQUOTE:
            case BTICK:
              state = b === QUOTE ? SINGLE : b === DQUOTE ? DOUBLE : BACKTICK
              this.openedOffset = base + i
              afterComment = false
              break
            case HASH:
              if (!afterComment) commentFrom = base + i
              afterComment = true
              this.returnState = CODE
              state = LINE_COMMENT
              break
            case DASH: {
              const c = this.dashDashComment(data, i, n, final)
              if (c === null) break scan
              if (c) {
                if (!afterComment) commentFrom = base + i
                afterComment = true
                this.returnState = CODE
                state = LINE_COMMENT
                i += 2
                continue
              }
              afterComment = false
              break
            }
            case SLASH: {
              const c = this.commentOpener(data, i, n, final)
              if (c === null) break scan
              if (c === 'block') {
                if (!afterComment) commentFrom = base + i
                afterComment = true
                this.returnState = CODE
                this.openedOffset = base + i
                this.star = false
                state = BLOCK_COMMENT
                i += 2
                continue
              }
              afterComment = false
              break
            }
            default:
              afterComment = false
          }
          i++
          continue
        }

        case SINGLE:
        case DOUBLE: {
          const quote = state === SINGLE ? QUOTE : DQUOTE
          if (this.escape) {
            this.escape = false
            i++
          }
          // Strings are most of a dump's bytes: jump between quotes and backslashes with indexOf (memchr)
          // instead of looking at every byte. The next backslash is remembered for the rest of the chunk.
          while (i < n) {
            const q = data.indexOf(quote, i)
            if (!noBackslash) {
              if (nextBackslash !== -1 && nextBackslash < i) nextBackslash = data.indexOf(BACKSLASH, i)
              if (nextBackslash !== -1 && (q < 0 || nextBackslash < q)) {
                if (nextBackslash + 1 >= n) {
                  this.escape = true
                  i = n
                  break
                }
                i = nextBackslash + 2
                continue
              }
            }
            if (q < 0) {
              i = n
              break
            }
            // A doubled quote closes and reopens the string: the same boundaries.
            state = CODE
            i = q + 1
            break
          }
          continue
        }

        case BACKTICK: {
          const close = data.indexOf(BTICK, i)
          if (close < 0) {
            i = n
            continue
          }
          state = CODE
          i = close + 1
          continue
        }

        case LINE_COMMENT: {
          const nl = data.indexOf(LF, i)
          if (nl < 0) {
            i = n
            continue
          }
          // The newline is left for the state we return to (between statements it counts it).
          state = this.returnState
          i = nl
          continue
        }

        case BLOCK_COMMENT: {
          const counting = this.returnState === BETWEEN
          let star = this.star
          for (; i < n; i++) {
            const c = data[i] as number
            if (star && c === SLASH) {
              state = this.returnState
              i++
              break
            }
            star = c === STAR
            if (c === LF && counting) line++
          }
          this.star = state === BLOCK_COMMENT && star
          continue
        }

        default: {
          // BETWEEN: blanks, comments, client commands, stray delimiters, or the first byte of a statement.
          const b = data[i] as number
          if (b === LF) {
            line++
            this.atLineStart = true
            i++
            continue
          }
          if (isBlank(b)) {
            i++
            continue
          }
          if (b === 0xef && base + i === 0) {
            const bom = this.startsWith(data, i, n, final, BOM)
            if (bom === null) break scan
            if (bom) {
              i += BOM.length
              continue
            }
          }
          if (b === d0) {
            const m = dl === 1 || this.startsWith(data, i, n, final, delim)
            if (m === null) break scan
            if (m) {
              // An empty statement: nothing to send.
              this.atLineStart = false
              i += dl
              continue
            }
          }
          if (b === HASH) {
            this.atLineStart = false
            this.returnState = BETWEEN
            state = LINE_COMMENT
            i++
            continue
          }
          if (b === DASH) {
            const c = this.dashDashComment(data, i, n, final)
            if (c === null) break scan
            if (c) {
              this.atLineStart = false
              this.returnState = BETWEEN
              state = LINE_COMMENT
              i += 2
              continue
            }
          }
          if (b === SLASH) {
            const c = this.commentOpener(data, i, n, final)
            if (c === null) break scan
            if (c === 'block') {
              this.atLineStart = false
              this.returnState = BETWEEN
              this.openedLine = line
              this.star = false
              state = BLOCK_COMMENT
              i += 2
              continue
            }
            if (c === 'conditional') {
              const sandbox = this.startsWith(data, i, n, final, SANDBOX_LINE)
              if (sandbox === null) break scan
              if (sandbox) {
                // A client command (the client strips `\-` and sends the rest, a comment, with the next
                // statement): consumed like a comment line.
                this.sandbox = true
                this.atLineStart = false
                this.returnState = BETWEEN
                state = LINE_COMMENT
                i += SANDBOX_LINE.length
                continue
              }
            }
          }
          if (this.atLineStart && (b | 0x20) === 0x64) {
            const word = this.startsWith(data, i, n, final, DELIMITER_WORD, true)
            if (word === null) break scan
            if (word) {
              const after = i + DELIMITER_WORD.length
              if (after >= n && !final) break scan
              const next = after < n ? (data[after] as number) : LF
              if (isBlank(next) || next === LF) {
                const nl = data.indexOf(LF, after)
                if (nl < 0 && !final) break scan
                const end = nl < 0 ? n : nl
                this.setDelimiter(this.delimiterCommand(data.subarray(after, end), line))
                delim = this.delim
                d0 = delim[0] as number
                dl = delim.length
                plain = this.plain
                i = end
                continue
              }
            }
          }
          // The first byte of a statement; CODE looks at it again.
          this.atLineStart = false
          this.inStatement = true
          this.stmtLine = line
          this.stmtOffset = base + i
          stmtFrom = i
          afterComment = false
          state = CODE
          if (plain[b] === 1) i++
          continue
        }
      }
    }

    // Keep what the current statement holds of this data; carry the undecided rest.
    if (stmtFrom >= 0 && i > stmtFrom) this.append(data.subarray(stmtFrom, i))
    if (i < n) this.carry = Buffer.from(data.subarray(i))
    this.consumed = base + i
    this.state = state
    this.line = line
    this.afterComment = afterComment
    this.commentFrom = commentFrom
  }

  /** True when `data` at `at` starts with `bytes`; null when it cannot tell yet (more data to come). */
  private startsWith(
    data: Buffer,
    at: number,
    n: number,
    final: boolean,
    bytes: Buffer,
    caseless = false,
  ): boolean | null {
    for (let k = 0; k < bytes.length; k++) {
      if (at + k >= n) return final ? false : null
      let b = data[at + k] as number
      if (caseless && b >= 0x41 && b <= 0x5a) b |= 0x20
      if (b !== bytes[k]) return false
    }
    return true
  }

  /** `--` followed by a blank, a control character or the end: a comment. null: cannot tell yet. */
  private dashDashComment(data: Buffer, i: number, n: number, final: boolean): boolean | null {
    if (i + 1 >= n) return final ? false : null
    if (data[i + 1] !== DASH) return false
    if (i + 2 >= n) return final ? true : null
    return (data[i + 2] as number) <= SPACE
  }

  /** What a `/` starts: a plain block comment, a conditional comment (code), or nothing. */
  private commentOpener(
    data: Buffer,
    i: number,
    n: number,
    final: boolean,
  ): 'block' | 'conditional' | 'none' | null {
    if (i + 1 >= n) return final ? 'none' : null
    if (data[i + 1] !== STAR) return 'none'
    if (i + 2 >= n) return final ? 'block' : null
    const c = data[i + 2]
    if (c === BANG) return 'conditional'
    if (c !== UPPER_M) return 'block'
    if (i + 3 >= n) return final ? 'block' : null
    return data[i + 3] === BANG ? 'conditional' : 'block'
  }

  /** The argument of a `DELIMITER` line (as the client reads it: the first word, or a quoted string). */
  private delimiterCommand(rest: Buffer, line: number): Buffer {
    const arg = rest.toString('utf8').trim()
    let value: string
    const q = arg[0]
    if (q === "'" || q === '"' || q === '`') {
      const close = arg.indexOf(q, 1)
      value = close < 0 ? arg.slice(1) : arg.slice(1, close)
    } else {
      value = arg.split(/\s/)[0] ?? ''
    }
    if (value === '') {
      throw new SqlSplitError('bad-delimiter', `DELIMITER without a delimiter at line ${line}`, line)
    }
    if (value.includes('\\')) {
      throw new SqlSplitError('bad-delimiter', `DELIMITER with a backslash at line ${line}`, line)
    }
    return Buffer.from(value, 'utf8')
  }

  private append(part: Buffer): void {
    const need = this.accLen + part.length
    if (this.acc === null || this.acc.length < need) {
      const grown = Buffer.allocUnsafe(Math.max(need, 2 * (this.acc?.length ?? 0), 65536))
      if (this.acc !== null) this.acc.copy(grown, 0, 0, this.accLen)
      this.acc = grown
    }
    part.copy(this.acc, this.accLen)
    this.accLen = need
  }

  /** A statement ends at `data[to]` (its delimiter); `commentFrom` ≥ 0 where its trailing comments start. */
  private emit(data: Buffer, from: number, to: number, endOffset: number, commentFrom: number): void {
    let raw: Buffer
    if (this.accLen > 0) {
      this.append(data.subarray(from, to))
      raw = (this.acc as Buffer).subarray(0, this.accLen)
    } else {
      raw = data.subarray(from, to)
    }
    this.deliver(raw, endOffset, this.delimText, commentFrom)
  }

  /** Sends one statement (its raw bytes up to the delimiter) and moves the line count past it. */
  private deliver(raw: Buffer, endOffset: number, delimiter: string, commentFrom: number): void {
    this.line = this.stmtLine + countLines(raw, raw.length)
    let end = commentFrom >= 0 ? commentFrom - this.stmtOffset : raw.length
    while (end > 0 && (raw[end - 1] as number) <= SPACE) end--
    const text = raw.toString('utf8', 0, Math.min(end, this.textLimit))
    this.inStatement = false
    this.accLen = 0
    if (this.acc !== null && this.acc.length > KEEP_BUFFER) this.acc = null
    this.count++
    const statement: SqlStatement = {
      index: this.count,
      startLine: this.stmtLine,
      text,
      bytes: end,
      startOffset: this.stmtOffset,
      endOffset,
      delimiter,
    } as SqlStatement
    // Not enumerable: a view into a reused buffer is nothing to compare or print.
    Object.defineProperty(statement, 'raw', { value: raw.subarray(0, end), enumerable: false })
    // Only a SET (perhaps in a conditional comment) can change sql_mode.
    const first = raw[0] as number
    if ((first === SLASH || (first | 0x20) === 0x73) && end < 4096 && /sql_mode/i.test(text)) {
      this.followSqlMode(text)
    }
    this.onStatement(statement)
  }

  /** Tracks NO_BACKSLASH_ESCAPES through the dump's own `SET sql_mode` statements. */
  private followSqlMode(text: string): void {
    if (classifyStatement(text).kind !== 'set') return
    for (const m of text.matchAll(/(@[\w$.]+)\s*:?=\s*@@(?:session\.|local\.)?sql_mode\b/gi)) {
      this.savedModes.set((m[1] as string).toLowerCase(), this.noBackslashEscapes)
    }
    const assignment =
      /(?<!\bGLOBAL\s+)(?<![\w@$.])(?:@@(?:session\.|local\.)?)?sql_mode\s*:?=\s*('(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.|"")*"|@[\w$.]+|DEFAULT)/gi
    for (const m of text.matchAll(assignment)) {
      const value = m[1] as string
      if (value.startsWith('@')) {
        this.noBackslashEscapes = this.savedModes.get(value.toLowerCase()) ?? this.noBackslashEscapes
      } else if (/^default$/i.test(value)) {
        this.noBackslashEscapes = false
      } else {
        this.noBackslashEscapes = /NO_BACKSLASH_ESCAPES/i.test(value)
      }
    }
  }

  /** At the end of the stream: fails inside a statement, or emits a last one without its delimiter. */
  private finish(): void {
    const index = this.count + 1
    const held = (this.acc ?? Buffer.alloc(0)).subarray(0, this.accLen)
    const head = (): string => statementHead(held.toString('utf8', 0, Math.min(held.length, 1024)))
    /** The line of an offset inside the unfinished statement (all of which is held). */
    const lineAt = (offset: number): number => this.stmtLine + countLines(held, offset - this.stmtOffset)
    const where = `statement ${index} starting at line ${this.stmtLine}`
    switch (this.state) {
      case SINGLE:
      case DOUBLE:
      case BACKTICK: {
        const line = lineAt(this.openedOffset)
        const what = this.state === BACKTICK ? 'a quoted identifier' : 'a string'
        throw new SqlSplitError(
          this.state === BACKTICK ? 'unclosed-identifier' : 'unclosed-string',
          `the SQL ends inside ${what} opened at line ${line} (${where})`,
          line,
          index,
          head(),
        )
      }
      case BLOCK_COMMENT: {
        const line = this.inStatement ? lineAt(this.openedOffset) : this.openedLine
        throw new SqlSplitError(
          'unclosed-comment',
          `the SQL ends inside a comment opened at line ${line}` + (this.inStatement ? ` (${where})` : ''),
          line,
          this.inStatement ? index : undefined,
          this.inStatement ? head() : undefined,
        )
      }
    }
    if (!this.inStatement) return
    if (!this.allowMissingFinalDelimiter) {
      throw new SqlSplitError(
        'missing-delimiter',
        `the SQL ends without the delimiter of ${where}`,
        this.stmtLine,
        index,
        head(),
      )
    }
    this.deliver(held, this.consumed, '', this.afterComment ? this.commentFrom : -1)
  }
}

/** Newlines in `buf[0, end)`, found with indexOf (memchr), not a JS loop. */
function countLines(buf: Buffer, end: number): number {
  let lines = 0
  let at = buf.indexOf(LF)
  while (at >= 0 && at < end) {
    lines++
    at = buf.indexOf(LF, at + 1)
  }
  return lines
}

// ---------------------------------------------------------------------------------------------------------
// Classification

export type StatementKind =
  | 'use'
  | 'set'
  | 'create-database'
  | 'drop-database'
  | 'create-table'
  | 'drop-table'
  | 'alter-table'
  | 'lock-tables'
  | 'unlock-tables'
  | 'insert'
  | 'create-view'
  | 'drop-view'
  | 'create-trigger'
  | 'drop-trigger'
  | 'create-routine'
  | 'drop-routine'
  | 'create-event'
  | 'drop-event'
  | 'create-sequence'
  | 'setval'
  | 'transaction'
  | 'other'

export interface StatementClass {
  kind: StatementKind
  /** The database named by the statement (`USE`, `CREATE DATABASE`, or a qualified `db`.`name`). */
  database?: string
  /** The table (or view, or sequence) it is about; for a trigger, the table it is on. */
  table?: string
  /** The trigger's, routine's or event's name. */
  name?: string
  /** For routines: which kind. */
  routine?: 'procedure' | 'function' | 'package' | 'package body'
  /**
   * A view's stand-in: mysqldump/mariadb-dump first create every view as `SELECT NULL AS a, …` (or
   * `1 AS a`) so that other views can refer to it, and replace it with the real definition at the end.
   */
  placeholder?: boolean
}

type Token =
  | { t: 'word'; v: string; raw: string } // v upper-cased, raw as written
  | { t: 'ident'; v: string } // `quoted`, unquoted
  | { t: 'string' }
  | { t: 'punct'; v: string }

/** How much of a statement the classifier reads (an INSERT can be 100 MB). */
const HEAD = 4096

const WORD = /[\w$\u0080-\uffff]+/y
const CONDITIONAL = /\/\*M?!\d*/y

/** The first tokens of a statement, reading through conditional comments as the server does. */
function headTokens(text: string, max: number): Token[] {
  const tokens: Token[] = []
  const n = Math.min(text.length, HEAD)
  let i = 0
  while (i < n && tokens.length < max) {
    const c = text.charCodeAt(i)
    if (c <= 0x20) {
      i++
    } else if (
      c === HASH ||
      (c === DASH && text.charCodeAt(i + 1) === DASH && !(text.charCodeAt(i + 2) > 0x20))
    ) {
      const nl = text.indexOf('\n', i)
      i = nl < 0 ? n : nl + 1
    } else if (c === SLASH && text.charCodeAt(i + 1) === STAR) {
      CONDITIONAL.lastIndex = i
      if (CONDITIONAL.test(text)) {
        i = CONDITIONAL.lastIndex
      } else {
        const close = text.indexOf('*/', i + 2)
        i = close < 0 ? n : close + 2
      }
    } else if (c === STAR && text.charCodeAt(i + 1) === SLASH) {
      i += 2 // the end of a conditional comment
    } else if (c === BTICK) {
      let v = ''
      let j = i + 1
      for (;;) {
        const close = text.indexOf('`', j)
        if (close < 0 || close >= n) return tokens
        v += text.slice(j, close)
        if (text.charCodeAt(close + 1) !== BTICK) {
          i = close + 1
          break
        }
        v += '`'
        j = close + 2
      }
      tokens.push({ t: 'ident', v })
    } else if (c === QUOTE || c === DQUOTE) {
      let j = i + 1
      for (;;) {
        if (j >= n) return tokens
        const d = text.charCodeAt(j)
        if (d === BACKSLASH) j += 2
        else if (d !== c) j++
        else if (text.charCodeAt(j + 1) === c) j += 2
        else break
      }
      i = j + 1
      tokens.push({ t: 'string' })
    } else {
      WORD.lastIndex = i
      const m = WORD.exec(text)
      if (m !== null) {
        tokens.push({ t: 'word', v: m[0].toUpperCase(), raw: m[0] })
        i += m[0].length
      } else {
        tokens.push({ t: 'punct', v: text[i] as string })
        i++
      }
    }
  }
  return tokens
}

/** A cursor over the head tokens with the few grammar pieces the classifier needs. */
class Tokens {
  private at = 0
  private readonly list: Token[]

  constructor(list: Token[]) {
    this.list = list
  }

  word(...words: string[]): string | undefined {
    const t = this.list[this.at]
    if (t?.t === 'word' && (words.length === 0 || words.includes(t.v))) {
      this.at++
      return t.v
    }
    return undefined
  }

  punct(p: string): boolean {
    const t = this.list[this.at]
    if (t?.t === 'punct' && t.v === p) {
      this.at++
      return true
    }
    return false
  }

  /** The sequence of words, all or nothing. */
  words(...words: string[]): boolean {
    const start = this.at
    for (const w of words) {
      if (this.word(w) === undefined) {
        this.at = start
        return false
      }
    }
    return true
  }

  /** An identifier: `quoted` or a bare word (as written, not upper-cased). */
  name(): string | undefined {
    const t = this.list[this.at]
    if (t?.t === 'ident') {
      this.at++
      return t.v
    }
    if (t?.t === 'word') {
      this.at++
      return t.raw
    }
    return undefined
  }

  /** `name` or `db`.`name`. */
  qualified(): { database?: string; name: string } | undefined {
    const first = this.name()
    if (first === undefined) return undefined
    if (this.punct('.')) {
      const second = this.name()
      if (second !== undefined) return { database: first, name: second }
    }
    return { name: first }
  }

  /** `user`, `user@host` (quoted or not), `CURRENT_USER[()]`, `CURRENT_ROLE`. */
  account(): void {
    if (this.word('CURRENT_USER', 'CURRENT_ROLE')) {
      if (this.punct('(')) this.punct(')')
      return
    }
    this.any()
    if (this.punct('@')) this.any()
  }

  /** Skips one token. */
  any(): void {
    this.at++
  }

  /** Moves to just after the next occurrence of `word` within `limit` tokens. */
  skipTo(word: string, limit: number): boolean {
    for (let k = this.at; k < Math.min(this.list.length, this.at + limit); k++) {
      const t = this.list[k]
      if (t?.t === 'word' && t.v === word) {
        this.at = k + 1
        return true
      }
    }
    return false
  }
}

const withName = (
  kind: StatementKind,
  q: { database?: string; name: string } | undefined,
  field: 'table' | 'name' | 'database',
): StatementClass => {
  if (q === undefined) return { kind }
  if (field === 'database') return { kind, database: q.name }
  return q.database === undefined
    ? { kind, [field]: q.name }
    : { kind, database: q.database, [field]: q.name }
}

/**
 * The stand-in's exact shape (MariaDB `AS SELECT\n NULL AS \`a\``, MySQL 8 `AS SELECT \n 1 AS \`a\``); a real
 * view is written from SHOW CREATE VIEW, with ALGORITHM and a lower-case `select`, so never matches.
 */
const PLACEHOLDER_VIEW =
  /^(?:\/\*!\d+\s+)?CREATE\s+VIEW\s+`(?:[^`]|``)+`\s+AS SELECT\s+(?:(?:NULL|1) AS `(?:[^`]|``)*`,\s*)*(?:NULL|1) AS `(?:[^`]|``)*`\s*(?:\*\/)?$/

/**
 * What a statement does, from its first tokens (conditional comments read as code): enough for a restore
 * to order DDL, data and the objects that must come last, and to name the table being loaded.
 */
export function classifyStatement(text: string): StatementClass {
  const tokens = new Tokens(headTokens(text, 48))
  const first = tokens.word()
  switch (first) {
    case 'USE':
      return withName('use', tokens.qualified(), 'database')
    case 'SET':
      return { kind: 'set' }
    case 'LOCK':
      if (!tokens.word('TABLES', 'TABLE')) return { kind: 'other' }
      return withName('lock-tables', tokens.qualified(), 'table')
    case 'UNLOCK':
      return tokens.word('TABLES', 'TABLE') ? { kind: 'unlock-tables' } : { kind: 'other' }
    case 'INSERT':
    case 'REPLACE':
      while (tokens.word('LOW_PRIORITY', 'DELAYED', 'HIGH_PRIORITY', 'IGNORE')) {
        // modifiers
      }
      tokens.word('INTO')
      return withName('insert', tokens.qualified(), 'table')
    case 'ALTER':
      tokens.word('ONLINE')
      tokens.word('IGNORE')
      if (!tokens.word('TABLE')) return { kind: 'other' }
      return withName('alter-table', tokens.qualified(), 'table')
    case 'DROP':
      return classifyDrop(tokens)
    case 'CREATE':
      return classifyCreate(tokens, text)
    case 'START':
      return tokens.word('TRANSACTION') ? { kind: 'transaction' } : { kind: 'other' }
    case 'BEGIN':
    case 'COMMIT':
    case 'ROLLBACK':
      return { kind: 'transaction' }
    case 'SELECT':
      if (tokens.word('SETVAL') && tokens.punct('(')) return withName('setval', tokens.qualified(), 'table')
      return { kind: 'other' }
    default:
      return { kind: 'other' }
  }
}

function classifyDrop(tokens: Tokens): StatementClass {
  tokens.word('TEMPORARY')
  const object = tokens.word()
  let kind: StatementKind
  let field: 'table' | 'name' | 'database' = 'name'
  switch (object) {
    case 'TABLE':
    case 'TABLES':
    case 'SEQUENCE':
      kind = 'drop-table'
      field = 'table'
      break
    case 'DATABASE':
    case 'SCHEMA':
      kind = 'drop-database'
      field = 'database'
      break
    case 'VIEW':
      kind = 'drop-view'
      field = 'table'
      break
    case 'TRIGGER':
      kind = 'drop-trigger'
      break
    case 'PROCEDURE':
    case 'FUNCTION':
    case 'PACKAGE':
      kind = 'drop-routine'
      break
    case 'EVENT':
      kind = 'drop-event'
      break
    default:
      return { kind: 'other' }
  }
  tokens.words('IF', 'EXISTS')
  const result = withName(kind, tokens.qualified(), field)
  if (kind === 'drop-routine') result.routine = routineKind(object, false)
  return result
}

const routineKind = (object: string | undefined, body: boolean): StatementClass['routine'] =>
  object === 'PROCEDURE'
    ? 'procedure'
    : object === 'FUNCTION'
      ? 'function'
      : body
        ? 'package body'
        : 'package'

function classifyCreate(tokens: Tokens, text: string): StatementClass {
  // CREATE [OR REPLACE] [TEMPORARY] [ALGORITHM = x] [DEFINER = account] [SQL SECURITY x] [AGGREGATE] object
  for (;;) {
    if (tokens.words('OR', 'REPLACE') || tokens.word('TEMPORARY', 'AGGREGATE')) continue
    if (tokens.word('ALGORITHM')) {
      tokens.punct('=')
      tokens.any()
      continue
    }
    if (tokens.word('DEFINER')) {
      tokens.punct('=')
      tokens.account()
      continue
    }
    if (tokens.words('SQL', 'SECURITY')) {
      tokens.any()
      continue
    }
    break
  }
  const object = tokens.word()
  const ifNotExists = (): void => void tokens.words('IF', 'NOT', 'EXISTS')
  switch (object) {
    case 'DATABASE':
    case 'SCHEMA':
      ifNotExists()
      return withName('create-database', tokens.qualified(), 'database')
    case 'TABLE':
      ifNotExists()
      return withName('create-table', tokens.qualified(), 'table')
    case 'SEQUENCE':
      ifNotExists()
      return withName('create-sequence', tokens.qualified(), 'table')
    case 'VIEW': {
      ifNotExists()
      const result = withName('create-view', tokens.qualified(), 'table')
      if (text.length < 1 << 20 && PLACEHOLDER_VIEW.test(text)) result.placeholder = true
      return result
    }
    case 'TRIGGER': {
      ifNotExists()
      const name = tokens.qualified()
      const result = withName('create-trigger', name, 'name')
      if (tokens.skipTo('ON', 8)) {
        const on = tokens.qualified()
        if (on !== undefined) {
          result.table = on.name
          if (on.database !== undefined && result.database === undefined) result.database = on.database
        }
      }
      return result
    }
    case 'PROCEDURE':
    case 'FUNCTION':
    case 'PACKAGE': {
      const body = object === 'PACKAGE' && tokens.word('BODY') !== undefined
      ifNotExists()
      const result = withName('create-routine', tokens.qualified(), 'name')
      result.routine = routineKind(object, body)
      return result
    }
    case 'EVENT':
      ifNotExists()
      return withName('create-event', tokens.qualified(), 'name')
    default:
      return { kind: 'other' }
  }
}
