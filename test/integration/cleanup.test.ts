// `sfdbtools cleanup` on real files: backups in all three metadata layouts with their companions, next to
// files that no metadata describes (which must survive however old they are).
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, utimes, writeFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { cliSandbox, runCli } from '../harness/cli.ts'
import {
  ALL_SAMPLE,
  flatMetadata,
  ourMetadata,
  PRIMARY_SAMPLE,
  sampleText,
} from '../unit/catalog/metadata-samples.ts'

const LONG_AGO = new Date('2024-01-01T00:00:00Z')
const FOREIGN = [
  'notes.txt',
  'crm_20240101_000000_h.sql.zst', // a dump without metadata, very old: sfDBTools' cleanup would take it
  'crm_20240101_000000_h_users.sql',
]

interface Tree {
  root: string
  /** Files of each backup expected to go with `--retention-days 30 --min-backups 0`, relative to root. */
  old: Record<'all' | 'primary' | 'sales' | 'shop' | 'orphan', string[]>
  kept: string[]
}

async function put(root: string, rel: string, content = 'x'.repeat(100)): Promise<void> {
  await mkdir(join(root, rel, '..'), { recursive: true })
  await writeFile(join(root, rel), content)
}

async function ours(root: string, name: string, start: Date, over = {}): Promise<void> {
  const s = start.toISOString()
  await put(
    root,
    `${name}.meta.json`,
    JSON.stringify(ourMetadata(name, { time: { start: s, end: s, duration_ms: 0 }, ...over })),
  )
}

async function makeTree(base: string): Promise<Tree> {
  const root = await mkdtemp(join(base, 'backups-'))
  const dmart = '2026/01/dbsf_nbc_acme_dmart_20260127_040204_mariadb-prod-02.sql.gz.enc'
  const old: Tree['old'] = {
    all: [
      `2026/01/${ALL_SAMPLE}`,
      '2026/01/all_mariadb-prod-02_20260127_021505_4db_users.sql',
      `2026/01/${ALL_SAMPLE}.meta.json`,
    ],
    primary: [`2026/01/${PRIMARY_SAMPLE}`, dmart, `2026/01/${PRIMARY_SAMPLE}.meta.json`],
    sales: [
      'sales-old.sql.zst.enc',
      'sales-old.sql.zst.enc.users.sql',
      'sales-old.sql.zst.enc.gtid',
      'sales-old.sql.zst.enc.meta.json',
    ],
    shop: [
      '2025/11/shop_20251120_010000_db-old-01.sql.gz',
      '2025/11/shop_20251120_010000_db-old-01_user.sql',
      '2025/11/shop_20251120_010000_db-old-01_gtid.txt',
      '2025/11/shop_20251120_010000_db-old-01.sql.gz.meta.json',
    ],
    orphan: ['inventory.sql.zst.users.sql', 'inventory.sql.zst.meta.json'],
  }
  // sfDBTools' grouped layout: the real samples (January 2026), recorded under /media/ArchiveDB.
  for (const f of [...old.all, ...old.primary]) if (!f.endsWith('.meta.json')) await put(root, f)
  await put(root, `2026/01/${ALL_SAMPLE}.meta.json`, sampleText(ALL_SAMPLE))
  await put(root, `2026/01/${PRIMARY_SAMPLE}.meta.json`, sampleText(PRIMARY_SAMPLE))
  // sfDBTools' flat layout, with its 2025-11 companion names.
  for (const f of old.shop.slice(0, 3)) await put(root, f)
  const shop = 'shop_20251120_010000_db-old-01.sql.gz'
  await put(
    root,
    `2025/11/${shop}.meta.json`,
    JSON.stringify(flatMetadata(`/media/ArchiveDB/20251120/${shop}`)),
  )
  // Ours: an old and a fresh backup of one database, and an orphan whose dump is gone.
  for (const f of old.sales.slice(0, 3)) await put(root, f)
  await ours(root, 'sales-old.sql.zst.enc', new Date('2025-10-01T00:00:00Z'))
  const kept = ['sales-new.sql.zst.enc', 'sales-new.sql.zst.enc.users.sql', 'sales-new.sql.zst.enc.gtid']
  for (const f of kept) await put(root, f)
  await ours(root, 'sales-new.sql.zst.enc', new Date())
  kept.push('sales-new.sql.zst.enc.meta.json')
  await put(root, old.orphan[0] as string)
  await ours(root, 'inventory.sql.zst', new Date('2025-09-01T00:00:00Z'), { databases: ['inventory'] })
  for (const f of FOREIGN) {
    await put(root, f)
    await utimes(join(root, f), LONG_AGO, LONG_AGO)
  }
  return { root, old, kept: [...kept, ...FOREIGN] }
}

interface Report {
  ok: boolean
  dryRun: boolean
  removed: { file: string; databases: string[]; orphan: boolean; files: { path: string }[]; bytes: number }[]
  bytesFreed: number
  kept: number
}

