import { useEffect, useState } from 'react'
import type { ReactElement } from 'react'
import { BACKUP_MODES } from '../../lib/domain-values.ts'
import type { BackupMode } from '../../../../shared/backup-types.ts'
import type { BackupRequestInput } from '../../../../shared/ipc.ts'
import { RadioGroup, TextField } from '../../components/form-fields.tsx'
import { useT } from '../../i18n/use-t.ts'
import { fetchSharedConfig } from '../../lib/api.ts'

export interface ModeStepProps {
  draft: BackupRequestInput
  onMode(mode: BackupMode): void
  onChange(change: Partial<BackupRequestInput>): void
}

/** Step 2: the five modes of the manual, one line each, with the inputs a mode has (file layout, narrowing). */
export function ModeStep({ draft, onMode, onChange }: ModeStepProps): ReactElement {
  const t = useT()
  const configuredPrefix = useConfiguredPrefix(draft.mode === 'primary' || draft.mode === 'secondary')
  return (
    <>
      <RadioGroup
        legend={t('wizard.mode.legend')}
        variant="cards"
        value={draft.mode}
        onChange={onMode}
        options={BACKUP_MODES.map((mode) => ({
          value: mode,
          label: t(`mode.${mode}.name`),
          description: t(`mode.${mode}.line`),
        }))}
      />
      {draft.mode === 'filter' && (
        <RadioGroup
          legend={t('wizard.mode.filterLayout')}
          value={draft.filterMode ?? 'multi-file'}
          onChange={(filterMode) => onChange({ filterMode })}
          options={[
            {
              value: 'multi-file',
              label: t('wizard.mode.multiFile'),
              description: t('wizard.mode.multiFileLine'),
            },
            {
              value: 'single-file',
              label: t('wizard.mode.singleFile'),
              description: t('wizard.mode.singleFileLine'),
            },
          ]}
        />
      )}
      {(draft.mode === 'primary' || draft.mode === 'secondary') && (
        <div className="form-grid">
          <TextField
            label={t('wizard.mode.prefix')}
            value={draft.prefix ?? configuredPrefix ?? ''}
            onChange={(prefix) => onChange({ prefix })}
            hint={t('wizard.mode.prefixHint')}
            mono
          />
          <TextField
            label={t('wizard.mode.clientCode')}
            value={draft.clientCode ?? ''}
            onChange={(clientCode) => onChange({ clientCode })}
            hint={t('wizard.mode.clientCodeHint')}
            mono
          />
          {draft.mode === 'secondary' && (
            <TextField
              label={t('wizard.mode.instance')}
              value={draft.instance ?? ''}
              onChange={(instance) => onChange({ instance })}
              hint={t('wizard.mode.instanceHint')}
              mono
            />
          )}
        </div>
      )}
    </>
  )
}

/**
 * The configured primary prefix (the shared configuration file's, `dbsf_nbc_` by default), shown in the
 * prefix field until the user edits it; null while it is read or when the file cannot be read (the plan then
 * reports the file's error).
 */
function useConfiguredPrefix(wanted: boolean): string | null {
  const [prefix, setPrefix] = useState<string | null>(null)
  useEffect(() => {
    if (!wanted) return
    let live = true
    void fetchSharedConfig().then((result) => {
      if (live && result.ok) setPrefix(result.value.primaryPrefix)
    })
    return () => {
      live = false
    }
  }, [wanted])
  return prefix
}
