import type { DumpBinary } from './dump-binary.ts'
import { checkExtraDumpArgs } from './refused-args.ts'

export interface DumpArgsInput {
  binary: Pick<DumpBinary, 'flavor' | 'version'>
  serverFlavor: 'mariadb' | 'mysql'
  databases: string[]
  excludeData: boolean
  /** Configured extra arguments, appended after the safe defaults (so they can override them). */
  extraArgs: string[]
  /** Arguments that make the dump write its snapshot's replication coordinates (GTID capture). */
  gtidArgs?: string[]
  /** Table selection (`--ignore-table=db.t`, `--ignore-table-data=db.t`), before the database names. */
  tableArgs?: string[]
}

/** What every dump gets: one consistent InnoDB snapshot, streamed row by row, everything that restores. */
export const SAFE_DEFAULT_ARGS = [
  '--single-transaction',
  '--quick',
  '--routines',
  '--triggers',
  '--events',
  '--hex-blob',
  '--default-character-set=utf8mb4',
] as const

const major = (version: string): number => Number(version.split('.')[0] ?? 0)

/** Arguments that only one client flavor understands or needs. */
export function flavorArgs(
  binary: Pick<DumpBinary, 'flavor' | 'version'>,
  serverFlavor: 'mariadb' | 'mysql',
): string[] {
  if (binary.flavor === 'mariadb') return []
  const args = [
    // MySQL ≥ 5.6 with GTID mode writes SET @@GLOBAL.GTID_PURGED, which breaks restoring into any server that
    // already has GTIDs; GTID capture is done separately.
    '--set-gtid-purged=OFF',
    // MySQL 8.0.21+ needs PROCESS for tablespace info; logical backups of databases never need it.
    '--no-tablespaces',
  ]
  // MySQL 8's mysqldump queries information_schema.COLUMN_STATISTICS, which MariaDB servers lack.
  if (major(binary.version) >= 8 && serverFlavor === 'mariadb') args.push('--column-statistics=0')
  return args
}

/**
 * The dump's argument list WITHOUT the credentials: the caller prepends `--defaults-extra-file=…`
 * (it must be the first argument). A single database is given bare, as sfDBTools does since 2025-12-17,
 * so the dump restores into a database of any name; several use --databases.
 */
export function buildDumpArgs(input: DumpArgsInput): string[] {
  checkExtraDumpArgs(input.extraArgs) // planBackup refused them already: never run one, whatever the plan says
  const args: string[] = [
    ...SAFE_DEFAULT_ARGS,
    ...flavorArgs(input.binary, input.serverFlavor),
    ...(input.gtidArgs ?? []),
    ...input.extraArgs,
  ]
  if (input.excludeData) args.push('--no-data')
  args.push(...(input.tableArgs ?? []))
  if (input.databases.length === 1) {
    // `--` ends option parsing so a database named like an option cannot become one.
    args.push('--', input.databases[0] as string)
  } else {
    args.push('--databases', '--', ...input.databases)
  }
  return args
}