describe('sfdbtools cleanup', () => {
  let sandbox: Awaited<ReturnType<typeof cliSandbox>>
  beforeAll(async () => {
    sandbox = await cliSandbox()
  })
  const cleanup = (args: string[], env: Record<string, string> = {}) =>
    runCli(['cleanup', ...args], { env: { ...sandbox.env, ...env } })
  const removedFiles = (r: Report, root: string): string[] =>
    r.removed.flatMap((b) => b.files.map((f) => relative(root, f.path))).sort()

  it('a dry run removes nothing and lists exactly what the real run removes', async () => {
    const tree = await makeTree(sandbox.tmp)
    const args = ['-o', tree.root, '--retention-days', '30', '--min-backups', '0', '--json']
    const dry = await cleanup([...args, '--dry-run'])
    expect(dry.code, dry.stderr).toBe(0)
    const planned = JSON.parse(dry.stdout) as Report
    for (const f of Object.values(tree.old).flat()) expect(existsSync(join(tree.root, f)), f).toBe(true)

    const real = await cleanup(args)
    expect(real.code, real.stderr).toBe(0)
    const done = JSON.parse(real.stdout) as Report
    const expected = Object.values(tree.old).flat().sort()
    expect(removedFiles(planned, tree.root)).toEqual(expected)
    expect(removedFiles(done, tree.root)).toEqual(expected)
    expect(done.bytesFreed).toBe(planned.bytesFreed)
    expect(done.removed.find((b) => b.databases[0] === 'inventory')?.orphan).toBe(true)

    // Companions went with their backup; the fresh backup and every foreign file stayed.
    for (const f of expected) expect(existsSync(join(tree.root, f)), f).toBe(false)
    for (const f of tree.kept) expect(existsSync(join(tree.root, f)), f).toBe(true)
    expect(await readFile(join(tree.root, 'notes.txt'), 'utf8')).toBe('x'.repeat(100))
  })

  it('keeps the newest successful backup of each group with --min-backups 1', async () => {
    const tree = await makeTree(sandbox.tmp)
    const run = await cleanup([
      '-o',
      tree.root,
      '--retention-days',
      '30',
      '--min-backups',
      '1',
      '--dry-run',
      '--json',
    ])
    expect(run.code, run.stderr).toBe(0)
    // Each sfDBTools backup is alone in its group; the orphan has no dump, so it never counts.
    expect(removedFiles(JSON.parse(run.stdout) as Report, tree.root)).toEqual(
      [...tree.old.orphan, ...tree.old.sales].sort(),
    )
  })

  it('limits itself to --db, and prints a readable list from SFDB_OUTPUT_DIR', async () => {
    const tree = await makeTree(sandbox.tmp)
    const run = await cleanup(['--retention-days', '30', '--min-backups', '0', '--db', 'shop'], {
      SFDB_OUTPUT_DIR: tree.root,
    })
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toMatch(
      /^Removed:\n {2}2025-11-20 01:00 {2}shop {2}\d+ B {2}.*shop_20251120_010000_db-old-01\.sql\.gz {2}\(older than 30 days\)\n/,
    )
    expect(run.stdout).toContain('+ ' + join(tree.root, '2025/11/shop_20251120_010000_db-old-01_gtid.txt'))
    expect(run.stdout).toMatch(/Freed \d+ B in 1 backup\(s\); 0 kept\.\n$/)
    for (const f of tree.old.shop) expect(existsSync(join(tree.root, f))).toBe(false)
    for (const f of tree.old.sales) expect(existsSync(join(tree.root, f))).toBe(true)
  })

  it('takes the policy and the folder from sfDBTools_config.yaml when no flag gives them', async () => {
    const tree = await makeTree(sandbox.tmp)
    const configDir = join(sandbox.tmp, `cfg-${Date.now()}`)
    await mkdir(configDir)
    await writeFile(
      join(configDir, 'sfDBTools_config.yaml'),
      `backup:\n  output:\n    base_directory: ${tree.root}\n  cleanup:\n    days: 30\n    min_backups: 0\n`,
    )
    const run = await cleanup(['--dry-run', '--json'], { SFDB_CONFIG_PATH: configDir })
    expect(run.code, run.stderr).toBe(0)
    const report = JSON.parse(run.stdout) as Report & { policy: unknown; folders: string[] }
    expect(report.policy).toEqual({ retentionDays: 30, minBackups: 0 })
    expect(report.folders).toEqual([tree.root])
    expect(removedFiles(report, tree.root)).toEqual(Object.values(tree.old).flat().sort())
  })

  it('exits 1 when a file cannot be removed, after removing the rest', async () => {
    const tree = await makeTree(sandbox.tmp)
    await mkdir(join(tree.root, 'blocked.sql'))
    await ours(tree.root, 'blocked.sql', LONG_AGO, { databases: ['blocked'] })
    const run = await cleanup(['-o', tree.root, '--retention-days', '30', '--min-backups', '0'])
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(`error: ${join(tree.root, 'blocked.sql')}: `)
    expect(existsSync(join(tree.root, 'blocked.sql.meta.json'))).toBe(true)
    for (const f of tree.old.sales) expect(existsSync(join(tree.root, f))).toBe(false)
  })

  it('reports usage errors with exit 2', async () => {
    const tree = await makeTree(sandbox.tmp)
    const noPolicy = await cleanup(['-o', tree.root])
    expect(noPolicy.code).toBe(2)
    expect(noPolicy.stderr).toMatch(/--retention-days is required/)
    const noDir = await cleanup(['-o', join(tree.root, 'nope'), '--retention-days', '3'])
    expect(noDir.code).toBe(2)
    expect(noDir.stderr).toMatch(/no such folder/)
    const bad = await cleanup(['-o', tree.root, '--retention-days', 'ten'])
    expect(bad.code).toBe(2)
    for (const f of Object.values(tree.old).flat()) expect(existsSync(join(tree.root, f))).toBe(true)
  })
})
