import {
  DUMP_BINARY,
  findClientProgram,
  parseClientVersion,
  type ClientFlavor,
  type ClientProgram,
} from './client-program.ts'

export type DumpFlavor = ClientFlavor

export type DumpBinary = ClientProgram

/** Parses the dump binary's `--version` output (see parseClientVersion). */
export const parseDumpVersion = parseClientVersion

/**
 * Finds the dump binary: a configured path wins; else `mariadb-dump`, else `mysqldump` on PATH. Detects its
 * flavor and version by running `--version`.
 */
export const findDumpBinary = (configured?: string | null, pathEnv?: string): Promise<DumpBinary> =>
  findClientProgram(DUMP_BINARY, configured, pathEnv)
