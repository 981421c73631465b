/**
 * "Retry failed": the request that runs again what a finished backup job did not write, with the same
 * options — the databases whose file failed, was cancelled or skipped, never one that succeeded.
 */
import { targetWritten } from '../../../shared/backup-types.ts'
import type { BackupRequestInput, JobRecord } from '../../../shared/ipc.ts'
import { EngineError } from '../../engine/errors.ts'

const succeeded = (record: JobRecord): string[] =>
  record.targets.filter(targetWritten).flatMap((t) => t.databases)

/** Whether a mode writes one file for the whole selection (a retry then runs all of it again). */
const oneFile = (request: BackupRequestInput): boolean =>
  request.mode === 'single' ||
  request.mode === 'all' ||
  (request.mode === 'filter' && request.filterMode === 'single-file')

/**
 * The retry of `record`'s failed files.
 * @throws EngineError InvalidInput when the job is not a backup started from a request, or nothing failed.
 */
export function retryRequest(record: JobRecord): BackupRequestInput {
  const { request } = record
  if (record.kind !== 'backup' || request === null)
    throw new EngineError(
      'InvalidInput',
      `job ${record.jobId} is not a backup this app started: it cannot be retried`,
    )
  if (record.status === 'success' || record.status === 'success_with_warnings')
    throw new EngineError(
      'InvalidInput',
      `every file of job ${record.jobId} was written: there is nothing to retry`,
    )
  if (oneFile(request)) return request
  const done = new Set(succeeded(record))
  if (request.mode === 'filter') {
    const databases = request.databases.filter((d) => !done.has(d))
    if (databases.length === 0)
      throw new EngineError(
        'InvalidInput',
        `every database of job ${record.jobId} was written: there is nothing to retry`,
      )
    // Table rules of the databases retried only (those of a written one would name a database not backed up).
    const tables =
      request.tables === undefined
        ? undefined
        : Object.fromEntries(Object.entries(request.tables).filter(([db]) => databases.includes(db)))
    return { ...request, databases, ...(tables === undefined ? {} : { tables }) }
  }
  // primary / secondary choose their databases by name rules: leave out the ones already written.
  return { ...request, excludeDatabases: [...new Set([...request.excludeDatabases, ...done])] }
}
