import type { ReactElement } from 'react'
import { useT } from '../../i18n/use-t.ts'
import { pickPath } from '../../lib/api.ts'
import { useNavigationStore } from '../../stores/navigation-store.ts'
import { useRestoreWizardStore } from '../../stores/restore-wizard-store.ts'

/** "Restore a file…": the OS file chooser, then the Restore wizard with that file (nothing when cancelled). */
export function RestoreFileButton({ className = 'button' }: { className?: string }): ReactElement {
  const t = useT()
  const choose = async (): Promise<void> => {
    const picked = await pickPath('file', t('restore.pickTitle'))
    if (!picked.ok || picked.value.path === null) return
    useRestoreWizardStore.getState().open(picked.value.path)
    useNavigationStore.getState().go('restore')
  }
  return (
    <button type="button" className={className} onClick={() => void choose()}>
      {t('restore.fromFile')}
    </button>
  )
}
