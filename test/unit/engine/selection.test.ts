import { describe, expect, it } from 'vitest'
import { selectDatabases, type SelectionInput } from '../../../electron/engine/backup/selection.ts'
import { parseDatabaseList } from '../../../shared/name-list.ts'
import type { DatabaseInfo } from '../../../electron/engine/mysql/server-info.ts'

const db = (name: string, tables = 3): DatabaseInfo => ({
  name,
  sizeBytes: 1000,
  dataBytes: 800,
  tables,
  rows: 10,
})

const SERVER: DatabaseInfo[] = [
  db('app_x'),
  db('app_x_archive'),
  db('app_x_dmart'),
  db('app_x_secondary'),
  db('app_x_secondary_2'),
  db('app_x_temp'),
  db('app_y'),
  db('empty_one', 0),
  db('information_schema'),
  db('mysql'),
  db('performance_schema'),
  db('sys'),
]

const base: Omit<SelectionInput, 'mode'> = {
  databases: [],
  excludeDatabases: [],
  excludeSystem: true,
  excludeEmpty: false,
  companions: [],
}
const names = (targets: DatabaseInfo[][]): string[][] => targets.map((t) => t.map((d) => d.name))

describe('database selection per mode', () => {
  it('single: the database alone, or with the companions asked for that exist', () => {
    expect(names(selectDatabases({ ...base, mode: 'single', databases: ['app_x'] }, SERVER).targets)).toEqual(
      [['app_x']],
    )
    const withAll = selectDatabases(
      { ...base, mode: 'single', databases: ['APP_X'], companions: ['_dmart', '_temp', '_archive'] },
      SERVER,
    )
    expect(names(withAll.targets)).toEqual([['app_x'], ['app_x_dmart'], ['app_x_temp'], ['app_x_archive']])
    const missing = selectDatabases(
      { ...base, mode: 'single', databases: ['app_y'], companions: ['_dmart'] },
      SERVER,
    )
    expect(names(missing.targets)).toEqual([['app_y']])
    expect(missing.warnings.map((w) => w.message).join()).toContain("'app_y_dmart' does not exist")
  })

  it('single: an unknown database is an error with a suggestion', () => {
    // The suggestion travels as advice (each surface phrases it), not twice in the message.
    expect(() => selectDatabases({ ...base, mode: 'single', databases: ['app'] }, SERVER)).toThrow(
      expect.objectContaining({
        message: "database 'app' does not exist on the server",
        advice: {
          code: 'unknownDatabase',
          params: { database: 'app', suggestions: expect.stringContaining('app_x') },
        },
      }),
    )
  })

  it('filter: combined or one per database; unknown names are reported, not dropped silently', () => {
    const input = { ...base, mode: 'filter' as const, databases: ['app_y', 'nope', 'app_x', 'App_Y'] }
    const single = selectDatabases({ ...input, filterMode: 'single-file' }, SERVER)
    expect(names(single.targets)).toEqual([['app_x', 'app_y']]) // server order
    expect(single.unknown).toEqual(['nope'])
    expect(single.warnings.map((w) => w.message).join()).toContain("'nope' is not on the server")
    const multi = selectDatabases({ ...input, filterMode: 'multi-file' }, SERVER)
    expect(names(multi.targets)).toEqual([['app_x'], ['app_y']])
  })

  it('all: every database minus system, excluded and (when asked) empty ones, in one file', () => {
    const r = selectDatabases(
      { ...base, mode: 'all', excludeDatabases: ['app_x_temp', 'ghost'], excludeEmpty: true },
      SERVER,
    )
    expect(names(r.targets)).toEqual([
      ['app_x', 'app_x_archive', 'app_x_dmart', 'app_x_secondary', 'app_x_secondary_2', 'app_y'],
    ])
    const reasons = Object.fromEntries(r.excluded.map((e) => [e.database, e.reason]))
    expect(reasons).toMatchObject({ mysql: 'system', app_x_temp: 'excludeList', empty_one: 'empty' })
    expect(r.warnings).toContainEqual({
      message: "excluded database 'ghost' is not on the server",
      advice: { code: 'excludedNotOnServer', params: { database: 'ghost' } },
    })
    const withEmpty = selectDatabases({ ...base, mode: 'all' }, SERVER)
    expect(names(withEmpty.targets)[0]).toContain('empty_one')
    const withSystem = selectDatabases({ ...base, mode: 'all', excludeSystem: false }, SERVER)
    expect(names(withSystem.targets)[0]).toContain('mysql')
  })

  it('primary: no _secondary, no companion suffix, no system database; companions on request', () => {
    const r = selectDatabases({ ...base, mode: 'primary' }, SERVER)
    expect(names(r.targets)).toEqual([['app_x'], ['app_y'], ['empty_one']])
    const dm = selectDatabases({ ...base, mode: 'primary', companions: ['_dmart'], prefix: 'app_' }, SERVER)
    expect(names(dm.targets)).toEqual([['app_x'], ['app_x_dmart'], ['app_y']])
    expect(dm.excluded.find((e) => e.database === 'empty_one')).toEqual({
      database: 'empty_one',
      reason: 'prefix',
      value: 'app_',
    })
    const cc = selectDatabases({ ...base, mode: 'primary', prefix: 'app_', clientCode: 'x' }, SERVER)
    expect(names(cc.targets)).toEqual([['app_x']])
  })

  it('secondary: only _secondary databases, narrowed by instance', () => {
    expect(names(selectDatabases({ ...base, mode: 'secondary' }, SERVER).targets)).toEqual([
      ['app_x_secondary'],
      ['app_x_secondary_2'],
    ])
    expect(names(selectDatabases({ ...base, mode: 'secondary', instance: '2' }, SERVER).targets)).toEqual([
      ['app_x_secondary_2'],
    ])
  })

  it('an empty selection says which filter removed what', () => {
    expect(() =>
      selectDatabases(
        { ...base, mode: 'secondary', excludeDatabases: ['app_x_secondary', 'app_x_secondary_2'] },
        SERVER,
      ),
    ).toThrow(
      /no database left to back up in mode secondary: the server has 12; removed: .*2 × on the exclude list/,
    )
    expect(() =>
      selectDatabases({ ...base, mode: 'filter', filterMode: 'multi-file', databases: ['a', 'b'] }, SERVER),
    ).toThrow(/2 not on the server \(a, b\)/)
  })
})

describe('database list files', () => {
  it('one name per line; comments, blanks and duplicates are ignored; CRLF works', () => {
    expect(parseDatabaseList('# nightly\r\napp_x\r\n\n  app_y  # the second\nAPP_X\n#app_z\n')).toEqual([
      'app_x',
      'app_y',
    ])
  })
})
