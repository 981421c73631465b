/**
 * The dump output's FIFO reader: one reader thread serves FIFO after FIFO (a run of many small databases
 * paid ≈ 50–70 ms per database to start a thread), each read sees exactly its own bytes, and a reader
 * destroyed in the middle of a read gives its thread back once the writer has closed.
 */
import { writeSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createDumpOutputFifo, fifoReaderThreads } from '../../../electron/engine/dump/fifo-reader.ts'

const collect = async (stream: Readable): Promise<Buffer> => {
  const parts: Buffer[] = []
  for await (const chunk of stream) parts.push(chunk as Buffer)
  return Buffer.concat(parts)
}

describe('the FIFO reader of the dump output', () => {
  let dir = ''
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sfdb-fifo-reader-'))
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('reads FIFO after FIFO with one thread, each with exactly its own bytes', async () => {
    // A first read starts the thread this process keeps.
    const warm = await createDumpOutputFifo(await mkdtemp(join(dir, 'w-')))
    if (warm === null) throw new Error('no FIFO on this system')
    warm.closeWriteEnd()
    await collect(warm.stdout)
    const before = fifoReaderThreads()
    for (let i = 0; i < 5; i++) {
      const fifo = await createDumpOutputFifo(await mkdtemp(join(dir, `f${i}-`)))
      if (fifo === null) throw new Error('no FIFO')
      // More than one 1 MiB block, so the thread loops and hands on several buffers.
      const data = Buffer.alloc(1.5 * 1024 * 1024 + i, 97 + i)
      const reading = collect(fifo.stdout)
      writeSync(fifo.writeFd, data)
      fifo.closeWriteEnd()
      expect((await reading).equals(data)).toBe(true)
    }
    expect(fifoReaderThreads()).toBe(before)
  })

  it('a reader destroyed in the middle of a read gives its thread back once the writer closed', async () => {
    const first = await createDumpOutputFifo(await mkdtemp(join(dir, 'a-')))
    if (first === null) throw new Error('no FIFO')
    writeSync(first.writeFd, Buffer.alloc(64 * 1024, 1))
    first.stdout.destroy()
    // The writer (the dump, killed by the caller) goes away: the thread ends the read and is free again.
    first.closeWriteEnd()
    const before = fifoReaderThreads()
    const next = await createDumpOutputFifo(await mkdtemp(join(dir, 'b-')))
    if (next === null) throw new Error('no FIFO')
    const reading = collect(next.stdout)
    writeSync(next.writeFd, Buffer.from('only these bytes'))
    next.closeWriteEnd()
    expect((await reading).toString()).toBe('only these bytes')
    // Reused, or (if it had not come back yet) one new thread: never one per FIFO left running.
    expect(fifoReaderThreads() - before).toBeLessThanOrEqual(1)
  })
})
