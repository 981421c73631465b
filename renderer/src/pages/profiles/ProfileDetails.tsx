import { useState } from 'react'
import type { FormEvent, ReactElement } from 'react'
import type { ProfileListEntry, ProfileView } from '../../../../shared/ipc.ts'
import type { AppError } from '../../../../shared/result.ts'
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx'
import { ErrorNotice } from '../../components/ErrorNotice.tsx'
import { TextField } from '../../components/form-fields.tsx'
import { StatusBadge } from '../../components/StatusBadge.tsx'
import { useT } from '../../i18n/use-t.ts'
import { useKeysStore } from '../../stores/keys-store.ts'
import { useProfilesStore } from '../../stores/profiles-store.ts'
import { KeyInput } from './KeyInput.tsx'
import { ProfileKeyInput } from './KeysPanel.tsx'
import { ProfileTestResult } from './ProfileTestResult.tsx'

export interface ProfileDetailsProps {
  entry: ProfileListEntry
  onEdit(profile: ProfileView): void
}

/** One profile: its settings (never a secret), test, clone, delete and its own backup key. */
export function ProfileDetails({ entry, onEdit }: ProfileDetailsProps): ReactElement {
  const t = useT()
  const test = useProfilesStore((state) => state.test)
  const testState = useProfilesStore((state) => state.tests[entry.name])
  const remove = useProfilesStore((state) => state.remove)
  const [confirming, setConfirming] = useState(false)
  const [deleting, setDeleting] = useState(false)
  const [actionError, setActionError] = useState<AppError | null>(null)

  const confirmDelete = async (): Promise<void> => {
    setDeleting(true)
    const error = await remove(entry.name)
    setDeleting(false)
    setConfirming(false)
    setActionError(error)
  }

  const profile = entry.status === 'ok' ? entry.profile : null
  return (
    <section className="card details-card" aria-label={t('profiles.detailsLabel', { name: entry.name })}>
      <div className="card-head">
        <h2 className="card-title">{entry.name}</h2>
        <span className="spacer" />
        {profile !== null && (
          <>
            <button
              type="button"
              className="button button-primary"
              onClick={() => void test(entry.name)}
              disabled={testState?.running}
            >
              {t('profiles.test')}
            </button>
            <button type="button" className="button" onClick={() => onEdit(profile)}>
              {t('profiles.edit')}
            </button>
          </>
        )}
        <button type="button" className="button button-danger-quiet" onClick={() => setConfirming(true)}>
          {t('common.delete')}
        </button>
      </div>
      {entry.status !== 'ok' && (
        <ErrorNotice error={entry.error} title={t(`profiles.status.${entry.status}`)} />
      )}
      {entry.status === 'locked' && (
        // Right here, not in the Keys panel below the fold: once the key opens the profile, this goes.
        <div className="key-block" role="group" aria-label={t('profiles.keyFixLabel')}>
          <p>{t(entry.error.code === 'WrongKey' ? 'profiles.keyFixWrong' : 'profiles.keyFixMissing')}</p>
          <ProfileKeyInput />
        </div>
      )}
      {profile !== null && <ProfileFacts profile={profile} />}
      {testState !== undefined && <ProfileTestResult state={testState} />}
      {profile !== null && <CloneForm from={profile.name} />}
      {profile !== null && <ProfileBackupKey name={profile.name} />}
      {actionError !== null && <ErrorNotice error={actionError} />}
      {confirming && (
        <ConfirmDialog
          title={t('profiles.deleteTitle', { name: entry.name })}
          confirmLabel={t('common.delete')}
          cancelLabel={t('common.cancel')}
          tone="danger"
          busy={deleting}
          onConfirm={() => void confirmDelete()}
          onCancel={() => setConfirming(false)}
        >
          <p>{t('profiles.deleteBody')}</p>
          <p className="mono break">{entry.path}</p>
        </ConfirmDialog>
      )}
    </section>
  )
}

