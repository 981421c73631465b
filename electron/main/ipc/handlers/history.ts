/** Handlers of the history domain: backups found in the history folders, and their verify jobs. */
import type { DomainHandlers, Services } from './services.ts'
import { toResult } from './to-result.ts'

export function historyHandlers({ history, restores }: Services): DomainHandlers<'history'> {
  return {
    'history:list': (filter) => toResult(() => history.list(filter)),
    'history:details': ({ metaPath }) => toResult(() => history.details(metaPath)),
    'history:verify': ({ file }) => toResult(() => history.verify(file)),
    'history:verify-cancel': ({ jobId }) => toResult(() => history.cancelVerify(jobId)),
    'history:verifying': () => toResult(() => history.verifying()),
    'history:open-folder': ({ file }) => toResult(() => history.openFolder(file)),
    'history:delete': ({ metaPath }) => toResult(() => history.remove(metaPath)),
    'history:restore-tests': ({ files }) => toResult(() => restores.lastTests(files)),
  }
}
