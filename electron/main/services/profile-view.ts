/**
 * Between the profile forms and sfDBTools' profile data: what the renderer may see (never a password,
 * only whether one is stored) and how an edited form becomes the data that is saved.
 */
import { isAbsolute } from 'node:path'
import type { ProfileInput, ProfileView } from '../../../shared/ipc.ts'
import { EngineError } from '../../engine/errors.ts'
import type { LoadedProfile, ProfileData, TlsSettings } from '../../engine/profiles/index.ts'

/** The profile as the renderer sees it: secrets replaced by whether one is stored. */
export function toProfileView(
  profile: Pick<LoadedProfile, 'name' | 'path' | 'data'>,
  backupKeyStored: boolean,
): ProfileView {
  const { data } = profile
  const ssh = data.ssh?.enabled ? data.ssh : undefined
  return {
    name: profile.name,
    path: profile.path,
    host: data.host,
    // 0 is sfDBTools' "not given", which connects to 3306.
    port: data.port || 3306,
    user: data.user,
    hasPassword: data.password !== '',
    socket: data.socket || null,
    tls: data.tls
      ? {
          mode: data.tls.mode,
          ca: data.tls.ca ?? null,
          cert: data.tls.cert ?? null,
          key: data.tls.key ?? null,
        }
      : null,
    ssh: ssh
      ? {
          host: ssh.host,
          port: ssh.port,
          user: ssh.user,
          hasPassword: ssh.password !== '',
          identityFile: ssh.identityFile || null,
          localPort: ssh.localPort,
        }
      : null,
    backupKeyStored,
  }
}

const absoluteFile = (path: string | undefined, what: string): string | undefined => {
  const value = path?.trim()
  if (!value) return undefined
  if (!isAbsolute(value))
    throw new EngineError('InvalidInput', `the ${what} must be an absolute path, got '${value}'`)
  return value
}

function tlsOf(input: ProfileInput['tls']): TlsSettings | undefined {
  if (!input || input.mode === 'disabled') return undefined
  const tls: TlsSettings = { mode: input.mode }
  const ca = absoluteFile(input.ca, 'TLS CA file')
  const cert = absoluteFile(input.cert, 'TLS certificate file')
  const key = absoluteFile(input.key, 'TLS key file')
  if (ca) tls.ca = ca
  if (cert) tls.cert = cert
  if (key) tls.key = key
  if ((tls.mode === 'verify-ca' || tls.mode === 'verify-identity') && !tls.ca) {
    throw new EngineError(
      'InvalidInput',
      `TLS mode ${tls.mode} needs a CA file (the CA that signed the server's certificate)`,
    )
  }
  return tls
}

/**
 * The data to save for a form: the form is the whole profile (no TLS → none, no SSH → no tunnel), except
 * the passwords, which an undefined field keeps from `current`.
 */
export function toProfileData(input: ProfileInput, current?: ProfileData): ProfileData {
  const socket = absoluteFile(input.socket, 'socket path')
  if (input.host === '' && socket === undefined)
    throw new EngineError('InvalidInput', 'give the database host (or a socket path)')
  const data: ProfileData = {
    host: input.host,
    port: input.port,
    user: input.user,
    password: input.password ?? current?.password ?? '',
  }
  if (socket) data.socket = socket
  const tls = tlsOf(input.tls)
  if (tls) data.tls = tls
  if (input.ssh) {
    data.ssh = {
      enabled: true,
      host: input.ssh.host,
      port: input.ssh.port,
      user: input.ssh.user,
      password: input.ssh.password ?? current?.ssh?.password ?? '',
      identityFile: absoluteFile(input.ssh.identityFile, 'SSH identity file') ?? '',
      localPort: input.ssh.localPort,
    }
  }
  return data
}
