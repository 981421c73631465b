/**
 * The notification channel form's model: e-mail (SMTP) or a webhook, what is wrong with it (shown at the
 * field), and the channel it saves — the SMTP password apart (to the keychain, never back), and a webhook's
 * address only when one is typed (an edit without one keeps the stored address, which the window never
 * sees: its path may hold a token).
 */
import type { ChannelInput, ChannelView } from '../../../../shared/ipc.ts'
import type { EmailChannel, WebhookFormat } from '../../../../shared/notify.ts'
import type { MessageKey } from '../../i18n/messages.ts'

type AssertNever<T extends never> = T

// Copies of shared/notify.ts's sets: importing its values would put zod in the renderer bundle.
export const SMTP_SECURITY = [
  'starttls',
  'tls',
  'none',
] as const satisfies readonly EmailChannel['security'][]
export const WEBHOOK_FORMATS = ['json', 'slack', 'teams'] as const satisfies readonly WebhookFormat[]
type _SecurityComplete = AssertNever<Exclude<EmailChannel['security'], (typeof SMTP_SECURITY)[number]>>
type _FormatsComplete = AssertNever<Exclude<WebhookFormat, (typeof WEBHOOK_FORMATS)[number]>>

/** Hosts that never leave the machine (as shared/notify.ts isLocalHost): plaintext is allowed only to them. */
function isLocalHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '')
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h)
}

export interface ChannelDraft {
  kind: 'email' | 'webhook'
  name: string
  host: string
  port: number
  security: (typeof SMTP_SECURITY)[number]
  user: string
  /** A new SMTP password; empty keeps the stored one. */
  password: string
  from: string
  /** Recipients, separated by commas, spaces or lines. */
  to: string
  /** A new webhook address; empty keeps the stored one (an edit). */
  url: string
  format: (typeof WEBHOOK_FORMATS)[number]
}

const BLANK: ChannelDraft = {
  kind: 'email',
  name: '',
  host: '',
  port: 587,
  security: 'starttls',
  user: '',
  password: '',
  from: '',
  to: '',
  url: '',
  format: 'json',
}

export function channelDraftOf(view?: ChannelView): ChannelDraft {
  if (view === undefined) return { ...BLANK }
  if (view.kind === 'webhook') return { ...BLANK, kind: 'webhook', name: view.name, format: view.format }
  return {
    ...BLANK,
    name: view.name,
    host: view.host,
    port: view.port,
    security: view.security,
    user: view.user ?? '',
    from: view.from,
    to: view.to.join(', '),
  }
}

/** The port each security usually has. */
export const DEFAULT_PORTS: Record<ChannelDraft['security'], number> = { starttls: 587, tls: 465, none: 25 }

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/
const EMAIL = /^[^\s@<>]+@[^\s@<>]+$/

export const recipients = (to: string): string[] => to.split(/[\s,;]+/).filter((a) => a !== '')

function urlProblem(value: string): MessageKey | null {
  try {
    const url = new URL(value)
    if (url.protocol === 'https:' || (url.protocol === 'http:' && isLocalHost(url.hostname))) return null
  } catch {
    // not an address at all
  }
  return 'channels.problem.url'
}

export type ChannelField = 'name' | 'host' | 'port' | 'security' | 'password' | 'from' | 'to' | 'url'

/** What is wrong, by field. `editing`: a stored channel (its password and address may stay as they are). */
export function channelProblems(
  d: ChannelDraft,
  stored: { editing: boolean; passwordStored: boolean },
): Partial<Record<ChannelField, MessageKey>> {
  const p: Partial<Record<ChannelField, MessageKey>> = {}
  if (!NAME.test(d.name)) p.name = 'channels.problem.name'
  if (d.kind === 'webhook') {
    if (d.url.trim() === '' ? !stored.editing : urlProblem(d.url.trim()) !== null)
      p.url = 'channels.problem.url'
    return p
  }
  if (d.host.trim() === '') p.host = 'channels.problem.host'
  if (!Number.isInteger(d.port) || d.port < 1 || d.port > 65535) p.port = 'channels.problem.port'
  if (d.security === 'none' && d.host.trim() !== '' && !isLocalHost(d.host.trim()))
    p.security = 'channels.problem.plaintext'
  if (d.user.trim() !== '' && d.password === '' && !stored.passwordStored)
    p.password = 'channels.problem.password'
  if (!EMAIL.test(d.from.trim())) p.from = 'channels.problem.from'
  const to = recipients(d.to)
  if (to.length === 0 || !to.every((a) => EMAIL.test(a))) p.to = 'channels.problem.to'
  return p
}

/** The channel a valid draft saves, and the new SMTP password (undefined: keep the stored one). */
export function channelOf(d: ChannelDraft): { channel: ChannelInput; password: string | undefined } {
  if (d.kind === 'webhook')
    return {
      channel: {
        kind: 'webhook',
        name: d.name.trim(),
        format: d.format,
        ...(d.url.trim() === '' ? {} : { url: d.url.trim() }),
      },
      password: undefined,
    }
  const user = d.user.trim()
  return {
    channel: {
      kind: 'email',
      name: d.name.trim(),
      host: d.host.trim(),
      port: d.port,
      security: d.security,
      ...(user === '' ? {} : { user }),
      from: d.from.trim(),
      to: recipients(d.to),
    },
    password: user !== '' && d.password !== '' ? d.password : undefined,
  }
}

/** A channel in one line (no secret): the SMTP server and recipients, or the webhook's origin and format. */
export function describeChannel(c: ChannelView): string {
  if (c.kind === 'webhook') return `${c.origin}/… (${c.format})`
  return `${c.user ? `${c.user}@` : ''}${c.host}:${c.port} (${c.security}) → ${c.to.join(', ')}`
}
