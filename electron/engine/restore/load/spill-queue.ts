/**
 * The statements waiting for one session of a parallel load: in memory up to a budget, then spilled to a
 * temp file — encrypted (AES-256-GCM, a random key that lives only in this process's memory, a fresh IV per
 * block), in a 0700 folder, files 0600, removed at the end whatever happened. Decrypted backup data never
 * rests on disk in clear, and the stream reader never waits for one busy session.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** Where a statement starts in a segment, to name it when the client reports an error at a line. */
export interface StatementMark {
  /** The line of the session's input the statement starts on (as the client counts it). */
  sessionLine: number
  /** The statement's number in the dump and its first line there. */
  index: number
  fileLine: number
  /** Its first byte in the segment, and its length there. */
  offset: number
  length: number
}

/** A piece of a session's input. */
export interface Segment {
  buf: Buffer
  /** The whole pooled buffer `buf` lies in, when it may be given back after use (SpillQueue.release). */
  pooled?: Buffer
  marks: StatementMark[]
  /** Sent only once the ordered session has run its marker number `gate` (the table's DDL is there). */
  gate: number
}

interface Stored {
  gate: number
  bytes: number
  mem: Segment | null
  /** Where the encrypted block is in the spill file (when not in memory). */
  disk: { offset: number; length: number; iv: Buffer; tag: Buffer } | null
  /** The write of the block (a read waits for it). */
  writing: Promise<void> | null
}

/** A segment is cut at this size (smaller ones at flush points). */
const SEGMENT_BYTES = 1 << 20
/** Per mark in a spilled block: five float64. */
const MARK_BYTES = 40

/** The spill folder of one load and its ephemeral key. */
export class SpillDir {
  private dir: string | null = null
  private creating: Promise<string> | null = null
  private readonly key = randomBytes(32)
  private readonly files: FileHandle[] = []
  /** Every block written (for tests and the report). */
  blocksWritten = 0
  private readonly onBlock: ((file: string) => Promise<void> | void) | undefined

  constructor(onBlock?: (file: string) => Promise<void> | void) {
    this.onBlock = onBlock
  }

  /** A block was written to `file` (a test looks at the file then). */
  async written(file: string): Promise<void> {
    this.blocksWritten++
    await this.onBlock?.(file)
  }

  /** The folder (created on first use, 0700). */
  async path(): Promise<string> {
    this.creating ??= mkdtemp(join(tmpdir(), 'sfdb-load-')).then((d) => {
      this.dir = d
      return d
    })
    return this.creating
  }

  async openFile(name: string): Promise<FileHandle> {
    const dir = await this.path()
    const fh = await open(join(dir, name), 'w+', 0o600)
    this.files.push(fh)
    return fh
  }

  seal(plain: Buffer[]): { iv: Buffer; data: Buffer[]; tag: Buffer } {
    const iv = randomBytes(12)
    const cipher = createCipheriv('aes-256-gcm', this.key, iv)
    const data = plain.map((p) => cipher.update(p))
    data.push(cipher.final())
    return { iv, data, tag: cipher.getAuthTag() }
  }

  open(data: Buffer, iv: Buffer, tag: Buffer): Buffer {
    const decipher = createDecipheriv('aes-256-gcm', this.key, iv)
    decipher.setAuthTag(tag)
    return Buffer.concat([decipher.update(data), decipher.final()])
  }

  /** Closes and removes everything (also after a failure). */
  async remove(): Promise<void> {
    await Promise.all(this.files.splice(0).map((f) => f.close().catch(() => {})))
    const dir = this.dir ?? (this.creating ? await this.creating.catch(() => null) : null)
    if (dir !== null) await rm(dir, { recursive: true, force: true })
  }
}

/**
 * The memory the queues of one load share before they spill: the session that is far behind can hold more
 * while the others hold little (one budget for all, not one each).
 */
