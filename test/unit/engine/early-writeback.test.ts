/**
 * EarlyWriteback: a file flushed in the background while it grows. A real file; datasync is watched (and,
 * for the one failure a real disk cannot produce on demand, replaced by a fake that rejects).
 */
import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { EarlyWriteback } from '../../../electron/engine/fs/early-writeback.ts'

describe('EarlyWriteback', () => {
  let dir = ''
  let file: FileHandle
  let calls: Array<() => void> = []
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sfdb-writeback-'))
    file = await open(join(dir, 'f.part'), 'wx', 0o600)
    calls = []
    const real = file.datasync.bind(file)
    // The real flush, released by the test: "in flight" is then a state the test controls.
    file.datasync = () =>
      new Promise<void>((resolve, reject) => calls.push(() => void real().then(resolve, reject)))
  })
  afterEach(async () => {
    await file.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('flushes once per WRITEBACK_BYTES written, never two at once, and settle() waits for the one in flight', async () => {
    const w = new EarlyWriteback(file, 1000)
    await file.write(Buffer.alloc(3000, 1))
    w.reached(999)
    expect(calls).toHaveLength(0)
    w.reached(1000)
    expect(calls).toHaveLength(1)
    w.reached(2500) // one in flight: no second
    expect(calls).toHaveLength(1)
    let settled = false
    const settling = w.settle().then(() => (settled = true))
    await new Promise((r) => setImmediate(r))
    expect(settled).toBe(false)
    calls[0]?.()
    await settling
    w.reached(1999) // counted from where the last flush started (1000)
    expect(calls).toHaveLength(1)
    w.reached(2000)
    expect(calls).toHaveLength(2)
    calls[1]?.()
    await w.settle()
  })

  it("a background flush's error is thrown by settle(), even after later flushes succeed", async () => {
    const w = new EarlyWriteback(file, 10)
    let n = 0
    // Fake failure: an EIO from writeback cannot be produced on demand on a real disk.
    file.datasync = () =>
      ++n === 1
        ? Promise.reject(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }))
        : Promise.resolve()
    w.reached(10)
    await expect(w.settle()).rejects.toMatchObject({ code: 'EIO' })
    w.reached(20)
    expect(n).toBe(2)
    await expect(w.settle()).rejects.toMatchObject({ code: 'EIO' })
  })
})
