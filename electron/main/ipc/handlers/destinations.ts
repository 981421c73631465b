/** Handlers of Settings → Destinations: a destination's secret comes in here and never goes back out. */
import type { DomainHandlers, Services } from './services.ts'
import { toResult } from './to-result.ts'

export function destinationHandlers({ destinations, restores }: Services): DomainHandlers<'destinations'> {
  return {
    'destinations:list': () => toResult(async () => ({ destinations: await destinations.list() })),
    'destinations:save': ({ destination, secret, replace }) =>
      toResult(() => destinations.save(destination, secret, replace)),
    'destinations:remove': ({ name }) => toResult(async () => ({ removed: await destinations.remove(name) })),
    'destinations:test': ({ name }) => toResult(() => destinations.test(name)),
    'destinations:prune-preview': ({ name, retention }) =>
      toResult(() => destinations.prunePreview(name, retention)),
    // The restore's view of a destination: the backups it can read there.
    'destinations:files': ({ name }) => toResult(() => restores.remoteFiles(name)),
  }
}
