// Test-only: drive the container streams with chosen or random write sizes and collect the output.
import { randomInt } from 'node:crypto'
import { Readable } from 'node:stream'
import type { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'

/** Splits `data` into pieces of random sizes in [1, maxPiece] (or fixed sizes when `sizes` is given). */
export function pieces(data: Buffer, maxPiece = 200_000, sizes?: number[]): Buffer[] {
  const out: Buffer[] = []
  let at = 0
  let i = 0
  while (at < data.length) {
    const size = sizes?.[i++ % sizes.length] ?? randomInt(1, maxPiece + 1)
    out.push(data.subarray(at, at + size))
    at += size
  }
  return out
}

/** Feeds the pieces one write at a time and returns everything the stream emitted. */
export async function runThrough(stream: Transform, input: Buffer[]): Promise<Buffer> {
  const out: Buffer[] = []
  await pipeline(
    Readable.from(input, { objectMode: false }),
    stream,
    async (source: AsyncIterable<Buffer>) => {
      for await (const part of source) out.push(part)
    },
  )
  return Buffer.concat(out)
}
