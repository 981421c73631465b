/** Handlers of Settings → Notifications: an SMTP password or a webhook's address comes in, never back out. */
import type { DomainHandlers, Services } from './services.ts'
import { toResult } from './to-result.ts'

export function notifyHandlers({ notify }: Services): DomainHandlers<'notify'> {
  return {
    'notify:list': () => toResult(async () => ({ channels: await notify.list() })),
    'notify:save': ({ channel, password, replace }) =>
      toResult(() => notify.save(channel, password, replace)),
    'notify:remove': ({ name }) => toResult(async () => ({ removed: await notify.remove(name) })),
    'notify:test': ({ name }) => toResult(() => notify.test(name)),
  }
}
