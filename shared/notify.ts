/**
 * Notification channels (e-mail over SMTP, a webhook) and what a quick-backup preset sends to them. The
 * channels live in `<config dir>/notifications.json` (0600), read by the app and the CLI alike. A channel
 * holds no secret: an SMTP password is kept in the OS keychain under the channel's name.
 */
import { z } from 'zod'

/** A channel's name: what a preset and `--notify` refer to, and the keychain entry's account suffix. */
export const channelNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, dot, dash and underscore (up to 64)')

/** Hosts that never leave the machine: the only ones a plaintext (no TLS) destination may use. */
export function isLocalHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '')
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h)
}

const email = z
  .string()
  .trim()
  .min(3)
  .max(320)
  .regex(/^[^\s@<>]+@[^\s@<>]+$/, 'an e-mail address')

export const SMTP_SECURITY = ['starttls', 'tls', 'none'] as const

export const emailChannelSchema = z
  .object({
    kind: z.literal('email'),
    name: channelNameSchema,
    host: z.string().trim().min(1).max(253),
    port: z.number().int().min(1).max(65_535),
    /** starttls: plaintext upgraded by STARTTLS, which is required; tls: TLS from the start; none: localhost only. */
    security: z.enum(SMTP_SECURITY),
    /** The SMTP login; its password is in the keychain. None: no login. */
    user: z.string().trim().min(1).max(320).optional(),
    from: email,
    to: z.array(email).min(1).max(50),
  })
  .strict()
  .refine((c) => c.security !== 'none' || isLocalHost(c.host), {
    message: 'an SMTP server without TLS is refused unless it is on this machine (localhost)',
    path: ['security'],
  })
export type EmailChannel = z.infer<typeof emailChannelSchema>

export const WEBHOOK_FORMATS = ['json', 'slack', 'teams'] as const
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number]

/** https, or http to this machine only. */
function webhookUrlOk(value: string): boolean {
  try {
    const url = new URL(value)
    return url.protocol === 'https:' || (url.protocol === 'http:' && isLocalHost(url.hostname))
  } catch {
    return false
  }
}

export const webhookChannelSchema = z
  .object({
    kind: z.literal('webhook'),
    name: channelNameSchema,
    url: z.string().max(2048).refine(webhookUrlOk, 'an https:// address (http:// only to localhost)'),
    format: z.enum(WEBHOOK_FORMATS),
  })
  .strict()
export type WebhookChannel = z.infer<typeof webhookChannelSchema>

export const channelSchema = z.discriminatedUnion('kind', [emailChannelSchema, webhookChannelSchema])
export type NotifyChannel = z.infer<typeof channelSchema>

/** `notifications.json`: the channels, by unique name. */
export const notificationsFileSchema = z
  .object({ version: z.literal(1), channels: z.array(channelSchema).max(100) })
  .refine((f) => new Set(f.channels.map((c) => c.name)).size === f.channels.length, {
    message: 'two channels have the same name',
  })
export type NotificationsFile = z.infer<typeof notificationsFileSchema>

export const NOTIFY_ON = ['failure', 'always'] as const
export type NotifyOn = (typeof NOTIFY_ON)[number]

/** What a preset sends: to which channels, on a failure only or after every run. */
export const presetNotifySchema = z.object({
  channels: z.array(channelNameSchema).max(20),
  on: z.enum(NOTIFY_ON),
})
export type PresetNotify = z.infer<typeof presetNotifySchema>

/** Where a webhook's address is shown (a list, an error): its origin only, the path may hold a token. */
export function webhookOrigin(url: string): string {
  try {
    return new URL(url).origin
  } catch {
    return '(invalid address)'
  }
}
