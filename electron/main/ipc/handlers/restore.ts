/** Handlers of the restore domain: what a file holds, the target as it is, the dry-run, restore and test jobs. */
import { ok } from '../../../../shared/result.ts'
import type { DomainHandlers, Services } from './services.ts'
import { toResult } from './to-result.ts'

export function restoreHandlers({ restores }: Services): DomainHandlers<'restore'> {
  return {
    'restore:describe': ({ file, destination }) => toResult(() => restores.describe(file, destination)),
    'restore:target': ({ profile, database }) => toResult(() => restores.target(profile, database)),
    'restore:plan': ({ request }) => toResult(() => restores.plan(request)),
    'restore:start': ({ request }) => toResult(() => restores.start(request)),
    'restore:test': ({ request }) => toResult(() => restores.test(request)),
    'restore:cancel': ({ jobId }) => ok(restores.cancel(jobId)),
    'restore:running': () => ok(restores.running()),
  }
}
