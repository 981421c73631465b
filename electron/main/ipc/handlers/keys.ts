/** Handlers of the keys domain: secrets come in here and never go back out. */
import type { DomainHandlers, Services } from './services.ts'
import { toResult } from './to-result.ts'

export function keyHandlers({ keys, profiles }: Services): DomainHandlers<'keys'> {
  return {
    'keys:status': () => toResult(async () => keys.status(await profiles.names())),
    'keys:set': ({ kind, profile, secret }) =>
      toResult(async () => {
        keys.checkEntry(kind, profile)
        // A profile key that opens none of the saved profiles is a typo, not a key to keep.
        if (kind === 'profile-key') await profiles.assertKeyOpensAny(secret)
        await keys.store(kind, secret, profile)
        return { stored: true as const }
      }),
    'keys:delete': ({ kind, profile }) =>
      toResult(async () => ({ deleted: await keys.remove(kind, profile) })),
    'keys:unlock': ({ secret }) =>
      toResult(async () => {
        await profiles.assertKeyOpensAny(secret)
        keys.unlock(secret)
        return { unlocked: true as const }
      }),
  }
}
