/**
 * Sending a run's summary: e-mail over SMTP (nodemailer; STARTTLS required when the channel says so,
 * certificates checked, bounded waits) and webhooks (a JSON POST with a timeout and one retry). Every
 * failure is a NotifyFailed EngineError naming the channel and what to do; never a password or a webhook's
 * path (which may hold its token) in a message.
 */
import type { EmailChannel, NotifyChannel, WebhookChannel } from '../../../shared/notify.ts'
import { webhookOrigin } from '../../../shared/notify.ts'
import { advice, EngineError, errno } from '../errors.ts'
import type { Keychain } from '../secrets/keychain.ts'
import { webhookBody, type RunSummary } from './summary.ts'

export interface EmailMessage {
  subject: string
  text: string
}

export interface SendOptions {
  /** Extra trusted CA certificates (PEM), besides the system's (and NODE_EXTRA_CA_CERTS). */
  ca?: string
  /** Connection and reply timeout, ms (default 15 s; a webhook's whole request). */
  timeoutMs?: number
  /** Wait before a webhook's one retry, ms (default 1 s). */
  retryDelayMs?: number
}

const DEFAULT_TIMEOUT_MS = 15_000

const notifyError = (
  channel: NotifyChannel,
  what: string,
  code: Parameters<typeof advice>[0],
  params: Record<string, string | number>,
  detail?: string,
): EngineError =>
  new EngineError('NotifyFailed', `notification '${channel.name}' was not sent: ${what}`, {
    advice: advice(code, { channel: channel.name, ...params }),
    ...(detail === undefined ? {} : { detail }),
  })

/** A nodemailer failure as a named error; `password` is scrubbed from anything the server echoed. */
function emailError(channel: EmailChannel, e: unknown, password: string | null): EngineError {
  const raw = e instanceof Error ? e.message : String(e)
  const text = password ? raw.split(password).join('***') : raw
  const code = errno(e)
  const host = `${channel.host}:${channel.port}`
  const inner = (e as { cause?: unknown } | null)?.cause
  const lower = text.toLowerCase()
  if (code === 'EAUTH' || code === 'ENOAUTH')
    return notifyError(
      channel,
      `the SMTP server ${host} refused the login of ${channel.user ?? '(no user)'}`,
      'smtpAuthFailed',
      { user: channel.user ?? '', host },
      text,
    )
  if (
    code === 'ETLS' ||
    lower.includes('certificate') ||
    lower.includes('starttls') ||
    lower.includes('self-signed') ||
    lower.includes('tls')
  )
    return notifyError(channel, `no trusted TLS connection to ${host}`, 'notifyTlsFailed', { host }, text)
  if (
    code === 'ECONNECTION' ||
    code === 'ETIMEDOUT' ||
    code === 'ESOCKET' ||
    code === 'EDNS' ||
    code === 'ECONNREFUSED' ||
    errno(inner) === 'ECONNREFUSED'
  )
    return notifyError(
      channel,
      `the SMTP server ${host} cannot be reached`,
      'notifyUnreachable',
      { host },
      text,
    )
  return notifyError(
    channel,
    `the SMTP server ${host} refused the message`,
    'notifyRefused',
    { host, status: code ?? 'error' },
    text,
  )
}

/** Sends one e-mail; resolves once the server accepted it for every recipient. */
export async function sendEmail(
  channel: EmailChannel,
  password: string | null,
  message: EmailMessage,
  options: SendOptions = {},
): Promise<void> {
  if (channel.user !== undefined && !password)
    throw new EngineError('MissingKey', `notification '${channel.name}' has no SMTP password stored`, {
      advice: advice('smtpPasswordMissing', { channel: channel.name }),
    })
  const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const { createTransport } = await import('nodemailer')
  const transport = createTransport({
    host: channel.host,
    port: channel.port,
    secure: channel.security === 'tls',
    requireTLS: channel.security === 'starttls',
    ignoreTLS: channel.security === 'none',
    ...(channel.user === undefined ? {} : { auth: { user: channel.user, pass: password ?? '' } }),
    tls: { rejectUnauthorized: true, minVersion: 'TLSv1.2', ...(options.ca ? { ca: options.ca } : {}) },
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout * 2,
    logger: false,
    debug: false,
  })
  try {
    const info = await transport.sendMail({
      from: channel.from,
      to: channel.to,
      subject: message.subject,
      text: message.text,
    })
    const rejected = (info.rejected ?? []).map(String)
    if (rejected.length > 0)
      throw notifyError(channel, `the SMTP server refused ${rejected.join(', ')}`, 'notifyRefused', {
        host: `${channel.host}:${channel.port}`,
        status: 'recipient',
      })
  } catch (e) {
    throw e instanceof EngineError ? e : emailError(channel, e, password)
  } finally {
    transport.close()
  }
}

