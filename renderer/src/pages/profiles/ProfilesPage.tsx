import { useEffect, useState } from 'react'
import type { ReactElement } from 'react'
import type { ProfileView } from '../../../../shared/ipc.ts'
import { ErrorNotice } from '../../components/ErrorNotice.tsx'
import { PageHeader } from '../../components/PageHeader.tsx'
import { useT } from '../../i18n/use-t.ts'
import { useNavigationStore } from '../../stores/navigation-store.ts'
import { useProfilesStore } from '../../stores/profiles-store.ts'
import { ImportProfileForm } from './ImportProfileForm.tsx'
import { KeysPanel } from './KeysPanel.tsx'
import { ProfileDetails } from './ProfileDetails.tsx'
import { ProfileForm } from './ProfileForm.tsx'
import { RestoreFileButton } from '../restore/RestoreFileButton.tsx'
import { ProfileList } from './ProfileList.tsx'

type Panel =
  { kind: 'details' } | { kind: 'create' } | { kind: 'edit'; profile: ProfileView } | { kind: 'import' }

/** Connection profiles (list, test, create, edit, import) and the keys that open profiles and backups. */
export function ProfilesPage(): ReactElement {
  const t = useT()
  const entries = useProfilesStore((state) => state.entries)
  const loaded = useProfilesStore((state) => state.loaded)
  const error = useProfilesStore((state) => state.error)
  const selected = useProfilesStore((state) => state.selected)
  const tests = useProfilesStore((state) => state.tests)
  const select = useProfilesStore((state) => state.select)
  const save = useProfilesStore((state) => state.save)
  // "Create a profile" elsewhere opens this page at the form.
  const [panel, setPanel] = useState<Panel>(() =>
    useNavigationStore.getState().newProfileAsked ? { kind: 'create' } : { kind: 'details' },
  )
  const newProfileOpened = useNavigationStore((state) => state.newProfileOpened)
  useEffect(() => newProfileOpened(), [newProfileOpened])
  const locked = entries.filter((entry) => entry.status === 'locked').length
  const selectedEntry = entries.find((entry) => entry.name === selected)

  const showDetails = (name: string): void => {
    select(name)
    setPanel({ kind: 'details' })
  }

  return (
    <div className="page page-wide">
      <PageHeader
        title={t('profiles.title')}
        lead={t('profiles.lead')}
        actions={
          <>
            <button
              type="button"
              className="button button-primary"
              onClick={() => setPanel({ kind: 'create' })}
            >
              {t('profiles.new')}
            </button>
            <button type="button" className="button" onClick={() => setPanel({ kind: 'import' })}>
              {t('profiles.import')}
            </button>
            <RestoreFileButton />
          </>
        }
      />
      {error !== null && <ErrorNotice error={error} title={t('profiles.loadFailed')} />}
      {locked > 0 && (
        <div className="notice notice-warn" role="status">
          <p className="notice-text">{t('profiles.lockedNotice', { count: locked })}</p>
        </div>
      )}
      <div className="split">
        <div className="split-list">
          {loaded && entries.length === 0 && error === null ? (
            <p className="empty card">{t('profiles.empty')}</p>
          ) : (
            <ProfileList entries={entries} selected={selected} tests={tests} onSelect={showDetails} />
          )}
        </div>
        <div className="split-detail">
          {panel.kind === 'create' && (
            <ProfileForm
              key="create"
              profile={null}
              onSave={save}
              onDone={() => setPanel({ kind: 'details' })}
            />
          )}
          {panel.kind === 'edit' && (
            <ProfileForm
              key={`edit-${panel.profile.name}`}
              profile={panel.profile}
              onSave={save}
              onDone={() => setPanel({ kind: 'details' })}
            />
          )}
          {panel.kind === 'import' && <ImportProfileForm onDone={() => setPanel({ kind: 'details' })} />}
          {panel.kind === 'details' &&
            (selectedEntry === undefined ? (
              entries.length > 0 && <p className="empty card">{t('profiles.selectHint')}</p>
            ) : (
              <ProfileDetails
                key={selectedEntry.name}
                entry={selectedEntry}
                onEdit={(profile) => setPanel({ kind: 'edit', profile })}
              />
            ))}
        </div>
      </div>
      <KeysPanel />
    </div>
  )
}
