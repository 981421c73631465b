import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  conventionalCompanions,
  existingCompanions,
  sfdbtoolsBaseName,
} from '../../../electron/engine/catalog/companions.ts'
import { readBackupMetadata } from '../../../electron/engine/catalog/read-metadata.ts'
import { flatMetadata, ourMetadata } from './metadata-samples.ts'

describe('sfdbtoolsBaseName (reference §10)', () => {
  it.each([
    ['db_20260127_030001_host.sql.gz.enc', 'db_20260127_030001_host'],
    ['all_host_20260127_021505_4db.sql.zst.enc', 'all_host_20260127_021505_4db'],
    ['db.sql.xz', 'db'],
    ['db.sql.zlib.enc', 'db'],
    ['db.sql', 'db'],
    ['custom.name.sql.gz', 'custom.name'],
    // Only one compression extension is stripped.
    ['odd.sql.gz.gz', 'odd.sql.gz'],
  ])('%s → %s', (name, base) => expect(sfdbtoolsBaseName(name)).toBe(base))
})

describe('conventionalCompanions', () => {
  it('ours: <dump>.users.sql and <dump>.gtid', () => {
    expect(conventionalCompanions('/b/x.sql.zst.enc', 'ours')).toEqual([
      '/b/x.sql.zst.enc.users.sql',
      '/b/x.sql.zst.enc.gtid',
    ])
  })

  it.each(['sfdbtools-grouped', 'sfdbtools-flat'] as const)(
    '%s: <base>_users.sql and the historical names',
    (source) => {
      expect(conventionalCompanions('/b/x_20260101_010101_h.sql.gz.enc', source)).toEqual([
        '/b/x_20260101_010101_h_users.sql',
        '/b/x_20260101_010101_h_users.cnf',
        '/b/x_20260101_010101_h_user.sql',
        '/b/x_20260101_010101_h_gtid.info',
        '/b/x_20260101_010101_h_gtid.txt',
      ])
    },
  )
})

describe('companions on disk', () => {
  it('finds sfDBTools’ historical grants and GTID files next to a flat-layout backup', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sfdb-comp-'))
    const name = 'shop_20251209_010000_h.sql.gz'
    for (const f of [
      name,
      'shop_20251209_010000_h_users.cnf',
      'shop_20251209_010000_h_gtid.info',
      'other_users.sql',
    ])
      await writeFile(join(dir, f), 'x')
    await writeFile(join(dir, `${name}.meta.json`), JSON.stringify(flatMetadata(`/elsewhere/${name}`)))
    const e = await readBackupMetadata(join(dir, `${name}.meta.json`))
    expect(e.companions).toEqual([
      join(dir, `${name}.meta.json`),
      join(dir, 'shop_20251209_010000_h_users.cnf'),
      join(dir, 'shop_20251209_010000_h_gtid.info'),
    ])
  })

  it('finds our .users.sql and .gtid even when the metadata does not name them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sfdb-comp-'))
    const name = 'sales.sql.zst'
    for (const f of [name, `${name}.users.sql`, `${name}.gtid`]) await writeFile(join(dir, f), 'x')
    const meta = ourMetadata(name, { user_grants_file: null, gtid_file: null })
    await writeFile(join(dir, `${name}.meta.json`), JSON.stringify(meta))
    const e = await readBackupMetadata(join(dir, `${name}.meta.json`))
    expect(e.companions).toEqual([
      join(dir, `${name}.meta.json`),
      join(dir, `${name}.users.sql`),
      join(dir, `${name}.gtid`),
    ])
  })

  it('never takes a file with a metadata file of its own (a backup of a database named x_users)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sfdb-comp-'))
    await writeFile(join(dir, 'x_users.sql'), 'x')
    await writeFile(join(dir, 'x_users.sql.meta.json'), '{}')
    const found = await existingCompanions(
      join(dir, 'x.sql.meta.json'),
      join(dir, 'x.sql'),
      'sfdbtools-flat',
      [],
    )
    expect(found).toEqual([join(dir, 'x.sql.meta.json')])
  })
})
