import { resolve } from 'node:path'
import { TLS_MODES, type SshTunnel, type TlsMode, type TlsSettings } from '../../engine/profiles/index.ts'
import { str, UsageError, type Parsed } from '../args.ts'

/** TLS flags shared by create and edit. */
export const TLS_FLAGS = {
  'ssl-mode': { type: 'string' },
  'ssl-ca': { type: 'string' },
  'ssl-cert': { type: 'string' },
  'ssl-key': { type: 'string' },
} as const

/** The TLS settings the flags ask for (paths made absolute), or undefined when no TLS flag was given. */
export function tlsFromFlags(p: Parsed, current?: TlsSettings): TlsSettings | undefined {
  const mode = str(p, 'ssl-mode')
  const files = { ca: str(p, 'ssl-ca'), cert: str(p, 'ssl-cert'), key: str(p, 'ssl-key') }
  if (mode === undefined && !files.ca && !files.cert && !files.key) return current
  const m = (mode ?? current?.mode ?? (files.ca ? 'verify-identity' : 'required')).toLowerCase()
  if (!(TLS_MODES as readonly string[]).includes(m)) {
    throw new UsageError(`--ssl-mode must be one of ${TLS_MODES.join(', ')}, got '${mode}'`)
  }
  const tls: TlsSettings = { ...current, mode: m as TlsMode }
  for (const k of ['ca', 'cert', 'key'] as const) {
    const v = files[k]
    if (v) tls[k] = resolve(v)
  }
  if ((tls.mode === 'verify-ca' || tls.mode === 'verify-identity') && !tls.ca) {
    throw new UsageError(
      `--ssl-mode ${tls.mode} needs --ssl-ca (the CA that signed the server's certificate)`,
    )
  }
  return tls
}

/** SSH tunnel flags shared by create and edit (the `[ssh]` section of sfDBTools profiles). */
export const SSH_FLAGS = {
  'ssh-host': { type: 'string' },
  'ssh-port': { type: 'string' },
  'ssh-user': { type: 'string' },
  'ssh-identity-file': { type: 'string' },
  'ssh-local-port': { type: 'string' },
  'ssh-password-stdin': { type: 'boolean' },
  'no-ssh': { type: 'boolean' },
} as const

const portFlag = (p: Parsed, name: string): number | undefined => {
  const v = str(p, name)
  if (v === undefined) return undefined
  const n = Number(v)
  if (!/^\d+$/.test(v) || n > 65535) throw new UsageError(`--${name} must be a port number, got '${v}'`)
  return n
}

/**
 * The SSH tunnel the flags ask for, on top of `current`; undefined when none is wanted. `sshPassword` is
 * read from stdin by the caller (--ssh-password-stdin), never taken from an argument.
 */
export function sshFromFlags(
  p: Parsed,
  current: SshTunnel | undefined,
  sshPassword?: string,
): SshTunnel | undefined {
  if (p.values['no-ssh'] === true) return undefined
  const host = str(p, 'ssh-host')
  const given =
    host !== undefined ||
    ['ssh-port', 'ssh-user', 'ssh-identity-file', 'ssh-local-port'].some((k) => str(p, k) !== undefined)
  if (!given && sshPassword === undefined) return current
  const identity = str(p, 'ssh-identity-file')
  const tunnel: SshTunnel = {
    enabled: true,
    host: host ?? current?.host ?? '',
    port: portFlag(p, 'ssh-port') ?? current?.port ?? 22,
    user: str(p, 'ssh-user') ?? current?.user ?? '',
    password: sshPassword ?? current?.password ?? '',
    identityFile: identity !== undefined ? resolve(identity) : (current?.identityFile ?? ''),
    localPort: portFlag(p, 'ssh-local-port') ?? current?.localPort ?? 0,
  }
  if (!tunnel.host) throw new UsageError('--ssh-host is required for an SSH tunnel')
  return tunnel
}
