/** Handlers of the backups domain: the dry-run, starting and cancelling jobs, what runs. */
import { ok } from '../../../../shared/result.ts'
import type { DomainHandlers, Services } from './services.ts'
import { toResult } from './to-result.ts'

export function backupHandlers({ backups, platform }: Services): DomainHandlers<'backups'> {
  return {
    'backups:plan': ({ request }) => toResult(() => backups.plan(request)),
    'backups:start': ({ request, presetId }) =>
      toResult(() =>
        backups.start(request, { trigger: 'manual', ...(presetId === undefined ? {} : { presetId }) }),
      ),
    'backups:cancel': ({ jobId }) => ok({ cancelling: platform.jobs().cancel(jobId) }),
    'backups:running': () => ok(platform.jobs().running()),
    'backups:retry': ({ jobId }) => toResult(() => backups.retry(jobId)),
  }
}
