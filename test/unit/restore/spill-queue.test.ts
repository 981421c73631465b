/**
 * The loader's per-session queue: order, statement marks and gates survive the encrypted spill file, which
 * never holds the statements in clear, is private, and is gone after remove().
 */
import { existsSync, readFileSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  MemoryBudget,
  SpillDir,
  SpillQueue,
  type Segment,
} from '../../../electron/engine/restore/load/spill-queue.ts'

describe('SpillQueue', () => {
  it('gives back every segment in order, with marks and gates, through an encrypted private file', async () => {
    const files: string[] = []
    const dir = new SpillDir((file) => void files.push(file))
    const queue = new SpillQueue(dir, 'data-0', 0) // a budget of 0: every segment goes to the file
    const statements = Array.from(
      { length: 50 },
      (_, i) => `INSERT INTO \`t\` VALUES (${i},'secret-row-${i}');\n`,
    )
    statements.forEach((s, i) => {
      if (i === 20) queue.gate(7)
      queue.write(Buffer.from(s), { sessionLine: i + 1, index: 100 + i, fileLine: 1000 + i }, 1)
      if (i % 10 === 9) queue.flush()
    })
    queue.end()
    await queue.settled()
    expect(queue.lines).toBe(50)
    expect(files.length).toBe(5)
    const file = files[0] as string
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(statSync(dirname(file)).mode & 0o777).toBe(0o700)
    const onDisk = readFileSync(file)
    expect(onDisk.length).toBeGreaterThan(statements.join('').length)
    expect(onDisk.includes(Buffer.from('secret-row-'))).toBe(false)
    expect(onDisk.includes(Buffer.from('INSERT'))).toBe(false)

    const segments: Segment[] = []
    for (let s = await queue.next(); s !== null; s = await queue.next()) segments.push(s)
    expect(Buffer.concat(segments.map((s) => s.buf)).toString()).toBe(statements.join(''))
    expect(segments.map((s) => s.gate)).toEqual([0, 0, 7, 0, 0])
    const third = segments[2] as Segment
    expect(third.marks[0]).toEqual({
      sessionLine: 21,
      index: 120,
      fileLine: 1020,
      offset: 0,
      length: (statements[20] as string).length,
    })
    expect(
      third.buf.toString('utf8', third.marks[1]!.offset, third.marks[1]!.offset + third.marks[1]!.length),
    ).toBe(statements[21])
    expect(queue.pendingBytes).toBe(0)
    await dir.remove()
    expect(existsSync(dirname(file))).toBe(false)
  })

  it('keeps segments in memory within its budget (nothing written)', async () => {
    const dir = new SpillDir()
    const queue = new SpillQueue(dir, 'q', 1 << 20)
    queue.write(Buffer.from('SELECT 1;\n'), undefined, 1)
    queue.end()
    await queue.settled()
    expect((await queue.next())?.buf.toString()).toBe('SELECT 1;\n')
    expect(await queue.next()).toBeNull()
    expect(dir.blocksWritten).toBe(0)
    await dir.remove()
  })

  it('reuses a released segment buffer for a later segment; a spilled one once it is on disk', async () => {
    const dir = new SpillDir()
    const budget = new MemoryBudget(64 << 20)
    const queue = new SpillQueue(dir, 'q', budget)
    const mib = Buffer.alloc(1 << 20, 'a') // one whole segment
    queue.write(mib)
    const first = await queue.next()
    expect(first?.pooled).toBeDefined()
    queue.release(first as Segment)
    queue.write(Buffer.alloc(1 << 20, 'b'))
    const second = await queue.next()
    expect(second?.buf.buffer).toBe(first?.buf.buffer) // the same memory, now holding the new bytes
    expect(second?.buf.every((b) => b === 98)).toBe(true)
    // Without a release nothing is reused.
    queue.write(Buffer.alloc(1 << 20, 'c'))
    expect((await queue.next())?.buf.buffer).not.toBe(second?.buf.buffer)

    const spilling = new SpillQueue(dir, 's', new MemoryBudget(0))
    spilling.write(mib)
    spilling.write(Buffer.alloc(1 << 20, 'd'))
    await spilling.settled()
    const a = await spilling.next()
    const b = await spilling.next()
    expect(a?.buf.equals(mib)).toBe(true) // read back from the file, intact although its buffer was reused
    expect(b?.buf.every((x) => x === 100)).toBe(true)
    await dir.remove()
  })

  it('shares one budget between queues: a queue far behind may use what the others leave', async () => {
    const dir = new SpillDir()
    const budget = new MemoryBudget(3 << 20)
    const a = new SpillQueue(dir, 'a', budget)
    const b = new SpillQueue(dir, 'b', budget)
    const mib = (c: string): Buffer => Buffer.alloc(1 << 20, c)
    b.write(mib('b'))
    a.write(mib('a'))
    a.write(mib('a'))
    a.flush()
    await Promise.all([a.settled(), b.settled()])
    // 3 MiB in all: within one budget of 3 MiB, though `a` alone holds 2 (a budget of its own would spill).
    expect(dir.blocksWritten).toBe(0)
    expect(budget.used).toBe(3 << 20)
    a.write(mib('a'))
    a.flush()
    await a.settled()
    expect(dir.blocksWritten).toBe(1) // over the shared budget: to the file
    expect((await b.next())?.buf.equals(mib('b'))).toBe(true)
    expect(budget.used).toBe(2 << 20) // `b` took its segment: room for `a` again
    a.write(mib('a'))
    a.flush()
    a.end()
    b.end()
    await a.settled()
    expect(dir.blocksWritten).toBe(1) // in memory again, behind the spilled block: the order is kept…
    const got: Buffer[] = []
    for (let s = await a.next(); s !== null; s = await a.next()) got.push(s.buf)
    expect(Buffer.concat(got).equals(Buffer.concat([mib('a'), mib('a'), mib('a'), mib('a')]))).toBe(true)
    expect(budget.used).toBe(0) // …and every byte taken is given back to the budget
    await dir.remove()
  })
})
