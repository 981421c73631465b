import { describe, expect, it } from 'vitest'
import { customFileName, defaultFileName, ticketForName } from '../../../electron/engine/backup/naming.ts'
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
