/** Handlers of the settings domain: the app's settings file, and what a retention policy would remove. */
import { previewRetention } from '../../services/retention-preview.ts'
import type { DomainHandlers, Services } from './services.ts'
import { toResult } from './to-result.ts'

export function settingsHandlers({ settings }: Services): DomainHandlers<'settings'> {
  return {
    'settings:get': () => toResult(() => settings.get()),
    'settings:update': ({ settings: next }) => toResult(() => settings.update(next)),
    'settings:retention-preview': ({ outputDir, retentionDays, minBackups }) =>
      toResult(() => previewRetention(outputDir, { retentionDays, minBackups })),
  }
}
