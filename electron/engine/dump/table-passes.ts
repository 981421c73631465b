/**
 * The dump invocations of one file with table rules. mariadb-dump cannot write one table as data only, nor
 * (MySQL's mysqldump) one table as structure only, in the same run as the others, so such a file is written
 * by more than one dump, one after another into the same output stream:
 *
 * - main: every table but those left out (`--ignore-table`), the data-only ones, and — where the binary has
 *   no `--ignore-table-data` (mysqldump) — the structure-only ones; mariadb-dump writes those as structure
 *   only itself (`--ignore-table-data`);
 * - structure (mysqldump only), BEFORE main: `--no-data` of the structure-only tables (the views of main
 *   may select from them);
 * - data, AFTER main: `--no-create-info` of the data-only tables (rows only: they restore into a database
 *   where those tables exist).
 *
 * Each extra dump writes no routines, events (main has them) or — for data — triggers. A one-database file
 * names its database bare (no USE, as main: it restores into a database of any name); a combined file's
 * extra dumps use `--databases db --no-create-db` with every other table ignored, so they write the same
 * `USE db` main writes before that database. The extra dumps are snapshots of their own, taken after main's.
 */
import type { ResolvedTableRules } from '../../../shared/table-rules.ts'
import { buildDumpArgs, flavorArgs, type DumpArgsInput } from './dump-args.ts'
import type { DumpBinary } from './dump-binary.ts'

export interface DumpPassesInput extends DumpArgsInput {
  /** The file's table rules by database (only databases with rules). */
  tableRules?: Record<string, ResolvedTableRules> | undefined
}

/** mariadb-dump writes a table's structure without its rows itself; MySQL's mysqldump has no such option. */
export const ignoresTableData = (binary: Pick<DumpBinary, 'flavor'>): boolean => binary.flavor === 'mariadb'

const qualified = (database: string, table: string): string => `${database}.${table}`

/**
 * The dump invocations of one file, in the order their output goes into it (arguments without credentials),
 * and which of them is the main dump (the one with the routines, events and replication coordinates).
 */
export function buildDumpPasses(input: DumpPassesInput): { passes: string[][]; main: number } {
  const rules = input.tableRules ?? {}
  const ownData = ignoresTableData(input.binary)
  const tableArgs: string[] = []
  const structurePasses: string[][] = []
  const dataPasses: string[][] = []
  const combined = input.databases.length > 1
  for (const database of input.databases) {
    const r = rules[database]
    if (r === undefined) continue
    for (const t of r.ignore) tableArgs.push(`--ignore-table=${qualified(database, t)}`)
    for (const t of r.dataOnly) tableArgs.push(`--ignore-table=${qualified(database, t)}`)
    if (!input.excludeData) {
      for (const t of r.structureOnly)
        tableArgs.push(
          ownData
            ? `--ignore-table-data=${qualified(database, t)}`
            : `--ignore-table=${qualified(database, t)}`,
        )
      if (!ownData && r.structureOnly.length > 0)
        structurePasses.push(extraPass(input, 'structure', database, r.structureOnly, r, combined))
    }
    if (r.dataOnly.length > 0) dataPasses.push(extraPass(input, 'data', database, r.dataOnly, r, combined))
  }
  const main = buildDumpArgs({ ...input, tableArgs })
  return { passes: [...structurePasses, main, ...dataPasses], main: structurePasses.length }
}

/** One extra dump: `tables` of `database`, as structure only or as data only. */
function extraPass(
  input: DumpPassesInput,
  kind: 'structure' | 'data',
  database: string,
  tables: string[],
  rules: ResolvedTableRules,
  combined: boolean,
): string[] {
  const args = [
    '--single-transaction',
    '--quick',
    kind === 'structure' ? '--triggers' : '--skip-triggers',
    '--skip-routines',
    '--skip-events',
    '--hex-blob',
    '--default-character-set=utf8mb4',
    ...flavorArgs(input.binary, input.serverFlavor),
    ...input.extraArgs,
    kind === 'structure' ? '--no-data' : '--no-create-info',
  ]
  if (!combined) return [...args, '--', database, ...tables]
  const own = new Set(tables)
  const others = rules.tables.filter((t) => !own.has(t))
  return [
    ...args,
    '--no-create-db',
    ...others.map((t) => `--ignore-table=${qualified(database, t)}`),
    '--databases',
    '--',
    database,
  ]
}
