/** Splits a child's stdout/stderr into lines for a log: partial lines are joined, very long ones cut. */
/** A line longer than this is cut (a runaway trace must not fill the log). */
export const MAX_OUTPUT_LINE = 4096

/**
 * Calls `onLine` with each line of `stream` (without its line break; empty lines are skipped), and with
 * what is left when the stream ends without a final break.
 */
export function forEachLine(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let pending = ''
  const emit = (line: string): void => {
    const text = line.endsWith('\r') ? line.slice(0, -1) : line
    if (text.trim() === '') return
    onLine(text.length > MAX_OUTPUT_LINE ? `${text.slice(0, MAX_OUTPUT_LINE)} …(cut)` : text)
  }
  stream.setEncoding('utf8')
  stream.on('data', (chunk: string) => {
    pending += chunk
    let at = pending.indexOf('\n')
    while (at !== -1) {
      emit(pending.slice(0, at))
      pending = pending.slice(at + 1)
      at = pending.indexOf('\n')
    }
    // A line without an end yet: keep at most one line's worth.
    if (pending.length > MAX_OUTPUT_LINE) {
      emit(pending)
      pending = ''
    }
  })
  stream.on('end', () => {
    if (pending !== '') emit(pending)
    pending = ''
  })
  stream.on('error', () => {})
}
