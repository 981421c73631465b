import type { ReactElement } from 'react'
import { ErrorNotice } from '../../components/ErrorNotice.tsx'
import { PageHeader } from '../../components/PageHeader.tsx'
import { useT } from '../../i18n/use-t.ts'
import { useJobsStore } from '../../stores/jobs-store.ts'
import { useNavigationStore } from '../../stores/navigation-store.ts'
import { useResultsStore } from '../../stores/results-store.ts'
import { JobCard } from './JobCard.tsx'
import { ResultView } from './ResultView.tsx'

/** Running backups with live progress, then what the finished ones produced (newest first). */
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
        {order.length === 0 ? (
          <p className="empty">{t('jobs.noneRunning')}</p>
        ) : (
          order.map((jobId) => {
            const job = jobs[jobId]
            return job === undefined ? null : <JobCard key={jobId} job={job} onCancel={cancel} />
          })
        )}
      </section>
      <section aria-labelledby="jobs-finished" className="stack">
        <h2 id="jobs-finished" className="section-title">
          {t('jobs.finished')}
        </h2>
        {results.length === 0 ? (
          <p className="empty">{t('jobs.noneFinished')}</p>
        ) : (
          results.map((result) => (
            <ResultView
              key={result.jobId}
              job={result}
              onDismiss={dismiss}
              focus={result.jobId === focusResult}
              onFocused={resultFocused}
            />
          ))
        )}
      </section>
    </div>
  )
}
