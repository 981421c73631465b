/**
 * What `sfdbtools --version` and the app's About section show: the app's version, the runtime's (Node, and
 * under Electron also Electron and Chromium) and the MariaDB/MySQL programs found on PATH.
 */

/** The runtime the code runs on; electron and chromium are null on plain Node (the CLI). */
export interface RuntimeVersions {
  node: string
  electron: string | null
  chromium: string | null
}

/** Which program: the dump binary (mariadb-dump, mysqldump) or the SQL client (mariadb, mysql). */
export type ProgramRole = 'dump' | 'client'

/** A program looked for on PATH: where it is and its version, or null for both when none was found. */
export interface DetectedProgram {
  role: ProgramRole
  /** The names looked for, in order of preference: ['mariadb-dump', 'mysqldump'], ['mariadb', 'mysql']. */
  candidates: [string, string]
  /** The program found (absolute path), null when none of the candidates is on PATH. */
  path: string | null
  /** The server version it belongs to ("10.11.19"); null when not found or its --version did not answer. */
  version: string | null
  flavor: 'mariadb' | 'mysql' | null
  /** Why a program on PATH could not be used (its --version failed), else null. */
  problem: string | null
}

/** The runtime versions of this process (Node's process.versions, which Electron extends). */
export function runtimeVersions(versions: Readonly<Record<string, string | undefined>>): RuntimeVersions {
  return {
    node: versions['node'] ?? 'unknown',
    electron: versions['electron'] ?? null,
    chromium: versions['chrome'] ?? null,
  }
}
