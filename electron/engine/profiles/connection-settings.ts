import type { ConnectionSettings } from '../../../shared/job-protocol.ts'
import type { ProfileData } from './profile-ini.ts'

/** The connection a profile describes (a port of 0 means "not given": 3306). */
export function connectionOf(data: ProfileData): ConnectionSettings {
  return {
    host: data.host,
    port: data.port || 3306,
    user: data.user,
    password: data.password,
    ...(data.socket ? { socket: data.socket } : {}),
    ...(data.tls ? { tls: data.tls } : {}),
  }
}
