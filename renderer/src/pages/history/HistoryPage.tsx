import { Fragment, useCallback, useState } from 'react'
import type { ReactElement } from 'react'
import type { HistoryEntry } from '../../../../shared/ipc.ts'
import type { AppError } from '../../../../shared/result.ts'
import { ErrorNotice } from '../../components/ErrorNotice.tsx'
import { FileName } from '../../components/FileName.tsx'
import { PageHeader } from '../../components/PageHeader.tsx'
import { StatusBadge } from '../../components/StatusBadge.tsx'
import { TableRulesNote } from '../../components/TableRulesFacts.tsx'
import { VerifyReport } from '../../components/VerifyReport.tsx'
import { errorText } from '../../i18n/phrase.ts'
import { useLanguage, useT } from '../../i18n/use-t.ts'
import { formatBytes, formatDateTime, formatDuration } from '../../lib/format.ts'
import { useHistoryStore } from '../../stores/history-store.ts'
import type { HistoryFilters as Filters } from '../../stores/history-store.ts'
import { useNavigationStore } from '../../stores/navigation-store.ts'
import { useProfilesStore } from '../../stores/profiles-store.ts'
import { useRestoreStore } from '../../stores/restore-store.ts'
import { useRestoreWizardStore } from '../../stores/restore-wizard-store.ts'
import { ownerOf } from '../dashboard/backup-series.ts'
import { DeleteBackupDialog } from './DeleteBackupDialog.tsx'
import { HistoryDrawer } from './HistoryDrawer.tsx'
import { HistoryFilters } from './HistoryFilters.tsx'
import { RestoreTestBadge } from './RestoreTestBadge.tsx'
import { TestRestoreDialog } from './TestRestoreDialog.tsx'
import { entryStatusLabel, entryStatusTone } from './history-status.ts'
import { unwrittenRows } from './job-rows.ts'
import type { UnwrittenRow } from './job-rows.ts'
import { sortHistoryRows } from './history-sort.ts'
import type { HistorySortKey } from './history-sort.ts'
import { LastVerified } from './LastVerified.tsx'
import { backupTypeLabel } from '../../lib/backup-type.ts'
import { scheduledTag } from '../dashboard/schedule-model.ts'
import { entryTrigger, triggerMatches, triggersByFile } from './job-triggers.ts'
import type { RunTrigger } from './job-triggers.ts'

const COLUMNS = 9

