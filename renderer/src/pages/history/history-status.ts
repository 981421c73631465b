import { TARGET_STATUSES } from '../../lib/domain-values.ts'
import type { TargetStatus } from '../../../../shared/backup-types.ts'
import type { HistoryEntry, JobRecordStatus } from '../../../../shared/ipc.ts'
import type { BadgeTone } from '../../components/StatusBadge.tsx'
import type { Translate } from '../../i18n/messages.ts'

/** The badge tone of a backup's recorded status (a missing file is an error whatever the metadata says). */
export function entryStatusTone(entry: HistoryEntry): BadgeTone {
  if (entry.fileExists === false) return 'error'
  if (entry.status === 'success') return 'ok'
  if (entry.status === 'success_with_warnings') return 'warn'
  if (entry.status === 'failed') return 'error'
  return 'muted'
}

const isTargetStatus = (status: string): status is TargetStatus =>
  (TARGET_STATUSES as readonly string[]).includes(status)

/** A recorded status in the UI's words; a status we do not know is shown as written. */
export function entryStatusLabel(entry: HistoryEntry, t: Translate): string {
  if (entry.fileExists === false) return t('history.fileMissing')
  return isTargetStatus(entry.status) ? t(`status.${entry.status}`) : entry.status
}

/** Statuses the History filter offers (metadata `backup.status`). */
export const HISTORY_STATUSES = ['success', 'success_with_warnings', 'failed', 'cancelled'] as const

/** The badge tone of a job's status (the job history's). */
export const JOB_STATUS_TONES: Record<JobRecordStatus, BadgeTone> = {
  success: 'ok',
  success_with_warnings: 'warn',
  failed: 'error',
  cancelled: 'muted',
}
