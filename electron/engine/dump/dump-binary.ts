import { execFile } from 'node:child_process'
import { access, constants } from 'node:fs/promises'
import { delimiter, isAbsolute, join } from 'node:path'
import { promisify } from 'node:util'
import { advice, EngineError } from '../errors.ts'

const execFileAsync = promisify(execFile)

export type DumpFlavor = 'mariadb' | 'mysql'

export interface DumpBinary {
  path: string
  flavor: DumpFlavor
  /** The client version, e.g. "10.11.19" for MariaDB's or "8.4.3" for MySQL's. */
  version: string
  /** The first line of `--version`, for metadata. */
  versionLine: string
}

/** MariaDB renamed mysqldump to mariadb-dump (10.5); prefer it, fall back to mysqldump. */
const CANDIDATES = ['mariadb-dump', 'mysqldump']

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

async function which(name: string, pathEnv: string): Promise<string | null> {
  const exts = process.platform === 'win32' ? ['.exe', '.cmd', ''] : ['']
  for (const dir of pathEnv.split(delimiter).filter(Boolean)) {
    for (const ext of exts) {
      const candidate = join(dir, name + ext)
      if (await isExecutable(candidate)) return candidate
    }
  }
  return null
}

/**
 * Parses `--version` output:
 *   "mariadb-dump  Ver 10.19 Distrib 10.11.19-MariaDB, for debian-linux-gnu (x86_64)"
 *   "mysqldump  Ver 8.4.3 for Linux on x86_64 (MySQL Community Server - GPL)"
 *   "mysqldump  Ver 10.13 Distrib 5.7.44, for Linux (x86_64)"
 */
export function parseDumpVersion(output: string): {
  flavor: DumpFlavor
  version: string
  versionLine: string
} {
  const versionLine = output.split('\n')[0]?.trim() ?? ''
  const distrib = /Distrib\s+([\d.]+)(-MariaDB)?/i.exec(versionLine)
  if (distrib) {
    const mariadb = Boolean(distrib[2]) || /mariadb/i.test(versionLine)
    return { flavor: mariadb ? 'mariadb' : 'mysql', version: distrib[1] ?? '', versionLine }
  }
  const ver = /Ver\s+([\d.]+)/.exec(versionLine)
  return { flavor: /mariadb/i.test(versionLine) ? 'mariadb' : 'mysql', version: ver?.[1] ?? '', versionLine }
}

/**
 * Finds the dump binary: a configured path wins; else `mariadb-dump`, else `mysqldump` on PATH.
 * Detects its flavor and version by running `--version`.
 */
export async function findDumpBinary(
  configured?: string | null,
  pathEnv = process.env.PATH ?? '',
): Promise<DumpBinary> {
  let path: string | null = null
  if (configured) {
    path = isAbsolute(configured) ? configured : await which(configured, pathEnv)
    if (!path || !(await isExecutable(path))) {
      throw new EngineError(
        'DumpBinaryMissing',
        `the configured dump binary '${configured}' is not an executable file`,
        { advice: advice('dumpBinaryNotExecutable', { binary: configured }) },
      )
    }
  } else {
    for (const name of CANDIDATES) {
      path = await which(name, pathEnv)
      if (path) break
    }
    if (!path) {
      throw new EngineError(
        'DumpBinaryMissing',
        'neither mariadb-dump nor mysqldump was found on PATH: install the MariaDB or MySQL client ' +
          '(Debian/Ubuntu: apt-get install mariadb-client) or configure the dump binary path',
        { advice: advice('dumpBinaryMissing') },
      )
    }
  }
  try {
    const { stdout } = await execFileAsync(path, ['--version'], { timeout: 10_000 })
    return { path, ...parseDumpVersion(stdout) }
  } catch (e) {
    throw new EngineError(
      'DumpBinaryMissing',
      `cannot read the version of ${path}: ${(e as Error).message}`,
      {
        cause: e,
      },
    )
  }
}
