import { Fragment, type ReactElement } from 'react'
import { ErrorNotice } from '../../components/ErrorNotice.tsx'
import { StatusBadge } from '../../components/StatusBadge.tsx'
import { useT } from '../../i18n/use-t.ts'
import type { ProfileTestState } from '../../stores/profiles-store.ts'

/** A connection test: the server, binlog and GTID state, and any missing privilege with the GRANT that adds it. */
export function ProfileTestResult({ state }: { state: ProfileTestState }): ReactElement {
  const t = useT()
  if (state.running) {
    return (
      <p className="muted" role="status">
        {t('profileTest.running')}
      </p>
    )
  }
  if (state.error !== null) return <ErrorNotice error={state.error} title={t('profileTest.failed')} />
  const report = state.report
  if (report === null) return <></>
  const ready = report.missingPrivileges.length === 0
  // Reports of an older main process have no options.
  const options = report.options ?? []
  return (
    <section className="test-report" aria-label={t('profileTest.label')}>
      <p role="status" className={ready && options.length === 0 ? 'verdict ok' : 'verdict warn'}>
        {!ready
          ? t('profileTest.missing', { count: report.missingPrivileges.length })
          : options.length > 0
            ? t('profileTest.okOptions', { count: options.length })
            : t('profileTest.ok')}
      </p>
      <dl className="facts facts-grid">
        <dt>{t('profileTest.server')}</dt>
        <dd>
          {report.server.flavor} {report.server.version}
        </dd>
        <dt>{t('profileTest.hostname')}</dt>
        <dd className="mono">{report.server.hostname}</dd>
        <dt>{t('profileTest.account')}</dt>
        <dd className="mono">{report.account}</dd>
        <dt>{t('profileTest.binlog')}</dt>
        <dd>
          <StatusBadge tone={report.binlog ? 'ok' : 'muted'}>
            {report.binlog ? t('common.on') : t('common.off')}
          </StatusBadge>
        </dd>
        <dt>{t('profileTest.gtid')}</dt>
        <dd className="mono break">{report.gtid || '–'}</dd>
      </dl>
      {!ready && (
        <div className="missing-privileges">
          <h4>{t('profileTest.missingTitle')}</h4>
          <ul className="chips">
            {report.missingPrivileges.map((privilege) => (
              <li key={privilege} className="chip">
                {privilege}
              </li>
            ))}
          </ul>
          {report.fix !== null && (
            <>
              <p className="muted">{t('profileTest.fixLead')}</p>
              <pre className="code-block" aria-label={t('profileTest.grant')}>
                {report.fix}
              </pre>
            </>
          )}
        </div>
      )}
      {options.length > 0 && (
        <div className="missing-privileges">
          <h4>{t('profileTest.optionsTitle')}</h4>
          {options.map((gap) => {
            const option = t(`profileTest.option.${gap.option}`)
            return (
              <Fragment key={gap.option}>
                <p>{t('profileTest.optionNeeds', { option, privilege: gap.privilege })}</p>
                <pre className="code-block" aria-label={t('profileTest.optionGrant', { option })}>
                  {gap.fix}
                </pre>
              </Fragment>
            )
          })}
        </div>
      )}
    </section>
  )
}
