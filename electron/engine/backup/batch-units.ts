/**
 * Which targets of a run share one dump (batch-dump.ts runs them): decided the same way by the planner (the
 * dry-run shows the first dump and how many there are) and by the job. No heavy imports: the CLI's planner
 * loads it.
 */
import type { BackupPlan, PlanTarget } from '../../../shared/job-protocol.ts'
import type { DumpBinary } from '../dump/dump-binary.ts'
import { splittableName } from './dump-splitter.ts'

/** Databases above this estimate are dumped alone: their data, not the dump's start, is what takes time. */
export const BATCH_MAX_DATABASE_BYTES = 16 * 1024 * 1024
/** At most this many files open at once in one batch (each keeps its compressor until the batch ends). */
export const BATCH_MAX_DATABASES = 16
/** At most this much estimated data in one batch: a failed batch is dumped again one database at a time. */
const BATCH_MAX_BYTES = 64 * 1024 * 1024

/**
 * Whether the targets of a run may be batched at all: one database each, mariadb-dump (whose output format
 * the split is tested against), no extra dump arguments (they may change the comments it splits on), no GTID
 * capture (each file has its own snapshot's coordinates).
 */
export const batchingApplies = (plan: BackupPlan, binary: Pick<DumpBinary, 'flavor'>): boolean =>
  plan.targets.length > 1 &&
  binary.flavor === 'mariadb' &&
  plan.extraDumpArgs.length === 0 &&
  !plan.captureGtid &&
  // Table rules add arguments (and maybe dumps) of one file's own.
  !plan.targets.some((t) => t.tables !== undefined) &&
  process.env.SFDB_BATCH_DUMPS !== '0'

/** A target that can be in a batch: one small database with a plain name and no views. */
const batchable = (target: PlanTarget, viewDatabases: ReadonlySet<string>): boolean => {
  const database = target.databases[0] as string
  return (
    target.databases.length === 1 &&
    splittableName(database) &&
    // mariadb-dump writes every database's views in a second pass after all the tables.
    !viewDatabases.has(database) &&
    target.estimatedBytes <= BATCH_MAX_DATABASE_BYTES
  )
}

/**
 * The run's units of work, in plan order: single targets and batches of at least two. Consecutive batchable
 * targets are cut into batches of even size, at least `parallel` of them (so every worker has one), at most
 * BATCH_MAX_DATABASES databases or BATCH_MAX_BYTES each.
 */
export function unitsOf(plan: BackupPlan, viewDatabases: ReadonlySet<string>, batching: boolean): number[][] {
  const units: number[][] = []
  let run: number[] = []
  const flush = (): void => {
    if (run.length > 0) units.push(...cut(run, plan))
    run = []
  }
  plan.targets.forEach((target, index) => {
    if (batching && batchable(target, viewDatabases)) {
      run.push(index)
      return
    }
    flush()
    units.push([index])
  })
  flush()
  return units
}

function cut(run: number[], plan: BackupPlan): number[][] {
  const bytes = run.reduce((s, i) => s + (plan.targets[i] as PlanTarget).estimatedBytes, 0)
  const count = Math.max(
    plan.parallel,
    Math.ceil(run.length / BATCH_MAX_DATABASES),
    Math.ceil(bytes / BATCH_MAX_BYTES),
  )
  const size = Math.ceil(run.length / count)
  if (size < 2) return run.map((i) => [i])
  const out: number[][] = []
  for (let k = 0; k < run.length; k += size) out.push(run.slice(k, k + size))
  return out
}
