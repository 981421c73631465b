import { useEffect, useState } from 'react'
import type { ReactElement } from 'react'
import { ErrorNotice } from '../../components/ErrorNotice.tsx'
import { PathField, RadioGroup, SelectField } from '../../components/form-fields.tsx'
import { useLanguage, useT } from '../../i18n/use-t.ts'
import { formatBytes, formatDateTime } from '../../lib/format.ts'
import { useDestinationFilesStore } from '../../stores/destination-files-store.ts'
import { useOffsiteStore } from '../../stores/offsite-store.ts'
import { useRestoreWizardStore } from '../../stores/restore-wizard-store.ts'

type SourceKind = 'local' | 'remote'

/**
 * Where the backup is: a file of this computer (typed or chosen), or a backup on an offsite destination —
 * chosen from what the destination holds, or preset by History → Restore from <destination>. A backup on a
 * destination is read from there and streamed into the restore, never copied to a local file.
 */
export function RestoreSourceField(): ReactElement {
  const t = useT()
  const language = useLanguage()
  const { draft, update, describe } = useRestoreWizardStore()
  const [kind, setKind] = useState<SourceKind>(draft.destination === '' ? 'local' : 'remote')
  const destinations = useOffsiteStore((state) => state.destinations)
  const loadDestinations = useOffsiteStore((state) => state.load)
  const filesOf = useDestinationFilesStore((state) => state.byDestination)
  const loadFiles = useDestinationFilesStore((state) => state.load)
  const remote = kind === 'remote'

  // On a destination: what is configured, and what the chosen destination holds.
  useEffect(() => {
    if (remote) void loadDestinations()
  }, [remote, loadDestinations])
  useEffect(() => {
    if (remote && draft.destination !== '') void loadFiles(draft.destination)
  }, [remote, draft.destination, loadFiles])

  const choose = (next: SourceKind): void => {
    setKind(next)
    if (next === 'local' && draft.destination !== '') update({ destination: '', file: '' })
  }
  const listed = filesOf[draft.destination]
  const names = destinations.map((d) => d.name)
  const destinationOptions = [
    ...new Set([...(draft.destination === '' ? [''] : []), ...names, draft.destination]),
  ]
    .filter((name) => name !== '' || draft.destination === '')
    .map((name) => ({ value: name, label: name === '' ? '–' : name }))
  const files = listed?.files ?? []
  const fileOptions = [
    ...(draft.file === '' || !files.some((f) => f.name === draft.file)
      ? [{ value: draft.file, label: draft.file === '' ? '–' : draft.file }]
      : []),
    ...files.map((f) => ({
      value: f.name,
      label: `${f.name} · ${formatDateTime(f.date, language)} · ${formatBytes(f.bytes, language)} · ${f.databases.join(', ')}`,
    })),
  ]
  return (
    <>
      <RadioGroup
        legend={t('restore.sourceKind')}
        value={kind}
        options={[
          { value: 'local', label: t('restore.sourceKind.local') },
          { value: 'remote', label: t('restore.sourceKind.remote') },
        ]}
        onChange={choose}
      />
      {!remote && (
        <PathField
          kind="file"
          label={t('restore.file')}
          value={draft.file}
          required
          onChange={(file) => {
            update({ file })
            // A chosen (not typed) path is complete: read it now.
            if (file.startsWith('/') || /^[A-Za-z]:/.test(file)) void describe()
          }}
        />
      )}
      {remote && (
        <>
          {names.length === 0 && draft.destination === '' && (
            <p className="notice notice-warn">{t('restore.noDestinations')}</p>
          )}
          <SelectField
            label={t('restore.destination')}
            value={draft.destination}
            options={destinationOptions}
            onChange={(destination) => update({ destination, file: '' })}
          />
          <SelectField
            label={t('restore.remoteFile')}
            value={draft.file}
            options={fileOptions}
            disabled={draft.destination === ''}
            onChange={(file) => {
              update({ file })
              if (file !== '') void describe()
            }}
          />
          {listed?.loading === true && (
            <p className="muted" role="status">
              {t('restore.remoteFiles.loading')}
            </p>
          )}
          {listed !== undefined && !listed.loading && listed.error === null && files.length === 0 && (
            <p className="muted">{t('restore.remoteFiles.none', { destination: draft.destination })}</p>
          )}
          {listed?.error != null && (
            <ErrorNotice error={listed.error} title={t('restore.remoteFiles.failed')} />
          )}
          {draft.destination !== '' && (
            <p className="notice" role="note">
              {t('restore.remoteNote', { destination: draft.destination })}
            </p>
          )}
        </>
      )}
    </>
  )
}
