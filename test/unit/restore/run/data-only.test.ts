import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Connection } from '../../../../electron/engine/mysql/connection.ts'
import {
  checkDataOnlyTarget,
  dataOnlyRefusal,
  dataOnlyTablesFor,
  dataOnlyTestRefusal,
} from '../../../../electron/engine/restore/run/data-only.ts'
import { adviceText, errorText } from '../../../../electron/cli/advice.ts'
import { ourMetadata } from '../../catalog/metadata-samples.ts'

const RULES = {
  shop: { excluded: ['audit'], structureOnly: [], dataOnly: ['orders', 'items'], included: null },
  crm: { excluded: [], structureOnly: ['log'], dataOnly: [], included: null },
}
const source = { tableRules: RULES, sourceDatabase: 'shop' }

/** A connection whose information_schema.TABLES holds `tables` for any database. */
const fakeConn = (tables: string[]): Connection =>
  ({ query: async () => [tables.map((n) => ({ n }))] }) as unknown as Connection

const state = (over: Partial<{ exists: boolean; tables: number }> = {}) => ({
  database: 'shop_copy',
  exists: true,
  sizeBytes: 1024,
  tables: 3,
  ...over,
})

describe('which data-only tables a target takes', () => {
  it('a one-database item: the rules of the file’s own database, whatever the target is named', () => {
    expect(dataOnlyTablesFor({ target: 'shop_copy', sourceDatabase: 'shop' }, source, 'shop_copy')).toEqual([
      'orders',
      'items',
    ])
    expect(dataOnlyTablesFor({ target: 'x', sourceDatabase: 'crm' }, source, 'x')).toEqual([])
  })
  it('an all item: each section its own', () => {
    expect(dataOnlyTablesFor({ target: null, sourceDatabase: null }, source, 'shop')).toEqual([
      'orders',
      'items',
    ])
    expect(dataOnlyTablesFor({ target: null, sourceDatabase: null }, source, 'crm')).toEqual([])
  })
  it('no rules: none', () => {
    expect(
      dataOnlyTablesFor({ target: 'a', sourceDatabase: 'a' }, { tableRules: null, sourceDatabase: 'a' }, 'a'),
    ).toEqual([])
  })
})

describe('the refusal at plan time', () => {
  const tables = ['orders', 'items']
  it('a database that does not exist (it would be created fresh)', async () => {
    const r = await checkDataOnlyTarget(fakeConn([]), state({ exists: false, tables: 0 }), tables, false)
    expect(r?.refusal?.code).toBe('DataOnlyTablesMissing')
    expect(r?.refusal?.message).toMatch(/shop_copy does not exist.*orders, items/)
    expect(r?.refusal?.advice).toEqual({
      code: 'dataOnlyTargetMissing',
      params: { database: 'shop_copy', tables: 'orders, items' },
    })
  })
  it('a database that lacks some of them names only the missing ones', async () => {
    const r = await checkDataOnlyTarget(fakeConn(['orders', 'other']), state(), tables, false)
    expect(r?.refusal?.message).toMatch(/shop_copy has no table items/)
    expect(r?.refusal?.advice?.params).toEqual({ database: 'shop_copy', tables: 'items' })
  })
  it('a replace (drop) of a database that has them', async () => {
    const r = await checkDataOnlyTarget(fakeConn(['orders', 'items']), state(), tables, true)
    expect(r?.refusal?.code).toBe('DataOnlyTablesMissing')
    expect(r?.refusal?.message).toMatch(/replacing shop_copy would drop/)
  })
  it('a kept database that has every one: no refusal', async () => {
    expect(await checkDataOnlyTarget(fakeConn(['orders', 'items', 'x']), state(), tables, false)).toEqual({
      refusal: null,
    })
  })
  it('no data-only tables: nothing to check', async () => {
    expect(await checkDataOnlyTarget(fakeConn([]), state({ exists: false }), [], true)).toBeNull()
  })
  it('the CLI phrases it with its flags', () => {
    const text = errorText(dataOnlyRefusal('shop_copy', ['orders'], 'absent').toAppError())
    expect(text).toMatch(
      /^error \[DataOnlyTablesMissing\]: the backup holds only the rows of the table orders/,
    )
    expect(
      adviceText({ code: 'dataOnlyTargetMissing', params: { database: 'd', tables: 'orders' } }),
    ).toMatch(/--target-db.*without --drop-target/)
  })
})

describe('the restore test', () => {
  it('refuses a file whose metadata lists data-only tables; not one without', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sfdb-dataonly-'))
    const file = join(dir, 'shop.sql')
    await writeFile(file, '')
    expect(await dataOnlyTestRefusal(file)).toBeNull()
    await writeFile(
      `${file}.meta.json`,
      JSON.stringify(
        ourMetadata('shop.sql', {
          table_rules: { shop: { excluded: [], structure_only: [], data_only: ['orders'] } },
        }),
      ),
    )
    const refusal = await dataOnlyTestRefusal(file)
    expect(refusal?.code).toBe('DataOnlyTablesMissing')
    expect(refusal?.message).toMatch(/a restore test loads it into a new, empty database/)
    await writeFile(`${file}.meta.json`, JSON.stringify(ourMetadata('shop.sql')))
    expect(await dataOnlyTestRefusal(file)).toBeNull()
  })
})
