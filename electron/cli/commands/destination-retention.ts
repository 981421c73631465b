/**
 * Retention on destinations from the command line: the `--retention-days/--min-backups` flags of
 * `destination add-*`, `destination set-retention`, and `destination prune` (a dry run unless `--apply`).
 */
import type { Destination, DestinationRetention } from '../../../shared/destination.ts'
import { EngineError } from '../../engine/errors.ts'
import { findDestinations, loadDestinations, putDestination } from '../../engine/offsite/destinations.ts'
import { pruneDestination, type RemoteRetentionPlan } from '../../engine/offsite/remote-retention.ts'
import type { RemoteRetentionResult } from '../../engine/offsite/remote-retention.ts'
import { bool, intFlag, parseFlags, UsageError, type Parsed } from '../args.ts'
import type { CliContext } from '../context.ts'
import { runDestinations, sftpHostKeys } from '../offsite.ts'
import { formatBytes } from '../terminal.ts'

export const RETENTION_FLAGS = {
  'retention-days': { type: 'string' },
  'min-backups': { type: 'string' },
} as const

/** The retention the flags give; undefined when neither is given; both or neither. */
export function retentionOf(p: Parsed): DestinationRetention | undefined {
  const retentionDays = intFlag(p, 'retention-days')
  const minBackups = intFlag(p, 'min-backups')
  if (retentionDays === undefined && minBackups === undefined) return undefined
  if (retentionDays === undefined || minBackups === undefined)
    throw new UsageError('--retention-days and --min-backups go together')
  if (retentionDays < 1 || minBackups < 1)
    throw new UsageError('--retention-days and --min-backups must be at least 1')
  return { retentionDays, minBackups }
}

/**
 * The retention of a destination being added: the flags', else the one it had (adding it again to change
 * its path or secret keeps its retention; `set-retention --off` removes it).
 */
export async function retentionFor(
  p: Parsed,
  ctx: CliContext,
  name: string,
): Promise<{ retention?: DestinationRetention }> {
  const given = retentionOf(p)
  if (given) return { retention: given }
  const before = (await loadDestinations(ctx.configDir)).find((d) => d.name === name)?.retention
  return before ? { retention: before } : {}
}

export const describeRetention = (r: DestinationRetention | undefined): string =>
  r
    ? `retention ${r.retentionDays} days, the newest ${r.minBackups} of each database set kept`
    : 'no retention'

/** `destination set-retention NAME (--retention-days N --min-backups M | --off)`. */
export async function setRetention(rest: string[], ctx: CliContext): Promise<number> {
  const p = parseFlags(rest, { ...RETENTION_FLAGS, off: { type: 'boolean' } }, true)
  const [name] = p.positionals
  if (!name || p.positionals.length > 1)
    throw new UsageError('destination set-retention NAME --retention-days N --min-backups M | --off')
  const retention = retentionOf(p)
  if (bool(p, 'off') === (retention !== undefined))
    throw new UsageError('give either --retention-days N --min-backups M, or --off')
  const [found] = await findDestinations(ctx.configDir, [name])
  if (!found) throw new UsageError('destination set-retention NAME')
  const { retention: _old, ...rest0 } = found
  const changed: Destination = retention ? { ...rest0, retention } : rest0
  await putDestination(ctx.configDir, changed)
  ctx.out(`destination ${name}: ${describeRetention(retention)}`)
  return 0
}

const pad = (n: number): string => String(n).padStart(2, '0')
/** Local time, as `sfdbtools cleanup` prints it. */
const day = (d: Date | null): string =>
  d
    ? `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`
    : 'unknown date'

function planJson(plan: RemoteRetentionPlan, result: RemoteRetentionResult | null) {
  const set = (x: RemoteRetentionPlan['remove'][number]) => ({
    dump: x.set.dump,
    date: x.set.date?.toISOString() ?? null,
    databases: x.set.databases,
    files: x.set.files.map((f) => f.name),
    bytes: x.set.bytes,
    reason: x.reason,
  })
  return {
    destination: plan.destination,
    dryRun: result === null,
    policy: plan.policy,
    cutoff: plan.cutoff?.toISOString() ?? null,
    remove: plan.remove.map(set),
    keep: plan.keep.map(set),
    ignored: plan.ignored,
    bytes: plan.bytes,
    ...(result ? { removed: result.removed, bytesFreed: result.bytes, errors: result.errors } : {}),
  }
}

function printPlan(ctx: CliContext, plan: RemoteRetentionPlan, result: RemoteRetentionResult | null): void {
  ctx.out(`${plan.destination}: ${describeRetention(plan.policy)}`)
  for (const x of plan.remove)
    ctx.out(
      `remove  ${day(x.set.date)}  ${x.set.dump}  (${x.set.files.length} files, ${formatBytes(x.set.bytes)})  ${x.reason}`,
    )
  for (const x of plan.keep) ctx.out(`keep    ${day(x.set.date)}  ${x.set.dump}  ${x.reason}`)
  for (const i of plan.ignored) ctx.out(`left alone: ${i.name} (${i.reason})`)
  const sets = `${plan.remove.length} backup set${plan.remove.length === 1 ? '' : 's'}`
  if (result === null) {
    ctx.out(
      plan.remove.length === 0
        ? 'dry run: nothing to remove'
        : `dry run: ${sets} (${formatBytes(plan.bytes)}) would be removed; run again with --apply to remove them`,
    )
    return
  }
  for (const e of result.errors) ctx.err(`could not remove ${e.name}: ${e.message}`)
  ctx.out(
    `removed ${result.removed.length} of ${sets} (${formatBytes(result.bytes)}) from ${plan.destination}`,
  )
}

/** `destination prune NAME [--apply] [--json]`: the destination's retention, a dry run unless --apply. */
export async function prune(rest: string[], ctx: CliContext): Promise<number> {
  const p = parseFlags(
    rest,
    { apply: { type: 'boolean' }, json: { type: 'boolean' }, 'ssh-insecure': { type: 'boolean' } },
    true,
  )
  const [name] = p.positionals
  if (!name || p.positionals.length > 1) throw new UsageError('destination prune NAME [--apply] [--json]')
  const [run] = await runDestinations([name], ctx)
  if (!run) throw new UsageError('destination prune NAME')
  if (!run.destination.retention)
    throw new EngineError(
      'InvalidInput',
      `the destination ${name} has no retention: set one with sfdbtools destination set-retention ${name} --retention-days N --min-backups M`,
    )
  const { plan, result } = await pruneDestination(run, sftpHostKeys(ctx, bool(p, 'ssh-insecure')), {
    apply: bool(p, 'apply'),
  })
  if (bool(p, 'json')) ctx.out(JSON.stringify(planJson(plan, result)))
  else printPlan(ctx, plan, result)
  return result && result.errors.length > 0 ? 1 : 0
}
