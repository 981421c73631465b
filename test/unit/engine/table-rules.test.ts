import { describe, expect, it } from 'vitest'
import { buildDumpPasses } from '../../../electron/engine/dump/table-passes.ts'
import { resolveTableRules } from '../../../electron/engine/backup/table-rules.ts'
import { EngineError } from '../../../electron/engine/errors.ts'
import type { TableInfo } from '../../../electron/engine/mysql/server-info.ts'
import { checkRunDumpArgs } from '../../../electron/engine/dump/refused-args.ts'
import { refusedRunDumpArgument } from '../../../shared/dump-arg-policy.ts'
import { choiceOf, compactRules } from '../../../shared/table-rules.ts'

const MARIADB = { flavor: 'mariadb' as const, version: '10.11.19' }
const MYSQL = { flavor: 'mysql' as const, version: '8.0.36' }
const info = (name: string, type = 'BASE TABLE'): TableInfo => ({
  name,
  type,
  dataBytes: 1,
  indexBytes: 0,
  rows: 1,
})
const TABLES = new Map<string, TableInfo[]>([
  [
    'shop',
    ['audit', 'items', 'logs', 'orders', 'users'].map((n) => info(n)).concat(info('v_orders', 'VIEW')),
  ],
  ['crm', ['contacts', 'notes'].map((n) => info(n))],
])

function thrown(f: () => unknown): EngineError {
  try {
    f()
  } catch (e) {
    if (e instanceof EngineError) return e
    throw e
  }
  throw new Error('did not throw')
}

describe('table rules: resolved against the server', () => {
  it('turns include into the tables left out and keeps each list in the server order', () => {
    const r = resolveTableRules(
      { shop: { include: ['orders'], structureOnly: ['logs'], dataOnly: ['audit'] } },
      'single',
      ['shop'],
      TABLES,
      false,
    )
    expect(r?.shop).toEqual({
      ignore: ['items', 'users', 'v_orders'],
      structureOnly: ['logs'],
      dataOnly: ['audit'],
      include: ['orders'],
      tables: ['audit', 'items', 'logs', 'orders', 'users', 'v_orders'],
    })
  })

  it('names every unknown table with the UnknownTable code, the database and suggestions', () => {
    const e = thrown(() =>
      resolveTableRules(
        { shop: { exclude: ['Orders', 'nope'], dataOnly: ['order'] } },
        'single',
        ['shop'],
        TABLES,
        false,
      ),
    )
    expect(e.code).toBe('UnknownTable')
    expect(e.message).toContain('Orders, nope, order')
    expect(e.message).toContain('shop')
    expect(e.advice).toEqual({
      code: 'unknownTable',
      params: { database: 'shop', tables: 'Orders, nope, order', suggestions: 'orders, v_orders' },
    })
  })

  it('refuses rules in modes that do not choose databases by name, and for databases not selected', () => {
    for (const mode of ['all', 'primary', 'secondary'] as const) {
      const e = thrown(() =>
        resolveTableRules({ shop: { exclude: ['logs'] } }, mode, ['shop'], TABLES, false),
      )
      expect(e.code).toBe('InvalidInput')
      expect(e.advice?.code).toBe('tableRulesMode')
    }
    const e = thrown(() =>
      resolveTableRules({ crm: { exclude: ['notes'] } }, 'single', ['shop'], TABLES, false),
    )
    expect(e.advice).toEqual({ code: 'tableRulesDatabase', params: { database: 'crm', databases: 'shop' } })
  })

  it('refuses two choices for one table, data/structure only for a view, data only in a structure-only backup', () => {
    expect(
      thrown(() =>
        resolveTableRules(
          { shop: { exclude: ['logs'], dataOnly: ['logs'] } },
          'single',
          ['shop'],
          TABLES,
          false,
        ),
      ).message,
    ).toContain('shop.logs is given two choices')
    expect(
      thrown(() => resolveTableRules({ shop: { dataOnly: ['v_orders'] } }, 'single', ['shop'], TABLES, false))
        .message,
    ).toContain('shop.v_orders is a view')
    expect(
      thrown(() => resolveTableRules({ shop: { dataOnly: ['logs'] } }, 'single', ['shop'], TABLES, true))
        .message,
    ).toContain('structure only')
  })

  it('empty rules are no rules', () => {
    expect(resolveTableRules({ shop: { exclude: [] } }, 'all', ['shop'], TABLES, false)).toBeNull()
    expect(compactRules({ shop: {}, crm: { exclude: ['a', 'a'] } })).toEqual({ crm: { exclude: ['a'] } })
    expect(choiceOf({ include: ['a'] }, 'b')).toBe('exclude')
    expect(choiceOf({ include: ['a'], dataOnly: ['b'] }, 'b')).toBe('data')
  })
})

