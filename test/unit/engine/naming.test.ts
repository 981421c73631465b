import { describe, expect, it } from 'vitest'
import {
  customFileName,
  defaultFileName,
  namePattern,
  renderFileName,
  ticketForName,
} from '../../../electron/engine/backup/naming.ts'
import { resolveOutputPath } from '../../../electron/engine/backup/output-file.ts'

describe('file names', () => {
  const date = new Date(2026, 10, 21, 9, 5, 7) // local time, as sfDBTools names files

  it('follows the user manual: {db}_{YYYYMMDD}_{HHMMSS}_{ticket}.sql[.ext][.enc]', () => {
    expect(
      defaultFileName({ database: 'shop', date, ticket: 'CHG-42/a b', compression: 'zstd', encrypted: true }),
    ).toBe('shop_20261121_090507_CHG42ab.sql.zst.enc')
    expect(
      defaultFileName({ database: 'shop', date, ticket: 'T1', compression: 'pgzip', encrypted: false }),
    ).toBe('shop_20261121_090507_T1.sql.gz')
    expect(
      defaultFileName({ database: 'shop', date, ticket: '###', compression: 'none', encrypted: false }),
    ).toBe('shop_20261121_090507.sql')
  })

  it('keeps database names from escaping the output folder', () => {
    expect(
      defaultFileName({ database: '../etc/x', date, ticket: 'T', compression: 'xz', encrypted: false }),
    ).toBe('.._etc_x_20261121_090507_T.sql.xz')
  })

  it('keeps letters and digits of any script in the ticket', () => {
    expect(ticketForName('Tiket-ü-日本 #7')).toBe('Tiketü日本7')
  })

  it('--filename: extensions appended unless the name has .sql; paths refused', () => {
    expect(customFileName('nightly', 'zlib', true)).toBe('nightly.sql.zlib.enc')
    expect(customFileName('mine.sql', 'zstd', true)).toBe('mine.sql')
    for (const bad of ['../x', 'a/b', 'a\\b', '..', ''])
      expect(() => customFileName(bad, 'none', false)).toThrow(/invalid/)
  })

  it('never resolves an output name outside the output folder', () => {
    expect(resolveOutputPath('/backups', 'a.sql')).toBe('/backups/a.sql')
    for (const bad of ['../a.sql', '/etc/passwd', 'x/../../a', '..', '.']) {
      expect(() => resolveOutputPath('/backups', bad)).toThrow()
    }
  })
})

describe('file name patterns', () => {
  const date = new Date(2026, 10, 21, 14, 3, 9)
  const values = {
    db: 'app_x',
    mode: 'single',
    host: 'db-01',
    date,
    ticket: 'CHG-7',
    n: 1,
    excludeData: false,
  }

  it('the default preset follows the user manual; sfdbtools reproduces the real tool', () => {
    expect(renderFileName(namePattern(undefined).perDatabase, values, 'zstd', true)).toBe(
      'app_x_20261121_140309_CHG7.sql.zst.enc',
    )
    expect(
      renderFileName(
        namePattern('default').combined,
        { ...values, db: 'all_databases', n: 4 },
        'gzip',
        false,
      ),
    ).toBe('all_databases_20261121_140309_CHG7.sql.gz')
    const sf = namePattern('sfdbtools')
    expect(renderFileName(sf.perDatabase, values, 'zstd', true)).toBe(
      'app_x_20261121_140309_db-01.sql.zst.enc',
    )
    expect(
      renderFileName(sf.combined, { ...values, db: 'all', n: 4, excludeData: true }, 'zstd', false),
    ).toBe('all_nodata_db-01_20261121_140309_4db.sql.zst')
  })

  it('custom patterns take every token, mark structure-only files, and stay plain names', () => {
    const p = namePattern('{host}-{mode}-{db}-{date}T{time}-{ticket}-{n}')
    expect(renderFileName(p.perDatabase, { ...values, excludeData: true }, 'none', false)).toBe(
      'db-01-single-app_x-20261121T140309-CHG7-1_nodata.sql',
    )
    expect(
      renderFileName(p.perDatabase, { ...values, db: '../../etc/passwd', host: 'a/b' }, 'none', false),
    ).toBe('a_b-single-.._.._etc_passwd-20261121T140309-CHG7-1.sql')
  })

  it('refuses unknown tokens and directory parts, naming the valid tokens', () => {
    expect(() => namePattern('{db}_{year}')).toThrow(/unknown: \{year\}/)
    expect(() => namePattern('sub/{db}')).toThrow(/no directory parts/)
    expect(() => namePattern('{db}..{date}')).toThrow(/\{db\} \{mode\} \{host\}/)
  })
})
