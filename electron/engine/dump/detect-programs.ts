/**
 * The MariaDB/MySQL programs on PATH, for `sfdbtools --version` and the app's About section: the dump
 * binary and the SQL client, each with its path and version, or "not found". Never throws: a program that
 * is missing or does not answer `--version` is reported as such.
 */
import type { DetectedProgram, ProgramRole } from '../../../shared/versions.ts'
import { DUMP_BINARY, findClientProgram, SQL_CLIENT, which, type ProgramLookup } from './client-program.ts'

const LOOKUPS: readonly [ProgramRole, ProgramLookup][] = [
  ['dump', DUMP_BINARY],
  ['client', SQL_CLIENT],
]

async function detect(role: ProgramRole, lookup: ProgramLookup, pathEnv: string): Promise<DetectedProgram> {
  const candidates: [string, string] = [...lookup.candidates]
  try {
    const found = await findClientProgram(lookup, null, pathEnv)
    return {
      role,
      candidates,
      path: found.path,
      version: found.version === '' ? null : found.version,
      flavor: found.flavor,
      problem: null,
    }
  } catch (e) {
    // Found on PATH but its --version failed: name it with the reason; else it is simply not there.
    const path = candidates.map((name) => which(name, pathEnv)).find((p) => p !== null) ?? null
    const problem = path === null ? null : e instanceof Error ? e.message : String(e)
    return { role, candidates, path, version: null, flavor: null, problem }
  }
}

/** The dump binary and the SQL client found on `pathEnv` (default: this process's PATH), in that order. */
export function detectPrograms(pathEnv: string = process.env.PATH ?? ''): Promise<DetectedProgram[]> {
  return Promise.all(LOOKUPS.map(([role, lookup]) => detect(role, lookup, pathEnv)))
}
