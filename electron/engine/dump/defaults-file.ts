import { execFile } from 'node:child_process'
import { constants } from 'node:fs'
import { mkdtemp, open, readdir, rm, stat, writeFile, type FileHandle } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { ConnectionSettings } from '../../../shared/job-protocol.ts'
import { childEnvironment } from '../child-env.ts'

const execFileAsync = promisify(execFile)

/**
 * Where the credentials of a client program go: never argv, never its environment, never a file at rest.
 *
 * Where the OS has FIFOs, the options travel in a pipe: a FIFO is made in a fresh 0700 folder, opened at both
 * ends and unlinked at once, the options are written into the pipe's kernel buffer and our write end closed;
 * the client gets the read end as its fd 3 and reads `--defaults-extra-file=/dev/fd/3` to its end. The
 * password therefore never rests on disk, whatever kills whom and when. Elsewhere (Windows) a 0600 file in a
 * 0700 folder, removed when the client exits — and by the job's supervisor, or the next start's sweep, when
 * the job process dies first.
 *
 * Every such folder is named `sfdb-cred-<pid>-…` after the process that made it, so a sweep can tell the
 * folders of dead processes (sweepStaleCredentialFolders) and a supervisor those of its job.
 */

/** The prefix of the private folders of client programs: `sfdb-cred-<pid of the process that made it>-`. */
export const CREDENTIAL_FOLDER_PREFIX = 'sfdb-cred-'

export interface DefaultsFile {
  /** What the client reads: a FIFO (see createDefaultsFile) or a 0600 file. Pass `--defaults-extra-file=<path>` FIRST. */
  path: string
  /** The private 0700 directory it was made in (removed with it). */
  dir: string
  /** Removes the folder (and the FIFO or file); safe to call twice. */
  remove(): Promise<void>
  /** The names of `options.alsoFifos` made in `dir` with it (none where the options went to a file). */
  fifos: string[]
}

/**
 * Option-file value quoting: inside double quotes the client's option parser unescapes \\ \" \' \n \t \r \b
 * and \s, and `#` no longer starts a comment — so any password survives.
 */
export function quoteOptionValue(value: string): string {
  const escaped = value
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
  return `"${escaped}"`
}

/**
 * The TLS options of a profile in the client's own words. MySQL's clients take --ssl-mode. MariaDB's have
 * only --ssl and --ssl-verify-server-cert, which checks the chain AND the host name: verify-ca is therefore
 * as strict as verify-identity for mariadb-dump (a certificate without the host name fails there).
 */
export function tlsOptionLines(tls: ConnectionSettings['tls'], flavor: 'mariadb' | 'mysql'): string[] {
  if (!tls) return []
  const files = [
    ...(tls.ca ? [`ssl-ca=${quoteOptionValue(tls.ca)}`] : []),
    ...(tls.cert ? [`ssl-cert=${quoteOptionValue(tls.cert)}`] : []),
    ...(tls.key ? [`ssl-key=${quoteOptionValue(tls.key)}`] : []),
  ]
  if (flavor === 'mysql') return [`ssl-mode=${tls.mode.toUpperCase().replace('-', '_')}`, ...files]
  switch (tls.mode) {
    case 'disabled':
      return ['skip-ssl']
    case 'preferred':
      return files
    case 'required':
      return ['ssl', ...files]
    case 'verify-ca':
    case 'verify-identity':
      return ['ssl', 'ssl-verify-server-cert', ...files]
  }
}

/** The [client] section given to the dump binary: credentials never go on a command line. */
export function formatDefaultsFile(s: ConnectionSettings, flavor: 'mariadb' | 'mysql' = 'mariadb'): string {
  const lines = ['[client]', `user=${quoteOptionValue(s.user)}`, `password=${quoteOptionValue(s.password)}`]
  if (s.socket) {
    lines.push(`socket=${quoteOptionValue(s.socket)}`)
  } else {
    lines.push(`host=${quoteOptionValue(s.host)}`, `port=${s.port}`, 'protocol=TCP')
  }
  lines.push(...tlsOptionLines(s.tls, flavor))
  return lines.join('\n') + '\n'
}

