/** A backup's recorded type (metadata `backup.type`, the plan's backupType) in the UI's words. */
import { BACKUP_TYPES, type BackupType } from '../../../shared/backup-types.ts'
import type { Translate } from '../i18n/messages.ts'

const isBackupType = (type: string): type is BackupType => (BACKUP_TYPES as readonly string[]).includes(type)

/** A type this app or sfDBTools writes, in words; one neither knows is shown as written. */
export const backupTypeLabel = (type: string, t: Translate): string =>
  isBackupType(type) ? t(`backupType.${type}`) : type
