/**
 * Splits the output of one `mariadb-dump --databases A B C` into what `mariadb-dump A`, `mariadb-dump B`
 * and `mariadb-dump C` would each have written: the shared header (its `Database:` line naming the file's
 * own database), the database's section without the `Current Database` comment, `CREATE DATABASE` and
 * `USE` lines a bare dump does not have, and the shared footer. A run of many small databases then starts
 * one dump process instead of one per database (≈ 50 ms each, more than the data of a small database).
 *
 * Anything the split cannot be sure of fails it with SplitError — never a guess: a marker of another
 * database than the next one (a view section of mariadb-dump's second pass, a routine body quoting a
 * marker), a header without its `Database:` line, a footer that is not the dump's `@OLD_` restore lines and
 * its completion comment. The caller then dumps those databases one by one.
 */

/** What a database section starts with in a `--databases` dump, after the blank line ending the one before. */
const NEEDLE = Buffer.from('\n--\n-- Current Database: `', 'latin1')
/** The longest marker block (comment, CREATE DATABASE with its options, USE) believed; real ones are < 400 B. */
const MAX_MARKER_BYTES = 4096
/** The longest header believed (real ones are ≈ 1 KiB, with replication comments a few more). */
const MAX_HEADER_BYTES = 65_536
/** The footer is in the last few hundred bytes; keep more. */
const TAIL_BYTES = 8192
/** The footer's lines: mariadb-dump restores the session settings its header saved. */
const RESTORE_LINE = /^\/\*!\d{5} SET [A-Z_]+=@OLD_[A-Z_]+ \*\/;$/
const COMPLETED_LINE = /^-- Dump completed(?: on [^\n]*)?$/

/** Names whose quoting in the dump is certain: no backtick, newline or byte outside ASCII to escape. */
export const splittableName = (database: string): boolean => /^[A-Za-z0-9_$-]{1,64}$/.test(database)

export class SplitError extends Error {
  override name = 'SplitError'
}

export class DumpSplitter {
  readonly #databases: string[]
  /** Index of the database whose section is being read; -1 in the header. */
  #current = -1
  /** In a marker block (after the needle, before its USE line). */
  #inMarker = false
  /** Bytes kept back: a needle or a marker block that may continue in the next chunk. */
  #carry: Buffer = Buffer.alloc(0)
  #header: Buffer[] = []
  #headerBytes = 0
  #headerText: string | null = null
  /** The last bytes of the stream (the footer is in them). */
  #tail: Buffer = Buffer.alloc(0)

  constructor(databases: string[]) {
    if (databases.length < 2) throw new RangeError('a split needs at least two databases')
    for (const d of databases)
      if (!splittableName(d)) throw new RangeError(`database name not splittable: ${d}`)
    this.#databases = databases
  }

  /** The database whose section the last bytes belonged to (-1: still the header). */
  get current(): number {
    return this.#current
  }

