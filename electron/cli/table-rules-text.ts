/**
 * A backup's recorded table rules for people: one line per database, as `restore --dry-run`, `restore
 * test` and `verify` print the file's facts.
 */
import type { RecordedTableRules } from '../../shared/table-rules.ts'

const listed = (n: string, tables: string[]): string | null =>
  tables.length === 0 ? null : `${tables.length} ${n} (${tables.join(', ')})`

/** "shop: 3 tables excluded (a, b, c) · 1 structure only (x) · 2 data only (y, z)", per database. */
export function tableRulesLines(rules: Record<string, RecordedTableRules> | null | undefined): string[] {
  return Object.entries(rules ?? {}).map(([db, r]) => {
    const parts = [
      r.included ? `only ${r.included.join(', ')} (and the tables below)` : null,
      listed(r.excluded.length === 1 ? 'table excluded' : 'tables excluded', r.excluded),
      listed('structure only', r.structureOnly),
      listed('data only', r.dataOnly),
    ].filter((x) => x !== null)
    const note = r.dataOnly.length > 0 ? ' — restores only into a database that has the data-only tables' : ''
    return `${db}: ${parts.join(' · ')}${note}`
  })
}
