/**
 * Table rules of a backup (shared/table-rules.ts) checked against the server and resolved for the dump:
 * every name must be a table (or view) of a database the backup selected; `include` becomes the list of
 * tables left out; a table is named in one list only. Done by the planner, so a dry-run refuses what a run
 * would refuse.
 */
import type { BackupMode } from '../../../shared/backup-types.ts'
import { compactRules, type ResolvedTableRules, type TableRules } from '../../../shared/table-rules.ts'
import { advice, EngineError } from '../errors.ts'
import type { TableInfo } from '../mysql/server-info.ts'

/** The modes that choose databases by name: the only ones table rules make sense for. */
export const TABLE_RULE_MODES: readonly BackupMode[] = ['single', 'filter']

/** Names close to `name` (same letters in another case, or one containing the other), for a suggestion. */
function closeNames(all: string[], name: string): string[] {
  const lower = name.toLowerCase()
  return all
    .filter((t) => {
      const l = t.toLowerCase()
      return l === lower || (lower.length >= 3 && (l.includes(lower) || lower.includes(l)))
    })
    .slice(0, 3)
}

/**
 * Checks `rules` and resolves them per database, or null when there are none. `tables`: every table and view
 * of the selected databases (information_schema.TABLES).
 */
export function resolveTableRules(
  rules: TableRules | undefined,
  mode: BackupMode,
  selected: string[],
  tables: Map<string, TableInfo[]>,
  excludeData: boolean,
): Record<string, ResolvedTableRules> | null {
  const compact = compactRules(rules)
  if (compact === null) return null
  if (!TABLE_RULE_MODES.includes(mode))
    throw new EngineError(
      'InvalidInput',
      `table rules apply to backups of databases chosen by name (single, filter), not to mode ${mode}`,
      { advice: advice('tableRulesMode', { mode }) },
    )
  const out: Record<string, ResolvedTableRules> = {}
  for (const [database, r] of Object.entries(compact)) {
    if (!selected.includes(database))
      throw new EngineError(
        'InvalidInput',
        `table rules name the database ${database}, which this backup does not include (it backs up ${selected.join(', ') || 'nothing'})`,
        { advice: advice('tableRulesDatabase', { database, databases: selected.join(', ') }) },
      )
    const infos = tables.get(database) ?? []
    const names = infos.map((t) => t.name)
    const known = new Set(names)
    const lists = {
      include: r.include ?? [],
      exclude: r.exclude ?? [],
      structureOnly: r.structureOnly ?? [],
      dataOnly: r.dataOnly ?? [],
    }
    const unknown = [...new Set(Object.values(lists).flat())].filter((t) => !known.has(t))
    if (unknown.length > 0) {
      const suggestions = [...new Set(unknown.flatMap((u) => closeNames(names, u)))].slice(0, 5)
      throw new EngineError(
        'UnknownTable',
        `${unknown.length === 1 ? 'table' : 'tables'} ${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not in the database ${database} on the server`,
        {
          advice: advice('unknownTable', {
            database,
            tables: unknown.join(', '),
            suggestions: suggestions.join(', '),
          }),
        },
      )
    }
    const seen = new Map<string, string>()
    for (const [list, items] of Object.entries(lists)) {
      for (const t of items) {
        const before = seen.get(t)
        if (before !== undefined && before !== list)
          throw new EngineError(
            'InvalidInput',
            `the table ${database}.${t} is given two choices (${before} and ${list}); give it one`,
          )
        seen.set(t, list)
      }
    }
    const views = new Set(infos.filter((t) => t.type === 'VIEW').map((t) => t.name))
    const viewRule = [...lists.structureOnly, ...lists.dataOnly].filter((t) => views.has(t))
    if (viewRule.length > 0)
      throw new EngineError(
        'InvalidInput',
        `${viewRule.map((v) => `${database}.${v}`).join(', ')} ${viewRule.length === 1 ? 'is a view' : 'are views'}: a view has no data, so it is dumped whole or left out`,
      )
    if (excludeData && lists.dataOnly.length > 0)
      throw new EngineError(
        'InvalidInput',
        `the backup is structure only, so the tables ${lists.dataOnly.join(', ')} of ${database} cannot be data only`,
      )
    const kept = new Set([...lists.include, ...lists.structureOnly, ...lists.dataOnly])
    const ignore =
      lists.include.length > 0
        ? names.filter((t) => !kept.has(t))
        : names.filter((t) => lists.exclude.includes(t))
    out[database] = {
      ignore,
      structureOnly: names.filter((t) => lists.structureOnly.includes(t)),
      dataOnly: names.filter((t) => lists.dataOnly.includes(t)),
      ...(lists.include.length > 0 ? { include: [...lists.include] } : {}),
      tables: names,
    }
  }
  return out
}

/** The tables of a database whose rows the dump writes no more (left out, or structure only). */
export const rowlessTables = (rules: ResolvedTableRules | undefined): Set<string> =>
  new Set(rules === undefined ? [] : [...rules.ignore, ...rules.structureOnly])
