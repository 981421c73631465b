/**
 * The History table's order: backups found in the folders and the files jobs did not write (job-rows.ts)
 * in one list, sorted by the column the user chose. Empty values (no size for a file never written, a
 * backup never verified) go last in either direction; ties fall back to newest first.
 */
import type { HistoryEntry } from '../../../../shared/ipc.ts'
import type { UnwrittenRow } from './job-rows.ts'

export const SORT_KEYS = [
  'date',
  'databases',
  'profile',
  'ticket',
  'size',
  'duration',
  'status',
  'lastVerified',
] as const
export type HistorySortKey = (typeof SORT_KEYS)[number]

export interface HistorySort {
  key: HistorySortKey
  direction: 'ascending' | 'descending'
}

/** Newest first, as the page opens. */
export const DEFAULT_SORT: HistorySort = { key: 'date', direction: 'descending' }

/** A click on a column: the same one turns its direction, another starts where it is most useful. */
export function nextSort(current: HistorySort, key: HistorySortKey): HistorySort {
  if (current.key === key)
    return { key, direction: current.direction === 'ascending' ? 'descending' : 'ascending' }
  const newestFirst = key === 'date' || key === 'size' || key === 'duration' || key === 'lastVerified'
  return { key, direction: newestFirst ? 'descending' : 'ascending' }
}

export type HistoryRow = { kind: 'file'; entry: HistoryEntry } | { kind: 'unwritten'; row: UnwrittenRow }

/** Statuses from good to bad: an ascending sort puts the successes first. */
const STATUS_RANK: Record<string, number> = {
  success: 0,
  success_with_warnings: 1,
  cancelled: 3,
  failed: 4,
}
/** A status we do not know sits between the warnings and a cancel; a missing file is the worst. */
const UNKNOWN_STATUS = 2
const FILE_MISSING = 5

const time = (iso: string | null | undefined): number | null => {
  if (iso === null || iso === undefined) return null
  const ms = new Date(iso).getTime()
  return Number.isNaN(ms) ? null : ms
}

const owner = (entry: HistoryEntry): string => entry.profile ?? entry.hostname ?? entry.host ?? ''

/** The value a row is sorted by in a column; null when it has none. */
export function sortValue(row: HistoryRow, key: HistorySortKey): string | number | null {
  if (row.kind === 'unwritten') {
    const r = row.row
    switch (key) {
      case 'date':
        return time(r.startedAt)
      case 'databases':
        return r.databases.join(', ').toLowerCase() || null
      case 'profile':
        return r.profile.toLowerCase() || null
      case 'ticket':
        return r.ticket.toLowerCase() || null
      case 'status':
        return STATUS_RANK[r.status] ?? UNKNOWN_STATUS
      case 'size':
      case 'duration':
      case 'lastVerified':
        return null
    }
  }
  const e = row.entry
  switch (key) {
    case 'date':
      return time(e.startedAt)
    case 'databases':
      return e.databases.join(', ').toLowerCase() || e.fileName.toLowerCase()
    case 'profile':
      return owner(e).toLowerCase() || null
    case 'ticket':
      return e.ticket?.toLowerCase() || null
    case 'size':
      return e.sizeBytes
    case 'duration':
      return e.durationMs
    case 'status':
      return e.fileExists === false ? FILE_MISSING : (STATUS_RANK[e.status] ?? UNKNOWN_STATUS)
    case 'lastVerified':
      return time(e.lastVerified?.at)
  }
}

const compareValues = (a: string | number, b: string | number): number =>
  typeof a === 'number' && typeof b === 'number'
    ? a - b
    : String(a).localeCompare(String(b), undefined, { numeric: true })

/** The order of two rows: by the column in its direction, empty values last, then newest first. */
export function compareRows(a: HistoryRow, b: HistoryRow, sort: HistorySort): number {
  const va = sortValue(a, sort.key)
  const vb = sortValue(b, sort.key)
  if (va === null && vb !== null) return 1
  if (vb === null && va !== null) return -1
  if (va !== null && vb !== null) {
    const order = compareValues(va, vb)
    if (order !== 0) return sort.direction === 'ascending' ? order : -order
  }
  if (sort.key === 'date') return 0
  return (dateOf(b) ?? -Infinity) - (dateOf(a) ?? -Infinity) || 0
}

const dateOf = (row: HistoryRow): number | null =>
  time(row.kind === 'file' ? row.entry.startedAt : row.row.startedAt)

/** The table's rows in order (a stable sort: rows that compare equal keep the files-then-jobs order). */
export function sortHistoryRows(
  entries: HistoryEntry[],
  unwritten: UnwrittenRow[],
  sort: HistorySort,
): HistoryRow[] {
  const rows: HistoryRow[] = [
    ...entries.map((entry): HistoryRow => ({ kind: 'file', entry })),
    ...unwritten.map((row): HistoryRow => ({ kind: 'unwritten', row })),
  ]
  return rows.sort((a, b) => compareRows(a, b, sort))
}
