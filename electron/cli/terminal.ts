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

/** A prompt on the terminal that does not echo what is typed. */
export async function promptHidden(question: string): Promise<string> {
  if (!isInteractive()) throw new UsageError('cannot prompt: standard input is not a terminal')
  stderr.write(question)
  stdin.setRawMode(true)
  stdin.resume()
  let answer = ''
  try {
    return await new Promise<string>((resolve, reject) => {
      const onData = (buf: Buffer): void => {
        for (const ch of buf.toString('utf8')) {
          if (ch === '\r' || ch === '\n') {
            stdin.off('data', onData)
            return resolve(answer)
          }
          if (ch === '\u0003') {
            stdin.off('data', onData)
            return reject(new UsageError('cancelled at the prompt'))
          }
          if (ch === '\u007f' || ch === '\b') answer = answer.slice(0, -1)
          else answer += ch
        }
      }
      stdin.on('data', onData)
    })
  } finally {
    stdin.setRawMode(false)
    stdin.pause()
    stderr.write('\n')
  }
}

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB']
  let v = n
  let i = 0
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`
}

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000)
  if (s < 60) return ms < 10_000 ? `${(ms / 1000).toFixed(1)}s` : `${s}s`
  const m = Math.floor(s / 60)
  return m < 60
    ? `${m}m${String(s % 60).padStart(2, '0')}s`
    : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`
}
