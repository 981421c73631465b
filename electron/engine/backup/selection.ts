import type { BackupMode, Exclusion } from '../../../shared/backup-types.ts'
import { dedupe } from '../../../shared/name-list.ts'
import type { Notice } from '../../../shared/result.ts'
import { advice, EngineError } from '../errors.ts'
import type { DatabaseInfo } from '../mysql/server-info.ts'

/** Never backed up by primary/secondary, left out of `all` with --exclude-system (sfDBTools adds innodb). */
export const SYSTEM_DATABASES = [
  'information_schema',
  'mysql',
  'performance_schema',
  'sys',
  'innodb',
] as const

/** Companion databases of a primary one, `<db>_dmart`, `<db>_temp`, `<db>_archive`. */
export const COMPANION_SUFFIXES = ['_dmart', '_temp', '_archive'] as const
export type CompanionSuffix = (typeof COMPANION_SUFFIXES)[number]

export type FilterFileMode = 'single-file' | 'multi-file'

export interface SelectionInput {
  mode: BackupMode
  /** `single`: the database; `filter`: --db (repeatable) plus the lines of --db-file. */
  databases: string[]
  /** `filter`: one combined file or one per database. */
  filterMode?: FilterFileMode
  excludeDatabases: string[]
  excludeSystem: boolean
  excludeEmpty: boolean
  /** Companions to add next to each selected database when they exist (single, primary, secondary). */
  companions: CompanionSuffix[]
  /** primary/secondary: only names starting with this prefix (e.g. sfDBTools' `dbsf_nbc_`). */
  prefix?: string
  /** primary/secondary: `<prefix><client code>` exactly or followed by `_`. */
  clientCode?: string
  /** secondary: names containing `_secondary_<instance>`. */
  instance?: string
}

export type { Exclusion }

/** Why a database was left out, in plain words (the CLI and the app phrase reasons their own way). */
export function describeExclusion(e: Pick<Exclusion, 'reason' | 'value'>): string {
  switch (e.reason) {
    case 'system':
      return 'system database'
    case 'companion':
      return `${e.value ?? ''} companion (added only on request)`
    case 'prefix':
      return `does not start with the prefix '${e.value ?? ''}'`
    case 'notSecondary':
      return "not a secondary (no '_secondary')"
    case 'secondary':
      return "a secondary ('_secondary')"
    case 'clientCode':
      return `not client code '${e.value ?? ''}'`
    case 'instance':
      return `not instance '${e.value ?? ''}'`
    case 'excludeList':
      return 'on the exclude list'
    case 'empty':
      return 'no tables'
  }
}

export interface Selection {
  /** One entry per output file, databases in server order. */
  targets: DatabaseInfo[][]
  /** What was left out, and why (shown by the dry-run). */
  excluded: Exclusion[]
  /** Names asked for that the server does not have. */
  unknown: string[]
  warnings: Notice[]
}

const lower = (s: string): string => s.toLowerCase()
export const isSystemDatabase = (name: string): boolean =>
  (SYSTEM_DATABASES as readonly string[]).includes(lower(name))
const companionOf = (name: string): CompanionSuffix | undefined =>
  COMPANION_SUFFIXES.find((s) => lower(name).endsWith(s))

/** The server's own spelling of each asked-for name (names are compared case-insensitively, like sfDBTools). */
function lookup(server: DatabaseInfo[], names: string[]): { found: DatabaseInfo[]; unknown: string[] } {
  const byName = new Map(server.map((d) => [lower(d.name), d]))
  const found: DatabaseInfo[] = []
  const unknown: string[] = []
  for (const n of dedupe(names)) {
    const d = byName.get(lower(n))
    if (d) found.push(d)
    else unknown.push(n)
  }
  return { found, unknown }
}

const closeNames = (server: DatabaseInfo[], name: string): string[] =>
  server
    .map((d) => d.name)
    .filter((n) => lower(n).includes(lower(name)) || lower(name).includes(lower(n)))
    .slice(0, 3)

/** Candidates of primary and secondary mode, before the generic exclusions. */
function modeCandidates(
  input: SelectionInput,
  server: DatabaseInfo[],
  excluded: Exclusion[],
): DatabaseInfo[] {
  const secondary = input.mode === 'secondary'
  const prefix = input.prefix ? lower(input.prefix) : ''
  const out: DatabaseInfo[] = []
  for (const d of server) {
    const n = lower(d.name)
    const why = ((): Omit<Exclusion, 'database'> | null => {
      if (isSystemDatabase(n)) return { reason: 'system' }
      const companion = companionOf(n)
      if (companion) return { reason: 'companion', value: companion }
      if (prefix && !n.startsWith(prefix)) return { reason: 'prefix', value: input.prefix ?? '' }
      if (secondary !== n.includes('_secondary')) return { reason: secondary ? 'notSecondary' : 'secondary' }
      if (input.clientCode) {
        const base = `${prefix}${lower(input.clientCode)}`
        const ok = secondary ? n.startsWith(`${base}_secondary`) : n === base || n.startsWith(`${base}_`)
        if (!ok) return { reason: 'clientCode', value: input.clientCode }
      }
      if (secondary && input.instance && !n.includes(`_secondary_${lower(input.instance)}`))
        return { reason: 'instance', value: input.instance }
      return null
    })()
    if (why) excluded.push({ database: d.name, ...why })
    else out.push(d)
  }
  return out
}

