import { describe, expect, it } from 'vitest'
import {
  databaseFromFileName,
  dmartSiblingName,
  preRestoreFileName,
  restoreLogName,
  shellWord,
  throwawayDatabaseName,
} from '../../../../electron/engine/restore/run/names.ts'
import { classifyGrantStatement } from '../../../../electron/engine/restore/run/grants.ts'
import { undoCommand } from '../../../../electron/engine/restore/run/run-item.ts'
import { defaultFileName } from '../../../../electron/engine/backup/naming.ts'
import { overallStatus } from '../../../../electron/engine/restore/run/run-restore.ts'
import type { RestoreItemResult } from '../../../../shared/restore-types.ts'

describe('databaseFromFileName (sfDBTools rule, reference §10)', () => {
  it.each([
    ['dbsf_nbc_acme_20260127_030001_mariadb-prod-02.sql.gz.enc', 'dbsf_nbc_acme'],
    ['dbsf_nbc_acme_dmart_20260127_040204_mariadb-prod-02.sql.gz.enc', 'dbsf_nbc_acme_dmart'],
    ['shop_nodata_20260127_030001_db1.sql.zst', 'shop'],
    ['shop_backup.sql', 'shop'],
    ['shop_dump_x.sql.xz', 'shop'],
    ['shop_pre_restore.sql', 'shop'],
    ['shop_db-host.sql', 'shop'],
    ['shop.sql.zlib.enc', 'shop'],
    ['all_mariadb-prod-02_20260127_021505_4db.sql.zst.enc', null],
    ['all_databases_20260127_021505_T1.sql', null],
    ['combined_h_20260127_021505_2db.sql', null],
    ['20260127_030001.sql', null],
  ])('%s → %s', (name, db) => {
    expect(databaseFromFileName(name)).toBe(db)
  })

  it('reads the database back from every name our default pattern writes', () => {
    const date = new Date(2026, 0, 27, 3, 0, 1)
    for (const database of ['shop', 'shop_eu_2024', 'a_b_c']) {
      for (const compression of ['none', 'gzip', 'zstd', 'xz', 'zlib'] as const) {
        for (const encrypted of [false, true]) {
          const name = defaultFileName({ database, date, ticket: 'INC-42', compression, encrypted })
          expect(databaseFromFileName(name)).toBe(database)
        }
      }
    }
  })
})

describe('restore names', () => {
  const date = new Date(2026, 0, 27, 3, 4, 5)
  it('pre-restore backups as reference §10 names them, with the pre-backup extensions', () => {
    expect(
      preRestoreFileName({ database: 'shop', hostname: 'db1', date, compression: 'zstd', encrypted: true }),
    ).toBe('shop_20260127_030405_db1_pre_restore.sql.zst.enc')
    expect(
      preRestoreFileName({ database: null, hostname: '', date, compression: 'none', encrypted: false }),
    ).toBe('all_20260127_030405_unknown_pre_restore.sql')
    // A second one of the same database in the same second gets the next number, never the same name.
    expect(
      preRestoreFileName({
        database: 'shop',
        hostname: 'db1',
        date,
        compression: 'zstd',
        encrypted: true,
        n: 2,
      }),
    ).toBe('shop_20260127_030405_db1_pre_restore_2.sql.zst.enc')
  })
  it('the _dmart sibling keeps timestamp, host and extensions', () => {
    expect(dmartSiblingName('acme_20260127_030001_h.sql.gz.enc', 'acme')).toBe(
      'acme_dmart_20260127_030001_h.sql.gz.enc',
    )
    expect(dmartSiblingName('other_2026.sql', 'acme')).toBeNull()
  })
  it('throwaway databases: sanitised, at most 64 characters, distinct suffixes', () => {
    expect(throwawayDatabaseName('shop', date)).toBe('sfdb_restoretest_shop_20260127030405')
    const long = throwawayDatabaseName(`a-b c${'x'.repeat(80)}`, date, '_2')
    expect(long.length).toBeLessThanOrEqual(64)
    expect(long).toMatch(/^sfdb_restoretest_a_b_cx+_20260127030405_2$/)
    expect(throwawayDatabaseName(null, date)).toBe('sfdb_restoretest_backup_20260127030405')
  })
  it('restore log names', () => {
    expect(restoreLogName('x.sql.zst', date)).toBe('x.sql.zst.restore-20260127_030405.json')
    expect(restoreLogName('x.sql.zst', date, 2)).toBe('x.sql.zst.restore-20260127_030405_2.json')
  })
  it('undo commands quote what a shell would split', () => {
    expect(shellWord("it's a file.sql")).toBe(`'it'\\''s a file.sql'`)
    const item = {
      file: 'f',
      key: null,
      target: 'shop',
      excludeDatabases: [],
      sourceDatabase: null,
      totalSqlBytes: null,
      totalTables: null,
      grantsFile: null,
    }
    expect(undoCommand(item, '/b/shop_pre_restore.sql', 'INC 1')).toBe(
      "sfdbtools restore single /b/shop_pre_restore.sql --target-db shop --drop-target --ticket 'INC 1'",
    )
  })
})

describe('grants statements', () => {
  it('names the account each statement is about', () => {
    expect(
      classifyGrantStatement("CREATE USER IF NOT EXISTS 'app'@'%' IDENTIFIED BY PASSWORD '*ABC'"),
    ).toMatchObject({
      kind: 'create',
      principal: { user: 'app', host: '%' },
    })
    expect(classifyGrantStatement('CREATE ROLE IF NOT EXISTS `r1`')).toMatchObject({
      kind: 'create',
      principal: { user: 'r1' },
    })
    expect(classifyGrantStatement("GRANT SELECT ON `shop`.* TO 'app'@'%'")).toMatchObject({
      kind: 'grant',
      principal: { user: 'app', host: '%' },
    })
    expect(
      classifyGrantStatement("GRANT USAGE ON *.* TO `old`@`10.0.0.1` IDENTIFIED BY PASSWORD '*X'"),
    ).toMatchObject({
      kind: 'grant',
      principal: { user: 'old', host: '10.0.0.1' },
    })
    expect(classifyGrantStatement('FLUSH PRIVILEGES').kind).toBe('flush')
  })
})

describe('overallStatus', () => {
  const r = (status: RestoreItemResult['status']) => ({ status }) as RestoreItemResult
  it('a cancel wins, then a failure, then errors, then warnings', () => {
    expect(overallStatus([r('success'), r('cancelled'), r('skipped')])).toBe('cancelled')
    expect(overallStatus([r('success'), r('failed')])).toBe('failed')
    expect(overallStatus([r('success_with_warnings'), r('success_with_errors')])).toBe('success_with_errors')
    expect(overallStatus([r('success'), r('success_with_warnings')])).toBe('success_with_warnings')
    expect(overallStatus([r('success')])).toBe('success')
  })
})
