/**
 * Which extra dump arguments are refused, and why: those that would write the dump outside the backup
 * pipeline (a plaintext, world-readable file the backup never encrypts, compresses, checks or removes), or
 * change the credentials, the server or the TLS settings the profile gives (and the plan checked) — so a
 * backup could go unencrypted over the wire, or from another server. The engine refuses them
 * (electron/engine/dump/refused-args.ts) for the config's `backup.mysqldump_args` / `backup.dump.extra_args`
 * and a run's own extra arguments; the New-backup form checks a run's own with the same code as they are
 * typed. zod-free, no imports: the renderer uses it.
 */

/** Why an argument is refused; each surface phrases it (the engine in English, the app per language). */
export type RefusedArgReason =
  | 'output'
  | 'trace'
  | 'credentials'
  | 'server'
  | 'tls'
  /** A run's own arguments only: it changes which databases or tables are dumped, or the file's format. */
  | 'selection'
  /** A run's own arguments only: not an option (a database name, a value without `=`, `--`). */
  | 'notOption'

export interface RefusedArg {
  /** The option as it is named (`--result-file`, `-r (--result-file)`), or the argument itself. */
  option: string
  reason: RefusedArgReason
}

const REFUSED_LONG: Readonly<Record<string, RefusedArgReason>> = {
  'result-file': 'output',
  tab: 'output',
  dir: 'output',
  debug: 'trace',
  user: 'credentials',
  password: 'credentials',
  'defaults-file': 'credentials',
  'defaults-extra-file': 'credentials',
  'defaults-group-suffix': 'credentials',
  'no-defaults': 'credentials',
  'login-path': 'credentials',
  'default-auth': 'credentials',
  'plugin-dir': 'credentials',
  host: 'server',
  port: 'server',
  socket: 'server',
  protocol: 'server',
  pipe: 'server',
  'shared-memory-base-name': 'server',
  ssl: 'tls',
  'tls-version': 'tls',
}
/** Every `--ssl-*` option (ssl-ca, ssl-mode, ssl-verify-server-cert, …). */
const REFUSED_LONG_PREFIX = 'ssl-'

const REFUSED_SHORT: Readonly<Record<string, string>> = {
  r: 'result-file',
  T: 'tab',
  '#': 'debug',
  u: 'user',
  p: 'password',
  h: 'host',
  P: 'port',
  S: 'socket',
  W: 'pipe',
}
/** Short options that take no value: a group such as `-qr` goes on past them to the next letter. */
const FLAG_SHORT = new Set('AYyicCaBKHEefFxlntdNqQRvVX?')

/**
 * A run's own arguments may not change what the backup selects or the file's format either: the plan's
 * databases and table rules decide that (and the restore reads SQL).
 */
const RUN_REFUSED_LONG = ['all-databases', 'databases', 'tables', 'xml', 'all-tablespaces']
const RUN_REFUSED_SHORT: Readonly<Record<string, string>> = {
  A: 'all-databases',
  B: 'databases',
  X: 'xml',
}

/** The long option an argument names, normalised (`--loose-result_file=x` → `result-file`), or null. */
function longName(arg: string): string | null {
  if (!arg.startsWith('--') || arg === '--') return null
  let name = (arg.slice(2).split('=')[0] ?? '').toLowerCase().replace(/_/g, '-')
  for (const prefix of ['loose-', 'maximum-', 'skip-', 'disable-', 'enable-']) {
    if (name.startsWith(prefix)) name = name.slice(prefix.length)
  }
  return name
}

/** Why `arg` is refused (and the option it names), or null. Long options may be abbreviated (`--result`). */
export function refusedDumpArgument(arg: string): RefusedArg | null {
  const name = longName(arg)
  if (name !== null) {
    if (name === '') return null
    if (name.startsWith(REFUSED_LONG_PREFIX) || name === 'ssl') return { option: `--${name}`, reason: 'tls' }
    const hit = Object.keys(REFUSED_LONG).find((option) => option.startsWith(name))
    return hit === undefined ? null : { option: `--${hit}`, reason: REFUSED_LONG[hit] ?? 'output' }
  }
  if (!arg.startsWith('-') || arg === '-') return null
  for (const letter of arg.slice(1)) {
    const long = REFUSED_SHORT[letter]
    if (long !== undefined)
      return { option: `-${letter} (--${long})`, reason: REFUSED_LONG[long] ?? 'output' }
    if (!FLAG_SHORT.has(letter)) return null // the rest is this option's value
  }
  return null
}

/**
 * Why one of a run's own extra arguments is refused, or null: what refusedDumpArgument refuses, plus what
 * is not an option (each argument is one option, its value after `=`) or changes the selection or format.
 */
export function refusedRunDumpArgument(arg: string): RefusedArg | null {
  const trimmed = arg.trim()
  if (trimmed !== arg || trimmed === '' || !arg.startsWith('-') || arg === '--' || arg === '-')
    return { option: arg, reason: 'notOption' }
  const refused = refusedDumpArgument(arg)
  if (refused !== null) return refused
  const name = longName(arg)
  if (name !== null) {
    // Abbreviations count (`--databa`), but not a prefix too short to name one option (`--d`).
    const hit = RUN_REFUSED_LONG.find(
      (option) => option === name || (name.length >= 3 && option.startsWith(name)),
    )
    return hit === undefined ? null : { option: `--${hit}`, reason: 'selection' }
  }
  for (const letter of arg.slice(1)) {
    const long = RUN_REFUSED_SHORT[letter]
    if (long !== undefined) return { option: `-${letter} (--${long})`, reason: 'selection' }
    if (!FLAG_SHORT.has(letter)) return null
  }
  return null
}

/** The engine's words for a reason. */
export const REFUSED_ARG_WHY: Readonly<Record<RefusedArgReason, string>> = {
  output: 'writes the dump outside the backup pipeline (unencrypted, uncompressed, unchecked)',
  trace: 'writes a trace file outside the backup pipeline',
  credentials: 'changes the credentials: they come from the profile only',
  server: 'changes the server the profile names',
  tls: 'changes the TLS settings the profile names',
  selection:
    "changes which databases or tables are dumped, or the file's format: the backup's own choices decide that",
  notOption: 'is not one option: give each option as one argument, its value after = (--where=…)',
}

/** Most extra arguments a run may carry. */
export const MAX_RUN_DUMP_ARGS = 64
