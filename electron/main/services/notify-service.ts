/**
 * Settings → Notifications: the channels of `notifications.json` (0600, shared with the CLI's `sfdbtools
 * notify`), an SMTP password in the OS keychain (`smtp-password:<channel>`) — stored when given, never
 * handed back, as a webhook's address is never handed back either (its path may hold a token: the window
 * sees its origin) — and a test message to a channel.
 */
import type { ChannelInput, ChannelView, QuickBackupPreset, Settings } from '../../../shared/ipc.ts'
import { webhookOrigin, type NotifyChannel } from '../../../shared/notify.ts'
import { EngineError } from '../../engine/errors.ts'
import { defaultSenders, sendToChannel, type Senders } from '../../engine/notify/send.ts'
import {
  checkChannel,
  pickChannels,
  readChannels,
  removeChannel,
  saveChannel,
} from '../../engine/notify/store.ts'
import { renderSummary, testResult } from '../../engine/notify/summary.ts'
import type { Keychain } from '../../engine/secrets/keychain.ts'

export interface NotifyServiceDeps {
  configDir(): string
  keychain(): Keychain
  /** The app's settings: a removed channel leaves the presets that notified it. */
  settings: { get(): Promise<Settings>; update(next: Settings): Promise<Settings> }
  /** How test messages go out (the real senders by default). */
  senders?: Senders
}

/** A preset that no longer notifies `name`. */
const withoutChannel = (preset: QuickBackupPreset, name: string): QuickBackupPreset =>
  preset.notify === undefined
    ? preset
    : { ...preset, notify: { ...preset.notify, channels: preset.notify.channels.filter((c) => c !== name) } }

export function createNotifyService(deps: NotifyServiceDeps) {
  const passwordStored = async (name: string): Promise<boolean> =>
    (await deps
      .keychain()
      .get('smtp-password', name)
      .catch(() => null)) !== null

  const view = async (channel: NotifyChannel): Promise<ChannelView> => {
    if (channel.kind === 'email')
      return {
        ...channel,
        passwordStored: channel.user !== undefined && (await passwordStored(channel.name)),
      }
    const { url, ...rest } = channel
    return { ...rest, origin: webhookOrigin(url) }
  }

  /** The channel to store: a webhook without an address keeps the stored one. */
  async function complete(input: ChannelInput): Promise<NotifyChannel> {
    if (input.kind === 'email' || input.url !== undefined) return checkChannel(input)
    const storedUrl = (await readChannels(deps.configDir())).find(
      (c) => c.name === input.name && c.kind === 'webhook',
    )
    if (storedUrl?.kind !== 'webhook')
      throw new EngineError('InvalidInput', `enter the address of the webhook ${input.name}`)
    return checkChannel({ ...input, url: storedUrl.url })
  }

  return {
    async list(): Promise<ChannelView[]> {
      return Promise.all((await readChannels(deps.configDir())).map(view))
    },

    async save(input: ChannelInput, password: string | undefined, replace: boolean): Promise<ChannelView> {
      const channel = await complete(input)
      const exists = (await readChannels(deps.configDir())).some((c) => c.name === channel.name)
      if (exists && !replace)
        throw new EngineError('InvalidInput', `a notification channel named '${channel.name}' exists already`)
      const login = channel.kind === 'email' && channel.user !== undefined
      if (login && password !== undefined) await deps.keychain().set('smtp-password', password, channel.name)
      else if (login && !(await passwordStored(channel.name)))
        throw new EngineError('InvalidInput', `enter the SMTP password of ${channel.name}: none is stored`)
      else if (!login)
        await deps
          .keychain()
          .delete('smtp-password', channel.name)
          .catch(() => false)
      await saveChannel(deps.configDir(), channel, true)
      return view(channel)
    },

    async remove(name: string): Promise<boolean> {
      const removed = await removeChannel(deps.configDir(), name)
      await deps
        .keychain()
        .delete('smtp-password', name)
        .catch(() => false)
      const settings = await deps.settings.get()
      const presets = settings.presets.map((p) => withoutChannel(p, name))
      if (JSON.stringify(presets) !== JSON.stringify(settings.presets))
        await deps.settings.update({ ...settings, presets })
      return removed
    },

    /** A test message (a run of nothing, marked as a test), as `sfdbtools notify test`. */
    async test(name: string): Promise<{ sent: true }> {
      const [channel] = pickChannels(await readChannels(deps.configDir()), [name])
      if (channel === undefined)
        throw new EngineError('InvalidInput', `no notification channel named '${name}'`)
      const summary = renderSummary(testResult(), { profile: 'test message' })
      await sendToChannel(channel, summary, deps.keychain(), deps.senders ?? defaultSenders())
      return { sent: true }
    },
  }
}

export type NotifyService = ReturnType<typeof createNotifyService>
