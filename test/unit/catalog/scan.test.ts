import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { scanBackups } from '../../../electron/engine/catalog/scan.ts'
import { ALL_SAMPLE, flatMetadata, ourMetadata, sampleText } from './metadata-samples.ts'

describe('scanBackups', () => {
  let root: string
  let outside: string

  beforeAll(async () => {
    const base = await mkdtemp(join(tmpdir(), 'sfdb-scan-'))
    root = join(base, 'backups')
    outside = join(base, 'outside')
    await mkdir(join(root, '2026', '01'), { recursive: true })
    await mkdir(outside)
    const meta = (path: string, data: unknown): Promise<void> => writeFile(path, JSON.stringify(data))
    await writeFile(join(root, '2026', '01', `${ALL_SAMPLE}.meta.json`), sampleText(ALL_SAMPLE))
    await meta(join(root, 'old.sql.gz.meta.json'), flatMetadata('/x/old.sql.gz'))
    await meta(join(root, 'new.sql.zst.meta.json'), ourMetadata('new.sql.zst'))
    await writeFile(join(root, 'broken.sql.meta.json'), '{"backup": ')
    // Being written: never catalogued.
    await meta(join(root, 'busy.sql.zst.part.meta.json'), ourMetadata('busy.sql.zst.part'))
    await writeFile(join(root, 'new2.sql.zst.meta.json.tmp'), '{')
    // Outside the folder, reached only through a symlink: never followed.
    await meta(join(outside, 'far.sql.meta.json'), ourMetadata('far.sql'))
    await symlink(outside, join(root, 'link-to-outside'))
    await symlink(join(outside, 'far.sql.meta.json'), join(root, 'linked.sql.meta.json'))
  })

  it('finds every layout recursively, newest first, and reports damaged metadata', async () => {
    const { entries, problems } = await scanBackups([root], { recursive: true })
    expect(entries.map((e) => [e.fileName, e.source])).toEqual([
      ['new.sql.zst', 'ours'],
      [ALL_SAMPLE, 'sfdbtools-grouped'],
      ['old.sql.gz', 'sfdbtools-flat'],
    ])
    expect(problems).toHaveLength(1)
    expect(problems[0]?.path).toBe(join(root, 'broken.sql.meta.json'))
    expect(problems[0]?.message).toBe('damaged metadata, not valid JSON')
  })

  it('reads a folder once when listed twice, and only its top level without recursion', async () => {
    const { entries } = await scanBackups([root, join(root, '.')], { recursive: false })
    expect(entries.map((e) => e.fileName)).toEqual(['new.sql.zst', 'old.sql.gz'])
  })

  it('reports a missing folder as a problem, not a failure', async () => {
    const { entries, problems } = await scanBackups([join(root, 'nope')])
    expect(entries).toEqual([])
    expect(problems[0]?.message).toMatch(/no such file|ENOENT/i)
  })
})
