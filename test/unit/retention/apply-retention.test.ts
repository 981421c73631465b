import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, symlink, unlink, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { scanBackups } from '../../../electron/engine/catalog/scan.ts'
import {
  applyRetention,
  cleanupAfterBackup,
  planRetention,
} from '../../../electron/engine/retention/retention.ts'
import { flatMetadata, ourMetadata } from '../catalog/metadata-samples.ts'

const OLD = new Date('2025-01-01T00:00:00Z')
const POLICY = { retentionDays: 30, minBackups: 0 }

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sfdb-apply-'))
})

/** One of our backups with its companions, started `start`. */
async function ours(name: string, start: Date, inDir = dir): Promise<string[]> {
  const files = [name, `${name}.users.sql`, `${name}.gtid`].map((f) => join(inDir, f))
  for (const f of files) await writeFile(f, 'x'.repeat(10))
  const meta = ourMetadata(name, {
    time: { start: start.toISOString(), end: start.toISOString(), duration_ms: 0 },
  })
  await writeFile(join(inDir, `${name}.meta.json`), JSON.stringify(meta))
  return [...files, join(inDir, `${name}.meta.json`)]
}

const plan = async (roots = [dir]) =>
  planRetention((await scanBackups(roots)).entries, POLICY, new Date('2026-03-01T00:00:00Z'))

describe('applyRetention', () => {
  it('a dry run lists exactly what the real run removes, and removes nothing', async () => {
    const old = await ours('old.sql.zst', OLD)
    const fresh = await ours('fresh.sql.zst', new Date('2026-02-28T00:00:00Z'))
    const dry = await applyRetention(await plan(), { dryRun: true, roots: [dir] })
    for (const f of [...old, ...fresh]) expect(existsSync(f)).toBe(true)
    const real = await applyRetention(await plan(), { dryRun: false, roots: [dir] })
    const files = (r: typeof dry) => r.backups.flatMap((b) => b.files.map((f) => f.path))
    expect(files(real)).toEqual(files(dry))
    expect(files(real)).toEqual(old) // the dump first, the metadata last
    expect(real.bytesFreed).toBe(dry.bytesFreed)
    expect(real.errors).toEqual([])
    for (const f of old) expect(existsSync(f)).toBe(false)
    for (const f of fresh) expect(existsSync(f)).toBe(true)
  })

  it('removes the companions of a dump that is already gone, reported as an orphan', async () => {
    const [dump, ...rest] = await ours('gone.sql.zst', OLD)
    await unlink(dump as string)
    const result = await applyRetention(await plan(), { dryRun: false })
    expect(result.backups[0]?.orphan).toBe(true)
    expect(result.backups[0]?.files.map((f) => f.path)).toEqual(rest)
    expect(await readdir(dir)).toEqual([])
  })

  it('keeps going after a file it cannot remove, and keeps the metadata of a dump that stays', async () => {
    await ours('a.sql.zst', OLD)
    // A folder where the dump should be: refused, so its metadata and companions stay.
    await mkdir(join(dir, 'b.sql.zst'))
    const start = OLD.toISOString()
    const meta = ourMetadata('b.sql.zst', { time: { start, end: start, duration_ms: 0 } })
    await writeFile(join(dir, 'b.sql.zst.meta.json'), JSON.stringify(meta))
    const result = await applyRetention(await plan(), { dryRun: false })
    expect(result.errors.map((e) => e.path)).toEqual([join(dir, 'b.sql.zst')])
    expect((await readdir(dir)).sort()).toEqual(['b.sql.zst', 'b.sql.zst.meta.json'])
  })

  it('refuses a backup whose folder resolves outside the scanned folders', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'sfdb-outside-'))
    const files = await ours('far.sql.zst', OLD, outside)
    const p = planRetention((await scanBackups([outside])).entries, POLICY, new Date('2026-03-01T00:00:00Z'))
    const result = await applyRetention(p, { dryRun: false, roots: [dir] })
    expect(result.errors[0]?.message).toMatch(/outside the scanned folders/)
    for (const f of files) expect(existsSync(f)).toBe(true)
  })

  it('never removes through a symlinked folder', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'sfdb-outside-'))
    const files = await ours('far.sql.zst', OLD, outside)
    await symlink(outside, join(dir, 'link'))
    expect((await plan()).remove).toEqual([])
    for (const f of files) expect(existsSync(f)).toBe(true)
  })

  it('leaves files that no metadata describes alone', async () => {
    await ours('old.sql.zst', OLD)
    for (const f of ['notes.txt', 'stray.sql.zst', 'stray_users.sql']) {
      await writeFile(join(dir, f), 'keep me')
      await utimes(join(dir, f), OLD, OLD)
    }
    await applyRetention(await plan(), { dryRun: false, roots: [dir] })
    expect((await readdir(dir)).sort()).toEqual(['notes.txt', 'stray.sql.zst', 'stray_users.sql'])
  })
})

describe('cleanupAfterBackup', () => {
  it('cleans only the backed-up databases and logs what it removed', async () => {
    await ours('sales-old.sql.zst', OLD)
    await ours('sales-new.sql.zst', new Date())
    const flat = 'shop.sql.gz'
    await writeFile(join(dir, flat), 'x')
    await writeFile(join(dir, `${flat}.meta.json`), JSON.stringify(flatMetadata(flat)))
    const lines: string[] = []
    const result = await cleanupAfterBackup({
      outputDir: dir,
      databases: ['sales'],
      host: 'db-prod-01',
      policy: { retentionDays: 30, minBackups: 1 },
      log: (level, m) => lines.push(`${level} ${m}`),
    })
    expect(result?.backups.map((b) => b.entry.fileName)).toEqual(['sales-old.sql.zst'])
    expect(lines).toEqual([`info cleanup: removed ${join(dir, 'sales-old.sql.zst')} (older than 30 days)`])
    expect(existsSync(join(dir, flat))).toBe(true)
  })

  it('does nothing when retention is off, and never throws', async () => {
    const log = (): void => {}
    expect(
      await cleanupAfterBackup({
        outputDir: dir,
        databases: [],
        policy: { retentionDays: 0, minBackups: 0 },
        log,
      }),
    ).toBeNull()
    const lines: string[] = []
    const bad = await cleanupAfterBackup({
      outputDir: dir,
      databases: [],
      policy: { retentionDays: 5, minBackups: -1 },
      log: (_l, m) => lines.push(m),
    })
    expect(bad).toBeNull()
    expect(lines).toEqual([expect.stringMatching(/^cleanup after backup failed: .*minBackups/)])
  })
})
