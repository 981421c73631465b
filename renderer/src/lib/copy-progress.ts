/**
 * The copy phase of a running backup (offsite copies after the files are written): the `copy-progress`
 * events of each destination and file, kept with when the upload was first seen, so the job card shows per
 * destination the file being sent, bytes of its size, the rate and the time left.
 */
import type { JobEvent } from '../../../shared/job-protocol.ts'

export type CopyProgressEvent = Extract<JobEvent, { type: 'copy-progress' }>

/** One file's upload to one destination as the window followed it. */
export interface CopyTrack {
  destination: string
  file: string
  bytes: number
  total: number
  /** When this upload was first heard of (ms), and its bytes then: the rate counts from there. */
  firstAt: number
  firstBytes: number
  /** When it was last heard of (ms). */
  at: number
}

/** Tracks by `destination \0 file`. */
export type CopyTracks = Record<string, CopyTrack>

export function trackCopy(tracks: CopyTracks, event: CopyProgressEvent, now: number): CopyTracks {
  const key = `${event.destination}\u0000${event.file}`
  const known = tracks[key]
  // A new attempt of the same file (a retry starts again from 0) is a new upload.
  const fresh = known === undefined || event.bytes < known.bytes
  return {
    ...tracks,
    [key]: {
      destination: event.destination,
      file: event.file,
      bytes: event.bytes,
      total: event.total,
      firstAt: fresh ? now : known.firstAt,
      firstBytes: fresh ? event.bytes : known.firstBytes,
      at: now,
    },
  }
}

/** What a destination's row shows: the file it is sending (or sent last). */
export interface CopyRow {
  destination: string
  file: string
  bytes: number
  total: number
  /** 0..1; null for an empty file. */
  fraction: number | null
  bytesPerSecond: number
  /** null until a rate is known, and once the file is sent. */
  etaSeconds: number | null
  done: boolean
}

/** One row per destination, in the order they were first heard of: its latest file. */
export function copyRows(tracks: CopyTracks): CopyRow[] {
  const latest = new Map<string, CopyTrack>()
  for (const track of Object.values(tracks)) {
    const seen = latest.get(track.destination)
    if (seen === undefined || track.at >= seen.at) latest.set(track.destination, track)
  }
  return [...latest.values()].map((t) => {
    const seconds = (t.at - t.firstAt) / 1000
    const bytesPerSecond = seconds > 0 ? (t.bytes - t.firstBytes) / seconds : 0
    const done = t.bytes >= t.total
    return {
      destination: t.destination,
      file: t.file,
      bytes: t.bytes,
      total: t.total,
      fraction: t.total > 0 ? Math.min(1, t.bytes / t.total) : null,
      bytesPerSecond,
      etaSeconds: !done && bytesPerSecond > 0 ? (t.total - t.bytes) / bytesPerSecond : null,
      done,
    }
  })
}
