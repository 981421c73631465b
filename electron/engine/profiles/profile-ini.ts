import { TLS_MODES, type TlsMode } from '../../../shared/backup-types.ts'
import { EngineError } from '../errors.ts'

/** The SSH tunnel of a profile (`[ssh]` section). */
export interface SshTunnel {
  enabled: boolean
  host: string
  /** 22 when the file has none. */
  port: number
  user: string
  password: string
  identityFile: string
  /** 0 = pick a free local port. */
  localPort: number
}

export { TLS_MODES, type TlsMode }

/** TLS of the database connection (our extension: `ssl_*` keys in [client], written only when set). */
export interface TlsSettings {
  mode: TlsMode
  /** PEM file paths. */
  ca?: string
  cert?: string
  key?: string
}

/** The connection a profile holds. `port` 0 means "not given" (sfDBTools keeps 0 for a missing port). */
export interface ProfileData {
  host: string
  port: number
  user: string
  password: string
  /** Our extension: a Unix socket path, written only when set (sfDBTools ignores unknown keys). */
  socket?: string
  tls?: TlsSettings
  ssh?: SshTunnel
}

const TRUTHY = new Set(['1', 'true', 'yes', 'y', 'on'])
const DEFAULT_SSH_PORT = 22

/**
 * Parses a profile's plaintext the way sfDBTools does (reference §2): lines split on LF and trimmed, `;`
 * and `#` lines are comments, section names match case-insensitively, keys are lower-cased, key and value
 * split at the first `=` (so `#`/`;` inside a value stay), the last duplicate wins. `[client]` must hold
 * at least one key; a port that is not an integer in 0..65535 is ignored.
 */
export function parseProfileIni(text: string): ProfileData {
  const sections = parseSections(text)
  const client = sections.get('client')
  if (client === undefined) {
    throw new EngineError('InvalidProfile', 'the profile has no [client] section with at least one key')
  }
  const data: ProfileData = {
    host: client.get('host') ?? '',
    port: parsePort(client.get('port')) ?? 0,
    user: client.get('user') ?? '',
    password: client.get('password') ?? '',
  }
  const socket = client.get('socket')
  if (socket !== undefined && socket !== '') data.socket = socket
  const tls = parseTls(client)
  if (tls !== undefined) data.tls = tls
  const ssh = sections.get('ssh')
  if (ssh !== undefined) {
    data.ssh = {
      enabled: TRUTHY.has((ssh.get('enabled') ?? '').toLowerCase()),
      host: ssh.get('host') ?? '',
      port: parsePort(ssh.get('port')) || DEFAULT_SSH_PORT,
      user: ssh.get('user') ?? '',
      password: ssh.get('ssh_password') ?? '',
      identityFile: ssh.get('identity_file') ?? '',
      localPort: parsePort(ssh.get('local_port')) ?? 0,
    }
  }
  return data
}

/**
 * Writes sfDBTools' fixed template (LF after every line). The `[ssh]` section follows an empty line, and
 * only when the tunnel is enabled or has a host (as sfDBTools decides). Values are written raw, as
 * sfDBTools does, so a value that would not read back identically (a line break, or surrounding
 * whitespace the parser trims) is refused rather than silently changed.
 */
export function formatProfileIni(profile: ProfileData): string {
  let text =
    '[client]\n' +
    `host=${value('host', profile.host)}\n` +
    `port=${port('port', profile.port)}\n` +
    `user=${value('user', profile.user)}\n` +
    `password=${value('password', profile.password)}\n`
  if (profile.socket !== undefined && profile.socket !== '')
    text += `socket=${value('socket', profile.socket)}\n`
  const tls = profile.tls
  if (tls !== undefined) {
    text += `ssl_mode=${tls.mode}\n`
    if (tls.ca) text += `ssl_ca=${value('TLS CA', tls.ca)}\n`
    if (tls.cert) text += `ssl_cert=${value('TLS certificate', tls.cert)}\n`
    if (tls.key) text += `ssl_key=${value('TLS key', tls.key)}\n`
  }
  const ssh = profile.ssh
  if (ssh !== undefined && (ssh.enabled || ssh.host !== '')) {
    text +=
      '\n[ssh]\n' +
      `enabled=${ssh.enabled ? 'true' : 'false'}\n` +
      `host=${value('ssh host', ssh.host)}\n` +
      `port=${port('ssh port', ssh.port) || DEFAULT_SSH_PORT}\n` +
      `user=${value('ssh user', ssh.user)}\n` +
      `ssh_password=${value('ssh password', ssh.password)}\n` +
      `identity_file=${value('ssh identity file', ssh.identityFile)}\n` +
      `local_port=${port('ssh local port', ssh.localPort)}\n`
  }
  return text
}

function parseTls(client: Map<string, string>): TlsSettings | undefined {
  const mode = client.get('ssl_mode')
  if (mode === undefined || mode === '') return undefined
  const m = mode.toLowerCase().replace(/_/g, '-')
  if (!(TLS_MODES as readonly string[]).includes(m)) {
    throw new EngineError('InvalidProfile', `unknown ssl_mode '${mode}': use one of ${TLS_MODES.join(', ')}`)
  }
  const tls: TlsSettings = { mode: m as TlsMode }
  for (const [k, field] of [
    ['ssl_ca', 'ca'],
    ['ssl_cert', 'cert'],
    ['ssl_key', 'key'],
  ] as const) {
    const v = client.get(k)
    if (v) tls[field] = v
  }
  return tls
}

/** Section name (lower-cased) → key → value; sections without keys are absent, as in sfDBTools. */
function parseSections(text: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>()
  let current: string | undefined
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    if (line === '' || line.startsWith(';') || line.startsWith('#')) continue
    if (line.startsWith('[') && line.endsWith(']')) {
      current = line.slice(1, -1).trim().toLowerCase()
      continue
    }
    const eq = line.indexOf('=')
    if (current === undefined || eq === -1) continue
    let section = sections.get(current)
    if (section === undefined) sections.set(current, (section = new Map()))
    section.set(line.slice(0, eq).trim().toLowerCase(), line.slice(eq + 1).trim())
  }
  return sections
}

/** Go's strconv.Atoi on a trimmed value, restricted to the TCP port range; undefined when invalid. */
function parsePort(text: string | undefined): number | undefined {
  if (text === undefined || !/^[+-]?\d{1,6}$/.test(text)) return undefined
  const n = Number(text)
  return n >= 0 && n <= 65_535 ? n : undefined
}

function value(field: string, text: string): string {
  if (/[\r\n]/.test(text)) {
    throw new EngineError('InvalidInput', `the profile's ${field} must not contain a line break`)
  }
  if (text !== text.trim()) {
    throw new EngineError(
      'InvalidInput',
      `the profile's ${field} starts or ends with whitespace, which the profile file format cannot keep`,
    )
  }
  return text
}

function port(field: string, n: number): number {
  if (!Number.isInteger(n) || n < 0 || n > 65_535) {
    throw new EngineError(
      'InvalidInput',
      `the profile's ${field} must be an integer from 0 to 65535, got ${n}`,
    )
  }
  return n
}
