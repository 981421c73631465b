import type { ReactElement } from 'react'
import type { RestorePlanView } from '../../../../shared/ipc.ts'
import { ErrorNotice } from '../../components/ErrorNotice.tsx'
import { StatusBadge } from '../../components/StatusBadge.tsx'
import { useLanguage, useT } from '../../i18n/use-t.ts'
import { baseName, formatBytes, formatCount } from '../../lib/format.ts'
import { useRestoreWizardStore } from '../../stores/restore-wizard-store.ts'
import { actionKey } from './restore-model.ts'
import { hasTableRules, TableRulesList } from '../../components/TableRulesFacts.tsx'

const ACTION_TONE = { create: 'ok', load: 'info', replace: 'warn', refuse: 'error' } as const

/** Step 3: the real dry-run — what exists, what is backed up, dropped, created, the client command, refusals. */
export function RestorePlanStep(): ReactElement {
  const t = useT()
  const { plan, refreshPlan } = useRestoreWizardStore()
  return (
    <div className="stack">
      <div className="toolbar">
        <p className="muted">{t('restore.plan.lead')}</p>
        <span className="spacer" />
        <button
          type="button"
          className="button button-small"
          onClick={() => void refreshPlan()}
          disabled={plan.loading}
        >
          {t('preview.refresh')}
        </button>
      </div>
      {plan.loading && (
        <p className="muted" role="status">
          {t('restore.plan.loading')}
        </p>
      )}
      {plan.error !== null && <ErrorNotice error={plan.error} title={t('preview.failed')} />}
      {plan.view !== null && <PlanView plan={plan.view} />}
    </div>
  )
}

function PlanView({ plan }: { plan: RestorePlanView }): ReactElement {
  const t = useT()
  const language = useLanguage()
  const targets = plan.items.flatMap((item) => item.targets)
  return (
    <section className="plan" aria-label={t('restore.plan.label')}>
      <p role="status" className="plan-summary">
        {plan.problems.length > 0
          ? t('restore.plan.refused', { count: plan.problems.length })
          : t('restore.plan.summary', { files: plan.items.length, databases: targets.length })}
      </p>
      {plan.problems.map((problem, index) => (
        <ErrorNotice key={index} error={problem} title={t('restore.plan.refusal')} />
      ))}
      {plan.sameServer && <p className="notice notice-warn">{t('restore.plan.sameServer')}</p>}
      {plan.warnings.length > 0 && (
        <ul className="notice notice-warn" aria-label={t('restore.plan.warnings')}>
          {plan.warnings.map((warning) => (
            <li key={warning}>{warning}</li>
          ))}
        </ul>
      )}
      <dl className="facts facts-grid">
        <dt>{t('preview.server')}</dt>
        <dd className="mono">
          {plan.server.host}:{plan.server.port}
          {plan.server.version !== null && <> · {plan.server.version}</>}
        </dd>
        <dt>{t('ticket.label')}</dt>
        <dd>{plan.ticket}</dd>
        <dt>{t('restore.preBackup')}</dt>
        <dd className="mono break">{plan.preBackupDir ?? t('common.off')}</dd>
        <dt>{t('restore.dropTarget')}</dt>
        <dd>{plan.dropTarget ? t('common.on') : t('common.off')}</dd>
        <dt>{t('restore.parallel')}</dt>
        <dd>{plan.parallel}</dd>
        <dt>{t('restore.force')}</dt>
        <dd>{plan.force ? t('common.on') : t('common.off')}</dd>
      </dl>
      {plan.items.map((item) => (
        <div key={item.file} className="stack">
          <p>
            <span className="mono strong">{baseName(item.file)}</span>{' '}
            <span className="muted">
              {formatBytes(item.sizeBytes, language)} · {item.compression ?? '–'}
              {item.encrypted && <> · AES-256-GCM</>}
              {item.grantsFile !== null && (
                <> · {t('restore.plan.grants', { file: baseName(item.grantsFile) })}</>
              )}
            </span>
          </p>
          <div className="table-wrap">
            <table className="table">
              <caption className="visually-hidden">{t('restore.plan.targetsCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('restore.plan.col.database')}</th>
                  <th scope="col">{t('restore.plan.col.now')}</th>
                  <th scope="col" className="num">
                    {t('restore.plan.col.tables')}
                  </th>
                  <th scope="col" className="num">
                    {t('history.col.size')}
                  </th>
                  <th scope="col">{t('restore.plan.col.action')}</th>
                  <th scope="col">{t('restore.plan.col.preBackup')}</th>
                </tr>
              </thead>
              <tbody>
                {item.targets.map((target) => (
                  <tr key={target.database}>
                    <th scope="row" className="mono">
                      {target.database}
                    </th>
                    <td>{target.exists ? t('restore.plan.exists') : t('restore.plan.missing')}</td>
                    <td className="num">{target.exists ? formatCount(target.tables, language) : '–'}</td>
                    <td className="num">{target.exists ? formatBytes(target.sizeBytes, language) : '–'}</td>
                    <td>
                      <StatusBadge tone={ACTION_TONE[target.action]}>
                        {t(actionKey(target.action))}
                      </StatusBadge>
                      {target.action === 'load' &&
                        target.dataOnly !== undefined &&
                        target.dataOnly.length > 0 && (
                          <span className="muted small block">
                            {t('restore.plan.dataOnlyAdded', {
                              tables: target.dataOnly.join(', '),
                              database: target.database,
                            })}
                          </span>
                        )}
                    </td>
                    <td className="mono small break">{target.preRestoreBackup ?? '–'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {hasTableRules(item.tableRules) && (
            <div className="small">
              {t('tableRules.label')}: <TableRulesList rules={item.tableRules} />
            </div>
          )}
          {item.skipped.length > 0 && (
            <p className="muted small">
              {t('restore.plan.skipped', { databases: item.skipped.map((s) => s.database).join(', ') })}
            </p>
          )}
        </div>
      ))}
      <div>
        <h3 className="section-title">{t('restore.plan.command')}</h3>
        <pre className="code-block" aria-label={t('restore.plan.command')}>
          {plan.clientCommand}
        </pre>
      </div>
    </section>
  )
}
