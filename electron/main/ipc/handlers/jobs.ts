/** Handlers of the jobs domain: the job history that survives restarts, and each finished job's log. */
import { writeFile } from 'node:fs/promises'
import { isAbsolute } from 'node:path'
import { EngineError } from '../../../engine/errors.ts'
import { jobLogPath, readJobJournal, readJobLog } from '../../jobs/job-journal.ts'
import type { DomainHandlers, Services } from './services.ts'
import { toResult } from './to-result.ts'

/** A job id of ours, else InvalidInput (an id names a file of the history: nothing else may). */
function checkedId(configDir: string, jobId: string): string {
  if (jobLogPath(configDir, jobId) === null)
    throw new EngineError('InvalidInput', `'${jobId}' is not a job id`)
  return jobId
}

export function jobHandlers({ platform }: Services): DomainHandlers<'jobs'> {
  const logOf = async (jobId: string): Promise<string> => {
    const text = await readJobLog(platform.configDir(), checkedId(platform.configDir(), jobId))
    if (text === null) throw new EngineError('FileNotFound', `the job history has no log of job ${jobId}`)
    return text
  }
  return {
    'jobs:history': () => toResult(async () => ({ records: await readJobJournal(platform.configDir()) })),
    'jobs:log': ({ jobId }) =>
      toResult(async () => ({
        jobId,
        text: await readJobLog(platform.configDir(), checkedId(platform.configDir(), jobId)),
      })),
    'jobs:save-log': ({ jobId, title }) =>
      toResult(async () => {
        const text = await logOf(jobId)
        const path = await platform.pickSavePath({ title, defaultPath: `${jobId}.log` })
        if (path === null) return { saved: null }
        if (!isAbsolute(path)) throw new EngineError('InvalidInput', `give an absolute path, got '${path}'`)
        // The user's own file: 0600 like every log the app writes (it names servers and databases).
        await writeFile(path, text, { mode: 0o600 })
        return { saved: path }
      }),
  }
}
