import { EngineError } from '../errors.ts'

/**
 * Extra dump arguments (`backup.mysqldump_args`, `backup.dump.extra_args`) that are refused: they would write
 * the dump outside the backup pipeline (a plaintext, world-readable file the backup never encrypts,
 * compresses, checks or removes), or change the credentials, the server or the TLS settings the profile
 * gives (and the plan checked) — so a backup could go unencrypted over the wire, or from another server.
 */
const OUTPUT = 'writes the dump outside the backup pipeline (unencrypted, uncompressed, unchecked)'
const CREDENTIALS = 'changes the credentials: they come from the profile only'
const SERVER = 'changes the server the profile names'
const TLS = 'changes the TLS settings the profile names'

const REFUSED_LONG: Readonly<Record<string, string>> = {
  'result-file': OUTPUT,
  tab: OUTPUT,
  dir: OUTPUT,
  debug: 'writes a trace file outside the backup pipeline',
  user: CREDENTIALS,
  password: CREDENTIALS,
  'defaults-file': CREDENTIALS,
  'defaults-extra-file': CREDENTIALS,
  'defaults-group-suffix': CREDENTIALS,
  'no-defaults': CREDENTIALS,
  'login-path': CREDENTIALS,
  'default-auth': CREDENTIALS,
  'plugin-dir': CREDENTIALS,
  host: SERVER,
  port: SERVER,
  socket: SERVER,
  protocol: SERVER,
  pipe: SERVER,
  'shared-memory-base-name': SERVER,
  ssl: TLS,
  'tls-version': TLS,
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
export function refusedDumpArgument(arg: string): { option: string; why: string } | null {
  const name = longName(arg)
  if (name !== null) {
    if (name === '') return null
    if (name.startsWith(REFUSED_LONG_PREFIX) || name === 'ssl') return { option: `--${name}`, why: TLS }
    const hit = Object.keys(REFUSED_LONG).find((option) => option.startsWith(name))
    return hit === undefined ? null : { option: `--${hit}`, why: REFUSED_LONG[hit] ?? OUTPUT }
  }
  if (!arg.startsWith('-') || arg === '-') return null
  for (const letter of arg.slice(1)) {
    const long = REFUSED_SHORT[letter]
    if (long !== undefined) return { option: `-${letter} (--${long})`, why: REFUSED_LONG[long] ?? OUTPUT }
    if (!FLAG_SHORT.has(letter)) return null // the rest is this option's value
  }
  return null
}

/**
 * Refuses extra dump arguments that redirect the output or change the credentials, the server or TLS
 * (see REFUSED_LONG), naming the argument. Arguments after a `--` are database names, not options.
 */
export function checkExtraDumpArgs(args: readonly string[]): void {
  for (const arg of args) {
    if (arg === '--') return
    const refused = refusedDumpArgument(arg)
    if (refused === null) continue
    throw new EngineError(
      'InvalidInput',
      `the extra dump argument '${arg}' (backup.mysqldump_args / backup.dump.extra_args) is refused: ` +
        `${refused.option} ${refused.why}; remove it`,
    )
  }
}
