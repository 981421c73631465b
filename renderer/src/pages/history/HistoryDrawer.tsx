import { useEffect, useId, useRef } from 'react'
import type { ReactElement } from 'react'
import type { HistoryEntry } from '../../../../shared/ipc.ts'
import type { RestoreTestReport } from '../../../../shared/restore-types.ts'
import type { AppError } from '../../../../shared/result.ts'
import { ErrorNotice } from '../../components/ErrorNotice.tsx'
import { TableRulesList } from '../../components/TableRulesFacts.tsx'
import { VerifyReport } from '../../components/VerifyReport.tsx'
import { useLanguage, useT } from '../../i18n/use-t.ts'
import { formatBytes, formatDateTime, formatDuration } from '../../lib/format.ts'
import type { DetailsState, VerifyState } from '../../stores/history-store.ts'
import { RestoreTestSummary } from '../jobs/RestoreResultView.tsx'
import { backupTypeLabel } from '../../lib/backup-type.ts'
import { LastVerified } from './LastVerified.tsx'
import { RemoteCopies } from './RemoteCopies.tsx'

export interface HistoryDrawerProps {
  details: DetailsState
  verification: VerifyState | undefined
  folderError: AppError | undefined
  onVerify(file: string): void
  onShowInFolder(file: string): void
  onDelete(entry: HistoryEntry): void
  onRestore(entry: HistoryEntry): void
  /** Restore from one of its offsite copies (the wizard with the copy as its source). */
  onRestoreFrom(entry: HistoryEntry, destination: string): void
  onTestRestore(entry: HistoryEntry): void
  /** The backup's last restore test. */
  restoreTest: RestoreTestReport | undefined
  onClose(): void
}

/**
 * The details of one backup: its facts, the metadata file as stored, and what can be done with it (verify,
 * show in folder, delete). Escape or Close returns to the list.
 */
