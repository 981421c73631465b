import { useState } from 'react'
import type { ReactElement } from 'react'
import type { AppError } from '../../../../shared/result.ts'
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx'
import { ErrorNotice } from '../../components/ErrorNotice.tsx'
import { StatusBadge } from '../../components/StatusBadge.tsx'
import { adviceText } from '../../i18n/phrase.ts'
import { useLanguage, useT } from '../../i18n/use-t.ts'
import { useKeysStore } from '../../stores/keys-store.ts'
import { KeyInput } from './KeyInput.tsx'

/** Where the profile key and the default backup key are kept: the OS keychain, this session, or the environment. */
export function KeysPanel(): ReactElement {
  const t = useT()
  const language = useLanguage()
  const status = useKeysStore((state) => state.status)
  const error = useKeysStore((state) => state.error)
  const store = useKeysStore((state) => state.store)
  const remove = useKeysStore((state) => state.remove)
  const [removeError, setRemoveError] = useState<AppError | null>(null)
  // Removing a key asks first, naming what stops working.
  const [asking, setAsking] = useState<'profile-key' | 'backup-key' | null>(null)
  const [removed, setRemoved] = useState({ 'profile-key': 0, 'backup-key': 0 })

  const removeKey = async (kind: 'profile-key' | 'backup-key'): Promise<void> => {
    setAsking(null)
    const failure = await remove(kind)
    setRemoveError(failure)
    if (failure === null) setRemoved({ ...removed, [kind]: removed[kind] + 1 })
  }

  // Without a keychain nothing can be stored; unlocking for the session still works.
  const noKeychain = status !== null && !status.keychain.available
  const profileKey = status?.profileKey
  const backupKey = status?.backupKey
  return (
    <section className="card keys-panel" aria-labelledby="keys-title">
      <h2 id="keys-title" className="card-title">
        {t('keys.title')}
      </h2>
      <p className="muted">{t('keys.lead')}</p>
      {error !== null && <ErrorNotice error={error} title={t('keys.statusFailed')} />}
      {status !== null && !status.keychain.available && (
        <div className="notice notice-warn" role="alert">
          <p className="notice-text strong">{t('keys.keychainUnavailable')}</p>
          {/* What it means and what to do, in the UI's language; the system's own words as the detail. */}
          {status.keychain.advice !== null && (
            <p className="small">{adviceText(t, language, status.keychain.advice)}</p>
          )}
          {status.keychain.reason !== null && (
            <details className="notice-detail">
              <summary>{t('keys.keychainDetail')}</summary>
              <pre>{status.keychain.reason}</pre>
            </details>
          )}
        </div>
      )}

      <div className="key-block">
        <div className="key-block-head">
          <h3>{t('keys.profileKey')}</h3>
          {profileKey?.stored && <StatusBadge tone="ok">{t('keys.stored')}</StatusBadge>}
          {profileKey?.session && <StatusBadge tone="info">{t('keys.session')}</StatusBadge>}
          {profileKey?.env && <StatusBadge tone="info">{t('keys.env')}</StatusBadge>}
          {profileKey !== undefined && !profileKey.stored && !profileKey.session && !profileKey.env && (
            <StatusBadge tone="warn">{t('keys.notStored')}</StatusBadge>
          )}
          {profileKey?.stored && (
            <button
              type="button"
              className="button button-small button-quiet"
              onClick={() => setAsking('profile-key')}
            >
              {t('keys.removeProfileKey')}
            </button>
          )}
        </div>
        <ProfileKeyInput statusVersion={removed['profile-key']} />
      </div>

      <div className="key-block">
        <div className="key-block-head">
          <h3>{t('keys.backupKey')}</h3>
          {backupKey?.stored && <StatusBadge tone="ok">{t('keys.stored')}</StatusBadge>}
          {backupKey?.env && <StatusBadge tone="info">{t('keys.env')}</StatusBadge>}
          {backupKey !== undefined && !backupKey.stored && !backupKey.env && (
            <StatusBadge tone="warn">{t('keys.notStored')}</StatusBadge>
          )}
          {backupKey?.stored && (
            <button
              type="button"
              className="button button-small button-quiet"
              onClick={() => setAsking('backup-key')}
            >
              {t('keys.removeBackupKey')}
            </button>
          )}
        </div>
        <KeyInput
          label={t('keys.backupKeyInput')}
          hint={t('keys.backupKeyHint')}
          actions={[
            {
              label: t('keys.storeBackupKey'),
              disabled: noKeychain,
              run: (secret) => store('backup-key', secret),
              done: t('keys.storedDone'),
            },
          ]}
          statusVersion={removed['backup-key']}
        />
      </div>
      {removeError !== null && <ErrorNotice error={removeError} />}
      {asking !== null && (
        <ConfirmDialog
          title={t(asking === 'profile-key' ? 'keys.removeAsk.profileKey' : 'keys.removeAsk.backupKey')}
          confirmLabel={t('keys.removeConfirm')}
          cancelLabel={t('common.cancel')}
          tone="danger"
          onConfirm={() => void removeKey(asking)}
          onCancel={() => setAsking(null)}
        >
          <p>
            {t(asking === 'profile-key' ? 'keys.removeAskText.profileKey' : 'keys.removeAskText.backupKey')}
          </p>
        </ConfirmDialog>
      )}
    </section>
  )
}

/**
 * The profile key's entry: store it in the keychain (typed twice) or unlock the profiles for this session.
 * In the Keys panel, and in place on a profile that cannot be opened without it.
 */
export function ProfileKeyInput({ statusVersion }: { statusVersion?: number }): ReactElement {
  const t = useT()
  const status = useKeysStore((state) => state.status)
  const store = useKeysStore((state) => state.store)
  const unlock = useKeysStore((state) => state.unlock)
  const noKeychain = status !== null && !status.keychain.available
  return (
    <KeyInput
      label={t('keys.profileKeyInput')}
      hint={t('keys.profileKeyHint')}
      actions={[
        {
          label: t('keys.storeProfileKey'),
          disabled: noKeychain,
          run: (secret) => store('profile-key', secret),
          done: t('keys.storedDone'),
        },
        { label: t('keys.unlock'), run: unlock, done: t('keys.unlockedDone'), keeps: false },
      ]}
      {...(statusVersion !== undefined ? { statusVersion } : {})}
    />
  )
}
