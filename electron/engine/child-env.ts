/**
 * The environment of every program the engine starts (the dump binary, the SQL clients, `mkfifo`, the
 * `--version` probes): only what a program needs to run, find its libraries, speak the locale, reach TLS
 * and Kerberos settings, and find its temp and home folders. Never an `SFDB_*` variable (the profile and
 * backup keys), never `MYSQL_PWD` or any other `MYSQL_*`/`MARIADB_*` variable (credentials, or a host or
 * socket that would override the profile's), nothing else of ours: a child's environment is readable by
 * every process of the same user (/proc/<pid>/environ).
 */

/** Variables passed on as they are (compared in upper case: Windows names are case-insensitive). */
const PASSED = new Set([
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'LANG',
  'LANGUAGE',
  'TZ',
  'TMPDIR',
  'TMP',
  'TEMP',
  'TERM',
  'LD_LIBRARY_PATH',
  'DYLD_LIBRARY_PATH',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'OPENSSL_CONF',
  'OPENSSL_MODULES',
  // Windows: what a process needs to start and find its folders.
  'SYSTEMROOT',
  'SYSTEMDRIVE',
  'WINDIR',
  'COMSPEC',
  'PATHEXT',
  'USERPROFILE',
  'APPDATA',
  'LOCALAPPDATA',
  'PROGRAMDATA',
  'PROGRAMFILES',
  'PROGRAMFILES(X86)',
])

/** Families passed on: the locale, Kerberos (the GSSAPI login plugin). */
const PASSED_PREFIXES = ['LC_', 'KRB5']

export function isPassedToChildren(name: string): boolean {
  const upper = name.toUpperCase()
  return PASSED.has(upper) || PASSED_PREFIXES.some((p) => upper.startsWith(p))
}

/** `env` (default: this process's) reduced to what a child program needs; see the module's comment. */
export function childEnvironment(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {}
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && isPassedToChildren(name)) out[name] = value
  }
  return out
}

/** A secret by its name: MySQL's password variables, and the `SFDB_*` keys and passwords. */
const SECRET_NAME = /^(MYSQL_PWD|MARIADB_PWD)$|^SFDB_.*(KEY|PASS|SECRET|TOKEN)/i

/**
 * The environment of a job process (the CLI's and the app's): this process's minus every secret. The job
 * gets its keys and passwords in its plan over the job channel, never inherited.
 */
export function jobEnvironment(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {}
  for (const [name, value] of Object.entries(env)) if (!SECRET_NAME.test(name)) out[name] = value
  return out
}

let sheltered = false

/**
 * From now on, the programs the engine starts for a job (the dump, the SQL client) run in a process group of
 * their own: a terminal's Ctrl-C then reaches only this process, which cancels the job cleanly, as when the
 * job ran in a detached process of its own. Called by the CLI, which runs its jobs itself
 * (cli/job-in-process.ts). POSIX only: on Windows `detached` would open a console window, and a console's
 * Ctrl-C is not sent by process group.
 */
export function shelterChildren(): void {
  sheltered = process.platform !== 'win32'
}

/** The spawn option of a job's long-running programs; see shelterChildren. */
export const childGroup = (): { detached?: true } => (sheltered ? { detached: true } : {})
