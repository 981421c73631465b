/**
 * Retention on a destination (`retention` of a folder, SFTP or S3 destination): over any destination session,
 * the backup sets this project wrote there — each recognised by its `.meta.json` in our format, naming its
 * own dump — planned with the local rule (retention/retention.ts planRetention: the newest `minBackups` of
 * each database set and server stay, any other set older than `retentionDays` goes; the age from the
 * metadata's timestamp, never the remote mtime), then removed: the dump first, its companions, the
 * `.meta.json` last, so a set removed halfway is still recognised next time. A file without our metadata is
 * never touched.
 */
import { basename, resolve } from 'node:path'
import type { DestinationRetention } from '../../../shared/destination.ts'
import { META_SUFFIX } from '../backup/metadata.ts'
import type { CatalogEntry } from '../catalog/catalog-entry.ts'
import { conventionalCompanions } from '../catalog/companions.ts'
import { parseBackupMetadata } from '../catalog/read-metadata.ts'
import { EngineError, toEngineError } from '../errors.ts'
import { planRetention } from '../retention/retention.ts'
import { openDestination, type RunDestination } from './session.ts'
import type { SftpHostKeys } from './sftp-copy.ts'
import { readSmallFile, type DestinationSession, type RemoteFile } from './transfer.ts'

/** Larger than any metadata we write: such a `.meta.json` is not read, and not ours. */
const MAX_META_BYTES = 1024 * 1024

/** Where the destination's names are laid out for the catalog's parser (names only, never read as a path). */
const virtualPath = (name: string): string => resolve('/', name)

/** One backup set on a destination. */
export interface RemoteBackupSet {
  /** The dump's name on the destination (also when it is gone). */
  dump: string
  metadata: string
  /** Whether the dump is there: a set whose dump is gone (removed halfway) never counts as kept. */
  dumpPresent: boolean
  /** The files of the set present on the destination: the dump first, the companions, the metadata last. */
  files: RemoteFile[]
  bytes: number
  /** When the backup was made (the metadata's timestamp); null when it records none. */
  date: Date | null
  databases: string[]
  server: string | null
}

export interface RemoteRetentionDecision {
  set: RemoteBackupSet
  reason: string
}

export interface RemoteRetentionPlan {
  destination: string
  policy: DestinationRetention
  /** Sets made before this may go. */
  cutoff: Date | null
  remove: RemoteRetentionDecision[]
  keep: RemoteRetentionDecision[]
  /** Bytes the removal frees. */
  bytes: number
  /** `.meta.json` files that are not ours (or not readable): left alone, with why. */
  ignored: { name: string; reason: string }[]
}

export interface RemoteRetentionResult {
  /** The sets removed, each with the files that went. */
  removed: { dump: string; files: string[]; bytes: number }[]
  bytes: number
  errors: { name: string; message: string }[]
}

/** The catalog entry of one `.meta.json` of ours naming its own dump, or why it is not one. */
function entryOf(text: string, name: string): CatalogEntry | string {
  let entry: CatalogEntry
  try {
    entry = parseBackupMetadata(text, virtualPath(name))
  } catch (e) {
    return toEngineError(e).message.replace(`${virtualPath(name)}: `, '')
  }
  if (entry.source !== 'ours') return 'not metadata of sfDBTools Desktop'
  const recorded = entry.recordedFile ? basename(entry.recordedFile.replace(/\\/g, '/')) : null
  if (recorded !== entry.fileName) return `it describes ${recorded ?? 'no file'}, not ${entry.fileName}`
  return entry
}

/** The set of one recognised metadata: its companions only under our own names, `<dump>.users.sql|.gtid`. */
function setOf(entry: CatalogEntry, byName: Map<string, RemoteFile>): RemoteBackupSet {
  const dump = entry.fileName
  const allowed = new Set(conventionalCompanions(virtualPath(dump), 'ours').map((p) => basename(p)))
  const companions = entry.companions.map((p) => basename(p)).filter((n) => allowed.has(n) && byName.has(n))
  const metadata = dump + META_SUFFIX
  const files = [dump, ...companions, metadata].flatMap((n) => byName.get(n) ?? [])
  return {
    dump,
    metadata,
    dumpPresent: byName.has(dump),
    files,
    bytes: files.reduce((sum, f) => sum + f.bytes, 0),
    date: entry.startedAt,
    databases: entry.databases,
    server: entry.hostname ?? entry.host,
  }
}