/** POSTs the body as JSON; a network error, a timeout or a 5xx is tried once more, a 4xx is final. */
export async function postWebhook(
  channel: WebhookChannel,
  body: Record<string, unknown>,
  options: SendOptions = {},
): Promise<void> {
  const origin = webhookOrigin(channel.url)
  const attempt = async (): Promise<{ retry: boolean; error: EngineError } | null> => {
    try {
      const response = await fetch(channel.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'sfDBTools' },
        body: JSON.stringify(body),
        redirect: 'error',
        signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      })
      await response.body?.cancel()
      if (response.ok) return null
      return {
        retry: response.status >= 500 || response.status === 429,
        error: notifyError(channel, `${origin} answered HTTP ${response.status}`, 'notifyRefused', {
          host: origin,
          status: response.status,
        }),
      }
    } catch (e) {
      const cause = (e as { cause?: unknown }).cause
      const text = cause instanceof Error ? cause.message : e instanceof Error ? e.message : String(e)
      const tls = /certificate|self.signed|tls|ssl/i.test(text)
      return {
        retry: !tls,
        error: tls
          ? notifyError(
              channel,
              `no trusted TLS connection to ${origin}`,
              'notifyTlsFailed',
              { host: origin },
              text,
            )
          : notifyError(channel, `${origin} cannot be reached`, 'notifyUnreachable', { host: origin }, text),
      }
    }
  }
  const first = await attempt()
  if (first === null) return
  if (!first.retry) throw first.error
  await new Promise((resolve) => setTimeout(resolve, options.retryDelayMs ?? 1000))
  const second = await attempt()
  if (second !== null) throw second.error
}

export interface Senders {
  email(channel: EmailChannel, password: string | null, message: EmailMessage): Promise<void>
  webhook(channel: WebhookChannel, body: Record<string, unknown>): Promise<void>
}

export const defaultSenders = (options: SendOptions = {}): Senders => ({
  email: (c, p, m) => sendEmail(c, p, m, options),
  webhook: (c, b) => postWebhook(c, b, options),
})

/** The SMTP password of an e-mail channel from the keychain (null for a channel without a login). */
export async function channelPassword(channel: EmailChannel, keychain: Keychain): Promise<string | null> {
  if (channel.user === undefined) return null
  return keychain.get('smtp-password', channel.name)
}

/** Sends one channel the summary. */
export async function sendToChannel(
  channel: NotifyChannel,
  summary: RunSummary,
  keychain: Keychain,
  senders: Senders,
): Promise<void> {
  if (channel.kind === 'email')
    return senders.email(channel, await channelPassword(channel, keychain), {
      subject: summary.subject,
      text: summary.text,
    })
  return senders.webhook(channel, webhookBody(summary, channel.format))
}

export interface ChannelOutcome {
  channel: string
  ok: boolean
  error?: EngineError
}

/** Sends every channel (at once); a failure is reported per channel, never thrown. */
export async function sendToChannels(
  channels: NotifyChannel[],
  summary: RunSummary,
  keychain: Keychain,
  senders: Senders,
): Promise<ChannelOutcome[]> {
  return Promise.all(
    channels.map(async (channel) => {
      try {
        await sendToChannel(channel, summary, keychain, senders)
        return { channel: channel.name, ok: true }
      } catch (e) {
        const error =
          e instanceof EngineError
            ? e
            : new EngineError(
                'NotifyFailed',
                `notification '${channel.name}' was not sent: ${(e as Error).message}`,
              )
        return { channel: channel.name, ok: false, error }
      }
    }),
  )
}
