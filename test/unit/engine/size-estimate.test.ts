import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { buildMetadata, type MetadataInput } from '../../../electron/engine/backup/metadata.ts'
import {
  RATIO_SAMPLES,
  estimateFile,
  learnedRatios,
  summarizeEstimates,
} from '../../../electron/engine/backup/size-estimate.ts'

const dirs: string[] = []
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true })
})

/** Our metadata of an earlier backup of `databases`: `bytes` written from `dataBytes` of data. */
const earlier = (databases: string[], bytes: number, dataBytes: number, end: string): string => {
  const input: MetadataInput = {
    backupType: 'single',
    ticket: 'T',
    databases,
    file: {
      path: `/x/${databases.join('_')}-${end}.sql.gz`,
      bytes,
      sqlBytes: bytes * 2,
      sha256: 'a'.repeat(64),
    },
    warnings: [],
    startedAt: new Date(end),
    finishedAt: new Date(end),
    compression: { type: 'gzip', level: 6 },
    encrypted: false,
    server: { host: 'h', port: 3306, hostname: 'h', flavor: 'mariadb', version: '10.11' },
    dump: { binary: 'mariadb-dump', version: 'v', args: [], excludeData: false },
    excludedDatabases: [],
    gtid: null,
    grantsFile: null,
    gtidFile: null,
    sourceDataBytes: dataBytes,
  }
  return JSON.stringify(buildMetadata(input))
}

describe('disk-space estimate', () => {
  const folder = async (): Promise<string> => {
    const dir = await mkdtemp(join(tmpdir(), 'sfdb-est-'))
    dirs.push(dir)
    return dir
  }

  it('learns the ratio of the last backups of the same databases and compression, and says so', async () => {
    const dir = await folder()
    await writeFile(join(dir, 'a.sql.gz.meta.json'), earlier(['shop'], 300, 1000, '2026-01-01T00:00:00Z'))
    await writeFile(join(dir, 'b.sql.gz.meta.json'), earlier(['shop'], 560, 1000, '2026-02-01T00:00:00Z'))
    await writeFile(join(dir, 'c.sql.gz.meta.json'), earlier(['crm'], 100, 1000, '2026-03-01T00:00:00Z'))
    await writeFile(join(dir, 'junk.meta.json'), '{not json')
    const learned = await learnedRatios(dir)
    const shop = estimateFile(learned, ['shop'], 10_000, 'gzip')
    // (300 + 560) / (1000 + 1000): both earlier backups' bytes over their data.
    expect(shop.bytes).toBe(4300)
    expect(shop.backups).toBe(2)
    expect(shop.how).toMatch(/^data size × 0\.43, the ratio of the last 2 gzip backups of shop here/)
    // Another codec learns nothing from gzip backups: the conservative ratio, said as such.
    const zstd = estimateFile(learned, ['shop'], 10_000, 'zstd')
    expect(zstd.bytes).toBe(10_000)
    expect(zstd.backups).toBe(0)
    expect(zstd.how).toContain('a conservative ratio for zstd')
  })

  it(`uses only the newest ${RATIO_SAMPLES} backups: an old ratio no longer counts`, async () => {
    const dir = await folder()
    // An old backup of poorly compressible data, then three recent ones at 0.2.
    await writeFile(join(dir, 'old.sql.gz.meta.json'), earlier(['shop'], 900, 1000, '2025-01-01T00:00:00Z'))
    for (const [i, month] of ['03', '04', '05'].entries())
      await writeFile(
        join(dir, `n${i}.sql.gz.meta.json`),
        earlier(['shop'], 200, 1000, `2026-${month}-01T00:00:00Z`),
      )
    const learned = await learnedRatios(dir)
    const shop = estimateFile(learned, ['shop'], 1_000_000, 'gzip')
    expect(shop.bytes).toBe(200_000)
    expect(shop.backups).toBe(RATIO_SAMPLES)
    expect(shop.how).toContain(`the last ${RATIO_SAMPLES} gzip backups of shop`)
    expect(summarizeEstimates([shop])).toEqual({ files: 1, learnedFiles: 1, backups: RATIO_SAMPLES })
  })

  it('a set of databases learns only from backups of the same set', async () => {
    const dir = await folder()
    await writeFile(join(dir, 'a.sql.gz.meta.json'), earlier(['a', 'b'], 250, 1000, '2026-01-01T00:00:00Z'))
    const learned = await learnedRatios(dir, { compression: 'gzip', databases: [['b', 'a'], ['a']] })
    expect(estimateFile(learned, ['b', 'a'], 4000, 'gzip').bytes).toBe(1000)
    const alone = estimateFile(learned, ['a'], 4000, 'gzip')
    expect(alone.backups).toBe(0)
    expect(summarizeEstimates([estimateFile(learned, ['a', 'b'], 1, 'gzip'), alone])).toEqual({
      files: 2,
      learnedFiles: 1,
      backups: 1,
    })
  })

  it('reads a folder of many backups quickly and stops once every wanted file has its samples', async () => {
    const dir = await folder()
    const writes: Promise<void>[] = []
    for (let i = 0; i < 1500; i++)
      writes.push(
        writeFile(
          join(dir, `f${i}.sql.gz.meta.json`),
          earlier([`db${i}`], 100, 1000, new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString()),
        ),
      )
    await Promise.all(writes)
    // The three newest files (by mtime) are the wanted database's.
    for (let i = 0; i < 3; i++) {
      const path = join(dir, `shop${i}.sql.gz.meta.json`)
      await writeFile(path, earlier(['shop'], 100, 1000, `2026-0${i + 1}-01T00:00:00Z`))
      const later = new Date(Date.now() + 60_000 * (i + 1))
      await utimes(path, later, later)
    }
    const started = performance.now()
    const learned = await learnedRatios(dir, { compression: 'gzip', databases: [['shop']] })
    const took = performance.now() - started
    expect(estimateFile(learned, ['shop'], 1000, 'gzip').backups).toBe(RATIO_SAMPLES)
    // Only the newest batch was read (32 files), not all 1,503.
    expect(learned.size).toBeLessThanOrEqual(32)
    expect(took).toBeLessThan(1000)
  })

  it('is conservative without history: compressed as large as the data, plain SQL twice it', async () => {
    const none = new Map()
    expect(estimateFile(none, ['x'], 1000, 'none').bytes).toBe(2000)
    expect(estimateFile(none, ['x'], 1000, 'xz').bytes).toBe(1000)
    expect(summarizeEstimates([estimateFile(none, ['x'], 1000, 'xz')])).toEqual({
      files: 1,
      learnedFiles: 0,
      backups: 0,
    })
  })
})