/** A fresh private 0700 folder named after this process (see CREDENTIAL_FOLDER_PREFIX). */
export const makeCredentialFolder = (): Promise<string> =>
  mkdtemp(join(tmpdir(), `${CREDENTIAL_FOLDER_PREFIX}${process.pid}-`))

/**
 * Hands the client its options: through a FIFO where the OS has them (the options live in the kernel's pipe
 * buffer only, never on disk), else in a 0600 file. The caller passes `--defaults-extra-file=<path>` as the
 * FIRST argument of the client and calls remove() when it exits (watchClient does).
 *
 * The FIFO is written by an open that blocks (in the thread pool) until the client opens it to read; remove()
 * releases an open still waiting (a client that never started, or died first). MariaDB's and MySQL's clients
 * read an option file once, so a client never waits for a second writer (the integration tests run the real
 * mariadb-dump and mariadb through it).
 */
export async function createDefaultsFile(
  settings: ConnectionSettings,
  flavor: 'mariadb' | 'mysql' = 'mariadb',
  /** More FIFOs the caller wants in the same private folder (one `mkfifo` for all: a run of many small databases pays it per database). */
  options: { alsoFifos?: string[] } = {},
): Promise<DefaultsFile> {
  const also = options.alsoFifos ?? []
  const made = (await takeSpareFolder(also)) ?? (await makeFolder(also))
  const { dir } = made
  const path = join(dir, 'client.cnf')
  const content = formatDefaultsFile(settings, flavor)
  const removeDir = (): Promise<void> => rm(dir, { recursive: true, force: true })
  try {
    if (made.fifos) return { ...fifoDefaults(path, dir, content, removeDir), fifos: [...also] }
    await writeFile(path, content, { mode: 0o600, flag: 'wx' })
  } catch (e) {
    await removeDir()
    throw e
  }
  return { path, dir, remove: removeDir, fifos: [] }
}

/** A fresh credential folder; `fifos`: its `client.cnf` and `also` were made as FIFOs (else none is there). */
interface MadeFolder {
  dir: string
  fifos: boolean
}

const fifoPaths = (dir: string, also: string[]): string[] => [
  join(dir, 'client.cnf'),
  ...also.map((name) => join(dir, name)),
]

/** `count` fresh folders, the FIFOs of all of them made by one `mkfifo`. */
async function makeFolders(also: string[], count: number): Promise<MadeFolder[]> {
  const dirs: string[] = []
  try {
    for (let i = 0; i < count; i++) dirs.push(await makeCredentialFolder())
    const fifos = await makeFifos(dirs.flatMap((dir) => fifoPaths(dir, also)))
    return dirs.map((dir) => ({ dir, fifos }))
  } catch (e) {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true })
    throw e
  }
}

async function makeFolder(also: string[]): Promise<MadeFolder> {
  const [made] = await makeFolders(also, 1)
  if (!made) throw new Error('no credential folder made')
  return made
}

/** The next clients' folders, made ahead (prepareCredentialFolders), and the FIFO names they have. */
let spare: { also: string[]; made: Promise<MadeFolder[]> } | null = null

/**
 * Makes the next `count` clients' private folders and their FIFOs now, in the background, with one `mkfifo`:
 * it is a process of its own (≈ 3 ms of this process's main thread to spawn, more in all on a busy 2-core
 * machine), which a run paid at the start of every dump — before its first byte, and once per database in a
 * run of hundreds of small ones. The folders hold empty FIFOs only; the credentials are written when a
 * client opens one (createDefaultsFile). A run removes what it did not use (discardSpareCredentialFolders);
 * the supervisor's and the next start's sweeps remove the folders of a process that died.
 */
export function prepareCredentialFolders(alsoFifos: string[] = [], count = 1): void {
  if (spare !== null || process.platform === 'win32' || count < 1) return
  spare = { also: [...alsoFifos], made: makeFolders(alsoFifos, count).catch(() => []) }
}

/**
 * A folder made ahead, when they have the FIFOs asked for (one made with more FIFOs serves too: an unused
 * FIFO is removed with its folder); the last one taken lets the next call make new ones.
 */
