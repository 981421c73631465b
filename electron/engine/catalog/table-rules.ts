/**
 * A backup's table rules as its `.meta.json` records them (`table_rules: { db: { excluded, structure_only,
 * data_only, included? } }`, written by electron/engine/backup/metadata.ts). Tolerant like the other
 * metadata fields: a list of an unexpected type reads as empty, a database without any rule is left out.
 */
import type { RecordedTableRules } from '../../../shared/table-rules.ts'
import { asObject, names } from './metadata-fields.ts'

const list = (v: unknown): string[] => (Array.isArray(v) ? [...new Set(names(v))] : [])

/** The recorded rules by database, or null when the metadata records none (every table whole). */
export function tableRulesOf(v: unknown): Record<string, RecordedTableRules> | null {
  const byDb = asObject(v)
  if (!byDb) return null
  const out: Record<string, RecordedTableRules> = {}
  for (const [db, raw] of Object.entries(byDb)) {
    const r = asObject(raw)
    if (!r || db.trim() === '') continue
    const included = Array.isArray(r.included) ? list(r.included) : null
    const rules: RecordedTableRules = {
      excluded: list(r.excluded),
      structureOnly: list(r.structure_only),
      dataOnly: list(r.data_only),
      included: included !== null && included.length > 0 ? included : null,
    }
    if (rules.excluded.length + rules.structureOnly.length + rules.dataOnly.length > 0 || rules.included)
      out[db] = rules
  }
  return Object.keys(out).length > 0 ? out : null
}

/** Every data-only table of the recorded rules, by database (only databases that have some). */
export function dataOnlyByDatabase(
  rules: Record<string, RecordedTableRules> | null | undefined,
): Map<string, string[]> {
  const out = new Map<string, string[]>()
  for (const [db, r] of Object.entries(rules ?? {})) if (r.dataOnly.length > 0) out.set(db, r.dataOnly)
  return out
}
