import { useState } from 'react'
import type { ReactElement } from 'react'
import type { HistoryEntry } from '../../../../shared/ipc.ts'
import type { AppError, Result } from '../../../../shared/result.ts'
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx'
import { ErrorNotice } from '../../components/ErrorNotice.tsx'
import { useT } from '../../i18n/use-t.ts'

export interface DeleteBackupDialogProps {
  entry: HistoryEntry
  onDelete(metaPath: string): Promise<Result<{ removed: string[] }>>
  onClose(removed: string[] | null): void
}

/** Asks before deleting a backup, listing every file that goes with it (dump, metadata, companions). */
export function DeleteBackupDialog({ entry, onDelete, onClose }: DeleteBackupDialogProps): ReactElement {
  const t = useT()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<AppError | null>(null)
  const files = [...new Set([entry.backupFile, entry.metaPath, ...entry.companions])]

  const confirm = async (): Promise<void> => {
    setBusy(true)
    const result = await onDelete(entry.metaPath)
    setBusy(false)
    if (result.ok) onClose(result.value.removed)
    else setError(result.error)
  }

  return (
    <ConfirmDialog
      title={t('history.deleteTitle')}
      confirmLabel={t('common.delete')}
      cancelLabel={t('common.cancel')}
      tone="danger"
      busy={busy}
      onConfirm={() => void confirm()}
      onCancel={() => onClose(null)}
    >
      <p>{t('history.deleteBody', { count: files.length })}</p>
      <ul className="file-list" aria-label={t('history.deleteFiles')}>
        {files.map((file) => (
          <li key={file} className="mono">
            {file}
          </li>
        ))}
      </ul>
      {error !== null && <ErrorNotice error={error} />}
    </ConfirmDialog>
  )
}
