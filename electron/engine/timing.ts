/**
 * Where the wall time of a run goes, for `npm run bench -- workloads --profile` and a DBA who asks
 * (`SFDB_TIMING=1`): named marks on the wall clock (milliseconds since the epoch, so that the CLI and its
 * job process share one clock). Off, `mark` costs one comparison. Marks name phases, never data or secrets.
 */
export interface TimingMark {
  at: number
  what: string
}

/** The job reports its marks to the CLI in one log line that starts with this. */
export const TIMING_LOG_PREFIX = 'timing '

const enabled = process.env.SFDB_TIMING === '1'
const marks: TimingMark[] = []

export const timingEnabled = (): boolean => enabled

export function mark(what: string): void {
  if (enabled) marks.push({ at: Date.now(), what })
}

/** A mark at a time already past (a process's start, `performance.timeOrigin`). */
export function markAt(at: number, what: string): void {
  if (enabled) marks.push({ at: Math.round(at), what })
}

/** The marks so far (and forgets them). */
export function takeMarks(): TimingMark[] {
  return marks.splice(0)
}

/** The report: every mark in time order, as ms since `origin`, with the time since the mark before. */
export function formatTimeline(all: TimingMark[], origin: number): string[] {
  const sorted = [...all].sort((a, b) => a.at - b.at)
  let previous = origin
  return sorted.map((m) => {
    const line = `${String(m.at - origin).padStart(7)} ms  +${String(m.at - previous).padStart(5)}  ${m.what}`
    previous = m.at
    return line
  })
}
