import { execFile } from 'node:child_process'
import { accessSync, constants, statSync } from 'node:fs'
import { delimiter, isAbsolute, join } from 'node:path'
import { promisify } from 'node:util'
import type { AdviceCode, ErrorCode } from '../../../shared/result.ts'
import { childEnvironment } from '../child-env.ts'
import { advice, EngineError } from '../errors.ts'

const execFileAsync = promisify(execFile)

/**
 * The MariaDB / MySQL client programs the engine runs — the dump binary (`mariadb-dump`, `mysqldump`) and
 * the SQL client (`mariadb`, `mysql`) — found the same way: a configured path wins, else the first candidate
 * on PATH; the flavor and version come from `--version`.
 */
export type ClientFlavor = 'mariadb' | 'mysql'

export interface ClientProgram {
  path: string
  flavor: ClientFlavor
  /** The server version the program belongs to, e.g. "10.11.19" for MariaDB's or "8.4.3" for MySQL's. */
  version: string
  /** The first line of `--version`, for metadata and logs. */
  versionLine: string
  /** The file's mtime and size when its version was read: the version is read again only when they change. */
  stamp?: string
}

/** Versions read in this process (or handed over by the planner), by path, valid while the stamp holds. */
const knownPrograms = new Map<string, ClientProgram>()

// The lookups below are synchronous on purpose: a few access()/stat() calls take microseconds, while each
// asynchronous one waited for a turn of a busy event loop — the search along an 11-folder PATH took
// 35–65 ms of every run's start on 2 cores.
const stampOf = (path: string): string | null => {
  const s = statSync(path, { throwIfNoEntry: false })
  return s ? `${s.mtimeMs}:${s.size}` : null
}

/**
 * Hands over a program whose version another process read (the planner, to the job): its `--version` is
 * not run again while the file keeps the same mtime and size.
 */
export function rememberClientProgram(program: ClientProgram): void {
  if (program.stamp !== undefined) knownPrograms.set(program.path, program)
}

export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** The first executable `name` in the directories of `pathEnv` (with Windows' extensions there). */
export function which(name: string, pathEnv: string): string | null {
  const exts = process.platform === 'win32' ? ['.exe', '.cmd', ''] : ['']
  for (const dir of pathEnv.split(delimiter).filter(Boolean)) {
    for (const ext of exts) {
      const candidate = join(dir, name + ext)
      if (isExecutable(candidate)) return candidate
    }
  }
  return null
}

/**
 * Parses a client program's `--version` output:
 *   "mariadb-dump  Ver 10.19 Distrib 10.11.19-MariaDB, for debian-linux-gnu (x86_64)"
 *   "mariadb  Ver 15.1 Distrib 10.11.19-MariaDB, for debian-linux-gnu (x86_64) using  EditLine wrapper"
 *   "mariadb from 11.4.2-MariaDB, client 15.2 for debian-linux-gnu (x86_64) using  EditLine wrapper"
 *   "mysqldump  Ver 8.4.3 for Linux on x86_64 (MySQL Community Server - GPL)"
 *   "mysqldump  Ver 10.13 Distrib 5.7.44, for Linux (x86_64)"
 */
export function parseClientVersion(output: string): Omit<ClientProgram, 'path'> {
  const versionLine = output.split('\n')[0]?.trim() ?? ''
  const distrib = /(?:Distrib|\bfrom)\s+([\d.]+)(-MariaDB)?/i.exec(versionLine)
  if (distrib) {
    const mariadb = Boolean(distrib[2]) || /mariadb/i.test(versionLine)
    return { flavor: mariadb ? 'mariadb' : 'mysql', version: distrib[1] ?? '', versionLine }
  }
  const ver = /Ver\s+([\d.]+)/.exec(versionLine)
  return { flavor: /mariadb/i.test(versionLine) ? 'mariadb' : 'mysql', version: ver?.[1] ?? '', versionLine }
}

export interface ProgramLookup {
  /** Names tried on PATH, in order of preference (the MariaDB name, then MySQL's). */
  candidates: readonly [string, string]
  /** What the program is called in messages: "dump binary", "SQL client". */
  role: string
  /** The error code of every failure to find or run the program. */
  code: ErrorCode
  /** The advice when no candidate is on PATH, and when the configured program cannot run ({binary}). */
  advice: { missing: AdviceCode; notExecutable: AdviceCode }
}

/** Finds a client program as `lookup` says and reads its flavor and version. */
export async function findClientProgram(
  lookup: ProgramLookup,
  configured?: string | null,
  pathEnv = process.env.PATH ?? '',
): Promise<ClientProgram> {
  let path: string | null = null
  if (configured) {
    path = isAbsolute(configured) ? configured : which(configured, pathEnv)
    if (!path || !isExecutable(path)) {
      throw new EngineError(
        lookup.code,
        `the configured ${lookup.role} '${configured}' is not an executable file`,
        { advice: advice(lookup.advice.notExecutable, { binary: configured }) },
      )
    }
  } else {
    for (const name of lookup.candidates) {
      path = which(name, pathEnv)
      if (path) break
    }
    if (!path) {
      const [mariadb, mysql] = lookup.candidates
      throw new EngineError(
        lookup.code,
        `neither ${mariadb} nor ${mysql} was found on PATH: install the MariaDB or MySQL client ` +
          `(Debian/Ubuntu: apt-get install mariadb-client) or configure the ${lookup.role} path`,
        { advice: advice(lookup.advice.missing) },
      )
    }
  }
  const stamp = stampOf(path)
  const known = knownPrograms.get(path)
  if (stamp !== null && known?.stamp === stamp) return { ...known }
  try {
    const { stdout } = await execFileAsync(path, ['--version'], { timeout: 10_000, env: childEnvironment() })
    const found: ClientProgram = { path, ...parseClientVersion(stdout), ...(stamp !== null ? { stamp } : {}) }
    rememberClientProgram(found)
    return { ...found }
  } catch (e) {
    throw new EngineError(lookup.code, `cannot read the version of ${path}: ${(e as Error).message}`, {
      cause: e,
    })
  }
}

/** The dump binary: MariaDB renamed mysqldump to mariadb-dump (10.5); prefer it, fall back to mysqldump. */
export const DUMP_BINARY: ProgramLookup = {
  candidates: ['mariadb-dump', 'mysqldump'],
  role: 'dump binary',
  code: 'DumpBinaryMissing',
  advice: { missing: 'dumpBinaryMissing', notExecutable: 'dumpBinaryNotExecutable' },
}

/** The SQL client a restore pipes the dump into: MariaDB's `mariadb` (its name since 10.5), else `mysql`. */
export const SQL_CLIENT: ProgramLookup = {
  candidates: ['mariadb', 'mysql'],
  role: 'SQL client',
  code: 'ClientBinaryMissing',
  advice: { missing: 'clientBinaryMissing', notExecutable: 'clientBinaryNotExecutable' },
}
