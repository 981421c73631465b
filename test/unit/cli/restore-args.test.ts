import { describe, expect, it } from 'vitest'
import { UsageError } from '../../../electron/cli/args.ts'
import {
  parseRestoreArgs,
  parseSelectionCsv,
  RESTORE_FLAGS,
  splitCsvLine,
} from '../../../electron/cli/restore/restore-args.ts'
import { RESTORE_HELP } from '../../../electron/cli/commands/restore.ts'

const parse = (mode: string, ...rest: string[]) => parseRestoreArgs(mode, rest, '/work/here')
const usage = (mode: string, ...rest: string[]): string => {
  try {
    parse(mode, ...rest)
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError)
    return (e as Error).message
  }
  throw new Error('no usage error')
}

describe('restore arguments', () => {
  it('take the file, the ticket and the safety flags, with safe defaults', () => {
    const a = parse('single', 'b/shop.sql.zst.enc', '--ticket', ' CHG-1 ', '--profile', 'prod')
    expect(a).toMatchObject({
      mode: 'single',
      file: '/work/here/b/shop.sql.zst.enc',
      ticket: 'CHG-1',
      dropTarget: false,
      skipBackup: false,
      skipGrants: false,
      force: false,
      yes: false,
      dryRun: false,
      parallel: 1,
      targetDb: undefined,
      keyFlag: undefined,
    })
  })

  it('read every flag of the mode', () => {
    const a = parse(
      'single',
      'f.sql',
      '-t',
      'T',
      '--target-db',
      'copy',
      '-K',
      'k',
      '--grants-file',
      'g.sql',
      '--drop-target',
      '--skip-backup',
      '--backup-dir',
      '/pre',
      '--parallel',
      '4',
      '--force',
      '--verify-first',
      '-y',
      '-d',
      '--json',
      '--json-progress',
      '--ssh-insecure',
      '--client-binary',
      '/usr/bin/mysql',
    )
    expect(a).toMatchObject({
      targetDb: 'copy',
      keyFlag: 'k',
      grantsFile: '/work/here/g.sql',
      dropTarget: true,
      skipBackup: true,
      parallel: 4,
      force: true,
      verifyFirst: true,
      yes: true,
      dryRun: true,
      json: true,
      jsonProgress: true,
      sshInsecure: true,
      clientBinary: '/usr/bin/mysql',
    })
  })

  it('require --ticket, naming it', () => {
    expect(usage('single', 'f.sql', '--profile', 'p')).toContain('--ticket')
    expect(usage('single', 'f.sql', '--ticket', '  ')).toContain('--ticket')
  })

  it('refuse an unknown mode, a missing or second file, and --parallel out of 1..16', () => {
    expect(usage('everything', 'f', '-t', 'T')).toContain("unknown restore mode 'everything'")
    expect(usage('single', '-t', 'T')).toContain('one backup file')
    expect(usage('selection', 'a.csv', 'b.csv', '-t', 'T')).toContain('a CSV file')
    expect(usage('single', 'f', '-t', 'T', '--parallel', '0')).toContain('between 1 and 16')
    expect(usage('single', 'f', '-t', 'T', '--parallel', '17')).toContain('between 1 and 16')
    expect(usage('single', 'f', '-t', 'T', '--parallel', 'two')).toContain('whole number')
  })

  it('refuse flags of another mode and flags that contradict each other', () => {
    expect(usage('all', 'f', '-t', 'T', '--target-db', 'x')).toContain('--target-db belongs to')
    expect(usage('single', 'f', '-t', 'T', '--exclude-db', 'x')).toContain('--exclude-db belongs to')
    expect(usage('test', 'f', '-t', 'T', '--drop-target')).toContain('--drop-target belongs to')
    expect(usage('selection', 'c.csv', '-t', 'T', '--grants-file', 'g')).toContain('--grants-file')
    expect(usage('single', 'f', '-t', 'T', '--grants-file', 'g', '--skip-grants')).toContain('contradict')
    expect(usage('single', 'f', '-t', 'T', '--bogus')).toContain('--bogus')
  })

  it('collect the exclusions of mode all', () => {
    const a = parse('all', 'f', '-t', 'T', '--exclude-db', 'a', '--exclude-db', 'b', '--include-system')
    expect(a.excludeDatabases).toEqual(['a', 'b'])
    expect(a.includeSystem).toBe(true)
  })

  it('are all listed in --help', () => {
    for (const [name, spec] of Object.entries(RESTORE_FLAGS)) {
      expect(RESTORE_HELP).toContain(`--${name}`)
      if ('short' in spec) expect(RESTORE_HELP).toContain(`-${spec.short}, --${name}`)
    }
    for (const mode of ['single', 'all', 'primary', 'secondary', 'selection', 'test'])
      expect(RESTORE_HELP).toMatch(new RegExp(`^  ${mode} (FILE|CSV)`, 'm'))
    for (const alias of ['db-restore', 'dbrestore', 'import']) expect(RESTORE_HELP).toContain(alias)
  })
})

describe('selection CSV', () => {
  it('reads rows with and without a header; empty columns mean "as usual"; paths are from its folder', () => {
    const csv = [
      'filename,db_name,enc_key,grants_file',
      'shop.sql.gz.enc,shop_copy,key one,',
      '# a comment',
      '',
      '/abs/crm.sql,,,grants/crm.users.sql',
    ].join('\r\n')
    expect(parseSelectionCsv(csv, '/data/list.csv')).toEqual([
      { file: '/data/shop.sql.gz.enc', database: 'shop_copy', key: 'key one', grantsFile: null, line: 2 },
      { file: '/abs/crm.sql', database: null, key: null, grantsFile: '/data/grants/crm.users.sql', line: 5 },
    ])
    expect(parseSelectionCsv('a.sql\nb.sql,b2', '/d/x.csv').map((r) => [r.file, r.database])).toEqual([
      ['/d/a.sql', null],
      ['/d/b.sql', 'b2'],
    ])
  })

  it('keeps quoted fields as written (commas, quotes, spaces in a key)', () => {
    expect(splitCsvLine('"a,b.sql", db ," key ""x"" ",')).toEqual(['a,b.sql', 'db', ' key "x" ', ''])
    expect(() => splitCsvLine('"open')).toThrow('not closed')
  })

  it('refuses an empty list, an empty filename and too many columns, naming the line', () => {
    expect(() => parseSelectionCsv('filename,db_name\n', '/d/x.csv')).toThrow('lists no backup file')
    expect(() => parseSelectionCsv('a.sql\n,db', '/d/x.csv')).toThrow('line 2: the filename column is empty')
    expect(() => parseSelectionCsv('a,b,c,d,e', '/d/x.csv')).toThrow('line 1: 5 columns')
  })
})