export class MemoryBudget {
  used = 0
  readonly limit: number
  /**
   * Segment buffers given back once their statements ran (native sessions) or their bytes were spilled:
   * reused for the next segments instead of allocating 1 MiB each time (fewer full GCs of a long load).
   */
  private readonly pool: Buffer[] = []

  constructor(limit: number) {
    this.limit = limit
  }

  /** A segment buffer (SEGMENT_BYTES): from the pool, else new. */
  take(): Buffer {
    return this.pool.pop() ?? Buffer.allocUnsafe(SEGMENT_BYTES)
  }

  /** Gives a segment buffer back; nothing may use it afterwards. */
  give(buf: Buffer): void {
    if (buf.length === SEGMENT_BYTES && this.pool.length < POOL_MAX) this.pool.push(buf)
  }
}

/** Segment buffers kept for reuse. */
const POOL_MAX = 16

/**
 * One session's queue: `write` statements (copied), `flush` at natural boundaries, `next` from the session's
 * feeder. Order is kept; memory beyond the budget (its own, or one shared with other queues) goes to the
 * spill file.
 */
export class SpillQueue {
  /** Lines written so far (the client's line count of the next statement is this + 1). */
  lines = 0
  /** Bytes queued and not yet taken by the session. */
  pendingBytes = 0
  private readonly items: Stored[] = []
  /** The segment being filled (bytes 0..curBytes), or null. */
  private cur: Buffer | null = null
  private curBytes = 0
  private curMarks: StatementMark[] = []
  private curGate = 0
  private ended = false
  private waiter: (() => void) | null = null
  private file: Promise<FileHandle> | null = null
  private fileEnd = 0
  private readonly spill: SpillDir
  private readonly name: string
  private readonly budget: MemoryBudget
  private failure: unknown = null
  private readonly onTake: () => void

  constructor(spill: SpillDir, name: string, budget: MemoryBudget | number, onTake: () => void = () => {}) {
    this.spill = spill
    this.name = name
    this.budget = typeof budget === 'number' ? new MemoryBudget(budget) : budget
    this.onTake = onTake
  }

  /**
   * Appends bytes (copied); `mark` names the statement that starts with them. `reserve` bytes (left as they
   * are) come first in the same segment: room for the session to put a protocol header in front of the
   * statement without copying it.
   */
  write(bytes: Buffer, mark?: Omit<StatementMark, 'offset' | 'length'>, lines = 0, reserve = 0): void {
    // One copy into the segment: a write that does not fit closes the segment and starts the next.
    const need = reserve + bytes.length
    if (this.cur !== null && this.curBytes + need > this.cur.length) this.flush()
    this.cur ??= need <= SEGMENT_BYTES ? this.budget.take() : Buffer.allocUnsafe(need)
    this.curBytes += reserve
    if (mark) this.curMarks.push({ ...mark, offset: this.curBytes, length: bytes.length })
    bytes.copy(this.cur, this.curBytes)
    this.curBytes += bytes.length
    this.pendingBytes += need
    this.lines += lines
    if (this.curBytes >= SEGMENT_BYTES) this.flush()
  }

  /** What follows is sent only once the ordered session has run marker `marker`. */
  gate(marker: number): void {
    this.flush()
    this.curGate = marker
  }

  /** Makes what was written available to the session. */
  flush(): void {
    if (this.curBytes === 0 || this.cur === null) return
    const filled = this.cur.subarray(0, this.curBytes)
    // A segment closed early (a gate, the end) is copied to its size: it must not pin a whole buffer.
    const copied = this.curBytes * 2 < this.cur.length
    const seg: Segment = {
      buf: copied ? Buffer.from(filled) : filled,
      ...(copied ? {} : { pooled: this.cur }),
      marks: this.curMarks,
      gate: this.curGate,
    }
    if (copied) this.budget.give(this.cur)
    this.cur = null
    this.curBytes = 0
    this.curMarks = []
    this.curGate = 0
    const stored: Stored = { gate: seg.gate, bytes: seg.buf.length, mem: seg, disk: null, writing: null }
    const spillIt =
      this.budget.used + seg.buf.length > this.budget.limit &&
      (this.items.length > 0 || this.budget.limit === 0)
    if (spillIt) stored.writing = this.store(stored, seg)
    else this.budget.used += seg.buf.length
    this.items.push(stored)
    this.wake()
  }

