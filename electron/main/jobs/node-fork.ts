/**
 * The Node adapter: each job is a child_process.fork of the built job entry — what the e2e and
 * handler tests run in place of Electron's utility process (the CLI forks the same entry the same way).
 */
import type { JobChild } from '../../engine/jobs/job-child.ts'
import { forkNodeJobChild, JOB_V8_FLAGS } from '../../engine/jobs/node-job-child.ts'

export interface NodeForkOptions {
  /** Where the job's stdout/stderr go (default: inherit; 'pipe': line by line to the supervisor's log). */
  output?: 'inherit' | 'ignore' | 'pipe'
}

/** Returns the forkJob of the supervisor for `entry` (out/main/backup-job.js). */
export function createNodeForker(entry: string, options: NodeForkOptions = {}): () => JobChild {
  return () =>
    forkNodeJobChild(entry, {
      // Its own process group, so a kill takes the job's dump binary down with it.
      detached: true,
      execArgv: [...JOB_V8_FLAGS],
      ...(options.output === undefined ? {} : { output: options.output }),
    })
}
