/**
 * The job's byte path runs a minor GC per 4 MiB of spent buffers (gc-pacer.ts) where `gc` is exposed (the job
 * process's --expose-gc), and does nothing where it is not.
 */
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { GC_PACE_BYTES, pacedCollections, spentBytes } from '../../../electron/engine/gc-pacer.ts'
import { JOB_V8_FLAGS } from '../../../electron/engine/jobs/node-job-child.ts'

const global = globalThis as { gc?: unknown }
const PACER = fileURLToPath(new URL('../../../electron/engine/gc-pacer.ts', import.meta.url))

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

  it('keeps the young generation at its initial size in a process started without the job flags', () => {
    // A process of its own each: V8 flags are the process's. Short-lived garbage in bulk makes V8 grow it.
    const youngAfterGarbage = (cap: boolean): number => {
      const script = `
        import { keepYoungGenerationSmall } from ${JSON.stringify(PACER)}
        import { getHeapSpaceStatistics } from 'node:v8'
        if (${cap}) keepYoungGenerationSmall()
        let keep = []
        for (let i = 0; i < 2e6; i++) { keep.push({ i, s: 'x' + i }); if (keep.length > 50000) keep = [] }
        console.log(getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size)`
      return Number(
        execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }),
      )
    }
    expect(youngAfterGarbage(false)).toBeGreaterThan(16 << 20)
    expect(youngAfterGarbage(true)).toBeLessThanOrEqual(4 << 20)
  })

  it("exposes V8's gc in a process started without --expose-gc (the CLI, which runs its jobs itself)", () => {
    // A process of its own: the flag, once set, stays set for the whole process.
    const script = `
      import { exposeCollector, GC_PACE_BYTES, pacedCollections, spentBytes } from ${JSON.stringify(PACER)}
      const before = typeof globalThis.gc
      spentBytes(GC_PACE_BYTES)
      const without = pacedCollections()
      exposeCollector()
      spentBytes(GC_PACE_BYTES)
      console.log(JSON.stringify({ before, without, with: pacedCollections() }))`
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })
    expect(JSON.parse(out)).toEqual({ before: 'undefined', without: 0, with: 1 })
  })
})