async function takeSpareFolder(also: string[]): Promise<MadeFolder | null> {
  const batch = spare
  if (batch === null || !also.every((name) => batch.also.includes(name))) return null
  const made = await batch.made
  const folder = made.shift()
  if (made.length === 0 && spare === batch) spare = null
  if (folder && !folder.fifos) {
    await rm(folder.dir, { recursive: true, force: true })
    return null
  }
  return folder ?? null
}

/** Removes the folders made ahead and not used. */
export async function discardSpareCredentialFolders(): Promise<void> {
  const left = spare
  spare = null
  for (const folder of (await left?.made) ?? []) await rm(folder.dir, { recursive: true, force: true })
}

/** Makes 0600 FIFOs at `paths` with one `mkfifo`; false where the OS has none (Windows, or no `mkfifo`). */
async function makeFifos(paths: string[]): Promise<boolean> {
  if (process.platform === 'win32') return false
  try {
    await execFileAsync('mkfifo', ['-m', '600', '--', ...paths], { env: childEnvironment() })
    return true
  } catch {
    return false
  }
}

function fifoDefaults(
  path: string,
  dir: string,
  content: string,
  removeDir: () => Promise<void>,
): Omit<DefaultsFile, 'fifos'> {
  // Waits for the client to open the FIFO, writes, closes: the client reads to its end.
  const fed = (async () => {
    const handle = await open(path, constants.O_WRONLY)
    try {
      await handle.writeFile(content)
    } finally {
      await handle.close()
    }
  })().catch(() => {}) // the client went away before it read: its exit says why
  let removing: Promise<void> | null = null
  const remove = async (): Promise<void> => {
    let release: FileHandle | null = null
    try {
      // An open for reading lets a writer still waiting for the client go on; what it writes is dropped.
      release = await open(path, constants.O_RDONLY | constants.O_NONBLOCK)
    } catch {
      // the FIFO is gone: removed already
    }
    await fed
    await release?.close()
    await removeDir()
  }
  return { path, dir, remove: () => (removing ??= remove()) }
}

/** True while a process with this pid exists (EPERM: it exists, but is not ours to signal). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

const CREDENTIAL_FOLDER = new RegExp(`^${CREDENTIAL_FOLDER_PREFIX}(\\d+)-`)
/** The earlier name, `sfdb-cred-XXXXXX` (mkdtemp's six characters, no pid). */
const OLD_CREDENTIAL_FOLDER = new RegExp(`^${CREDENTIAL_FOLDER_PREFIX}[A-Za-z0-9]{6}$`)
/**
 * An old-style folder names no process: it is swept once it is older than this. Its file is read when the
 * client starts, so a folder this old is no longer needed even by a job that still runs.
 */
export const OLD_CREDENTIAL_FOLDER_AGE_MS = 10 * 60_000

/**
 * Removes credential folders (`sfdb-cred-<pid>-…`) left behind: with `ownerPid`, every folder of that
 * process (a supervisor, once its job process has ended however it ended); without, the folders of every
 * process that no longer runs and the earlier versions' `sfdb-cred-XXXXXX` older than
 * OLD_CREDENTIAL_FOLDER_AGE_MS (the sweep when the CLI or the app starts). Returns the names removed; never
 * throws.
 */
export async function sweepCredentialFolders(ownerPid?: number, dir: string = tmpdir()): Promise<string[]> {
  const removed: string[] = []
  const names = await readdir(dir).catch(() => [] as string[])
  for (const name of names) {
    const m = CREDENTIAL_FOLDER.exec(name)
    let stale: boolean
    if (m) {
      const pid = Number(m[1])
      stale = ownerPid === undefined ? pid !== process.pid && !isAlive(pid) : pid === ownerPid
    } else if (ownerPid === undefined && OLD_CREDENTIAL_FOLDER.test(name)) {
      const changed = await stat(join(dir, name)).then(
        (s) => s.mtimeMs,
        () => Date.now(),
      )
      stale = Date.now() - changed > OLD_CREDENTIAL_FOLDER_AGE_MS
    } else continue
    if (!stale) continue
    await rm(join(dir, name), { recursive: true, force: true }).then(
      () => void removed.push(name),
      () => {},
    )
  }
  return removed
}
