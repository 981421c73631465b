import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { parseBackupMetadata, readBackupMetadata } from '../../../electron/engine/catalog/read-metadata.ts'
import { EngineError } from '../../../electron/engine/errors.ts'
import {
  ALL_SAMPLE,
  flatMetadata,
  ourMetadata,
  PRIMARY_SAMPLE,
  sampleText,
  SAMPLES_DIR,
} from './metadata-samples.ts'

const DIR = '/srv/moved/backups'
const at = (name: string): string => join(DIR, name)

describe('parseBackupMetadata: sfDBTools grouped layout (real samples)', () => {
  it('reads mode all, placing the dump and its grants file in the metadata folder', () => {
    const e = parseBackupMetadata(sampleText(ALL_SAMPLE), at(`${ALL_SAMPLE}.meta.json`))
    expect(e).toMatchObject({
      source: 'sfdbtools-grouped',
      backupFile: at(ALL_SAMPLE),
      fileName: ALL_SAMPLE,
      recordedFile: `/media/ArchiveDB/20260127/${ALL_SAMPLE}`,
      databases: ['dbsf_nbc_alpha', 'dbsf_nbc_beta', 'dbsf_nbc_beta_dmart', 'dbsf_biznet_gamma'],
      type: 'all',
      status: 'success',
      durationMs: 99_000,
      host: '10.20.30.40',
      port: 3306,
      hostname: 'mariadb-prod-02',
      ticket: 'INC-2026-0127',
      sizeBytes: 2490368,
      sha256: null,
      compression: { type: 'zstd', level: null },
      encrypted: true,
      gtid: '0-1-48213377',
      binlog: null,
      fileExists: null,
    })
    // `YYYY-MM-DD HH:MM:SS` is local time, as sfDBTools wrote it.
    expect(e.startedAt).toEqual(new Date(2026, 0, 27, 2, 15, 5))
    expect(e.companions).toEqual([
      at(`${ALL_SAMPLE}.meta.json`),
      at('all_mariadb-prod-02_20260127_021505_4db_users.sql'),
    ])
  })

  it('reads a primary package: warnings status, no grants ("none"), the _dmart dump as a companion', () => {
    const e = parseBackupMetadata(sampleText(PRIMARY_SAMPLE), at(`${PRIMARY_SAMPLE}.meta.json`))
    expect(e).toMatchObject({
      type: 'primary',
      status: 'success_with_warnings',
      databases: ['dbsf_nbc_acme', 'dbsf_nbc_acme_dmart'],
      durationMs: 3_723_000,
      gtid: null,
      ticket: 'CHG-7781',
      compression: { type: 'gzip', level: null },
    })
    expect(e.companions).toEqual([
      at(`${PRIMARY_SAMPLE}.meta.json`),
      at('dbsf_nbc_acme_dmart_20260127_040204_mariadb-prod-02.sql.gz.enc'),
    ])
  })

  it('accepts RFC3339 times, unknown extra fields and odd field types', () => {
    const meta = JSON.parse(sampleText(ALL_SAMPLE)) as Record<string, Record<string, unknown>>
    meta.time = { start_time: '2026-01-27T02:15:05.123456789+07:00', duration: 'soon' }
    meta.source = { hostname: 42, port: '3310' }
    meta.future = { anything: [1, 2, 3] }
    const e = parseBackupMetadata(JSON.stringify(meta), at('x.sql.zst.enc.meta.json'))
    expect(e.startedAt?.toISOString()).toBe('2026-01-26T19:15:05.123Z')
    expect(e.durationMs).toBeNull()
    expect(e).toMatchObject({ hostname: null, host: null, port: 3310, fileName: 'x.sql.zst.enc' })
  })
})

describe('parseBackupMetadata: sfDBTools flat layout', () => {
  it('reads every key of §11', () => {
    const name = 'shop_20251120_010000_db-old-01.sql.gz'
    const e = parseBackupMetadata(JSON.stringify(flatMetadata(`/old/place/${name}`)), at(`${name}.meta.json`))
    expect(e).toMatchObject({
      source: 'sfdbtools-flat',
      backupFile: at(name),
      recordedFile: `/old/place/${name}`,
      databases: ['shop'],
      type: 'single',
      status: 'success',
      durationMs: 125_000,
      host: '192.168.1.10',
      port: 3307,
      hostname: 'db-old-01',
      ticket: 'T-1',
      sizeBytes: 1000,
      compression: { type: 'gzip', level: null },
      encrypted: false,
      gtid: '0-1-100',
      companions: [at(`${name}.meta.json`)],
    })
    expect(e.startedAt).toEqual(new Date(2025, 10, 20, 1, 0, 0))
  })

  it('falls back to the end time for the duration and to the extension for the compression', () => {
    const e = parseBackupMetadata(
      JSON.stringify(flatMetadata('a.sql.xz', { backup_duration: '', compression_type: '' })),
      at('a.sql.xz.meta.json'),
    )
    expect(e.durationMs).toBe(125_000)
    expect(e.compression).toEqual({ type: 'xz', level: null })
  })
})

