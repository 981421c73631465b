import { useEffect } from 'react'
import type { ReactElement } from 'react'
import { ErrorNotice } from '../../components/ErrorNotice.tsx'
import { TableRulesList } from '../../components/TableRulesFacts.tsx'
import { CheckboxField, SelectField, TextField } from '../../components/form-fields.tsx'
import { useLanguage, useT } from '../../i18n/use-t.ts'
import { formatBytes } from '../../lib/format.ts'
import { useProfilesStore } from '../../stores/profiles-store.ts'
import { useRestoreWizardStore } from '../../stores/restore-wizard-store.ts'
import { isMultiDatabase, targetState } from './restore-model.ts'
import { backupTypeLabel } from '../../lib/backup-type.ts'
import { RestoreSourceField } from './RestoreSourceField.tsx'

/** How long the target name rests before the server is asked about it (typing is not a query per key). */
const TARGET_PAUSE_MS = 350

/** Step 1: the backup file (what it holds), the target profile and database (as it is now), a key if needed. */
export function RestoreTargetStep(): ReactElement {
  const t = useT()
  const language = useLanguage()
  const wizard = useRestoreWizardStore()
  const profiles = useProfilesStore((state) => state.entries)
  const { draft, source, target, update, checkTarget } = wizard
  const view = source?.view ?? null
  const ownNames = draft.ownNames && isMultiDatabase(view)

  // The target as it is now, once the name rests.
  useEffect(() => {
    if (ownNames) return
    const timer = setTimeout(() => void checkTarget(), TARGET_PAUSE_MS)
    return () => clearTimeout(timer)
  }, [draft.profile, draft.targetDatabase, ownNames, checkTarget])

  const state = targetState(target?.info ?? null)
  const options = profiles.filter((p) => p.status === 'ok').map((p) => ({ value: p.name, label: p.name }))
  return (
    <div className="stack">
      <RestoreSourceField />
      {source?.loading === true && (
        <p className="muted" role="status">
          {t('restore.reading')}
        </p>
      )}
      {source?.error != null && <ErrorNotice error={source.error} title={t('restore.sourceFailed')} />}
      {view !== null && (
        <dl className="facts facts-grid" aria-label={t('restore.sourceLabel')}>
          {view.destination != null && (
            <>
              <dt>{t('restore.destination')}</dt>
              <dd>{t('restore.remoteSource', { destination: view.destination })}</dd>
            </>
          )}
          <dt>{t('restore.sourceDatabase')}</dt>
          <dd className="mono">{view.sourceDatabase ?? view.databases.join(', ')}</dd>
          <dt>{t('history.col.type')}</dt>
          <dd>{backupTypeLabel(view.type, t)}</dd>
          <dt>{t('history.col.size')}</dt>
          <dd>{formatBytes(view.sizeBytes, language)}</dd>
          <dt>{t('result.compression')}</dt>
          <dd>{view.compression ?? '–'}</dd>
          <dt>{t('result.encryption')}</dt>
          <dd>{view.encrypted ? 'AES-256-GCM' : t('result.notEncrypted')}</dd>
          <dt>{t('restore.grantsFile')}</dt>
          <dd className="mono break">{view.grantsFile ?? '–'}</dd>
          <dt>{t('tableRules.label')}</dt>
          <dd>
            <TableRulesList rules={view.tableRules} />
          </dd>
        </dl>
      )}
      {options.length === 0 ? (
        <p className="notice notice-warn">{t('restore.noProfiles')}</p>
      ) : (
        <SelectField
          label={t('restore.profile')}
          value={draft.profile}
          options={draft.profile === '' ? [{ value: '', label: '–' }, ...options] : options}
          onChange={(profile) => update({ profile })}
        />
      )}
      {isMultiDatabase(view) && (
        <CheckboxField
          label={t('restore.ownNames')}
          checked={draft.ownNames}
          onChange={(checked) => update({ ownNames: checked })}
        />
      )}
      {!ownNames && (
        <TextField
          label={t('restore.targetDatabase')}
          value={draft.targetDatabase}
          required
          mono
          spellCheck={false}
          autoComplete="off"
          hint={t('restore.targetHint')}
          onChange={(targetDatabase) => update({ targetDatabase })}
        />
      )}
      {!ownNames && (
        <p className="target-state" role="status" aria-label={t('restore.targetState')}>
          {target?.loading === true && t('restore.target.checking')}
          {state !== null &&
            t(state.key, { ...state.values, sizeBytes: formatBytes(state.values.sizeBytes, language) })}
        </p>
      )}
      {target?.error != null && <ErrorNotice error={target.error} title={t('restore.targetFailed')} />}
      {view?.encrypted === true && (
        <TextField
          label={t('restore.key')}
          type="password"
          value={draft.key}
          autoComplete="off"
          hint={view.keyAvailable ? t('restore.keyStored') : t('restore.keyNeeded')}
          onChange={(key) => update({ key })}
        />
      )}
    </div>
  )
}
