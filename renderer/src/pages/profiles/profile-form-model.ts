/**
 * The profile form's values (text, as the inputs hold them), their checks and the ProfileInput they become.
 * Passwords are never pre-filled: empty on edit means "keep the stored one".
 */
import type { TlsMode } from '../../../../shared/backup-types.ts'
import type { ProfileInput, ProfileView } from '../../../../shared/ipc.ts'
import type { MessageKey } from '../../i18n/messages.ts'

export interface ProfileFormValues {
  name: string
  host: string
  port: string
  user: string
  password: string
  socket: string
  tlsMode: TlsMode
  tlsCa: string
  tlsCert: string
  tlsKey: string
  sshEnabled: boolean
  sshHost: string
  sshPort: string
  sshUser: string
  sshPassword: string
  sshIdentityFile: string
  sshLocalPort: string
}

export type ProfileFormErrors = Partial<Record<keyof ProfileFormValues, MessageKey>>

export const EMPTY_PROFILE_FORM: ProfileFormValues = {
  name: '',
  host: 'localhost',
  port: '3306',
  user: '',
  password: '',
  socket: '',
  tlsMode: 'preferred',
  tlsCa: '',
  tlsCert: '',
  tlsKey: '',
  sshEnabled: false,
  sshHost: '',
  sshPort: '22',
  sshUser: '',
  sshPassword: '',
  sshIdentityFile: '',
  sshLocalPort: '0',
}

/** The form for editing a stored profile (no secret is ever shown back). */
export function formFromProfile(profile: ProfileView): ProfileFormValues {
  return {
    ...EMPTY_PROFILE_FORM,
    name: profile.name,
    host: profile.host,
    port: String(profile.port),
    user: profile.user,
    socket: profile.socket ?? '',
    tlsMode: profile.tls?.mode ?? 'preferred',
    tlsCa: profile.tls?.ca ?? '',
    tlsCert: profile.tls?.cert ?? '',
    tlsKey: profile.tls?.key ?? '',
    sshEnabled: profile.ssh !== null,
    sshHost: profile.ssh?.host ?? '',
    sshPort: String(profile.ssh?.port ?? 22),
    sshUser: profile.ssh?.user ?? '',
    sshIdentityFile: profile.ssh?.identityFile ?? '',
    sshLocalPort: String(profile.ssh?.localPort ?? 0),
  }
}

/** A whole number in [min, max], or null. */
function port(text: string, min: number): number | null {
  if (!/^\d+$/.test(text.trim())) return null
  const value = Number(text)
  return value >= min && value <= 65535 ? value : null
}

/**
 * What must change before saving. `complete` adds the "required" checks (shown after the first save
 * attempt, so an empty new form is not all red); a malformed value is reported at once.
 */
export function profileFormErrors(values: ProfileFormValues, complete: boolean): ProfileFormErrors {
  const errors: ProfileFormErrors = {}
  const required = (key: keyof ProfileFormValues, message: MessageKey): void => {
    const value = values[key]
    if (complete && typeof value === 'string' && value.trim() === '') errors[key] = message
  }
  required('name', 'profileForm.error.name')
  if (/[/\\]/.test(values.name)) errors.name = 'profileForm.error.nameChars'
  required('host', 'profileForm.error.host')
  required('user', 'profileForm.error.user')
  if (values.port.trim() !== '' ? port(values.port, 1) === null : complete)
    errors.port = 'profileForm.error.port'
  if (values.tlsMode === 'verify-ca' || values.tlsMode === 'verify-identity')
    required('tlsCa', 'profileForm.error.ca')
  if ((values.tlsCert.trim() === '') !== (values.tlsKey.trim() === '')) {
    errors[values.tlsCert.trim() === '' ? 'tlsCert' : 'tlsKey'] = 'profileForm.error.certPair'
  }
  if (values.sshEnabled) {
    required('sshHost', 'profileForm.error.sshHost')
    required('sshUser', 'profileForm.error.sshUser')
    if (values.sshPort.trim() !== '' ? port(values.sshPort, 1) === null : complete)
      errors.sshPort = 'profileForm.error.port'
    if (values.sshLocalPort.trim() !== '' && port(values.sshLocalPort, 0) === null)
      errors.sshLocalPort = 'profileForm.error.localPort'
  }
  return errors
}

const optional = (text: string): string | undefined => (text.trim() === '' ? undefined : text.trim())

/** The request of a valid form. An empty password field keeps the stored password (undefined). */
export function profileInputFrom(values: ProfileFormValues): ProfileInput {
  return {
    name: values.name.trim(),
    host: values.host.trim(),
    port: Number(values.port),
    user: values.user,
    password: values.password === '' ? undefined : values.password,
    socket: optional(values.socket),
    tls: {
      mode: values.tlsMode,
      ca: optional(values.tlsCa),
      cert: optional(values.tlsCert),
      key: optional(values.tlsKey),
    },
    ssh: values.sshEnabled
      ? {
          host: values.sshHost.trim(),
          port: Number(values.sshPort),
          user: values.sshUser,
          password: values.sshPassword === '' ? undefined : values.sshPassword,
          identityFile: optional(values.sshIdentityFile),
          localPort: values.sshLocalPort.trim() === '' ? 0 : Number(values.sshLocalPort),
        }
      : null,
  }
}
