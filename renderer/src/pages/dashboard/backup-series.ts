/** The dashboard's views of the history: who a backup belongs to and per-database series for the chart. */
import type { HistoryEntry } from '../../../../shared/ipc.ts'

/** What a history entry is shown under: its profile, else the server it came from. */
export const ownerOf = (entry: HistoryEntry): string => entry.profile ?? entry.hostname ?? entry.host ?? '–'

/** The series a backup belongs to: its one database, or its type and database count for combined files. */
export const seriesOf = (entry: HistoryEntry): string =>
  entry.databases.length === 1
    ? (entry.databases[0] ?? entry.fileName)
    : `${entry.type} (${entry.databases.length})`

export interface SeriesPoint {
  time: number
  startedAt: string
  sizeBytes: number
  durationMs: number | null
  fileName: string
}

/** Series names, the most backed-up first. */
export function seriesNames(entries: HistoryEntry[]): string[] {
  const counts = new Map<string, number>()
  for (const entry of entries)
    if (entry.startedAt !== null) counts.set(seriesOf(entry), (counts.get(seriesOf(entry)) ?? 0) + 1)
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([name]) => name)
}

/** The points of one series, oldest first (entries without a time or size are left out). */
export function seriesPoints(entries: HistoryEntry[], series: string): SeriesPoint[] {
  return entries
    .filter((entry) => seriesOf(entry) === series && entry.startedAt !== null && entry.sizeBytes !== null)
    .map((entry) => ({
      time: new Date(entry.startedAt ?? '').getTime(),
      startedAt: entry.startedAt ?? '',
      sizeBytes: entry.sizeBytes ?? 0,
      durationMs: entry.durationMs,
      fileName: entry.fileName,
    }))
    .filter((point) => Number.isFinite(point.time))
    .sort((a, b) => a.time - b.time)
}