/** Every backup in the output folders (ours and sfDBTools'): filter, inspect, verify, show, delete. */
export function HistoryPage(): ReactElement {
  const t = useT()
  const language = useLanguage()
  const store = useHistoryStore()
  const profiles = useProfilesStore((state) => state.entries.map((entry) => entry.name).join('\n'))
  const [deleting, setDeleting] = useState<HistoryEntry | null>(null)
  const [testing, setTesting] = useState<HistoryEntry | null>(null)
  const restoreJobs = useRestoreStore((state) => state.jobs)
  const go = useNavigationStore((state) => state.go)
  const testRunning = (file: string): boolean =>
    Object.values(restoreJobs).some((job) => job.kind === 'restore-test' && job.files.includes(file))
  const restore = (entry: HistoryEntry): void => {
    useRestoreWizardStore.getState().open(entry.backupFile)
    go('restore')
  }
  // A copy is named on its destination as the backup file is (engine/offsite: put() keeps the file's name).
  const restoreFrom = (entry: HistoryEntry, destination: string): void => {
    useRestoreWizardStore.getState().open(entry.fileName, destination)
    go('restore')
  }
  const [removed, setRemoved] = useState('')
  const [folderErrors, setFolderErrors] = useState<Record<string, AppError>>({})
  const { setFilters } = store
  const onFilters = useCallback((filters: Filters) => void setFilters(filters), [setFilters])

  const detailsFile = store.details?.data?.entry.backupFile ?? null
  const unwritten = unwrittenRows(store.jobs, store.filters)
  // How each file came to run (by hand, retry, schedule), from the job history; the filter applies it.
  const triggers = triggersByFile(store.jobs)
  const entries = store.filtered.filter((e) =>
    triggerMatches(entryTrigger(e, triggers), store.filters.trigger),
  )
  const rows = sortHistoryRows(entries, unwritten, store.sort)
  const openResult = useNavigationStore((state) => state.openResult)

  const show = async (file: string): Promise<void> => {
    const error = await store.showInFolder(file)
    const { [file]: _old, ...rest } = folderErrors
    setFolderErrors(error === null ? rest : { ...rest, [file]: error })
  }

  return (
    <div className="page page-wide">
      <PageHeader
        title={t('history.title')}
        lead={t('history.lead')}
        actions={
          <button type="button" className="button" onClick={() => void store.load()} disabled={store.loading}>
            {t('history.refresh')}
          </button>
        }
      />
      <HistoryFilters
        value={store.filters}
        profiles={profiles === '' ? [] : profiles.split('\n')}
        onChange={onFilters}
      />
      {store.error !== null && <ErrorNotice error={store.error} title={t('history.loadFailed')} />}
      {store.problems.length > 0 && (
        <details className="notice notice-warn">
          <summary>{t('history.problems', { count: store.problems.length })}</summary>
          <ul>
            {store.problems.map((problem) => (
              <li key={problem.path}>
                <span className="mono">{problem.path}</span>: {problem.message}
              </li>
            ))}
          </ul>
        </details>
      )}
      <p className="live-status" role="status">
        {removed}
      </p>
      <div className="table-wrap card">
        <table className="table">
          <caption className="visually-hidden">{t('history.caption')}</caption>
          <thead>
            <tr>
              <SortHeader column="date" label={t('history.col.date')} />
              <SortHeader column="databases" label={t('history.col.databases')} />
              <SortHeader column="profile" label={t('history.col.profile')} />
              <SortHeader column="ticket" label={t('history.col.ticket')} className="col-wide" />
              <SortHeader column="size" label={t('history.col.size')} className="num" />
              <SortHeader column="duration" label={t('history.col.duration')} className="num" />
              <SortHeader column="status" label={t('history.col.status')} />
              <SortHeader column="lastVerified" label={t('history.col.lastVerified')} className="col-wide" />
              <th scope="col">
                <span className="visually-hidden">{t('common.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => {
              if (row.kind === 'unwritten')
                return <UnwrittenTableRow key={row.row.key} row={row.row} onShowJob={openResult} />
              const { entry } = row
              // The drawer shows the open entry's verification; the row shows everybody else's.
              const verification =
                entry.backupFile === detailsFile ? undefined : store.verifications[entry.backupFile]
              const folderError = folderErrors[entry.backupFile]
              return (
                <Fragment key={entry.metaPath}>
                  <tr className={store.details?.metaPath === entry.metaPath ? 'is-selected' : undefined}>
                    <td className="nowrap">{formatDateTime(entry.startedAt, language)}</td>
                    <th scope="row" className="cell-file">
                      <DatabaseList databases={entry.databases} />
                      <FileName name={entry.fileName} className="muted small block mono" />
                      <span className="tag tag-first">{backupTypeLabel(entry.type, t)}</span>
                      {entry.encrypted && <span className="tag">{t('history.encryptedTag')}</span>}
                      <ScheduledTag run={entryTrigger(entry, triggers)} />
                      <TableRulesNote rules={entry.tableRules} />
                      <RestoreTestBadge
                        report={store.restoreTests[entry.backupFile]}
                        running={testRunning(entry.backupFile)}
                      />
                    </th>
                    <td>
                      {ownerOf(entry)}
                      {/* A narrow window shows the ticket here instead of in its own column. */}
                      <span className="muted small block mono narrow-only">{entry.ticket ?? ''}</span>
                    </td>
                    <td className="mono col-wide">{entry.ticket ?? '–'}</td>
                    <td className="num">
                      {entry.sizeBytes === null ? '–' : formatBytes(entry.sizeBytes, language)}
                    </td>
                    <td className="num">
                      {entry.durationMs === null ? '–' : formatDuration(entry.durationMs, language)}
                    </td>
                    <td>
                      <StatusBadge tone={entryStatusTone(entry)}>{entryStatusLabel(entry, t)}</StatusBadge>
                      {/* A narrow window shows the last verification here instead of in its own column. */}
                      <span className="block small narrow-only">
                        {t('history.col.lastVerified')}: <LastVerified last={entry.lastVerified} />
                      </span>
                    </td>
                    <td className="col-wide">
                      <LastVerified last={entry.lastVerified} />
                    </td>
                    <td className="cell-actions">
                      <div className="row-actions row-actions-grid">
                        <button
                          type="button"
                          className="button button-small"
                          onClick={() => void store.openDetails(entry.metaPath)}
                        >
                          {t('history.details')}
                        </button>
                        <button
                          type="button"
                          className="button button-small"
                          disabled={verification?.running === true || entry.fileExists === false}
                          onClick={() => void store.verify(entry.backupFile)}
                        >
                          {t('action.verify')}
                        </button>
                        <button
                          type="button"
                          className="button button-small"
                          disabled={entry.fileExists === false}
                          onClick={() => restore(entry)}
                        >
                          {t('restore.action')}
                        </button>
                        <button
                          type="button"
                          className="button button-small"
                          disabled={entry.fileExists === false || testRunning(entry.backupFile)}
                          onClick={() => setTesting(entry)}
                        >
                          {t('restoreTest.action')}
                        </button>
                      </div>
                    </td>
                  </tr>
                  {(verification !== undefined || folderError !== undefined) && (
                    <tr className="row-detail">
                      <td colSpan={COLUMNS}>
                        {folderError !== undefined && <ErrorNotice error={folderError} />}
                        {verification !== undefined && <VerifyReport state={verification} />}
                      </td>
                    </tr>
                  )}
                </Fragment>
              )
            })}
            {entries.length === 0 && unwritten.length === 0 && (
              <tr>
                <td colSpan={COLUMNS} className="empty">
                  {store.loading ? t('common.loading') : t('history.empty')}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {store.details !== null && (
        <HistoryDrawer
          details={store.details}
          verification={detailsFile === null ? undefined : store.verifications[detailsFile]}
          folderError={detailsFile === null ? undefined : folderErrors[detailsFile]}
          onVerify={(file) => void store.verify(file)}
          onShowInFolder={(file) => void show(file)}
          onDelete={setDeleting}
          onRestore={restore}
          onRestoreFrom={restoreFrom}
          onTestRestore={setTesting}
          restoreTest={detailsFile === null ? undefined : store.restoreTests[detailsFile]}
          onClose={store.closeDetails}
        />
      )}
      {testing !== null && (
        <TestRestoreDialog
          entry={testing}
          onClose={(jobId) => {
            setTesting(null)
            if (jobId !== null) setRemoved(t('restoreTest.started'))
          }}
        />
      )}
      {deleting !== null && (
        <DeleteBackupDialog
          entry={deleting}
          onDelete={store.remove}
          onClose={(files) => {
            setDeleting(null)
            if (files !== null) setRemoved(t('history.removed', { count: files.length }))
          }}
        />
      )}
    </div>
  )
}

/** A column header that sorts the table: a button, its direction as `aria-sort` and an arrow. */
function SortHeader({
  column,
  label,
  className,
}: {
  column: HistorySortKey
  label: string
  className?: string
}): ReactElement {
  const sort = useHistoryStore((state) => state.sort)
  const setSort = useHistoryStore((state) => state.setSort)
  const sorted = sort.key === column
  return (
    <th scope="col" className={className} aria-sort={sorted ? sort.direction : 'none'}>
      <button type="button" className="sort-button" onClick={() => setSort(column)}>
        {label}
        <span className="sort-mark" aria-hidden="true">
          {sorted ? (sort.direction === 'ascending' ? '▲' : '▼') : ''}
        </span>
      </button>
    </th>
  )
}

/** A file a job did not write (from the job history): no size, no duration, never verified. */
function UnwrittenTableRow({
  row,
  onShowJob,
}: {
  row: UnwrittenRow
  onShowJob(jobId: string): void
}): ReactElement {
  const t = useT()
  const language = useLanguage()
  return (
    <tr className="row-unwritten">
      <td className="nowrap">{formatDateTime(row.startedAt, language)}</td>
      <th scope="row" className="cell-file">
        <span className="mono">{row.databases.join(', ') || '–'}</span>
        <span className="muted small block">{t('history.notWritten')}</span>
        <ScheduledTag run={row.run} first />
        {row.error !== null && <span className="muted small block">{errorText(t, language, row.error)}</span>}
      </th>
      <td>
        {row.profile}
        <span className="muted small block mono narrow-only">{row.ticket}</span>
      </td>
      <td className="mono col-wide">{row.ticket}</td>
      <td className="num">–</td>
      <td className="num">–</td>
      <td>
        <StatusBadge tone={row.status === 'failed' ? 'error' : 'muted'}>
          {t(`status.${row.status}`)}
        </StatusBadge>
      </td>
      <td className="col-wide">–</td>
      <td className="cell-actions">
        <button type="button" className="button button-small" onClick={() => onShowJob(row.jobId)}>
          {t('history.showJob')}
        </button>
      </td>
    </tr>
  )
}

/** "Scheduled" (or "Scheduled, ran late") on a run a quick backup's schedule started. */
function ScheduledTag({ run, first = false }: { run: RunTrigger; first?: boolean }): ReactElement | null {
  const t = useT()
  if (run.schedule === null) return null
  return <span className={first ? 'tag tag-first' : 'tag'}>{scheduledTag(t, run.schedule)}</span>
}

/** A file's databases: listed when few; a combined file of many says how many and unfolds the list. */
function DatabaseList({ databases }: { databases: string[] }): ReactElement {
  const t = useT()
  if (databases.length <= 3) return <FileName name={databases.join(', ')} />
  return (
    <details className="database-list">
      <summary>{t('history.databaseCount', { count: databases.length })}</summary>
      <span className="mono small">{databases.join(', ')}</span>
    </details>
  )
}
