/**
 * `sfdbtools notify`: the notification channels of `<config dir>/notifications.json` — e-mail over SMTP
 * (its password in the OS keychain, read from stdin or a hidden prompt, never a flag) and webhooks (JSON,
 * Slack, Teams) — and a test message to one of them.
 */
import { SMTP_SECURITY, WEBHOOK_FORMATS, webhookOrigin, type NotifyChannel } from '../../../shared/notify.ts'
import { EngineError } from '../../engine/errors.ts'
import { defaultSenders, sendToChannel } from '../../engine/notify/send.ts'
import {
  checkChannel,
  pickChannels,
  readChannels,
  removeChannel,
  saveChannel,
} from '../../engine/notify/store.ts'
import { renderSummary, testResult } from '../../engine/notify/summary.ts'
import { bool, intFlag, list, parseFlags, str, UsageError, type Parsed } from '../args.ts'
import type { CliContext } from '../context.ts'
import { isInteractive, promptHidden, promptLine, readStdin } from '../terminal.ts'

export const NOTIFY_HELP = `Usage:
  sfdbtools notify add-email NAME --host H [--port 587] [--security starttls|tls|none] [--user U]
                   --from ADDR --to ADDR [--to ADDR …] [--replace]
                                the SMTP password (with --user) from stdin (a pipe) or a hidden prompt;
                                kept in the OS keychain, never in a file or an argument
  sfdbtools notify add-webhook NAME [--format json|slack|teams] [--url URL] [--replace]
                                without --url the address is read from stdin (it may hold a token)
  sfdbtools notify list [--json]
  sfdbtools notify remove NAME
  sfdbtools notify test NAME    send a test message now

Security: starttls (default, port 587) requires STARTTLS; tls is TLS from the start (port 465); none is
refused unless the server is this machine. Webhooks need https:// (http:// only to localhost).
After a backup: sfdbtools backup … --notify NAME [--notify NAME …] [--notify-on failure|always]
(default failure). A notification that fails is a warning; the backup and its files are kept.`

const FLAGS = {
  host: { type: 'string' },
  port: { type: 'string' },
  security: { type: 'string' },
  user: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string', multiple: true },
  format: { type: 'string' },
  url: { type: 'string' },
  replace: { type: 'boolean' },
  json: { type: 'boolean' },
} as const

/** A secret or an address from stdin (a pipe) or a hidden prompt on a terminal. */
async function readHidden(what: string): Promise<string> {
  let value: string
  if (!process.stdin.isTTY) value = await readStdin()
  else if (isInteractive()) value = await promptHidden(`${what}: `)
  else throw new UsageError(`give the ${what} on standard input (a pipe) or run in a terminal`)
  if (!value) throw new EngineError('InvalidInput', `the ${what} is empty`)
  return value
}

const describe = (c: NotifyChannel): string =>
  c.kind === 'email'
    ? `${c.name}  e-mail  ${c.host}:${c.port} (${c.security})${c.user ? ` as ${c.user}` : ''} → ${c.to.join(', ')}`
    : `${c.name}  webhook (${c.format})  ${webhookOrigin(c.url)}/…`

export async function notifyCommand(argv: string[], ctx: CliContext): Promise<number> {
  const [sub, ...rest] = argv
  const p = parseFlags(rest, FLAGS, true)
  const name = p.positionals[0]
  if (p.positionals.length > 1)
    throw new UsageError('one channel name at a time; secrets are never arguments')
  const needName = (): string => {
    if (name === undefined) throw new UsageError(`notify ${sub ?? ''} needs a channel NAME`)
    return name
  }
  switch (sub) {
    case 'add-email':
      return addEmail(p, needName(), ctx)
    case 'add-webhook': {
      const format = str(p, 'format') ?? 'json'
      if (!(WEBHOOK_FORMATS as readonly string[]).includes(format))
        throw new UsageError(`--format must be ${WEBHOOK_FORMATS.join(', ')}, got '${format}'`)
      const channel = checkChannel({
        kind: 'webhook',
        name: needName(),
        url: str(p, 'url') ?? (await readHidden('webhook address')).trim(),
        format,
      })
      await saveChannel(ctx.configDir, channel, bool(p, 'replace'))
      ctx.out(`notification channel '${channel.name}' saved`)
      return 0
    }
    case 'list': {
      const channels = await readChannels(ctx.configDir)
      if (bool(p, 'json'))
        ctx.out(
          JSON.stringify({
            channels: channels.map((c) => (c.kind === 'webhook' ? { ...c, url: webhookOrigin(c.url) } : c)),
          }),
        )
      else if (channels.length === 0)
        ctx.out('no notification channels (sfdbtools notify add-email|add-webhook)')
      else for (const c of channels) ctx.out(describe(c))
      return 0
    }
    case 'remove': {
      const removed = await removeChannel(ctx.configDir, needName())
      await ctx.keychain.delete('smtp-password', needName()).catch(() => false)
      ctx.out(`notification channel '${needName()}' ${removed ? 'removed' : 'did not exist'}`)
      return removed ? 0 : 1
    }
    case 'test': {
      const [channel] = pickChannels(await readChannels(ctx.configDir), [needName()])
      const summary = renderSummary(testResult(), { profile: 'test message' })
      await sendToChannel(
        channel!,
        { ...summary, subject: `[sfDBTools] Test notification: ${channel!.name}` },
        ctx.keychain,
        defaultSenders(),
      )
      ctx.out(`test message sent to '${channel!.name}'`)
      return 0
    }
    default:
      throw new UsageError(
        sub === undefined
          ? 'notify needs a command: add-email, add-webhook, list, remove or test'
          : `unknown notify command '${sub}'`,
      )
  }
}

/** Refuses a name in use before a password is asked for (--replace replaces it). */
function pickNone(channels: NotifyChannel[], name: string): void {
  if (channels.some((c) => c.name === name))
    throw new EngineError(
      'InvalidInput',
      `a notification channel named '${name}' exists already (--replace replaces it)`,
    )
}

const asEmail = (c: NotifyChannel): Extract<NotifyChannel, { kind: 'email' }> => {
  if (c.kind !== 'email') throw new EngineError('Internal', 'not an e-mail channel')
  return c
}

/** `notify add-email NAME …`: the channel into notifications.json, its password into the keychain. */
async function addEmail(p: Parsed, name: string, ctx: CliContext): Promise<number> {
  const security = str(p, 'security') ?? 'starttls'
  if (!(SMTP_SECURITY as readonly string[]).includes(security))
    throw new UsageError(`--security must be ${SMTP_SECURITY.join(', ')}, got '${security}'`)
  const user = str(p, 'user')
  const channel = asEmail(
    checkChannel({
      kind: 'email',
      name,
      host: str(p, 'host') ?? (isInteractive() ? await promptLine('SMTP host: ') : undefined),
      port: intFlag(p, 'port') ?? (security === 'tls' ? 465 : security === 'none' ? 25 : 587),
      security,
      ...(user === undefined ? {} : { user }),
      from: str(p, 'from'),
      to: list(p, 'to'),
    }),
  )
  if (!bool(p, 'replace')) pickNone(await readChannels(ctx.configDir), channel.name)
  if (channel.user !== undefined) {
    const password = await readHidden(`SMTP password of ${channel.user}`)
    await ctx.keychain.set('smtp-password', password, channel.name)
  } else await ctx.keychain.delete('smtp-password', channel.name).catch(() => false)
  await saveChannel(ctx.configDir, channel, bool(p, 'replace'))
  ctx.out(
    `notification channel '${channel.name}' saved${channel.user ? ' (its password in the OS keychain)' : ''}`,
  )
  return 0
}
