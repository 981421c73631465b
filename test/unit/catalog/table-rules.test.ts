import { describe, expect, it } from 'vitest'
import { parseBackupMetadata } from '../../../electron/engine/catalog/read-metadata.ts'
import { dataOnlyByDatabase, tableRulesOf } from '../../../electron/engine/catalog/table-rules.ts'
import { recordedCounts } from '../../../shared/table-rules.ts'
import { flatMetadata, ourMetadata } from './metadata-samples.ts'

const NAME = 'sales_20260201_100000_CHG-1.sql.zst.enc'
const META = `/srv/b/${NAME}.meta.json`

describe('table_rules in the metadata', () => {
  it('reads every database’s lists, with included only when it was asked for', () => {
    const json = JSON.stringify(
      ourMetadata(NAME, {
        table_rules: {
          sales: { excluded: ['audit', 'tmp'], structure_only: ['log'], data_only: ['orders', 'items'] },
          crm: { excluded: ['x'], structure_only: [], data_only: [], included: ['contacts'] },
        },
      }),
    )
    const e = parseBackupMetadata(json, META)
    expect(e.tableRules).toEqual({
      sales: {
        excluded: ['audit', 'tmp'],
        structureOnly: ['log'],
        dataOnly: ['orders', 'items'],
        included: null,
      },
      crm: { excluded: ['x'], structureOnly: [], dataOnly: [], included: ['contacts'] },
    })
    expect(recordedCounts(e.tableRules)).toEqual({ excluded: 3, structureOnly: 1, dataOnly: 2 })
    expect([...dataOnlyByDatabase(e.tableRules)]).toEqual([['sales', ['orders', 'items']]])
  })

  it('is null without table_rules (every table whole), and for sfDBTools’ metadata', () => {
    expect(parseBackupMetadata(JSON.stringify(ourMetadata(NAME)), META).tableRules).toBeNull()
    const flat = JSON.stringify(flatMetadata('/old/place/' + NAME))
    expect(parseBackupMetadata(flat, META).tableRules).toBeNull()
  })

  it('reads odd values as absent, never as an error', () => {
    expect(tableRulesOf('shop')).toBeNull()
    expect(tableRulesOf([])).toBeNull()
    expect(tableRulesOf({ shop: 'x', crm: { excluded: 'a', data_only: [1, 'b', 'b', ''] } })).toEqual({
      crm: { excluded: [], structureOnly: [], dataOnly: ['b'], included: null },
    })
    expect(tableRulesOf({ shop: { excluded: [], structure_only: [], data_only: [] } })).toBeNull()
  })
})
