import { describe, expect, it } from 'vitest'
import { nameMatcher, parseDatabaseList, parsePastedNames } from '../../../shared/name-list.ts'

const names = ['dbsf_nbc_acme', 'dbsf_nbc_acme_dmart', 'dbsf_nbc_globex', 'globex_archive', 'mysql', 'app.v2']
const pick = (kind: Parameters<typeof nameMatcher>[0], query: string): string[] => {
  const m = nameMatcher(kind, query)
  if (!m.ok) throw new Error(m.error)
  return names.filter((n) => m.test(n))
}

describe('parsePastedNames', () => {
  it('reads the --db-file format', () => {
    expect(parsePastedNames('# nightly\r\napp_x\n\n  app_y  # second\nAPP_X\n')).toEqual(['app_x', 'app_y'])
    expect(parseDatabaseList('a\nb # c\n')).toEqual(['a', 'b'])
  })
  it('splits lines on commas, semicolons, tabs and spaces, and drops quotes and table borders', () => {
    expect(parsePastedNames('a, b;c\td  e\n`f`, "g"\n')).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g'])
    expect(
      parsePastedNames('+----------+\n| Database |\n+----------+\n| acme     |\n| globex   |\n'),
    ).toEqual(['Database', 'acme', 'globex'])
  })
})

describe('nameMatcher', () => {
  it('contains: a case-insensitive substring', () => {
    expect(pick('contains', 'GLOBEX')).toEqual(['dbsf_nbc_globex', 'globex_archive'])
    expect(pick('contains', '  ')).toEqual(names)
  })
  it('wildcard: the whole name, * and ? only, other characters literal', () => {
    expect(pick('wildcard', 'dbsf_nbc_*')).toEqual([
      'dbsf_nbc_acme',
      'dbsf_nbc_acme_dmart',
      'dbsf_nbc_globex',
    ])
    expect(pick('wildcard', '*_dmart')).toEqual(['dbsf_nbc_acme_dmart'])
    expect(pick('wildcard', 'mysq?')).toEqual(['mysql'])
    expect(pick('wildcard', 'app.v?')).toEqual(['app.v2'])
    expect(pick('wildcard', 'app?v2')).toEqual(['app.v2'])
    expect(pick('wildcard', 'globex')).toEqual([])
  })
  it('regex: found anywhere, case-insensitive', () => {
    expect(pick('regex', '^dbsf_nbc_(acme|globex)$')).toEqual(['dbsf_nbc_acme', 'dbsf_nbc_globex'])
    expect(pick('regex', 'ACME')).toEqual(['dbsf_nbc_acme', 'dbsf_nbc_acme_dmart'])
  })
  it('an invalid regex is an error, not a filter that matches nothing', () => {
    const m = nameMatcher('regex', 'acme(')
    expect(m.ok).toBe(false)
    if (!m.ok) expect(m.error).toMatch(/acme\(/)
  })
})
