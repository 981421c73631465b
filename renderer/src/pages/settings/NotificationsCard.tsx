import { useEffect, useState } from 'react'
import type { ReactElement } from 'react'
import type { ChannelView } from '../../../../shared/ipc.ts'
import type { AppError } from '../../../../shared/result.ts'
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx'
import { ErrorNotice } from '../../components/ErrorNotice.tsx'
import { StatusBadge } from '../../components/StatusBadge.tsx'
import { useT } from '../../i18n/use-t.ts'
import { testKey, useOffsiteStore } from '../../stores/offsite-store.ts'
import { ChannelForm } from './ChannelForm.tsx'
import { describeChannel } from './channel-form.ts'
import { RowActions, TestOutcome } from './TestOutcome.tsx'

/**
 * Settings → Notifications: e-mail (SMTP) and webhook (JSON, Slack, Teams) channels that a quick backup
 * names to hear of its runs, shared with the command line's `sfdbtools notify`. Each one can be tested.
 */
export function NotificationsCard(): ReactElement {
  const t = useT()
  const channels = useOffsiteStore((state) => state.channels)
  const remove = useOffsiteStore((state) => state.removeChannel)
  const [editing, setEditing] = useState<string | null>(null)
  const [asking, setAsking] = useState<ChannelView | null>(null)
  const [error, setError] = useState<AppError | null>(null)
  useEffect(() => {
    void useOffsiteStore.getState().load()
  }, [])

  const confirmRemove = async (c: ChannelView): Promise<void> => {
    setAsking(null)
    setError(await remove(c.name))
  }
  const edited = channels.find((c) => c.name === editing)

  return (
    <section className="card form-card" aria-labelledby="settings-notifications">
      <h2 id="settings-notifications" className="card-title">
        {t('channels.title')}
      </h2>
      <p className="muted small">{t('channels.lead')}</p>
      {channels.length === 0 ? (
        <p className="empty">{t('channels.none')}</p>
      ) : (
        <ul className="offsite-list" aria-label={t('channels.title')}>
          {channels.map((c) => (
            <ChannelRow
              key={c.name}
              channel={c}
              onEdit={() => setEditing(c.name)}
              onRemove={() => setAsking(c)}
            />
          ))}
        </ul>
      )}
      {error !== null && <ErrorNotice error={error} title={t('channels.removeFailed')} />}
      {editing === null ? (
        <div className="form-actions">
          <button type="button" className="button" onClick={() => setEditing('new')}>
            {t('channels.add')}
          </button>
        </div>
      ) : (
        <ChannelForm key={editing} {...(edited ? { initial: edited } : {})} onDone={() => setEditing(null)} />
      )}
      {asking !== null && (
        <ConfirmDialog
          title={t('channels.removeAsk', { name: asking.name })}
          confirmLabel={t('channels.removeConfirm')}
          cancelLabel={t('common.cancel')}
          tone="danger"
          onConfirm={() => void confirmRemove(asking)}
          onCancel={() => setAsking(null)}
        >
          <p>{t('channels.removeAskText')}</p>
        </ConfirmDialog>
      )}
    </section>
  )
}

function ChannelRow(props: { channel: ChannelView; onEdit(): void; onRemove(): void }): ReactElement {
  const { channel: c, onEdit, onRemove } = props
  const t = useT()
  const test = useOffsiteStore((state) => state.tests[testKey('channel', c.name)])
  const runTest = useOffsiteStore((state) => state.testChannel)
  return (
    <li className="offsite-row">
      <div className="offsite-row-head">
        <span className="strong mono">{c.name}</span>
        <StatusBadge tone="info">{t(`channels.kind.${c.kind}`)}</StatusBadge>
        {c.kind === 'email' && c.passwordStored && (
          <span className="tag">{t('destinations.secretStored')}</span>
        )}
        <span className="spacer" />
        <RowActions
          test={test}
          labels={{
            test: t('channels.testLabel', { name: c.name }),
            edit: t('channels.editAria', { name: c.name }),
            remove: t('channels.removeAria', { name: c.name }),
          }}
          onTest={() => void runTest(c.name)}
          onEdit={onEdit}
          onRemove={onRemove}
        />
      </div>
      <p className="mono small muted break">{describeChannel(c)}</p>
      <TestOutcome
        test={test}
        passed={() => t('channels.testPassed', { name: c.name })}
        failedTitle={t('channels.testFailed', { name: c.name })}
      />
    </li>
  )
}
