import { useEffect, useState } from 'react'
import type { ReactElement } from 'react'
import type { DestinationView } from '../../../../shared/ipc.ts'
import type { AppError } from '../../../../shared/result.ts'
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx'
import { ErrorNotice } from '../../components/ErrorNotice.tsx'
import { StatusBadge } from '../../components/StatusBadge.tsx'
import { useT } from '../../i18n/use-t.ts'
import { testKey, useOffsiteStore } from '../../stores/offsite-store.ts'
import { describeDestination } from './destination-form.ts'
import { DestinationForm } from './DestinationForm.tsx'
import { RowActions, TestOutcome } from './TestOutcome.tsx'

/**
 * Settings → Destinations: where backups are copied after a run (a folder, SFTP, S3), shared with the
 * command line's `sfdbtools destination`. Each one can be tested (a probe written, verified and removed).
 */
export function DestinationsCard(): ReactElement {
  const t = useT()
  const destinations = useOffsiteStore((state) => state.destinations)
  const loadError = useOffsiteStore((state) => state.loadError)
  const remove = useOffsiteStore((state) => state.removeDestination)
  // null: no form; 'new': adding; else the name being edited.
  const [editing, setEditing] = useState<string | null>(null)
  const [asking, setAsking] = useState<DestinationView | null>(null)
  const [error, setError] = useState<AppError | null>(null)
  useEffect(() => {
    void useOffsiteStore.getState().load()
  }, [])

  const confirmRemove = async (d: DestinationView): Promise<void> => {
    setAsking(null)
    setError(await remove(d.name))
  }
  const edited = destinations.find((d) => d.name === editing)

  return (
    <section className="card form-card" aria-labelledby="settings-destinations">
      <h2 id="settings-destinations" className="card-title">
        {t('destinations.title')}
      </h2>
      <p className="muted small">{t('destinations.lead')}</p>
      {loadError !== null && <ErrorNotice error={loadError} title={t('destinations.loadFailed')} />}
      {destinations.length === 0 ? (
        <p className="empty">{t('destinations.none')}</p>
      ) : (
        <ul className="offsite-list" aria-label={t('destinations.title')}>
          {destinations.map((d) => (
            <DestinationRow
              key={d.name}
              destination={d}
              onEdit={() => setEditing(d.name)}
              onRemove={() => setAsking(d)}
            />
          ))}
        </ul>
      )}
      {error !== null && <ErrorNotice error={error} title={t('destinations.removeFailed')} />}
      {editing === null ? (
        <div className="form-actions">
          <button type="button" className="button" onClick={() => setEditing('new')}>
            {t('destinations.add')}
          </button>
        </div>
      ) : (
        <DestinationForm
          key={editing}
          {...(edited ? { initial: edited } : {})}
          onDone={() => setEditing(null)}
        />
      )}
      {asking !== null && (
        <ConfirmDialog
          title={t('destinations.removeAsk', { name: asking.name })}
          confirmLabel={t('destinations.removeConfirm')}
          cancelLabel={t('common.cancel')}
          tone="danger"
          onConfirm={() => void confirmRemove(asking)}
          onCancel={() => setAsking(null)}
        >
          <p>{t('destinations.removeAskText')}</p>
        </ConfirmDialog>
      )}
    </section>
  )
}

function DestinationRow(props: {
  destination: DestinationView
  onEdit(): void
  onRemove(): void
}): ReactElement {
  const { destination: d, onEdit, onRemove } = props
  const t = useT()
  const test = useOffsiteStore((state) => state.tests[testKey('destination', d.name)])
  const runTest = useOffsiteStore((state) => state.testDestination)
  return (
    <li className="offsite-row">
      <div className="offsite-row-head">
        <span className="strong mono">{d.name}</span>
        <StatusBadge tone="info">{t(`destinations.kind.${d.kind}`)}</StatusBadge>
        {d.retention && (
          <span className="tag">
            {t('destinations.keeps', { days: d.retention.retentionDays, min: d.retention.minBackups })}
          </span>
        )}
        {d.secretStored && <span className="tag">{t('destinations.secretStored')}</span>}
        <span className="spacer" />
        <RowActions
          test={test}
          labels={{
            test: t('destinations.testLabel', { name: d.name }),
            edit: t('destinations.editAria', { name: d.name }),
            remove: t('destinations.removeAria', { name: d.name }),
          }}
          onTest={() => void runTest(d.name)}
          onEdit={onEdit}
          onRemove={onRemove}
        />
      </div>
      <p className="mono small muted break">{describeDestination(d)}</p>
      <TestOutcome
        test={test}
        passed={(url) => t('destinations.testPassed', { url: url ?? '' })}
        failedTitle={t('destinations.testFailed', { name: d.name })}
      />
    </li>
  )
}