  /**
   * The shared header as database `index`'s own dump has it. Available once the first section has begun.
   * @throws SplitError when the header has no `Database: <first>` line to rewrite.
   */
  headerFor(index: number): Buffer {
    if (this.#headerText === null) throw new SplitError('the dump header is not complete yet')
    const first = this.#databases[0] as string
    const line = `    Database: ${first}\n`
    const at = this.#headerText.indexOf(line)
    if (at < 0 || this.#headerText.indexOf(line, at + 1) >= 0)
      throw new SplitError(`the dump header has no single "Database: ${first}" line`)
    const own = `    Database: ${this.#databases[index] as string}\n`
    return Buffer.from(
      this.#headerText.slice(0, at) + own + this.#headerText.slice(at + line.length),
      'latin1',
    )
  }

  /**
   * Takes the next chunk of the dump and hands on each piece of a section as `emit(index, bytes)`, in order;
   * `onSection(index)` is called when database `index`'s section begins (its header is then available).
   * @throws SplitError when a marker is not the one expected next.
   */
  write(
    chunk: Buffer,
    emit: (index: number, bytes: Buffer) => void,
    onSection: (index: number) => void,
  ): void {
    this.#keepTail(chunk)
    const data = this.#carry.length > 0 ? Buffer.concat([this.#carry, chunk]) : chunk
    this.#carry = Buffer.alloc(0)
    let pos = 0
    while (pos < data.length) {
      if (this.#inMarker) {
        const next = this.#readMarker(data, pos)
        if (next < 0) {
          this.#carry = Buffer.from(data.subarray(pos))
          return
        }
        pos = next
        this.#inMarker = false
        this.#current++
        if (this.#current === 0) this.#headerText = Buffer.concat(this.#header).toString('latin1')
        onSection(this.#current)
        continue
      }
      const found = data.indexOf(NEEDLE, pos)
      const end = found >= 0 ? found : Math.max(pos, data.length - (NEEDLE.length - 1))
      if (end > pos) this.#take(data.subarray(pos, end), emit)
      if (found < 0) {
        this.#carry = Buffer.from(data.subarray(end))
        return
      }
      if (this.#current + 1 >= this.#databases.length)
        throw new SplitError('a database section after the last one (views, or a routine quoting a marker)')
      this.#inMarker = true
      pos = found
    }
  }

  /**
   * The end of the dump: every database must have had its section; returns the footer the other
   * databases' files end with (the last one's already ends with it).
   * @throws SplitError otherwise.
   */
  end(emit: (index: number, bytes: Buffer) => void): Buffer {
    if (this.#inMarker) throw new SplitError('the dump ended inside a database marker')
    if (this.#carry.length > 0) this.#take(this.#carry, emit)
    this.#carry = Buffer.alloc(0)
    if (this.#current !== this.#databases.length - 1)
      throw new SplitError(`the dump had ${this.#current + 1} of ${this.#databases.length} database sections`)
    return footerOf(this.#tail.toString('latin1'))
  }

  #take(bytes: Buffer, emit: (index: number, bytes: Buffer) => void): void {
    if (this.#current >= 0) {
      emit(this.#current, bytes)
      return
    }
    this.#headerBytes += bytes.length
    if (this.#headerBytes > MAX_HEADER_BYTES) throw new SplitError('no database section in the dump header')
    this.#header.push(Buffer.from(bytes))
  }

  /**
   * Reads the marker block of the next database at `pos` (which holds the needle): returns the position after
   * it, -1 when it continues in the next chunk.
   */
  #readMarker(data: Buffer, pos: number): number {
    const name = this.#databases[this.#current + 1] as string
    const head = `\n--\n-- Current Database: \`${name}\`\n--\n\nCREATE DATABASE /*!32312 IF NOT EXISTS*/ \`${name}\``
    const use = `;\n\nUSE \`${name}\`;\n`
    const available = Math.min(data.length, pos + MAX_MARKER_BYTES)
    const text = data.toString('latin1', pos, available)
    const known = text.slice(0, head.length)
    if (known !== head.slice(0, known.length))
      throw new SplitError(`expected the section of ${name}, found another marker`)
    const useAt = text.indexOf(use, head.length)
    if (useAt < 0) {
      if (available - pos >= MAX_MARKER_BYTES) throw new SplitError(`no USE line after the marker of ${name}`)
      return -1
    }
    // The CREATE DATABASE line's options: one line, no statement end inside.
    if (/[\n;]/.test(text.slice(head.length, useAt)))
      throw new SplitError(`unexpected CREATE DATABASE line for ${name}`)
    return pos + useAt + use.length
  }

  #keepTail(chunk: Buffer): void {
    this.#tail =
      chunk.length >= TAIL_BYTES
        ? Buffer.from(chunk.subarray(chunk.length - TAIL_BYTES))
        : Buffer.concat([this.#tail, chunk]).subarray(-TAIL_BYTES)
  }
}

/**
 * The dump's footer: the trailing run of `@OLD_` restore lines and blank lines, then the completion comment.
 * @throws SplitError when the stream does not end that way.
 */
export function footerOf(tail: string): Buffer {
  if (!tail.endsWith('\n')) throw new SplitError('the dump does not end with a line break')
  const lines = tail.slice(0, -1).split('\n')
  if (!COMPLETED_LINE.test(lines.at(-1) ?? ''))
    throw new SplitError('the dump does not end with "-- Dump completed"')
  // Back from the completion comment over restore lines and blank lines; the footer begins at the first
  // restore line of that run (a blank line before it ends the section, as in a single database's dump).
  let start = lines.length - 1
  for (let i = lines.length - 2; i >= 0; i--) {
    const line = lines[i] as string
    if (RESTORE_LINE.test(line)) start = i
    else if (line !== '') break
  }
  if (start === lines.length - 1) throw new SplitError('the dump has no footer restoring its settings')
  return Buffer.from(`${lines.slice(start).join('\n')}\n`, 'latin1')
}
