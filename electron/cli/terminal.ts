import { stdin, stderr } from 'node:process'
import { UsageError } from './args.ts'

export const isInteractive = (): boolean => Boolean(stdin.isTTY && stderr.isTTY)

/** Reads all of stdin (for --password-stdin); one trailing newline is dropped, nothing else is trimmed. */
export async function readStdin(): Promise<string> {
  if (stdin.isTTY)
    throw new UsageError('--password-stdin expects the password on standard input (a pipe), not a terminal')
  const chunks: Buffer[] = []
  for await (const c of stdin) chunks.push(c as Buffer)
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '')
}

/** Typed ahead but not yet consumed by a prompt (a person may answer several questions at once). */
let typedAhead = ''

/** Reads one line in raw mode, echoing it or not; keeps whatever follows the line for the next prompt. */
async function readLine(question: string, echo: boolean): Promise<string> {
  if (!isInteractive()) throw new UsageError('cannot prompt: standard input is not a terminal')
  stderr.write(question)
  stdin.setRawMode(true)
  stdin.resume()
  let answer = ''
  try {
    return await new Promise<string>((resolve, reject) => {
      const take = (text: string): boolean => {
        for (let i = 0; i < text.length; i++) {
          const ch = text[i] as string
          if (ch === '\r' || ch === '\n') {
            typedAhead = text.slice(ch === '\r' && text[i + 1] === '\n' ? i + 2 : i + 1)
            resolve(answer)
            return true
          }
          if (ch === '\u0003') {
            typedAhead = ''
            reject(new UsageError('cancelled at the prompt'))
            return true
          }
          if (ch === '\u007f' || ch === '\b') {
            if (answer && echo) stderr.write('\b \b')
            answer = answer.slice(0, -1)
          } else {
            answer += ch
            if (echo) stderr.write(ch)
          }
        }
        return false
      }
      const pending = typedAhead
      typedAhead = ''
      if (take(pending)) return
      const onData = (buf: Buffer): void => {
        if (take(buf.toString('utf8'))) stdin.off('data', onData)
      }
      stdin.on('data', onData)
    })
  } finally {
    stdin.setRawMode(false)
    stdin.pause()
    stderr.write('\n')
  }
}

/** A prompt on the terminal that does not echo what is typed. */
export const promptHidden = (question: string): Promise<string> => readLine(question, false)

/** A visible prompt; an empty answer gives `fallback`. */
export async function promptLine(question: string, fallback = ''): Promise<string> {
  const answer = (await readLine(fallback ? `${question} [${fallback}]: ` : `${question}: `, true)).trim()
  return answer || fallback
}

// Sizes and durations as the app shows them too (one implementation, shared/format.ts).
export { formatBytes, formatDuration, formatRate } from '../../shared/format.ts'
