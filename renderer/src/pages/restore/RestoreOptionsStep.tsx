import type { ReactElement } from 'react'
import {
  CheckboxField,
  FieldGroup,
  NumberField,
  PathField,
  RadioGroup,
  TextField,
} from '../../components/form-fields.tsx'
import { useT } from '../../i18n/use-t.ts'
import { useRestoreWizardStore } from '../../stores/restore-wizard-store.ts'
import type { GrantsChoice } from './restore-model.ts'

/** Step 2: grants, the pre-restore backup, replace or refuse, parallel loading, SQL errors, the ticket. */
export function RestoreOptionsStep(): ReactElement {
  const t = useT()
  const { draft, update } = useRestoreWizardStore()
  const grants: { value: GrantsChoice; label: string; description: string }[] = [
    { value: 'auto', label: t('restore.grants.auto'), description: t('restore.grants.autoHint') },
    { value: 'skip', label: t('restore.grants.skip'), description: t('restore.grants.skipHint') },
    { value: 'file', label: t('restore.grants.file'), description: t('restore.grants.fileHint') },
  ]
  return (
    <div className="stack">
      <FieldGroup legend={t('restore.safety')}>
        <CheckboxField
          label={t('restore.preBackup')}
          hint={t('restore.preBackupHint')}
          checked={draft.preBackup}
          onChange={(preBackup) => update({ preBackup })}
        />
        <CheckboxField
          label={t('restore.dropTarget')}
          hint={t('restore.dropTargetHint')}
          checked={draft.dropTarget}
          onChange={(dropTarget) => update({ dropTarget })}
        />
      </FieldGroup>
      <RadioGroup
        legend={t('restore.grants')}
        value={draft.grants}
        options={grants}
        onChange={(choice) => update({ grants: choice })}
      />
      {draft.grants === 'file' && (
        <PathField
          kind="file"
          label={t('restore.grantsPath')}
          value={draft.grantsFile}
          onChange={(grantsFile) => update({ grantsFile })}
        />
      )}
      <NumberField
        label={t('restore.parallel')}
        hint={t('restore.parallelHint')}
        value={draft.parallel}
        min={1}
        max={16}
        onChange={(parallel) => update({ parallel })}
      />
      <CheckboxField
        label={t('restore.force')}
        hint={t('restore.forceHint')}
        checked={draft.force}
        onChange={(force) => update({ force })}
      />
      <TextField
        label={t('ticket.label')}
        value={draft.ticket}
        required
        hint={t('restore.ticketHint')}
        onChange={(ticket) => update({ ticket })}
      />
    </div>
  )
}
