/**
 * Counts the rows an `INSERT` / `REPLACE` statement of a dump holds: the tuples of `VALUES (…),(…),…`
 * (quote-aware: parentheses and commas inside strings, identifiers and comments do not count), 1 for
 * `INSERT … SET col = …`, 0 for `INSERT … SELECT` (a dump never writes one: nothing to count while streaming).
 * Works on the raw bytes (never decoded), so a 100 MB statement costs one pass and no copy.
 */

const QUOTE = 0x27
const DQUOTE = 0x22
const BTICK = 0x60
const BACKSLASH = 0x5c
const OPEN = 0x28
const CLOSE = 0x29
const COMMA = 0x2c
const SLASH = 0x2f
const STAR = 0x2a
const DASH = 0x2d
const HASH = 0x23
const LF = 0x0a

const isWordByte = (b: number): boolean =>
  (b >= 0x30 && b <= 0x39) ||
  (b >= 0x41 && b <= 0x5a) ||
  (b >= 0x61 && b <= 0x7a) ||
  b === 0x5f ||
  b === 0x24 ||
  b >= 0x80

/** The end of the quoted run opened at `i` (just after its closing quote). */
function skipQuoted(raw: Buffer, i: number, quote: number, noBackslashEscapes: boolean): number {
  const n = raw.length
  let j = i + 1
  for (;;) {
    if (quote === BTICK || noBackslashEscapes) {
      const close = raw.indexOf(quote, j)
      if (close < 0) return n
      if (raw[close + 1] === quote) {
        j = close + 2
        continue
      }
      return close + 1
    }
    // With backslash escapes: the next quote or backslash, whichever comes first.
    const close = raw.indexOf(quote, j)
    if (close < 0) return n
    const slash = raw.indexOf(BACKSLASH, j)
    if (slash >= 0 && slash < close) {
      j = slash + 2
      continue
    }
    if (raw[close + 1] === quote) {
      j = close + 2
      continue
    }
    return close + 1
  }
}

/** Skips a comment at `i` (`/* … *\/`, `-- …`, `# …`); returns `i` when there is none. */
function skipComment(raw: Buffer, i: number): number {
  const b = raw[i]
  if (b === SLASH && raw[i + 1] === STAR && raw[i + 2] !== 0x21) {
    const close = raw.indexOf('*/', i + 2)
    return close < 0 ? raw.length : close + 2
  }
  if (b === HASH || (b === DASH && raw[i + 1] === DASH && (raw[i + 2] ?? 0) <= 0x20)) {
    const nl = raw.indexOf(LF, i)
    return nl < 0 ? raw.length : nl + 1
  }
  return i
}

/** The upper-cased word at `i` (ASCII letters only) and where it ends. */
function wordAt(raw: Buffer, i: number): { word: string; end: number } {
  let j = i
  while (j < raw.length && isWordByte(raw[j] as number)) j++
  return { word: raw.toString('latin1', i, Math.min(j, i + 16)).toUpperCase(), end: j }
}

/**
 * Rows of one INSERT/REPLACE statement (its raw bytes, without the delimiter). `noBackslashEscapes`: the
 * session's sql_mode has NO_BACKSLASH_ESCAPES (a backslash is then an ordinary character in strings).
 */
export function countInsertRows(raw: Buffer, noBackslashEscapes = false): number {
  const n = raw.length
  let i = 0
  let depth = 0
  // Find VALUES / VALUE / SET / SELECT at the top level (the column list's parentheses come before).
  for (;;) {
    if (i >= n) return 0
    const b = raw[i] as number
    if (b === QUOTE || b === DQUOTE || b === BTICK) {
      i = skipQuoted(raw, i, b, noBackslashEscapes)
      continue
    }
    const c = skipComment(raw, i)
    if (c !== i) {
      i = c
      continue
    }
    if (b === OPEN) depth++
    else if (b === CLOSE) depth--
    else if (depth === 0 && isWordByte(b) && !(b >= 0x30 && b <= 0x39)) {
      const { word, end } = wordAt(raw, i)
      if (word === 'VALUES' || word === 'VALUE') {
        i = end
        break
      }
      if (word === 'SET') return 1
      if (word === 'SELECT') return 0
      i = end
      continue
    }
    i++
  }
  return countTuples(raw, i, noBackslashEscapes)
}

/** Counts `(…)` groups separated by commas from `i` on; stops at anything else at the top level. */
function countTuples(raw: Buffer, start: number, noBackslashEscapes: boolean): number {
  const n = raw.length
  let rows = 0
  let depth = 0
  let expectTuple = true
  let i = start
  while (i < n) {
    const b = raw[i] as number
    if (depth > 0) {
      // Inside a tuple: only quotes and parentheses matter. Jump to the next interesting byte.
      if (b === QUOTE || b === DQUOTE || b === BTICK) {
        i = skipQuoted(raw, i, b, noBackslashEscapes)
        continue
      }
      if (b === OPEN) depth++
      else if (b === CLOSE) depth--
      i++
      continue
    }
    if (b <= 0x20) {
      i++
      continue
    }
    const c = skipComment(raw, i)
    if (c !== i) {
      i = c
      continue
    }
    if (expectTuple && b === OPEN) {
      rows++
      depth = 1
      expectTuple = false
    } else if (!expectTuple && b === COMMA) {
      expectTuple = true
    } else {
      break // ON DUPLICATE KEY UPDATE …, RETURNING …
    }
    i++
  }
  return rows
}