function ProfileFacts({ profile }: { profile: ProfileView }): ReactElement {
  const t = useT()
  return (
    <dl className="facts facts-grid">
      <dt>{t('profileForm.host')}</dt>
      <dd className="mono">{profile.socket ?? `${profile.host}:${profile.port}`}</dd>
      <dt>{t('profileForm.user')}</dt>
      <dd className="mono">{profile.user}</dd>
      <dt>{t('profileForm.password')}</dt>
      <dd>
        {profile.hasPassword ? (
          <StatusBadge tone="ok">{t('profileForm.stored')}</StatusBadge>
        ) : (
          t('profiles.noPassword')
        )}
      </dd>
      <dt>TLS</dt>
      <dd>
        {profile.tls === null ? t('tls.preferred') : t(`tls.${profile.tls.mode}`)}
        {profile.tls?.ca && <span className="mono muted small block">CA {profile.tls.ca}</span>}
      </dd>
      <dt>SSH</dt>
      <dd className="mono">
        {profile.ssh === null ? '–' : `${profile.ssh.user}@${profile.ssh.host}:${profile.ssh.port}`}
      </dd>
      <dt>{t('profiles.file')}</dt>
      <dd className="mono break small">{profile.path}</dd>
    </dl>
  )
}

function CloneForm({ from }: { from: string }): ReactElement {
  const t = useT()
  const clone = useProfilesStore((state) => state.clone)
  const [to, setTo] = useState('')
  const [error, setError] = useState<AppError | null>(null)
  const [busy, setBusy] = useState(false)

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    if (to.trim() === '') return
    setBusy(true)
    const failure = await clone(from, to.trim())
    setBusy(false)
    setError(failure)
    if (failure === null) setTo('')
  }

  return (
    <form
      className="inline-form"
      onSubmit={(event) => void submit(event)}
      aria-label={t('profiles.cloneLabel')}
    >
      <TextField label={t('profiles.cloneName')} value={to} onChange={setTo} className="grow" />
      <button type="submit" className="button" disabled={busy || to.trim() === ''}>
        {t('profiles.clone')}
      </button>
      {error !== null && <ErrorNotice error={error} />}
    </form>
  )
}

/** The profile's own backup key (used instead of the default one for its backups). */
function ProfileBackupKey({ name }: { name: string }): ReactElement {
  const t = useT()
  const stored = useKeysStore((state) => state.status?.profileBackupKeys[name] ?? false)
  const noKeychain = useKeysStore((state) => state.status !== null && !state.status.keychain.available)
  const store = useKeysStore((state) => state.store)
  const remove = useKeysStore((state) => state.remove)
  const [error, setError] = useState<AppError | null>(null)
  const [asking, setAsking] = useState(false)
  const [removed, setRemoved] = useState(0)
  const removeKey = async (): Promise<void> => {
    setAsking(false)
    const failure = await remove('backup-key', name)
    setError(failure)
    if (failure === null) setRemoved(removed + 1)
  }
  return (
    <div className="key-block">
      <div className="key-block-head">
        <h3>{t('keys.profileBackupKey')}</h3>
        {stored ? (
          <StatusBadge tone="ok">{t('keys.stored')}</StatusBadge>
        ) : (
          <StatusBadge tone="muted">{t('keys.usesDefault')}</StatusBadge>
        )}
        {stored && (
          <button type="button" className="button button-small button-quiet" onClick={() => setAsking(true)}>
            {t('keys.removeProfileBackupKey')}
          </button>
        )}
      </div>
      <KeyInput
        label={t('keys.profileBackupKeyInput')}
        actions={[
          {
            label: t('keys.storeProfileBackupKey'),
            disabled: noKeychain,
            run: (secret) => store('backup-key', secret, name),
            done: t('keys.storedDone'),
          },
        ]}
        statusVersion={removed}
      />
      {error !== null && <ErrorNotice error={error} />}
      {asking && (
        <ConfirmDialog
          title={t('keys.removeAsk.profileBackupKey', { profile: name })}
          confirmLabel={t('keys.removeConfirm')}
          cancelLabel={t('common.cancel')}
          tone="danger"
          onConfirm={() => void removeKey()}
          onCancel={() => setAsking(false)}
        >
          <p>{t('keys.removeAskText.profileBackupKey', { profile: name })}</p>
        </ConfirmDialog>
      )}
    </div>
  )
}
