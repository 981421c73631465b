/** Handlers of the settings domain: the app's settings file. */
import type { DomainHandlers, Services } from './services.ts'
import { toResult } from './to-result.ts'

export function settingsHandlers({ settings }: Services): DomainHandlers<'settings'> {
  return {
    'settings:get': () => toResult(() => settings.get()),
    'settings:update': ({ settings: next }) => toResult(() => settings.update(next)),
  }
}
