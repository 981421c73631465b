/**
 * After a CLI backup: the run's summary to the channels named by `--notify` (on a failure, or after every
 * run with `--notify-on always`). A notification that fails is a warning on the run — never a failed
 * backup, and the backup's files stay where they are.
 */
import type { BackupResult } from '../../shared/backup-types.ts'
import { NOTIFY_ON, type NotifyOn } from '../../shared/notify.ts'
import { toEngineError } from '../engine/errors.ts'
import { defaultSenders, sendToChannels, type Senders } from '../engine/notify/send.ts'
import { pickChannels, readChannels } from '../engine/notify/store.ts'
import { renderSummary, shouldNotify, type RunContext } from '../engine/notify/summary.ts'
import { errorText } from './advice.ts'
import { list, str, UsageError, type Parsed } from './args.ts'
import type { CliContext } from './context.ts'

export interface NotifyRequest {
  channels: string[]
  on: NotifyOn
}

/** `--notify NAME` (repeatable) and `--notify-on failure|always` (default failure); null without --notify. */
export function notifyRequest(p: Parsed): NotifyRequest | null {
  const channels = list(p, 'notify')
  const on = str(p, 'notify-on') ?? 'failure'
  if (!(NOTIFY_ON as readonly string[]).includes(on))
    throw new UsageError(`--notify-on must be ${NOTIFY_ON.join(' or ')}, got '${on}'`)
  if (channels.length === 0) {
    if (str(p, 'notify-on') !== undefined) throw new UsageError('--notify-on needs --notify NAME')
    return null
  }
  return { channels: [...new Set(channels)], on: on as NotifyOn }
}

/** Checks before the run that every named channel exists (a typo must not wait for the run's end). */
export async function checkNotifyChannels(request: NotifyRequest | null, ctx: CliContext): Promise<void> {
  if (request !== null) pickChannels(await readChannels(ctx.configDir), request.channels)
}

/**
 * Sends the run's summary when it is due; returns the number of channels that failed (each a warning on
 * stderr, and in the run log through `warn`).
 */
export async function notifyAfterRun(
  request: NotifyRequest | null,
  result: BackupResult,
  context: RunContext,
  ctx: CliContext,
  senders: Senders = defaultSenders(),
  warn: (message: string) => void = () => {},
): Promise<number> {
  if (request === null) return 0
  const summary = renderSummary(result, context)
  if (!shouldNotify(request.on, summary.status)) return 0
  let failed = 0
  try {
    const channels = pickChannels(await readChannels(ctx.configDir), request.channels)
    for (const outcome of await sendToChannels(channels, summary, ctx.keychain, senders)) {
      if (outcome.ok) {
        ctx.err(`notified '${outcome.channel}'`)
        continue
      }
      failed++
      const text = errorText(outcome.error!.toAppError())
      ctx.err(`warning: ${text}`)
      warn(text)
    }
  } catch (e) {
    failed = request.channels.length
    const text = errorText(toEngineError(e).toAppError())
    ctx.err(`warning: notifications not sent: ${text}`)
    warn(text)
  }
  return failed
}
