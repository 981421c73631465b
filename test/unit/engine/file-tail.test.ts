/**
 * tailFile reads a file another writer is still appending to: every byte once, in order, until the writer
 * has ended and the end is reached — also bytes that arrive after the reader caught up, and bytes written
 * just before the writer is reported done.
 */
import { createHash } from 'node:crypto'
import { mkdtemp, open, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { tailFile } from '../../../electron/engine/backup/file-tail.ts'

const dirs: string[] = []
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true })
})

async function scratchFile(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sfdb-tail-'))
  dirs.push(dir)
  return join(dir, 'f')
}

/** A writer with its own handle, appending `pieces` one by one; each waits for `gate(i)` first. */
async function writer(path: string, pieces: Buffer[], gate: (i: number) => Promise<void>): Promise<void> {
  const w = await open(path, 'a')
  try {
    for (let i = 0; i < pieces.length; i++) {
      await gate(i)
      await w.write(pieces[i] as Buffer)
    }
  } finally {
    await w.close()
  }
}

describe('tailFile', () => {
  it('reads what arrives after it caught up, and what came just before the writer ended', async () => {
    const path = await scratchFile()
    const pieces = [
      Buffer.alloc(3 << 20, 1),
      Buffer.from('second'),
      Buffer.alloc(1500, 7),
      Buffer.from('end'),
    ]
    const file = await open(path, 'wx+')
    const seen: Buffer[] = []
    let caughtUp: () => void = () => {}
    // The writer adds its next piece only once the reader has read everything before it (and so waits).
    const read = { bytes: 0 }
    const gate = (i: number): Promise<void> =>
      i === 0
        ? Promise.resolve()
        : new Promise((resolve) => {
            const want = pieces.slice(0, i).reduce((n, p) => n + p.length, 0)
            const check = (): void => (read.bytes >= want ? resolve() : void (caughtUp = check))
            check()
          })
    const writing = writer(path, pieces, gate)
    const total = await tailFile(file, writing, (chunk) => {
      seen.push(Buffer.from(chunk)) // the buffer is reused: copy
      read.bytes += chunk.length
      caughtUp()
    })
    await file.close()
    const all = Buffer.concat(pieces)
    expect(total).toBe(all.length)
    expect(createHash('sha256').update(Buffer.concat(seen)).digest('hex')).toBe(
      createHash('sha256').update(all).digest('hex'),
    )
  })

  it('stops with an abort error when its signal is aborted', async () => {
    const path = await scratchFile()
    const file = await open(path, 'wx+')
    const controller = new AbortController()
    const never = new Promise<void>(() => {})
    const tail = tailFile(file, never, () => {}, controller.signal)
    controller.abort()
    await expect(tail).rejects.toThrow(/abort/i)
    await file.close()
  })
})