/** Every backup set this project wrote on the destination, and the `.meta.json` files left alone. */
export async function findRemoteSets(session: DestinationSession): Promise<{
  sets: { set: RemoteBackupSet; entry: CatalogEntry }[]
  ignored: RemoteRetentionPlan['ignored']
}> {
  const files = await session.list()
  const byName = new Map(files.map((f) => [f.name, f]))
  const sets: { set: RemoteBackupSet; entry: CatalogEntry }[] = []
  const ignored: RemoteRetentionPlan['ignored'] = []
  for (const f of files) {
    if (!f.name.endsWith(META_SUFFIX)) continue
    if (f.name === META_SUFFIX) {
      ignored.push({ name: f.name, reason: 'it names no backup file' })
      continue
    }
    if (f.bytes > MAX_META_BYTES) {
      ignored.push({ name: f.name, reason: 'too large to be our metadata' })
      continue
    }
    const text = await readSmallFile(session, f.name, MAX_META_BYTES)
    const entry = text === null ? 'too large to be our metadata' : entryOf(text, f.name)
    if (typeof entry === 'string') ignored.push({ name: f.name, reason: entry })
    else {
      const present = { ...entry, fileExists: byName.has(entry.fileName), modifiedAt: null }
      sets.push({ set: setOf(present, byName), entry: present })
    }
  }
  return { sets, ignored }
}

/**
 * What retention would remove from the destination now: nothing is removed. Pure over what it reads: the
 * listing and the metadata files.
 */
export async function planDestinationRetention(
  session: DestinationSession,
  destination: string,
  policy: DestinationRetention,
  now: Date = new Date(),
): Promise<RemoteRetentionPlan> {
  const { sets, ignored } = await findRemoteSets(session)
  const byMeta = new Map(sets.map((s) => [s.entry.metaPath, s.set]))
  const planned = planRetention(
    sets.map((s) => s.entry),
    policy,
    now,
  )
  const decide = (entries: CatalogEntry[]): RemoteRetentionDecision[] =>
    entries
      .map((e) => ({
        set: byMeta.get(e.metaPath) as RemoteBackupSet,
        reason: planned.reasons.get(e.metaPath) ?? '',
      }))
      .sort((a, b) => backupTime(a.set) - backupTime(b.set) || a.set.dump.localeCompare(b.set.dump))
  const remove = decide(planned.remove)
  return {
    destination,
    policy,
    cutoff: planned.cutoff,
    remove,
    keep: decide(planned.keep),
    bytes: remove.reduce((sum, d) => sum + d.set.bytes, 0),
    ignored,
  }
}

const backupTime = (s: RemoteBackupSet): number => s.date?.getTime() ?? Infinity

/**
 * Removes the planned sets: of each, the dump first, then its companions, the `.meta.json` last. A dump
 * that cannot be removed keeps the rest of its set (still described, found next time); other errors are
 * collected per file and never stop the run.
 */
export async function applyDestinationRetention(
  session: DestinationSession,
  plan: RemoteRetentionPlan,
): Promise<RemoteRetentionResult> {
  const result: RemoteRetentionResult = { removed: [], bytes: 0, errors: [] }
  for (const { set } of plan.remove) {
    const gone: string[] = []
    let bytes = 0
    for (const file of set.files) {
      try {
        await session.remove(file.name)
        gone.push(file.name)
        bytes += file.bytes
      } catch (e) {
        result.errors.push({ name: file.name, message: toEngineError(e).message })
        if (file.name === set.dump) break
      }
    }
    if (gone.length > 0) result.removed.push({ dump: set.dump, files: gone, bytes })
    result.bytes += bytes
  }
  return result
}

/**
 * `destination prune` and the retention after copies: opens the destination, plans its retention and —
 * with `apply` — removes the planned sets. Throws when the destination cannot be read.
 */
export async function pruneDestination(
  run: RunDestination,
  hostKeys: SftpHostKeys,
  options: { apply: boolean; now?: Date },
): Promise<{ plan: RemoteRetentionPlan; result: RemoteRetentionResult | null }> {
  const d = run.destination
  if (!d.retention) throw new EngineError('InvalidInput', `the destination ${d.name} has no retention`)
  const session = await openDestination(run, hostKeys)
  try {
    const plan = await planDestinationRetention(session, d.name, d.retention, options.now)
    const result = options.apply ? await applyDestinationRetention(session, plan) : null
    return { plan, result }
  } finally {
    session.close()
  }
}

/**
 * The retention of a destination after backups were copied to it (the CLI's `--copy-to`, the app after its
 * copies): applied when the destination has one, each removal logged. Never throws — the backups are
 * already copied, so a problem here is a warning. Null when the destination has no retention or it failed.
 */
export async function retentionAfterCopies(
  run: RunDestination,
  hostKeys: SftpHostKeys,
  log: (level: 'info' | 'warn', message: string) => void,
  now?: Date,
): Promise<RemoteRetentionResult | null> {
  const name = run.destination.name
  if (!run.destination.retention) return null
  try {
    const { plan, result } = await pruneDestination(run, hostKeys, { apply: true, ...(now ? { now } : {}) })
    const reasons = new Map(plan.remove.map((d) => [d.set.dump, d.reason]))
    for (const r of result?.removed ?? [])
      log(
        'info',
        `retention on ${name}: removed ${r.dump} (${r.files.length} files; ${reasons.get(r.dump) ?? ''})`,
      )
    for (const e of result?.errors ?? [])
      log('warn', `retention on ${name}: could not remove ${e.name}: ${e.message}`)
    return result
  } catch (e) {
    log('warn', `retention on ${name} failed: ${toEngineError(e).message}; nothing more was removed there`)
    return null
  }
}
