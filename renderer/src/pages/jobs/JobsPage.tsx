import { useEffect } from 'react'
import type { ReactElement } from 'react'
import { ErrorNotice } from '../../components/ErrorNotice.tsx'
import { PageHeader } from '../../components/PageHeader.tsx'
import { useT } from '../../i18n/use-t.ts'
import { useJobsStore } from '../../stores/jobs-store.ts'
import { useNavigationStore } from '../../stores/navigation-store.ts'
import { useRestoreStore } from '../../stores/restore-store.ts'
import { useResultsStore } from '../../stores/results-store.ts'
import { JobCard } from './JobCard.tsx'
import { PastRestoreView } from './PastRestoreView.tsx'
import { RestoreJobCard } from './RestoreJobCard.tsx'
import { RestoreResultView } from './RestoreResultView.tsx'
import { ResultView } from './ResultView.tsx'

/** Running backups and restores with live progress, then what the finished ones produced (newest first). */
export function JobsPage(): ReactElement {
  const t = useT()
  const jobs = useJobsStore((state) => state.jobs)
  const order = useJobsStore((state) => state.order)
  const error = useJobsStore((state) => state.error)
  const cancel = useJobsStore((state) => state.cancel)
  const results = useResultsStore((state) => state.results)
  const dismiss = useResultsStore((state) => state.dismiss)
  const go = useNavigationStore((state) => state.go)
  const focusResult = useNavigationStore((state) => state.focusResult)
  const resultFocused = useNavigationStore((state) => state.resultFocused)
  const restores = useRestoreStore((state) => state.jobs)
  const restoreOrder = useRestoreStore((state) => state.order)
  const cancelRestore = useRestoreStore((state) => state.cancel)
  const restoreResults = useRestoreStore((state) => state.results)
  const dismissRestore = useRestoreStore((state) => state.dismiss)
  const pastRestores = useResultsStore((state) => state.pastRestores)
  const pastError = useResultsStore((state) => state.pastError)
  const loadPast = useResultsStore((state) => state.loadPast)
  // The job history: what earlier sessions ran (it is read each time the page opens).
  useEffect(() => void loadPast(), [loadPast])
  const liveRestores = new Set(restoreResults.map((r) => r.jobId))

  return (
    <div className="page page-wide">
      <PageHeader
        title={t('jobs.title')}
        lead={t('jobs.lead')}
        actions={
          <button type="button" className="button button-primary" onClick={() => go('new-backup')}>
            {t('nav.newBackup')}
          </button>
        }
      />
      {error !== null && <ErrorNotice error={error} title={t('jobs.loadFailed')} />}
      <section aria-labelledby="jobs-running" className="stack">
        <h2 id="jobs-running" className="section-title">
          {t('jobs.running')}
        </h2>
        {order.length === 0 && restoreOrder.length === 0 && <p className="empty">{t('jobs.noneRunning')}</p>}
        {order.map((jobId) => {
          const job = jobs[jobId]
          return job === undefined ? null : <JobCard key={jobId} job={job} onCancel={cancel} />
        })}
        {restoreOrder.map((jobId) => {
          const job = restores[jobId]
          return job === undefined ? null : <RestoreJobCard key={jobId} job={job} onCancel={cancelRestore} />
        })}
      </section>
      <section aria-labelledby="jobs-finished" className="stack">
        <h2 id="jobs-finished" className="section-title">
          {t('jobs.finished')}
        </h2>
        {pastError !== null && <ErrorNotice error={pastError} title={t('jobs.historyFailed')} />}
        {results.length === 0 && restoreResults.length === 0 && pastRestores.length === 0 && (
          <p className="empty">{t('jobs.noneFinished')}</p>
        )}
        {restoreResults.map((result) => (
          <RestoreResultView
            key={result.jobId}
            job={result}
            onDismiss={dismissRestore}
            focus={result.jobId === focusResult}
            onFocused={resultFocused}
          />
        ))}
        {results.map((result) => (
          <ResultView
            key={result.jobId}
            job={result}
            onDismiss={dismiss}
            focus={result.jobId === focusResult}
            onFocused={resultFocused}
          />
        ))}
        {pastRestores
          .filter((record) => !liveRestores.has(record.jobId))
          .map((record) => (
            <PastRestoreView key={record.jobId} record={record} />
          ))}
      </section>
    </div>
  )
}
