/**
 * What the tray shows, as a pure function of the app's state: the icon (idle / running / failed), the
 * tooltip and the context menu — quick-backup presets, running jobs with their percent and a Cancel item,
 * Open and Quit. tray-service.ts turns it into Electron's Tray and Menu.
 */
import type { BackupProgress } from '../../../shared/backup-types.ts'
import type { RunningJobView } from '../../../shared/ipc.ts'

export type TrayIconName = 'idle' | 'running' | 'failed'

export interface TrayState {
  presets: { id: string; label: string }[]
  /** Presets whose run is being started or still runs: not offered twice. */
  busyPresets: string[]
  jobs: RunningJobView[]
  /** The last job that failed since the user last opened the window, or null. */
  lastFailure: { jobId: string; profile: string; message: string } | null
  /** The next scheduled run of a preset (the in-app scheduler's), or null when none is scheduled. */
  nextRun?: { label: string; at: Date } | null
}

export type TrayItem =
  | { kind: 'heading'; label: string }
  | { kind: 'preset'; presetId: string; label: string; enabled: boolean }
  | { kind: 'job'; jobId: string; label: string }
  | { kind: 'cancel'; jobId: string; label: string; enabled: boolean }
  | { kind: 'failure'; jobId: string; label: string }
  /** The next scheduled run: shown, not clickable. */
  | { kind: 'next'; label: string }
  | { kind: 'open'; label: string }
  | { kind: 'quit'; label: string }
  | { kind: 'separator' }

export interface TrayModel {
  icon: TrayIconName
  tooltip: string
  items: TrayItem[]
}

export const APP_TITLE = 'sfDBTools Desktop'
/** Windows cuts tray tooltips at 127 characters. */
const TOOLTIP_MAX = 127

/**
 * Whole-job percent from the last progress event: targets before the current one count as done. Null
 * before the first event or when the server gave no size estimate.
 */
export function jobPercent(progress: BackupProgress | null): number | null {
  if (progress === null || progress.fraction === null || progress.targetCount <= 0) return null
  const done = (progress.targetIndex + Math.min(1, Math.max(0, progress.fraction))) / progress.targetCount
  return Math.min(100, Math.floor(done * 100))
}

function jobLabel(job: RunningJobView): string {
  if (job.cancelling) return `${job.profile}: cancelling…`
  const percent = jobPercent(job.progress)
  return `${job.profile}: ${percent === null ? 'running' : `${percent}%`}`
}

function tooltip(state: TrayState): string {
  const n = state.jobs.length
  let text = APP_TITLE
  if (n > 0) {
    const percents = state.jobs.map((j) => jobPercent(j.progress))
    const single = n === 1 && percents[0] !== null ? ` (${percents[0]}%)` : ''
    text += ` — ${n} backup${n === 1 ? '' : 's'} running${single}`
  } else if (state.lastFailure !== null) {
    text += ` — backup failed (${state.lastFailure.profile}): ${state.lastFailure.message}`
  }
  return text.length > TOOLTIP_MAX ? `${text.slice(0, TOOLTIP_MAX - 1)}…` : text
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const
const two = (n: number): string => String(n).padStart(2, '0')

/**
 * A scheduled time in local time: "14:30" today, "Tomorrow 02:00", "Mon 02:00" within a week, else
 * "2026-03-29 02:00".
 */
export function localRunTime(at: Date, now: Date): string {
  const time = `${two(at.getHours())}:${two(at.getMinutes())}`
  const day = (d: Date): number => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime()
  const days = Math.round((day(at) - day(now)) / 86_400_000)
  if (days === 0) return time
  if (days === 1) return `Tomorrow ${time}`
  if (days > 1 && days < 7) return `${WEEKDAYS[at.getDay()]} ${time}`
  return `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())} ${time}`
}

export function trayModel(state: TrayState, now: Date = new Date()): TrayModel {
  const items: TrayItem[] = [{ kind: 'heading', label: 'Quick backup' }]
  if (state.presets.length === 0) items.push({ kind: 'heading', label: 'No presets (add them in Settings)' })
  for (const p of state.presets) {
    items.push({ kind: 'preset', presetId: p.id, label: p.label, enabled: !state.busyPresets.includes(p.id) })
  }
  if (state.jobs.length > 0) {
    items.push({ kind: 'separator' }, { kind: 'heading', label: 'Running' })
    for (const job of state.jobs) {
      items.push(
        { kind: 'job', jobId: job.jobId, label: jobLabel(job) },
        { kind: 'cancel', jobId: job.jobId, label: `Cancel ${job.profile}`, enabled: !job.cancelling },
      )
    }
  }
  items.push({ kind: 'separator' })
  if (state.nextRun) {
    items.push({
      kind: 'next',
      label: `Next: ${state.nextRun.label} at ${localRunTime(state.nextRun.at, now)}`,
    })
  }
  if (state.lastFailure !== null) {
    items.push({
      kind: 'failure',
      jobId: state.lastFailure.jobId,
      label: `Backup failed: ${state.lastFailure.profile}`,
    })
  }
  items.push(
    { kind: 'open', label: 'Open sfDBTools' },
    { kind: 'separator' },
    { kind: 'quit', label: 'Quit' },
  )
  const icon: TrayIconName =
    state.jobs.length > 0 ? 'running' : state.lastFailure !== null ? 'failed' : 'idle'
  return { icon, tooltip: tooltip(state), items }
}
