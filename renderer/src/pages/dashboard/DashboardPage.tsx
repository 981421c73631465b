import type { ReactElement } from 'react'
import { ErrorNotice } from '../../components/ErrorNotice.tsx'
import { PageHeader } from '../../components/PageHeader.tsx'
import { StatusBadge } from '../../components/StatusBadge.tsx'
import { useLanguage, useT } from '../../i18n/use-t.ts'
import { formatBytes, formatDateTime, formatDuration } from '../../lib/format.ts'
import { useHistoryStore } from '../../stores/history-store.ts'
import { useJobsStore } from '../../stores/jobs-store.ts'
import { useNavigationStore } from '../../stores/navigation-store.ts'
import { useProfilesStore } from '../../stores/profiles-store.ts'
import { entryStatusLabel, entryStatusTone, JOB_STATUS_TONES } from '../history/history-status.ts'
import { JobCard } from '../jobs/JobCard.tsx'
import { RestoreFileButton } from '../restore/RestoreFileButton.tsx'
import { BackupChart } from './BackupChart.tsx'
import { lastRunPerProfile } from './last-runs.ts'
import { QuickBackups } from './QuickBackups.tsx'
import { ScheduleStatusError } from './PresetSchedule.tsx'

/** The landing page: what runs, one-click backups, the last backup per profile, and sizes over time. */
export function DashboardPage({ productName }: { productName: string }): ReactElement {
  const t = useT()
  const language = useLanguage()
  const go = useNavigationStore((state) => state.go)
  const createProfile = useNavigationStore((state) => state.createProfile)
  const profilesLoaded = useProfilesStore((state) => state.loaded)
  const profileCount = useProfilesStore((state) => state.entries.length)
  const jobs = useJobsStore((state) => state.jobs)
  const order = useJobsStore((state) => state.order)
  const cancel = useJobsStore((state) => state.cancel)
  const history = useHistoryStore((state) => state.all)
  const historyError = useHistoryStore((state) => state.error)
  const jobRecords = useHistoryStore((state) => state.jobs)
  const lastBackups = lastRunPerProfile(jobRecords, history)

  return (
    <div className="page page-wide">
      <PageHeader
        title={t('nav.dashboard')}
        actions={
          <>
            <button type="button" className="button button-primary" onClick={() => go('new-backup')}>
              {t('nav.newBackup')}
            </button>
            <RestoreFileButton />
          </>
        }
      />
      {(!profilesLoaded || profileCount === 0) && (
        <section className="card welcome" aria-labelledby="welcome-title">
          <h2 id="welcome-title">{t('dashboard.welcome', { name: productName })}</h2>
          <p>{t('dashboard.welcomeText')}</p>
          <div className="form-actions">
            <button type="button" className="button button-primary" onClick={createProfile}>
              {t('dashboard.createProfile')}
            </button>
          </div>
        </section>
      )}

      <div className="dashboard-grid">
        <section className="card panel" aria-labelledby="dash-running">
          <h2 id="dash-running" className="card-title">
            {t('jobs.running')}
          </h2>
          {order.length === 0 ? (
            <p className="empty">{t('jobs.noneRunning')}</p>
          ) : (
            <div className="stack">
              {order.map((jobId) => {
                const job = jobs[jobId]
                return job === undefined ? null : <JobCard key={jobId} job={job} onCancel={cancel} compact />
              })}
            </div>
          )}
        </section>
        <section className="card panel" aria-labelledby="dash-presets">
          <h2 id="dash-presets" className="card-title">
            {t('dashboard.presets')}
          </h2>
          <ScheduleStatusError />
          <QuickBackups />
        </section>
      </div>

      <section className="card panel" aria-labelledby="dash-last">
        <h2 id="dash-last" className="card-title">
          {t('dashboard.lastBackups')}
        </h2>
        {historyError !== null && <ErrorNotice error={historyError} title={t('history.loadFailed')} />}
        {lastBackups.length === 0 ? (
          <p className="empty">{t('dashboard.noBackups')}</p>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <caption className="visually-hidden">{t('dashboard.lastBackups')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('history.col.profile')}</th>
                  <th scope="col">{t('history.col.date')}</th>
                  <th scope="col">{t('history.col.databases')}</th>
                  <th scope="col" className="num">
                    {t('history.col.size')}
                  </th>
                  <th scope="col" className="num">
                    {t('history.col.duration')}
                  </th>
                  <th scope="col">{t('history.col.status')}</th>
                </tr>
              </thead>
              <tbody>
                {lastBackups.map((run) => (
                  <tr key={run.key}>
                    <th scope="row">{run.profile}</th>
                    <td>{formatDateTime(run.startedAt, language)}</td>
                    <td className="mono small">
                      {run.databases.join(', ')}
                      {run.status !== null && (
                        <span className="muted small block">
                          {t('dashboard.jobFiles', { written: run.written, failed: run.notWritten })}
                        </span>
                      )}
                    </td>
                    <td className="num">{run.bytes === null ? '–' : formatBytes(run.bytes, language)}</td>
                    <td className="num">
                      {run.durationMs === null ? '–' : formatDuration(run.durationMs, language)}
                    </td>
                    <td>
                      {run.entry !== null ? (
                        <StatusBadge tone={entryStatusTone(run.entry)}>
                          {entryStatusLabel(run.entry, t)}
                        </StatusBadge>
                      ) : (
                        <StatusBadge tone={JOB_STATUS_TONES[run.status ?? 'failed']}>
                          {t(`status.${run.status ?? 'failed'}`)}
                        </StatusBadge>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="card panel" aria-labelledby="dash-chart">
        <h2 id="dash-chart" className="card-title">
          {t('dashboard.chartTitle')}
        </h2>
        <BackupChart entries={history} />
      </section>
    </div>
  )
}
