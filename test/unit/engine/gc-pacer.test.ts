/**
 * The job's byte path runs a minor GC per 4 MiB of spent buffers (gc-pacer.ts) where `gc` is exposed (the job
 * process's --expose-gc), and does nothing where it is not.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { GC_PACE_BYTES, pacedCollections, spentBytes } from '../../../electron/engine/gc-pacer.ts'
import { JOB_V8_FLAGS } from '../../../electron/engine/jobs/node-job-child.ts'

const global = globalThis as { gc?: unknown }

describe('the GC pacer', () => {
  const had = global.gc
  afterEach(() => {
    global.gc = had
  })

  it('asks for one minor GC per GC_PACE_BYTES of spent buffers', () => {
    const calls: unknown[] = []
    global.gc = (options: unknown) => void calls.push(options)
    spentBytes(GC_PACE_BYTES) // whatever was counted before, this crosses the mark
    calls.length = 0
    const before = pacedCollections()
    spentBytes(GC_PACE_BYTES - 1)
    expect(calls).toEqual([])
    spentBytes(1)
    expect(calls).toEqual([{ type: 'minor' }])
    for (let i = 0; i < 3 * GC_PACE_BYTES; i += 1 << 20) spentBytes(1 << 20)
    expect(calls.length).toBe(4)
    expect(pacedCollections() - before).toBe(4)
  })

  it('does nothing without an exposed gc', () => {
    global.gc = undefined
    const before = pacedCollections()
    spentBytes(4 * GC_PACE_BYTES)
    expect(pacedCollections()).toBe(before)
  })

  it('has its gc in the job process', () => {
    expect(JOB_V8_FLAGS).toContain('--expose-gc')
  })
})
