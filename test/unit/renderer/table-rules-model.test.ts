/**
 * The New-backup table picker's model (renderer/src/pages/new-backup/table-rules.ts): choices into the
 * draft's rules, the request's cleaned rules and extra dump arguments, the Options step's check of refused
 * arguments, and the app's words for the table-rule advice (filled in, in both languages).
 */
import { describe, expect, it } from 'vitest'
import { backupRequestSchema, type BackupRequestInput } from '../../../shared/ipc.ts'
import { translator } from '../../../renderer/src/i18n/messages.ts'
import { adviceText } from '../../../renderer/src/i18n/phrase.ts'
import {
  choiceOf,
  refusedDumpArgs,
  ruleCounts,
  withChoice,
} from '../../../renderer/src/pages/new-backup/table-rules.ts'
import { cleanRequest, stepProblems } from '../../../renderer/src/pages/new-backup/wizard-model.ts'
import { backupRequest } from '../../harness/backup-request.ts'

const draft = (changes: Partial<BackupRequestInput>): BackupRequestInput =>
  backupRequest({ filterMode: 'multi-file', ...changes })

describe('table choices in the draft', () => {
  it('moves a table between lists and drops a database whose tables are all whole again', () => {
    let rules = withChoice(undefined, 'shop', ['logs', 'audit'], 'exclude')
    rules = withChoice(rules, 'shop', ['audit'], 'data')
    rules = withChoice(rules, 'shop', ['items'], 'structure')
    expect(rules).toEqual({ shop: { exclude: ['logs'], structureOnly: ['items'], dataOnly: ['audit'] } })
    expect(choiceOf(rules.shop, 'audit')).toBe('data')
    expect(ruleCounts(rules.shop)).toEqual({ exclude: 1, structure: 1, data: 1 })
    expect(withChoice(rules, 'shop', ['logs', 'audit', 'items'], 'full')).toEqual({})
  })

  it('the request carries rules only for the chosen databases of single/filter, and trimmed extra arguments', () => {
    const tables = { shop: { exclude: ['logs'] }, crm: { dataOnly: ['notes'] } }
    const single = cleanRequest(draft({ tables, dumpArgs: ['  --max-allowed-packet=1G ', '', '  '] }))
    expect(single.tables).toEqual({ shop: { exclude: ['logs'] } })
    expect(single.dumpArgs).toEqual(['--max-allowed-packet=1G'])
    expect(backupRequestSchema.safeParse(single).success).toBe(true)
    expect(cleanRequest(draft({ mode: 'all', tables })).tables).toBeUndefined()
    expect(cleanRequest(draft({ tables: { shop: {} }, dumpArgs: [''] }))).not.toHaveProperty('tables')
    expect(cleanRequest(draft({ dumpArgs: [''] }))).not.toHaveProperty('dumpArgs')
  })

  it('a refused extra dump argument keeps the Options step from going on, with why', () => {
    const lines = ['--quick', '--user=root', '--databases']
    expect(refusedDumpArgs(lines).map((r) => [r.arg, r.reason])).toEqual([
      ['--user=root', 'credentials'],
      ['--databases', 'selection'],
    ])
    expect(stepProblems('options', draft({ dumpArgs: lines })).map((p) => p.field)).toEqual(['dumpArgs'])
    expect(stepProblems('options', draft({ dumpArgs: ['--quick'] }))).toEqual([])
  })

  it('phrases the table advice with every value filled in, in English and Bahasa Indonesia', () => {
    for (const language of ['en', 'id'] as const) {
      const t = translator(language)
      const texts = [
        adviceText(t, language, {
          code: 'dataOnlyTables',
          params: { database: 'shop', tables: 'audit, items', count: 2 },
        }),
        adviceText(t, language, {
          code: 'unknownTable',
          params: { database: 'shop', tables: 'Orders', suggestions: 'orders' },
        }),
        t('tables.summary.excluded', { n: 3 }),
        t('options.dumpArg.output', { arg: '-r/x', option: '-r (--result-file)' }),
      ]
      for (const text of texts) expect(text, text).not.toMatch(/[{}]/)
      expect(texts[0]).toContain('shop (audit, items)')
      expect(texts[1]).toContain('orders')
    }
    expect(
      adviceText(translator('en'), 'en', {
        code: 'dataOnlyTables',
        params: { database: 'shop', tables: 'audit', count: 1 },
      }),
    ).toMatch(/^shop \(audit\): 1 table is backed up as data only/)
  })
})
