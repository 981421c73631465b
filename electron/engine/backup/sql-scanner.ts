import { Transform, type TransformCallback } from 'node:stream'

export type SqlMarker =
  | { kind: 'database'; database: string }
  | { kind: 'structure'; table: string }
  | { kind: 'data'; table: string }
  | { kind: 'view'; table: string }
  | { kind: 'routines'; database: string }

const NL_DASH = Buffer.from('\n-')
/** Long enough for a GTID list of many domains in one comment line. */
const MAX_COMMENT_LINE = 16 * 1024
const TRAILER_KEEP = 256
/** The dump's header (settings, replication coordinates) is in the first few KiB; keep more to be safe. */
const HEAD_KEEP = 256 * 1024
/**
 * Comment lines with replication coordinates, wherever they are: mariadb-dump 10.11 writes
 * `-- SET GLOBAL gtid_slave_pos='…'` near the END of the dump, far past the head.
 */
const COORDINATES = /^-- (?:SET GLOBAL gtid_slave_pos=|CHANGE (?:MASTER|REPLICATION SOURCE) TO )/
const COORDINATES_KEEP = 16

/** Parses one `-- …` comment line of mysqldump/mariadb-dump output into a marker. */
export function parseMarker(line: string): SqlMarker | null {
  let m = /^-- Dumping data for table `((?:[^`]|``)+)`/.exec(line)
  if (m) return { kind: 'data', table: unquote(m[1]) }
  m = /^-- Table structure for table `((?:[^`]|``)+)`/.exec(line)
  if (m) return { kind: 'structure', table: unquote(m[1]) }
  m = /^-- (?:Temporary table|Final view) structure for view `((?:[^`]|``)+)`/.exec(line)
  if (m) return { kind: 'view', table: unquote(m[1]) }
  m = /^-- Current Database: `((?:[^`]|``)+)`/.exec(line)
  if (m) return { kind: 'database', database: unquote(m[1]) }
  m = /^-- Dumping (?:routines|events) for database '(.+)'/.exec(line)
  if (m) return { kind: 'routines', database: m[1] ?? '' }
  return null
}

const unquote = (s: string | undefined): string => (s ?? '').replace(/``/g, '`')

/** The completion trailer both clients write as their last line (with --comments, the default). */
export const hasCompletionTrailer = (tail: string): boolean =>
  /-- Dump completed(?: on [^\n]*)?\s*$/.test(tail)

/**
 * A pass-through tap over the SQL stream: counts bytes, reports the dump's per-table comment markers, and
 * keeps the last bytes so the completion trailer can be checked. Data lines are skipped with indexOf (no
 * per-byte work in JS), so it keeps up with the dump.
 */
export class SqlScanner extends Transform {
  bytes = 0
  private lineStart = true
  private comment: Buffer[] | null = null
  private commentLen = 0
  private tail: Buffer = Buffer.alloc(0)
  private headChunks: Buffer[] = []
  private headLen = 0
  private coordinates: string[] = []
  private readonly onMarker: (marker: SqlMarker) => void
  private readonly onBytes: (total: number) => void

  constructor(onMarker: (marker: SqlMarker) => void, onBytes: (total: number) => void = () => {}) {
    super()
    this.onMarker = onMarker
    this.onBytes = onBytes
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.feed(chunk)
    cb(null, chunk)
  }

  /**
   * Scans the next bytes of the stream without passing them on (a file the dump writes itself, read behind
   * it). Keeps no reference to `chunk`: the caller may reuse its buffer.
   */
  feed(chunk: Buffer): void {
    this.scan(chunk)
    if (this.headLen < HEAD_KEEP) {
      const piece = Buffer.from(chunk.subarray(0, HEAD_KEEP - this.headLen))
      this.headChunks.push(piece)
      this.headLen += piece.length
    }
    this.bytes += chunk.length
    this.tail = Buffer.from(
      chunk.length >= TRAILER_KEEP
        ? chunk.subarray(chunk.length - TRAILER_KEEP)
        : Buffer.concat([this.tail, chunk]).subarray(-TRAILER_KEEP),
    )
    this.onBytes(this.bytes)
  }

  /** The first bytes of the stream (up to 256 KiB) as text: the dump's header. */
  get head(): string {
    return Buffer.concat(this.headChunks).toString('utf8')
  }

  /**
   * The text to read the replication coordinates from: the head plus every coordinate comment line seen
   * anywhere in the stream (the first few).
   */
  get replication(): string {
    return [this.head, ...this.coordinates].join('\n')
  }

  /** True when the stream so far ends with the dump's completion trailer. */
  get completed(): boolean {
    return hasCompletionTrailer(this.tail.toString('utf8'))
  }

  private scan(chunk: Buffer): void {
    let i = 0
    const n = chunk.length
    while (i < n) {
      if (this.comment) {
        const nl = chunk.indexOf(10, i)
        const end = nl === -1 ? n : nl
        if (this.commentLen < MAX_COMMENT_LINE) {
          const piece = Buffer.from(chunk.subarray(i, Math.min(end, i + MAX_COMMENT_LINE - this.commentLen)))
          this.comment.push(piece)
          this.commentLen += piece.length
        }
        if (nl === -1) return
        const line = Buffer.concat(this.comment).toString('utf8')
        this.comment = null
        this.commentLen = 0
        if (line.startsWith('-- ')) {
          const marker = parseMarker(line)
          if (marker) this.onMarker(marker)
          else if (COORDINATES.test(line) && this.coordinates.length < COORDINATES_KEEP)
            this.coordinates.push(line)
        }
        i = nl + 1
        this.lineStart = true
        continue
      }
      if (this.lineStart && chunk[i] === 0x2d) {
        this.comment = []
        continue
      }
      const j = chunk.indexOf(NL_DASH, i)
      if (j === -1) {
        this.lineStart = chunk[n - 1] === 10
        return
      }
      i = j + 1
      this.lineStart = true
    }
  }
}
