/**
 * Table-level control of a backup: per database, the tables left out, dumped as structure only or as data
 * only, or the only tables dumped. Shared by the IPC contract (the New-backup form), the CLI's flags, the
 * engine's planner (electron/engine/backup/table-rules.ts) and the metadata. zod only.
 */
import { z } from 'zod'

/** The most tables one rule list may name (a database of 100,000 tables is a tenant farm, not a picker). */
export const MAX_RULE_TABLES = 100_000

const tableList = z.array(z.string().min(1).max(64)).max(MAX_RULE_TABLES)

/**
 * The rules of one database. `include`: only these tables are dumped in full (with the tables named in
 * `structureOnly` / `dataOnly`); every other table and view of the database is left out. `exclude`: left
 * out. `structureOnly`: CREATE TABLE without rows. `dataOnly`: rows without DROP/CREATE TABLE (it restores
 * into a database where the table exists). A table may be named in one list only.
 */
export const databaseTableRulesSchema = z
  .object({
    include: tableList.optional(),
    exclude: tableList.optional(),
    structureOnly: tableList.optional(),
    dataOnly: tableList.optional(),
  })
  .strict()
export type DatabaseTableRules = z.infer<typeof databaseTableRulesSchema>

/** Rules by database name (only modes that choose databases by name: single, filter). */
export const tableRulesSchema = z.record(z.string().min(1).max(64), databaseTableRulesSchema)
export type TableRules = z.infer<typeof tableRulesSchema>

/** What one table becomes in a backup (the wizard's per-table choice). */
export const TABLE_CHOICES = ['full', 'structure', 'data', 'exclude'] as const
export type TableChoice = (typeof TABLE_CHOICES)[number]

/**
 * A database's rules as the plan resolved them against the server: `ignore` holds every table left out
 * (excluded, or not in `include`), so the dump never needs `include` itself. `include` is kept as asked
 * (for the metadata); `tables` is every table and view of the database at plan time (a combined file's
 * extra dumps leave out all but their own tables with it).
 */
export const resolvedTableRulesSchema = z.object({
  ignore: z.array(z.string()),
  structureOnly: z.array(z.string()),
  dataOnly: z.array(z.string()),
  include: z.array(z.string()).optional(),
  tables: z.array(z.string()),
})
export type ResolvedTableRules = z.infer<typeof resolvedTableRulesSchema>

/** Whether a database's rules change anything at all. */
export const hasRules = (r: DatabaseTableRules | undefined): boolean =>
  r !== undefined &&
  [r.include, r.exclude, r.structureOnly, r.dataOnly].some((list) => list !== undefined && list.length > 0)

/** The rules without the databases whose rules are empty; null when nothing is left. */
export function compactRules(rules: TableRules | undefined): TableRules | null {
  if (rules === undefined) return null
  const out: TableRules = {}
  for (const [db, r] of Object.entries(rules)) {
    if (!hasRules(r)) continue
    const kept: DatabaseTableRules = {}
    for (const key of ['include', 'exclude', 'structureOnly', 'dataOnly'] as const) {
      const list = r[key]
      if (list !== undefined && list.length > 0) kept[key] = [...new Set(list)]
    }
    out[db] = kept
  }
  return Object.keys(out).length > 0 ? out : null
}

/** Each table's choice from a database's rules (`include` makes every table not named `exclude`). */
export function choiceOf(rules: DatabaseTableRules | undefined, table: string): TableChoice {
  if (rules === undefined) return 'full'
  if (rules.exclude?.includes(table)) return 'exclude'
  if (rules.structureOnly?.includes(table)) return 'structure'
  if (rules.dataOnly?.includes(table)) return 'data'
  if (rules.include !== undefined && rules.include.length > 0 && !rules.include.includes(table))
    return 'exclude'
  return 'full'
}

/** The counts a summary shows: "3 tables excluded, 1 structure only". */
export interface TableRulesCounts {
  excluded: number
  structureOnly: number
  dataOnly: number
}

export const countsOf = (
  r: Pick<ResolvedTableRules, 'ignore' | 'structureOnly' | 'dataOnly'>,
): TableRulesCounts => ({
  excluded: r.ignore.length,
  structureOnly: r.structureOnly.length,
  dataOnly: r.dataOnly.length,
})

/**
 * One database's table rules as a backup's metadata records them (`table_rules` of the `.meta.json`), for
 * the history and the restore: `excluded` every table left out, `included` the tables asked for when only
 * those were dumped (null when not), `dataOnly` the tables whose rows the file holds without their CREATE
 * TABLE (the file restores only into a database where they exist).
 */
export const recordedTableRulesSchema = z.object({
  excluded: z.array(z.string()),
  structureOnly: z.array(z.string()),
  dataOnly: z.array(z.string()),
  included: z.array(z.string()).nullable(),
})
export type RecordedTableRules = z.infer<typeof recordedTableRulesSchema>

/** The counts of every database's recorded rules together (a history row's note). */
export function recordedCounts(
  rules: Record<string, RecordedTableRules> | null | undefined,
): TableRulesCounts {
  const all = Object.values(rules ?? {})
  return {
    excluded: all.reduce((n, r) => n + r.excluded.length, 0),
    structureOnly: all.reduce((n, r) => n + r.structureOnly.length, 0),
    dataOnly: all.reduce((n, r) => n + r.dataOnly.length, 0),
  }
}
