/**
 * A native notification when a backup job ends (Electron's Notification in the app, a fake in tests);
 * clicking it opens the job's result. A cancel is the user's own doing and is not announced.
 */
import { formatBytes, formatDuration } from '../../shared/format.ts'
import type { JobOutcome, RestoreOutcome } from '../engine/jobs/supervise-job.ts'
import type { JobFinishedInfo, RestoreFinishedInfo } from './jobs/supervisor.ts'

/** The part of Electron's Notification the notifier uses. */
export interface NotificationLike {
  show(): void
  on(event: 'click' | 'close', listener: () => void): unknown
}

export interface NotificationContent {
  title: string
  body: string
}

export interface JobNotifierOptions {
  createNotification(content: NotificationContent): NotificationLike
  /** False where the OS has no notification service (Notification.isSupported()). */
  isSupported?: () => boolean
  /** Opens the job's result in the window (just the window for a notice without a job). */
  openResult(jobId: string | null): void
}

export interface JobNotifier {
  jobFinished(jobId: string, outcome: JobOutcome, info: JobFinishedInfo): void
  restoreFinished(jobId: string, outcome: RestoreOutcome, info: RestoreFinishedInfo): void
  /** A problem without a job, e.g. a quick backup from the tray that could not start. */
  notice(content: NotificationContent): void
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`

/** What to say about an ended job; null for a cancel. */
export function notificationContent(outcome: JobOutcome, info: JobFinishedInfo): NotificationContent | null {
  switch (outcome.kind) {
    case 'cancelled':
      return null
    case 'failed':
      return { title: `Backup failed: ${info.profile}`, body: outcome.error.message }
    case 'done': {
      const { result } = outcome
      const written = result.targets.filter((t) => t.file !== null)
      const failed = result.targets.filter((t) => t.status === 'failed').length
      const bytes = written.reduce((sum, t) => sum + t.bytes, 0)
      const summary = `${plural(written.length, 'file')}, ${formatBytes(bytes)} in ${formatDuration(result.durationMs)}`
      const warned = result.targets.filter((t) => t.status === 'success_with_warnings')
      if (result.ok && warned.length > 0)
        return {
          title: `Backup finished with warnings: ${info.profile}`,
          body: `${plural(warned.length, 'file')} with warnings (${warned[0]?.warnings[0] ?? ''}); ${summary}`,
        }
      if (result.ok) return { title: `Backup finished: ${info.profile}`, body: summary }
      const firstError = result.targets.find((t) => t.error !== null)?.error?.message
      return {
        title: `Backup finished with errors: ${info.profile}`,
        body: `${failed > 0 ? `${plural(failed, 'file')} failed` : 'problems'}${firstError ? ` (${firstError})` : ''}; ${summary}`,
      }
    }
  }
}

/** What to say about an ended restore or restore test; null for a cancel that changed nothing. */
export function restoreNotificationContent(
  outcome: RestoreOutcome,
  info: RestoreFinishedInfo,
): NotificationContent | null {
  const where = info.targets.length > 0 ? `${info.targets.join(', ')} on ${info.profile}` : info.profile
  switch (outcome.kind) {
    case 'failed':
      return {
        title: `${info.kind === 'restore' ? 'Restore' : 'Restore test'} failed: ${where}`,
        body: outcome.error.message,
      }
    case 'test-done': {
      const { report } = outcome
      const counts = `${plural(report.tables.length, 'table')}, ${plural(report.objects.length, 'object')} checked in ${formatDuration(report.durationMs)}`
      return report.ok
        ? { title: `Restore test passed: ${info.profile}`, body: counts }
        : { title: `Restore test failed: ${info.profile}`, body: report.failures.join('; ') || counts }
    }
    case 'cancelled': {
      const partly = outcome.result?.items.find((i) => i.partlyRestored)
      if (partly === undefined) return null
      return {
        title: `Restore cancelled: ${where}`,
        body: `${partly.databases.join(', ')} is partly restored${partly.preRestoreBackup ? `; ${partly.preRestoreBackup} holds its state before` : ''}`,
      }
    }
    case 'done': {
      const { result } = outcome
      const tables = result.items.reduce((sum, i) => sum + i.tables, 0)
      const bytes = result.items.reduce((sum, i) => sum + i.sqlBytes, 0)
      const summary = `${plural(tables, 'table')}, ${formatBytes(bytes)} of SQL in ${formatDuration(result.durationMs)}`
      if (result.ok) return { title: `Restore finished: ${where}`, body: summary }
      const first = result.items.find((i) => i.error !== null)?.error?.message
      return {
        title: `Restore finished with errors: ${where}`,
        body: `${first ?? result.status}; ${summary}`,
      }
    }
  }
}

export function createJobNotifier(options: JobNotifierOptions): JobNotifier {
  // Electron drops a notification's click handler once the object is garbage-collected: keep each one
  // until it was clicked or closed.
  const shown = new Set<NotificationLike>()
  const show = (content: NotificationContent, jobId: string | null): void => {
    if (options.isSupported?.() === false) return
    const notification = options.createNotification(content)
    shown.add(notification)
    notification.on('click', () => {
      shown.delete(notification)
      options.openResult(jobId)
    })
    notification.on('close', () => shown.delete(notification))
    notification.show()
  }
  return {
    jobFinished(jobId, outcome, info) {
      const content = notificationContent(outcome, info)
      if (content !== null) show(content, jobId)
    },
    restoreFinished(jobId, outcome, info) {
      const content = restoreNotificationContent(outcome, info)
      if (content !== null) show(content, jobId)
    },
    notice: (content) => show(content, null),
  }
}
