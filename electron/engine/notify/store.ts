/**
 * `<config dir>/notifications.json` (0600, written atomically): the notification channels, shared by the
 * app and the CLI. It holds no password (those are in the OS keychain).
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  channelSchema,
  notificationsFileSchema,
  type NotificationsFile,
  type NotifyChannel,
} from '../../../shared/notify.ts'
import { EngineError, errno, toEngineError } from '../errors.ts'
import { writeFileAtomic } from '../fs/atomic-write.ts'

export const NOTIFICATIONS_FILE = 'notifications.json'

export const notificationsPath = (configDir: string): string => join(configDir, NOTIFICATIONS_FILE)

/** The channels; none when the file does not exist. A damaged file is an error (never silently emptied). */
export async function readChannels(configDir: string): Promise<NotifyChannel[]> {
  const path = notificationsPath(configDir)
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (e) {
    if (errno(e) === 'ENOENT') return []
    throw toEngineError(e, `reading ${path}`)
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (e) {
    throw new EngineError('InvalidConfig', `${path} is not valid JSON`, { detail: (e as Error).message })
  }
  const checked = notificationsFileSchema.safeParse(parsed)
  if (!checked.success)
    throw new EngineError('InvalidConfig', `${path} does not match its schema`, {
      detail: checked.error.message,
    })
  return checked.data.channels
}

export async function writeChannels(configDir: string, channels: NotifyChannel[]): Promise<void> {
  const file: NotificationsFile = notificationsFileSchema.parse({ version: 1, channels })
  const path = notificationsPath(configDir)
  try {
    await writeFileAtomic(path, JSON.stringify(file, null, 2) + '\n', { mode: 0o600 })
  } catch (e) {
    throw toEngineError(e, `saving ${path}`)
  }
}

/** Checks a channel against its schema; a refusal is InvalidInput with the schema's reason. */
export function checkChannel(input: unknown): NotifyChannel {
  const parsed = channelSchema.safeParse(input)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''
    throw new EngineError('InvalidInput', `the channel is not valid: ${where}${issue?.message ?? 'invalid'}`)
  }
  return parsed.data
}

/** Adds a channel, or replaces the one of the same name when `replace` is set. */
export async function saveChannel(configDir: string, channel: NotifyChannel, replace = false): Promise<void> {
  const channels = await readChannels(configDir)
  const at = channels.findIndex((c) => c.name === channel.name)
  if (at >= 0 && !replace)
    throw new EngineError('InvalidInput', `a notification channel named '${channel.name}' exists already`)
  if (at >= 0) channels[at] = channel
  else channels.push(channel)
  await writeChannels(configDir, channels)
}

/** Removes a channel; false when there was none of that name. */
export async function removeChannel(configDir: string, name: string): Promise<boolean> {
  const channels = await readChannels(configDir)
  const kept = channels.filter((c) => c.name !== name)
  if (kept.length === channels.length) return false
  await writeChannels(configDir, kept)
  return true
}

/** The channels of these names, in order; an unknown name is InvalidInput naming the known ones. */
export function pickChannels(all: NotifyChannel[], names: readonly string[]): NotifyChannel[] {
  return names.map((name) => {
    const found = all.find((c) => c.name === name)
    if (found === undefined)
      throw new EngineError(
        'InvalidInput',
        `no notification channel named '${name}' (${all.length > 0 ? `known: ${all.map((c) => c.name).join(', ')}` : 'none is set up'})`,
      )
    return found
  })
}
