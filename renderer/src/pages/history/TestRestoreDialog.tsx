import { useState } from 'react'
import type { ReactElement } from 'react'
import type { HistoryEntry } from '../../../../shared/ipc.ts'
import type { AppError } from '../../../../shared/result.ts'
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx'
import { ErrorNotice } from '../../components/ErrorNotice.tsx'
import { SelectField, TextField } from '../../components/form-fields.tsx'
import { useT } from '../../i18n/use-t.ts'
import { useProfilesStore } from '../../stores/profiles-store.ts'
import { useRestoreStore } from '../../stores/restore-store.ts'

export interface TestRestoreDialogProps {
  entry: HistoryEntry
  /** Closed: the restore test's job id when one started, else null. */
  onClose(jobId: string | null): void
}

/** Test restore: the scratch server to restore the backup on (into a throwaway database) and the ticket. */
export function TestRestoreDialog({ entry, onClose }: TestRestoreDialogProps): ReactElement {
  const t = useT()
  const profiles = useProfilesStore((state) => state.entries)
  const options = profiles.filter((p) => p.status === 'ok').map((p) => ({ value: p.name, label: p.name }))
  const [profile, setProfile] = useState(options[0]?.value ?? '')
  const [ticket, setTicket] = useState(entry.ticket ?? '')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<AppError | null>(null)
  const [missing, setMissing] = useState(false)

  const confirm = async (): Promise<void> => {
    if (profile === '' || ticket.trim() === '') {
      setMissing(true)
      return
    }
    setBusy(true)
    const result = await useRestoreStore
      .getState()
      .startTest({ file: entry.backupFile, profile, ticket: ticket.trim() })
    setBusy(false)
    if (result.ok) onClose(result.value.jobId)
    else setError(result.error)
  }

  return (
    <ConfirmDialog
      title={t('restoreTest.dialogTitle')}
      confirmLabel={t('restoreTest.start')}
      cancelLabel={t('common.cancel')}
      busy={busy}
      onConfirm={() => void confirm()}
      onCancel={() => onClose(null)}
    >
      <p>{t('restoreTest.dialogBody', { file: entry.fileName })}</p>
      <SelectField
        label={t('restoreTest.profile')}
        value={profile}
        options={options.length === 0 ? [{ value: '', label: '–' }] : options}
        error={missing && profile === '' ? t('restore.problem.profile') : null}
        onChange={setProfile}
      />
      <TextField
        label={t('ticket.label')}
        value={ticket}
        required
        error={missing && ticket.trim() === '' ? t('restore.problem.ticket') : null}
        onChange={setTicket}
      />
      {error !== null && <ErrorNotice error={error} />}
    </ConfirmDialog>
  )
}
