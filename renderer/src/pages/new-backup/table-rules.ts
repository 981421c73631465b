/**
 * The table picker's rules, free of React: each table's choice in the draft's `tables` (shared/table-rules.ts
 * — the picker writes `exclude`, `structureOnly` and `dataOnly`), the summary counts, and the request's
 * cleaned rules and extra dump arguments.
 */
import { refusedRunDumpArgument, type RefusedArg } from '../../../../shared/dump-arg-policy.ts'
import type { BackupRequestInput } from '../../../../shared/ipc.ts'
import {
  choiceOf,
  compactRules,
  type DatabaseTableRules,
  type TableChoice,
  type TableRules,
} from '../../../../shared/table-rules.ts'

export { choiceOf }

const LISTS: Record<Exclude<TableChoice, 'full'>, keyof DatabaseTableRules> = {
  exclude: 'exclude',
  structure: 'structureOnly',
  data: 'dataOnly',
}

/** The rules with `tables` of `database` set to `choice` (and out of every other list). */
export function withChoice(
  rules: TableRules | undefined,
  database: string,
  tables: readonly string[],
  choice: TableChoice,
): TableRules {
  const names = new Set(tables)
  const current: DatabaseTableRules = { ...(rules?.[database] ?? {}) }
  // The picker does not write `include`: a rule list from elsewhere that has it becomes explicit exclusions.
  delete current.include
  const next: DatabaseTableRules = {}
  for (const [kind, key] of Object.entries(LISTS) as [
    Exclude<TableChoice, 'full'>,
    keyof DatabaseTableRules,
  ][]) {
    const kept = (current[key] ?? []).filter((t) => !names.has(t))
    const list = kind === choice ? [...kept, ...tables] : kept
    if (list.length > 0) next[key] = list
  }
  const out: TableRules = { ...(rules ?? {}) }
  if (Object.keys(next).length > 0) out[database] = next
  else delete out[database]
  return out
}

/** How many tables of a database are not backed up whole, by choice. */
export function ruleCounts(rules: DatabaseTableRules | undefined): {
  exclude: number
  structure: number
  data: number
} {
  return {
    exclude: rules?.exclude?.length ?? 0,
    structure: rules?.structureOnly?.length ?? 0,
    data: rules?.dataOnly?.length ?? 0,
  }
}

/** The rules the request carries: only the modes that choose databases by name, only chosen databases. */
export function requestTables(draft: BackupRequestInput): TableRules | undefined {
  if (draft.mode !== 'single' && draft.mode !== 'filter') return undefined
  const chosen = new Set(draft.databases)
  const own = Object.fromEntries(Object.entries(draft.tables ?? {}).filter(([db]) => chosen.has(db)))
  return compactRules(own) ?? undefined
}

/** The extra dump arguments the request carries: one per non-blank line, trimmed. */
export const requestDumpArgs = (lines: readonly string[] | undefined): string[] =>
  (lines ?? []).map((line) => line.trim()).filter((line) => line !== '')

/** Each refused extra dump argument with why, in the order they were typed. */
export function refusedDumpArgs(lines: readonly string[] | undefined): (RefusedArg & { arg: string })[] {
  return requestDumpArgs(lines).flatMap((arg) => {
    const refused = refusedRunDumpArgument(arg)
    return refused === null ? [] : [{ ...refused, arg }]
  })
}
