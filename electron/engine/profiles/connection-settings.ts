import type { ConnectionSettings } from '../../../shared/job-protocol.ts'
import type { ProfileData } from './profile-ini.ts'

export interface SshPolicy {
  /** OpenSSH-format known_hosts file for tunnel host keys. */
  knownHostsFile: string
  insecure: boolean
}

/**
 * The connection a profile describes (a port of 0 means "not given": 3306). An enabled `[ssh]` section
 * becomes a tunnel; its user defaults to $USER, else root, as in sfDBTools.
 */
export function connectionOf(data: ProfileData, sshPolicy: SshPolicy): ConnectionSettings {
  const ssh = data.ssh?.enabled ? data.ssh : undefined
  return {
    ...(ssh
      ? {
          ssh: {
            host: ssh.host,
            port: ssh.port || 22,
            user: ssh.user || process.env.USER || 'root',
            password: ssh.password,
            identityFile: ssh.identityFile,
            localPort: ssh.localPort,
            knownHostsFile: sshPolicy.knownHostsFile,
            insecure: sshPolicy.insecure,
          },
        }
      : {}),
    host: data.host,
    port: data.port || 3306,
    user: data.user,
    password: data.password,
    ...(data.socket ? { socket: data.socket } : {}),
    ...(data.tls ? { tls: data.tls } : {}),
  }
}
