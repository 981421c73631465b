import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { buildMetadata, type MetadataInput } from '../../../electron/engine/backup/metadata.ts'
import { estimateFile, learnedRatios } from '../../../electron/engine/backup/size-estimate.ts'

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
  it('learns the ratio of the LAST backup of the same databases and compression, and says so', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sfdb-est-'))
    dirs.push(dir)
    await writeFile(join(dir, 'a.sql.gz.meta.json'), earlier(['shop'], 300, 1000, '2026-01-01T00:00:00Z'))
    await writeFile(join(dir, 'b.sql.gz.meta.json'), earlier(['shop'], 560, 1000, '2026-02-01T00:00:00Z'))
    await writeFile(join(dir, 'c.sql.gz.meta.json'), earlier(['crm'], 100, 1000, '2026-03-01T00:00:00Z'))
    await writeFile(join(dir, 'junk.meta.json'), '{not json')
    const learned = await learnedRatios(dir)
    const shop = estimateFile(learned, ['shop'], 10_000, 'gzip')
    expect(shop.bytes).toBe(5600)
    expect(shop.how).toMatch(/^data size × 0\.56, the ratio of the last gzip backup of shop here/)
    // Another codec learns nothing from gzip backups: the conservative ratio, said as such.
    const zstd = estimateFile(learned, ['shop'], 10_000, 'zstd')
    expect(zstd.bytes).toBe(10_000)
    expect(zstd.how).toContain('a conservative ratio for zstd')
  })

  it('is conservative without history: compressed as large as the data, plain SQL twice it', async () => {
    const none = new Map()
    expect(estimateFile(none, ['x'], 1000, 'none').bytes).toBe(2000)
    expect(estimateFile(none, ['x'], 1000, 'xz').bytes).toBe(1000)
  })
})
