/**
 * The job process of a backup or restore, forked by the CLI's entry before anything else loads: Node and the
 * engine take ≈ 0.2 s to start in it on 2 cores, and that now overlaps the command's own loading, the profile
 * key's derivation and the planning queries instead of following them. Only Node's own modules and two
 * small ones load here; the supervision (job-runner.ts) comes with the command.
 */
import { jobEnvironment } from '../engine/child-env.ts'
import type { JobChild } from '../engine/jobs/job-child.ts'
import { forkNodeJobChild, JOB_V8_FLAGS, PREPARE_DUMP_ARG } from '../engine/jobs/node-job-child.ts'
import { mark } from '../engine/timing.ts'
import { SECRET_ENV } from './key-env.ts'

/** This process's environment without the key variables: the job gets its keys in the plan, never inherited. */
function environmentWithoutSecrets(): NodeJS.ProcessEnv {
  const env = jobEnvironment()
  for (const name of SECRET_ENV) delete env[name]
  return env
}

/**
 * `entry`: the built job entry (out/main/backup-job.js), see CliContext.jobEntry; `backup`: the job will run
 * a backup (it prepares its first dump while it waits for the plan).
 */
export function forkJobProcess(entry: string, backup = false): JobChild {
  // detached: a terminal's Ctrl-C reaches only this process, which turns it into a clean cancel.
  const child = forkNodeJobChild(entry, {
    detached: true,
    execArgv: [...process.execArgv, ...JOB_V8_FLAGS],
    env: environmentWithoutSecrets(),
    ...(backup ? { args: [PREPARE_DUMP_ARG] } : {}),
  })
  mark('cli: job process forked')
  return child
}
