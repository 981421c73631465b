/**
 * Settings → Destinations and Settings → Notifications: the offsite destinations and notification channels
 * as main lists them (never a secret: only whether one is stored), saved and removed through main (a secret
 * travels in, never back), and the outcome of each one's Test button.
 */
import { create } from 'zustand'
import type { Destination } from '../../../shared/destination.ts'
import type { ChannelInput, ChannelView, DestinationView } from '../../../shared/ipc.ts'
import type { AppError } from '../../../shared/result.ts'
import {
  listChannels,
  listDestinations,
  removeChannel,
  removeDestination,
  saveChannel,
  saveDestination,
  testChannel,
  testDestination,
} from '../lib/api.ts'
import { useSettingsStore } from './settings-store.ts'

/** A Test button's outcome: running, passed (with where the probe went), or the error. */
export type TestState =
  { state: 'running' } | { state: 'passed'; url: string | null } | { state: 'failed'; error: AppError }

export interface OffsiteState {
  destinations: DestinationView[]
  channels: ChannelView[]
  loaded: boolean
  loadError: AppError | null
  /** Test outcomes by `destination:<name>` / `channel:<name>`. */
  tests: Record<string, TestState>
  load(): Promise<void>
  saveDestination(
    destination: Destination,
    secret: string | undefined,
    replace: boolean,
  ): Promise<AppError | null>
  removeDestination(name: string): Promise<AppError | null>
  testDestination(name: string): Promise<void>
  saveChannel(channel: ChannelInput, password: string | undefined, replace: boolean): Promise<AppError | null>
  removeChannel(name: string): Promise<AppError | null>
  testChannel(name: string): Promise<void>
}

export const testKey = (kind: 'destination' | 'channel', name: string): string => `${kind}:${name}`

const byName = <T extends { name: string }>(list: T[], item: T): T[] =>
  list.some((x) => x.name === item.name)
    ? list.map((x) => (x.name === item.name ? item : x))
    : [...list, item]

export const useOffsiteStore = create<OffsiteState>()((set, get) => {
  const forget = (key: string): void => {
    const { [key]: _old, ...tests } = get().tests
    set({ tests })
  }
  const test = async (
    key: string,
    run: () => Promise<{ ok: true; url: string | null } | { ok: false; error: AppError }>,
  ) => {
    set({ tests: { ...get().tests, [key]: { state: 'running' } } })
    const outcome = await run()
    set({
      tests: {
        ...get().tests,
        [key]: outcome.ok ? { state: 'passed', url: outcome.url } : { state: 'failed', error: outcome.error },
      },
    })
  }
  // A removal also leaves the presets that named it: main changed the settings, read them again.
  const reloadSettings = (): void => void useSettingsStore.getState().load()

  return {
    destinations: [],
    channels: [],
    loaded: false,
    loadError: null,
    tests: {},

    load: async () => {
      const [destinations, channels] = await Promise.all([listDestinations(), listChannels()])
      set({
        destinations: destinations.ok ? destinations.value.destinations : get().destinations,
        channels: channels.ok ? channels.value.channels : get().channels,
        loaded: destinations.ok && channels.ok,
        loadError: !destinations.ok ? destinations.error : !channels.ok ? channels.error : null,
      })
    },

    saveDestination: async (destination, secret, replace) => {
      const result = await saveDestination(destination, secret, replace)
      if (!result.ok) return result.error
      set({ destinations: byName(get().destinations, result.value) })
      forget(testKey('destination', destination.name))
      return null
    },

    removeDestination: async (name) => {
      const result = await removeDestination(name)
      if (!result.ok) return result.error
      set({ destinations: get().destinations.filter((d) => d.name !== name) })
      forget(testKey('destination', name))
      reloadSettings()
      return null
    },

    testDestination: (name) =>
      test(testKey('destination', name), async () => {
        const result = await testDestination(name)
        return result.ok ? { ok: true, url: result.value.url } : { ok: false, error: result.error }
      }),

    saveChannel: async (channel, password, replace) => {
      const result = await saveChannel(channel, password, replace)
      if (!result.ok) return result.error
      set({ channels: byName(get().channels, result.value) })
      forget(testKey('channel', channel.name))
      return null
    },

    removeChannel: async (name) => {
      const result = await removeChannel(name)
      if (!result.ok) return result.error
      set({ channels: get().channels.filter((c) => c.name !== name) })
      forget(testKey('channel', name))
      reloadSettings()
      return null
    },

    testChannel: (name) =>
      test(testKey('channel', name), async () => {
        const result = await testChannel(name)
        return result.ok ? { ok: true, url: null } : { ok: false, error: result.error }
      }),
  }
})
