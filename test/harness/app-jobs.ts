/**
 * The app's real job supervisor for handler and e2e tests: each backup runs in its own process from the
 * built job entry (out/main/backup-job.js), started with child_process.fork where Electron would start a
 * utility process — same entry, same protocol, same supervision.
 */
import { join } from 'node:path'
import type { JobEvent } from '../../shared/job-protocol.ts'
import { createJobJournal } from '../../electron/main/jobs/job-journal.ts'
import { createNodeForker } from '../../electron/main/jobs/node-fork.ts'
import { createJobSupervisor, type JobSupervisor } from '../../electron/main/jobs/supervisor.ts'
import { osKeychain } from '../../electron/engine/secrets/keychain.ts'
import { appPresetNotifier } from '../../electron/main/services/preset-notify.ts'
import { ROOT } from './cli.ts'

export type FinalJobEvent = Extract<JobEvent, { type: 'done' | 'cancelled' | 'failed' }>

export interface TestJobs extends JobSupervisor {
  /** Every event of every job, in order. */
  events: JobEvent[]
  /** Resolves with the job's final event, once its process has ended and it left the running list. */
  finished(jobId: string): Promise<FinalJobEvent>
  /** Settles when the notifications of the presets' finished jobs have been sent (or failed). */
  notified(): Promise<void>
  /** Cancels what still runs and waits for it to end. */
  dispose(): Promise<void>
}

export function createTestJobs(
  onEvent: (event: JobEvent) => void = () => {},
  options: { journalIn?: string } = {},
): TestJobs {
  const events: JobEvent[] = []
  const waiting = new Map<string, (e: FinalJobEvent) => void>()
  const finals = new Map<string, FinalJobEvent>()
  const journal =
    options.journalIn === undefined
      ? undefined
      : createJobJournal(options.journalIn, (message) => {
          throw new Error(message)
        })
  // As electron/main/index.ts: a preset's job ends with its notifications (the config folder's channels).
  const presetNotifier =
    options.journalIn === undefined
      ? undefined
      : appPresetNotifier({ configDir: options.journalIn, keychain: osKeychain(), journal })
  const supervisor = createJobSupervisor({
    forkJob: createNodeForker(join(ROOT, 'out', 'main', 'backup-job.js'), { output: 'ignore' }),
    ...(journal === undefined ? {} : { journal }),
    onFinished: (jobId, outcome, info) => void presetNotifier?.jobFinished(jobId, outcome, info),
    onEvent(event) {
      events.push(event)
      onEvent(event)
      if (event.type === 'done' || event.type === 'cancelled' || event.type === 'failed') {
        finals.set(event.jobId, event)
        waiting.get(event.jobId)?.(event)
      }
    },
  })
  return {
    ...supervisor,
    events,
    async finished(jobId) {
      const ended = supervisor.whenFinished(jobId)
      const final = await new Promise<FinalJobEvent>((resolve) => {
        const known = finals.get(jobId)
        if (known) resolve(known)
        else waiting.set(jobId, resolve)
      })
      await ended
      return final
    },
    notified: async () => presetNotifier?.idle(),
    async dispose() {
      supervisor.cancelAll()
      await supervisor.whenIdle()
      await presetNotifier?.idle()
    },
  }
}