describe('table rules: the dump invocations', () => {
  const rules = resolveTableRules(
    { shop: { exclude: ['users'], structureOnly: ['logs'], dataOnly: ['audit', 'items'] } },
    'filter',
    ['shop', 'crm'],
    TABLES,
    false,
  )!
  const base = {
    serverFlavor: 'mariadb' as const,
    excludeData: false,
    extraArgs: ['--max-allowed-packet=1G'],
  }

  it('mariadb-dump, one database: --ignore-table, --ignore-table-data, then the data-only tables bare', () => {
    const { passes, main } = buildDumpPasses({
      ...base,
      binary: MARIADB,
      databases: ['shop'],
      tableRules: rules,
    })
    expect(main).toBe(0)
    expect(passes).toHaveLength(2)
    const [first, data] = passes as [string[], string[]]
    expect(first.slice(-6)).toEqual([
      '--ignore-table=shop.users',
      '--ignore-table=shop.audit',
      '--ignore-table=shop.items',
      '--ignore-table-data=shop.logs',
      '--',
      'shop',
    ])
    expect(first).toContain('--routines')
    expect(data).toEqual([
      '--single-transaction',
      '--quick',
      '--skip-triggers',
      '--skip-routines',
      '--skip-events',
      '--hex-blob',
      '--default-character-set=utf8mb4',
      '--max-allowed-packet=1G',
      '--no-create-info',
      '--',
      'shop',
      'audit',
      'items',
    ])
  })

  it('mysqldump: structure only is split into a --no-data dump BEFORE the main one', () => {
    const { passes, main } = buildDumpPasses({
      ...base,
      serverFlavor: 'mysql',
      binary: MYSQL,
      databases: ['shop'],
      tableRules: rules,
    })
    expect(main).toBe(1)
    expect(passes).toHaveLength(3)
    expect(passes[0]).toContain('--no-data')
    expect(passes[0]).toContain('--set-gtid-purged=OFF')
    expect(passes[0]?.slice(-3)).toEqual(['--', 'shop', 'logs'])
    expect(passes[1]).toContain('--ignore-table=shop.logs')
    expect(passes[1]?.some((a) => a.startsWith('--ignore-table-data'))).toBe(false)
    expect(passes[2]?.slice(-4)).toEqual(['--', 'shop', 'audit', 'items'])
  })

  it('a combined file: the extra dump writes USE through --databases, every other table ignored', () => {
    const { passes } = buildDumpPasses({
      ...base,
      binary: MARIADB,
      databases: ['shop', 'crm'],
      tableRules: rules,
    })
    expect(passes).toHaveLength(2)
    expect(passes[0]?.slice(-4)).toEqual(['--databases', '--', 'shop', 'crm'])
    const data = passes[1] ?? []
    expect(data).toContain('--no-create-db')
    expect(data.filter((a) => a.startsWith('--ignore-table='))).toEqual([
      '--ignore-table=shop.logs',
      '--ignore-table=shop.orders',
      '--ignore-table=shop.users',
      '--ignore-table=shop.v_orders',
    ])
    expect(data.slice(-3)).toEqual(['--databases', '--', 'shop'])
  })

  it('no rules: one dump, exactly the arguments of before', () => {
    const { passes } = buildDumpPasses({ ...base, binary: MARIADB, databases: ['crm'], tableRules: rules })
    expect(passes).toHaveLength(1)
    expect(passes[0]?.some((a) => a.includes('ignore-table'))).toBe(false)
  })

  it('a structure-only backup leaves --ignore-table-data out (all tables are structure only)', () => {
    const only = resolveTableRules({ shop: { structureOnly: ['logs'] } }, 'single', ['shop'], TABLES, true)!
    const { passes } = buildDumpPasses({
      ...base,
      excludeData: true,
      binary: MYSQL,
      databases: ['shop'],
      tableRules: only,
    })
    expect(passes).toHaveLength(1)
    expect(passes[0]).toContain('--no-data')
    expect(passes[0]?.some((a) => a.includes('ignore-table'))).toBe(false)
  })
})

describe("a run's own extra dump arguments", () => {
  it('refuses output, login, server, TLS, selection and what is not one option; lets the rest through', () => {
    const refused: [string, string][] = [
      ['--result-file=/tmp/x', 'output'],
      ['-r/tmp/x', 'output'],
      ['--user=root', 'credentials'],
      ['--host=elsewhere', 'server'],
      ['--ssl-mode=DISABLED', 'tls'],
      ['--databases', 'selection'],
      ['--all-databases', 'selection'],
      ['-A', 'selection'],
      ['--tables', 'selection'],
      ['--xml', 'selection'],
      ['shop', 'notOption'],
      ['--', 'notOption'],
      [' --quick', 'notOption'],
    ]
    for (const [arg, reason] of refused) expect(refusedRunDumpArgument(arg)?.reason, arg).toBe(reason)
    for (const arg of [
      '--max-allowed-packet=1G',
      '--skip-extended-insert',
      '--where=id>5',
      '--net-buffer-length=16384',
      '-q',
    ])
      expect(refusedRunDumpArgument(arg), arg).toBeNull()
    expect(() => checkRunDumpArgs(['--quick', '--result-file=/tmp/x.sql'])).toThrow(
      "the extra dump argument '--result-file=/tmp/x.sql' of this backup is refused: --result-file writes the dump outside",
    )
  })
})
