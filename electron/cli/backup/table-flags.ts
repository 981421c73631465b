/**
 * `--exclude-table`, `--include-table`, `--structure-only`, `--data-only` (each repeatable, `db.table` or —
 * when the run backs up one database — `table` without a dot) and `--dump-arg` (repeatable): the backup's table rules and
 * its own extra dump arguments. The engine checks the names against the server (UnknownTable).
 */
import type { BackupMode } from '../../../shared/backup-types.ts'
import type { DatabaseTableRules, TableRules } from '../../../shared/table-rules.ts'
import { list, UsageError, type Parsed } from '../args.ts'

export const TABLE_FLAGS = {
  'exclude-table': 'exclude',
  'include-table': 'include',
  'structure-only': 'structureOnly',
  'data-only': 'dataOnly',
} as const satisfies Record<string, keyof DatabaseTableRules>

/** Whether any table flag was given (they belong to single and filter only). */
export const tableFlagsGiven = (p: Parsed): boolean =>
  Object.keys(TABLE_FLAGS).some((flag) => list(p, flag).length > 0)

/** Refuses table flags in a mode that does not choose its databases by name. */
export function checkTableFlagsMode(p: Parsed, mode: BackupMode): void {
  if (mode !== 'single' && mode !== 'filter' && tableFlagsGiven(p))
    throw new UsageError(
      `--exclude-table, --include-table, --structure-only and --data-only belong to modes single and filter, not ${mode}`,
    )
}

/**
 * The table rules of the flags, for the run's databases: `db.table` when `db` is one of them (the longest
 * such prefix, so a database name with a dot works), else `table` alone when the run backs up one database.
 */
export function tableRulesFromFlags(p: Parsed, databases: string[]): TableRules | undefined {
  const rules: TableRules = {}
  for (const [flag, key] of Object.entries(TABLE_FLAGS)) {
    for (const value of list(p, flag)) {
      const [database, table] = splitName(value, databases, flag)
      const r: DatabaseTableRules = (rules[database] ??= {})
      ;(r[key] ??= []).push(table)
    }
  }
  return Object.keys(rules).length > 0 ? rules : undefined
}

function splitName(value: string, databases: string[], flag: string): [string, string] {
  const name = value.trim()
  const owner = databases
    .filter((db) => name.startsWith(`${db}.`) && name.length > db.length + 1)
    .sort((a, b) => b.length - a.length)[0]
  if (owner !== undefined) return [owner, name.slice(owner.length + 1)]
  // Another database's table: the engine refuses it, naming the database (a table whose name has a dot is
  // given with its database: db.my.table).
  const dot = name.indexOf('.')
  if (dot > 0 && dot < name.length - 1) return [name.slice(0, dot), name.slice(dot + 1)]
  if (databases.length === 1 && name !== '') return [databases[0] as string, name]
  throw new UsageError(
    `--${flag} ${value}: name the table as database.table (this run backs up ${databases.length} databases)`,
  )
}

/** `--dump-arg ARG` (repeatable): this run's own extra dump arguments, as given. */
export const runDumpArgs = (p: Parsed): string[] => list(p, 'dump-arg')
