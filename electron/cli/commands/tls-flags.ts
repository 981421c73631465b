import { resolve } from 'node:path'
import { TLS_MODES, type TlsMode, type TlsSettings } from '../../engine/profiles/index.ts'
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