  end(): void {
    this.flush()
    this.ended = true
    this.wake()
  }

  /** Spill writes still running (the reader waits for them before reading on: bounded memory). */
  async settled(): Promise<void> {
    await Promise.all(this.items.map((i) => i.writing))
    if (this.failure !== null) throw this.failure
  }

  /** The session is done with `seg` (its bytes were sent and ran): its buffer may be reused. */
  release(seg: Segment): void {
    if (seg.pooled) this.budget.give(seg.pooled)
  }

  /** The next segment, in order; null at the end. */
  async next(): Promise<Segment | null> {
    for (;;) {
      const item = this.items.shift()
      if (item !== undefined) {
        const seg = await this.load(item)
        this.pendingBytes -= seg.buf.length
        this.onTake()
        return seg
      }
      if (this.ended) return null
      await new Promise<void>((resolve) => (this.waiter = resolve))
    }
  }

  private wake(): void {
    const w = this.waiter
    this.waiter = null
    w?.()
  }

  private async store(stored: Stored, seg: Segment): Promise<void> {
    try {
      this.file ??= this.spill.openFile(`${this.name}.bin`)
      const fh = await this.file
      const head = Buffer.alloc(4 + seg.marks.length * MARK_BYTES)
      head.writeUInt32LE(seg.marks.length, 0)
      seg.marks.forEach((m, k) => {
        const at = 4 + k * MARK_BYTES
        head.writeDoubleLE(m.sessionLine, at)
        head.writeDoubleLE(m.index, at + 8)
        head.writeDoubleLE(m.fileLine, at + 16)
        head.writeDoubleLE(m.offset, at + 24)
        head.writeDoubleLE(m.length, at + 32)
      })
      const sealed = this.spill.seal([head, seg.buf])
      const length = sealed.data.reduce((s, d) => s + d.length, 0)
      const offset = this.fileEnd
      this.fileEnd += length
      await fh.writev(sealed.data, offset)
      await this.spill.written(join(await this.spill.path(), `${this.name}.bin`))
      stored.disk = { offset, length, iv: sealed.iv, tag: sealed.tag }
      stored.mem = null
      if (seg.pooled) this.budget.give(seg.pooled) // the sealed copy is on disk
    } catch (e) {
      this.failure ??= e
      throw e
    }
  }

  private async load(item: Stored): Promise<Segment> {
    if (item.writing) await item.writing
    if (item.mem !== null) {
      this.budget.used -= item.bytes
      return item.mem
    }
    const disk = item.disk
    if (disk === null || this.file === null)
      throw new Error('spill queue: a block is neither in memory nor on disk')
    const fh = await this.file
    const data = Buffer.allocUnsafe(disk.length)
    await fh.read(data, 0, disk.length, disk.offset)
    const plain = this.spill.open(data, disk.iv, disk.tag)
    const count = plain.readUInt32LE(0)
    const marks: StatementMark[] = []
    for (let k = 0; k < count; k++) {
      const at = 4 + k * MARK_BYTES
      marks.push({
        sessionLine: plain.readDoubleLE(at),
        index: plain.readDoubleLE(at + 8),
        fileLine: plain.readDoubleLE(at + 16),
        offset: plain.readDoubleLE(at + 24),
        length: plain.readDoubleLE(at + 32),
      })
    }
    // Nothing left on disk: the file starts again from its beginning (its space is reused).
    if (!this.items.some((i) => i.disk !== null || i.writing !== null)) {
      this.fileEnd = 0
      await fh.truncate(0)
    }
    return { buf: plain.subarray(4 + count * MARK_BYTES), marks, gate: item.gate }
  }
}