export function HistoryDrawer(props: HistoryDrawerProps): ReactElement {
  const { details, verification, folderError, onVerify, onShowInFolder, onDelete, onClose } = props
  const { onRestore, onRestoreFrom, onTestRestore, restoreTest } = props
  const t = useT()
  const language = useLanguage()
  const titleId = useId()
  const closeButton = useRef<HTMLButtonElement>(null)

  // Focus goes back where it was (the row's Details button) when the drawer closes.
  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null
    return () => {
      if (opener !== null && opener.isConnected) opener.focus()
    }
  }, [])

  useEffect(() => {
    closeButton.current?.focus()
  }, [details.metaPath])

  // Escape closes it wherever the focus is — unless a dialog on top of it (delete, test restore) has it.
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.key === 'Escape' && document.querySelector('dialog[open]') === null) onClose()
    }
    document.addEventListener('keydown', onKey)
    return () => document.removeEventListener('keydown', onKey)
  }, [onClose])

  const entry = details.data?.entry
  return (
    <aside className="drawer" role="dialog" aria-modal="false" aria-labelledby={titleId}>
      <div className="drawer-head">
        <h2 id={titleId} className="card-title">
          {t('history.detailsTitle')}
        </h2>
        <span className="spacer" />
        <button ref={closeButton} type="button" className="button button-small" onClick={onClose}>
          {t('history.closeDetails')}
        </button>
      </div>
      {details.loading && (
        <p className="muted" role="status">
          {t('common.loading')}
        </p>
      )}
      {details.error !== null && <ErrorNotice error={details.error} />}
      {entry !== undefined && (
        <div className="form-actions">
          <button
            type="button"
            className="button button-small"
            disabled={verification?.running === true || entry.fileExists === false}
            onClick={() => onVerify(entry.backupFile)}
          >
            {t('action.verify')}
          </button>
          <button
            type="button"
            className="button button-small"
            onClick={() => onShowInFolder(entry.backupFile)}
          >
            {t('action.showInFolder')}
          </button>
          <button
            type="button"
            className="button button-small"
            disabled={entry.fileExists === false}
            onClick={() => onRestore(entry)}
          >
            {t('restore.action')}
          </button>
          <button
            type="button"
            className="button button-small"
            disabled={entry.fileExists === false}
            onClick={() => onTestRestore(entry)}
          >
            {t('restoreTest.action')}
          </button>
          <button
            type="button"
            className="button button-small button-danger-quiet"
            onClick={() => onDelete(entry)}
          >
            {t('common.delete')}
          </button>
        </div>
      )}
      {folderError !== undefined && <ErrorNotice error={folderError} />}
      {verification !== undefined && <VerifyReport state={verification} />}
      {restoreTest !== undefined && (
        <section aria-label={t('restoreTest.last')}>
          <h3 className="section-title">{t('restoreTest.last')}</h3>
          <RestoreTestSummary report={restoreTest} />
        </section>
      )}
      {entry?.copies !== undefined && entry.copies.length > 0 && (
        <RemoteCopies copies={entry.copies} onRestoreFrom={(d) => onRestoreFrom(entry, d)} />
      )}
      {entry !== undefined && (
        <dl className="facts facts-grid">
          <dt>{t('result.col.file')}</dt>
          <dd className="mono break">{entry.backupFile}</dd>
          <dt>{t('history.col.databases')}</dt>
          <dd className="mono">{entry.databases.join(', ')}</dd>
          <dt>{t('history.col.type')}</dt>
          <dd>{backupTypeLabel(entry.type, t)}</dd>
          <dt>{t('history.col.date')}</dt>
          <dd>{formatDateTime(entry.startedAt, language)}</dd>
          <dt>{t('history.col.duration')}</dt>
          <dd>{entry.durationMs === null ? '–' : formatDuration(entry.durationMs, language)}</dd>
          <dt>{t('history.col.size')}</dt>
          <dd>{entry.sizeBytes === null ? '–' : formatBytes(entry.sizeBytes, language)}</dd>
          <dt>{t('history.col.lastVerified')}</dt>
          <dd>
            <LastVerified last={entry.lastVerified} reason />
          </dd>
          <dt>{t('history.server')}</dt>
          <dd className="mono">{[entry.hostname, entry.host].filter(Boolean).join(' · ') || '–'}</dd>
          <dt>{t('ticket.label')}</dt>
          <dd>{entry.ticket ?? '–'}</dd>
          <dt>{t('result.compression')}</dt>
          <dd>
            {entry.compression === null ? '–' : `${entry.compression.type} ${entry.compression.level ?? ''}`}
          </dd>
          <dt>{t('result.encryption')}</dt>
          <dd>{entry.encrypted ? 'AES-256-GCM' : t('result.notEncrypted')}</dd>
          <dt>{t('result.gtid')}</dt>
          <dd className="mono break">{entry.gtid ?? '–'}</dd>
          {entry.binlog !== null && (
            <>
              <dt>{t('result.binlog')}</dt>
              <dd className="mono break">{entry.binlog}</dd>
            </>
          )}
          <dt>SHA-256</dt>
          <dd className="mono break small">{entry.sha256 ?? '–'}</dd>
          <dt>{t('history.source')}</dt>
          <dd>{t(`history.source.${entry.source}`)}</dd>
          <dt>{t('tableRules.label')}</dt>
          <dd>
            <TableRulesList rules={entry.tableRules} />
          </dd>
          <dt>{t('history.companions')}</dt>
          <dd className="mono small break">
            {entry.companions.length > 0 ? entry.companions.join(', ') : '–'}
          </dd>
        </dl>
      )}
      {details.data !== null && (
        <details className="metadata" open>
          <summary>{t('history.metadata')}</summary>
          <pre className="code-block">{JSON.stringify(details.data.metadata, null, 2)}</pre>
        </details>
      )}
    </aside>
  )
}