/**
 * Which databases each output file of a run holds, from the server's list and the mode's rules (the user
 * manual's table), with every exclusion explained. Throws when nothing is left, saying which filter
 * removed what.
 */
export function selectDatabases(input: SelectionInput, server: DatabaseInfo[]): Selection {
  const excluded: Exclusion[] = []
  const warnings: Notice[] = []
  let unknown: string[] = []
  let picked: DatabaseInfo[]

  if (input.mode === 'single') {
    const name = input.databases[0]
    if (!name || input.databases.length > 1)
      throw new EngineError('InvalidInput', 'backup single takes exactly one database', {
        advice: advice('singleDatabaseRequired'),
      })
    const { found } = lookup(server, [name])
    if (!found[0])
      throw new EngineError('UnknownDatabase', `database '${name}' does not exist on the server`, {
        advice: advice('unknownDatabase', {
          database: name,
          suggestions: closeNames(server, name).join(', '),
        }),
      })
    picked = found
  } else if (input.mode === 'filter') {
    if (input.databases.length === 0)
      throw new EngineError('InvalidInput', 'backup filter needs at least one database', {
        advice: advice('filterDatabasesRequired'),
      })
    const r = lookup(server, input.databases)
    const order = new Map(server.map((d, i) => [d.name, i]))
    picked = r.found.sort((a, b) => (order.get(a.name) ?? 0) - (order.get(b.name) ?? 0))
    unknown = r.unknown
    for (const u of unknown)
      warnings.push({
        message: `database '${u}' is not on the server and is skipped`,
        advice: advice('unknownDatabase', { database: u, suggestions: closeNames(server, u).join(', ') }),
      })
  } else if (input.mode === 'all') {
    picked = []
    for (const d of server) {
      if (input.excludeSystem && isSystemDatabase(d.name))
        excluded.push({ database: d.name, reason: 'system' })
      else picked.push(d)
    }
  } else {
    picked = modeCandidates(input, server, excluded)
  }

  // Explicitly named databases are kept even when a general exclusion would drop them — except the
  // exclude list, which a user writes on purpose.
  const excludeSet = new Set(input.excludeDatabases.map(lower))
  const { unknown: unknownExcludes } = lookup(server, input.excludeDatabases)
  for (const u of unknownExcludes)
    warnings.push({
      message: `excluded database '${u}' is not on the server`,
      advice: advice('excludedNotOnServer', { database: u }),
    })
  picked = picked.filter((d) => {
    if (excludeSet.has(lower(d.name))) {
      excluded.push({ database: d.name, reason: 'excludeList' })
      return false
    }
    if (input.excludeEmpty && d.tables === 0) {
      excluded.push({ database: d.name, reason: 'empty' })
      return false
    }
    return true
  })

  if (picked.length === 0) {
    const counts = new Map<string, number>()
    for (const e of excluded) {
      const why = describeExclusion(e)
      counts.set(why, (counts.get(why) ?? 0) + 1)
    }
    const parts = [...counts].map(([reason, n]) => `${n} × ${reason}`)
    if (unknown.length) parts.push(`${unknown.length} not on the server (${unknown.join(', ')})`)
    throw new EngineError(
      'InvalidInput',
      `no database left to back up in mode ${input.mode}: the server has ${server.length}` +
        (parts.length ? `; removed: ${parts.join('; ')}` : ''),
      { advice: advice('emptySelection', { mode: input.mode, databases: server.length }) },
    )
  }

  const targets: DatabaseInfo[][] = []
  const combined = input.mode === 'all' || (input.mode === 'filter' && input.filterMode === 'single-file')
  if (combined) targets.push(picked)
  else {
    const byName = new Map(server.map((d) => [lower(d.name), d]))
    for (const d of picked) {
      targets.push([d])
      if (input.mode === 'filter') continue
      for (const suffix of input.companions) {
        const companion = byName.get(lower(d.name) + suffix)
        if (companion) targets.push([companion])
        else
          warnings.push({
            message: `companion '${d.name}${suffix}' does not exist; nothing to add`,
            advice: advice('companionMissing', { database: d.name, companion: `${d.name}${suffix}` }),
          })
      }
    }
  }
  if (input.companions.length && input.mode === 'all')
    warnings.push({
      message: 'companions have no effect in mode all (every database is in the file)',
      advice: advice('companionsInAll'),
    })
  return { targets, excluded, unknown, warnings }
}