describe('parseBackupMetadata: ours', () => {
  it('reads our layout with its companion names', () => {
    const name = 'sales_20260201_100000_CHG1.sql.zst.enc'
    const e = parseBackupMetadata(JSON.stringify(ourMetadata(name)), at(`${name}.meta.json`))
    expect(e).toMatchObject({
      source: 'ours',
      databases: ['sales'],
      type: 'single',
      status: 'success',
      startedAt: new Date('2026-02-01T10:00:00.000Z'),
      durationMs: 7500,
      host: 'db.example',
      port: 3306,
      hostname: 'db-prod-01',
      sha256: 'ab'.repeat(32),
      sizeBytes: 4096,
      compression: { type: 'zstd', level: 3 },
      encrypted: true,
      // The GTID and the binlog coordinates, each as what it is.
      gtid: '0-1-42',
      binlog: 'bin.000001:4',
    })
    expect(e.companions).toEqual([at(`${name}.meta.json`), at(`${name}.users.sql`), at(`${name}.gtid`)])
  })

  it('binlog coordinates alone are not shown as a GTID', () => {
    const meta = ourMetadata('b.sql', {
      gtid_info: { executed: null, purged: null, binlog_file: 'mysql-bin.000003', binlog_position: 1234 },
    })
    expect(parseBackupMetadata(JSON.stringify(meta), at('b.sql.meta.json'))).toMatchObject({
      gtid: null,
      binlog: 'mysql-bin.000003:1234',
    })
  })

  it('never lets a recorded companion name leave the folder', () => {
    const meta = ourMetadata('a.sql', { user_grants_file: '../../etc/passwd', gtid_file: null })
    const e = parseBackupMetadata(JSON.stringify(meta), at('a.sql.meta.json'))
    expect(e.companions).toEqual([at('a.sql.meta.json'), at('passwd')])
  })
})

describe('parseBackupMetadata: damaged input', () => {
  it.each([
    ['truncated JSON', '{"backup": {"file": "x"'],
    ['not an object', '[1, 2]'],
    ['an unknown layout', '{"database_name": "x", "backup_date": "2026-01-01"}'],
    ['an empty file', ''],
  ])('rejects %s as CorruptFile naming the file', (_what, json) => {
    const path = at('broken.sql.meta.json')
    let error: unknown
    try {
      parseBackupMetadata(json, path)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(EngineError)
    expect((error as EngineError).code).toBe('CorruptFile')
    expect((error as EngineError).message).toContain(path)
  })
})

describe('readBackupMetadata', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sfdb-catalog-'))
  })

  it('prefers the real size on disk over sfDBTools’ recorded (too small) one', async () => {
    await writeFile(join(dir, ALL_SAMPLE), Buffer.alloc(3_000_000))
    await writeFile(join(dir, `${ALL_SAMPLE}.meta.json`), sampleText(ALL_SAMPLE))
    const e = await readBackupMetadata(join(dir, `${ALL_SAMPLE}.meta.json`))
    expect(e.sizeBytes).toBe(3_000_000)
    expect(e.fileExists).toBe(true)
    expect(e.modifiedAt).toBeInstanceOf(Date)
    // The grants file it names is not on disk: only the metadata is a companion.
    expect(e.companions).toEqual([join(dir, `${ALL_SAMPLE}.meta.json`)])
  })

  it('keeps the recorded size and reports a missing dump', async () => {
    await writeFile(join(dir, `${PRIMARY_SAMPLE}.meta.json`), sampleText(PRIMARY_SAMPLE))
    const e = await readBackupMetadata(join(dir, `${PRIMARY_SAMPLE}.meta.json`))
    expect(e).toMatchObject({ fileExists: false, sizeBytes: 734003200 })
  })

  it('reads the golden samples in place', async () => {
    const e = await readBackupMetadata(join(SAMPLES_DIR, `${ALL_SAMPLE}.meta.json`))
    expect(e.source).toBe('sfdbtools-grouped')
  })

  it('names the file when it is missing', async () => {
    await expect(readBackupMetadata(join(dir, 'nope.sql.meta.json'))).rejects.toThrow(/nope\.sql\.meta\.json/)
  })
})
