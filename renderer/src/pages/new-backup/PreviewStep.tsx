import type { ReactElement } from 'react'
import type { BackupPlanView, BackupRequestInput } from '../../../../shared/ipc.ts'
import type { PlanEstimate } from '../../../../shared/backup-types.ts'
import type { Translate } from '../../i18n/messages.ts'
import { ErrorNotice } from '../../components/ErrorNotice.tsx'
import { StatusBadge } from '../../components/StatusBadge.tsx'
import { exclusionText, noticeText } from '../../i18n/phrase.ts'
import { useLanguage, useT } from '../../i18n/use-t.ts'
import { baseName, formatBytes, formatCount } from '../../lib/format.ts'
import type { PlanState } from '../../stores/backup-wizard-store.ts'
import { backupTypeLabel } from '../../lib/backup-type.ts'
import { TableRulesPreview } from './TableRulesPreview.tsx'

export interface PreviewStepProps {
  preview: PlanState
  /** The request the plan was made for (its options are part of what will happen). */
  draft: BackupRequestInput
  onRefresh(): void
}

/** Step 6: the real dry-run — files with sizes and companions, exclusions with reasons, warnings, dump command. */
export function PreviewStep({ preview, draft, onRefresh }: PreviewStepProps): ReactElement {
  const t = useT()
  return (
    <div className="stack">
      <div className="toolbar">
        <p className="muted">{t('preview.lead')}</p>
        <span className="spacer" />
        <button type="button" className="button button-small" onClick={onRefresh} disabled={preview.loading}>
          {t('preview.refresh')}
        </button>
      </div>
      {preview.loading && (
        <p className="muted" role="status">
          {t('preview.loading')}
        </p>
      )}
      {preview.error !== null && <ErrorNotice error={preview.error} title={t('preview.failed')} />}
      {preview.plan !== null && <PlanView plan={preview.plan} draft={draft} />}
    </div>
  )
}

/** How the size was estimated: from the compression ratio of earlier backups, or a default ratio. */
function estimateText(t: Translate, estimate: PlanEstimate, size: string): string {
  if (estimate.learnedFiles === 0) return t('preview.estimate.default', { size })
  if (estimate.files === 1) return t('preview.estimate.learned', { size, backups: estimate.backups })
  if (estimate.learnedFiles === estimate.files) return t('preview.estimate.learnedAll', { size })
  return t('preview.estimate.learnedSome', { size, learned: estimate.learnedFiles, files: estimate.files })
}

function PlanView({ plan, draft }: { plan: BackupPlanView; draft: BackupRequestInput }): ReactElement {
  const t = useT()
  const language = useLanguage()
  const databaseCount = plan.files.reduce((sum, file) => sum + file.databases.length, 0)
  return (
    <section className="plan" aria-label={t('preview.label')}>
      <p role="status" className="plan-summary">
        {t('preview.summary', {
          files: plan.files.length,
          databases: databaseCount,
          size: formatBytes(plan.estimatedOutputBytes, language),
        })}
      </p>
      {plan.estimate !== undefined && plan.estimate.files > 0 && plan.estimatedOutputBytes > 0 && (
        <p className="muted small plan-estimate">
          {estimateText(t, plan.estimate, formatBytes(plan.estimatedOutputBytes, language))}
        </p>
      )}
      <dl className="facts facts-grid">
        <dt>{t('preview.server')}</dt>
        <dd>
          <span className="mono">{plan.server.hostname}</span> · {plan.server.flavor} {plan.server.version}
        </dd>
        <dt>{t('preview.type')}</dt>
        <dd>{backupTypeLabel(plan.backupType, t)}</dd>
        <dt>{t('preview.outputDir')}</dt>
        <dd className="mono break">{plan.outputDir}</dd>
        <dt>{t('preview.encryption')}</dt>
        <dd>{plan.options.encrypted ? 'AES-256-GCM' : t('result.notEncrypted')}</dd>
        <dt>{t('ticket.label')}</dt>
        <dd>{draft.ticket}</dd>
        <dt>{t('result.compression')}</dt>
        <dd>
          {draft.compression.type === 'none'
            ? t('compression.none.name')
            : `${draft.compression.type} ${draft.compression.level}`}
        </dd>
        <dt>{t('preview.content')}</dt>
        <dd>
          {[
            draft.excludeData ? t('options.structureOnly') : t('preview.fullData'),
            draft.excludeUser ? null : t('options.grants'),
            draft.captureGtid ? t('options.gtid') : null,
          ]
            .filter(Boolean)
            .join(' · ')}
        </dd>
        <dt>{t('options.parallel')}</dt>
        <dd>{draft.parallel}</dd>
      </dl>

      {plan.warnings.length > 0 && (
        <div className="notice notice-warn" role="alert">
          <p className="notice-text strong">{t('preview.warnings', { count: plan.warnings.length })}</p>
          <ul>
            {plan.warnings.map((warning) => (
              <li key={warning.message}>{noticeText(t, language, warning)}</li>
            ))}
          </ul>
        </div>
      )}

      {/* The names are the dry-run's; the run stamps its own time into them when it starts. */}
      <p className="muted small">{t('preview.timeOfRun')}</p>
      <div className="table-wrap">
        <table className="table">
          <caption className="table-caption">{t('preview.filesCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('result.col.file')}</th>
              <th scope="col">{t('preview.col.databases')}</th>
              <th scope="col" className="num">
                {t('preview.col.estimated')}
              </th>
              <th scope="col">{t('preview.col.companions')}</th>
            </tr>
          </thead>
          <tbody>
            {plan.files.map((file) => (
              <tr key={file.file}>
                <th scope="row" className="mono cell-file" title={file.file}>
                  {baseName(file.file)}
                </th>
                <td>
                  {file.databases.map((db) => (
                    <span
                      key={db.name}
                      className="db-chip"
                      title={t('preview.dbTitle', {
                        tables: formatCount(db.tables, language),
                        rows: formatCount(db.rows, language),
                      })}
                    >
                      <span className="mono">{db.name}</span>{' '}
                      <span className="muted small">{formatBytes(db.sizeBytes, language)}</span>
                    </span>
                  ))}
                </td>
                <td className="num">{formatBytes(file.estimatedSqlBytes, language)}</td>
                <td className="mono small">
                  {file.companions.length > 0
                    ? file.companions
                        .map((c) => (c.startsWith(file.file) ? c.slice(file.file.length) : baseName(c)))
                        .join(' ')
                    : '–'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      {(plan.excluded.length > 0 || plan.unknown.length > 0) && (
        <div className="table-wrap">
          <table className="table table-dense">
            <caption className="table-caption">{t('preview.excludedCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('databases.col.name')}</th>
                <th scope="col">{t('preview.col.reason')}</th>
              </tr>
            </thead>
            <tbody>
              {plan.excluded.map((exclusion) => (
                <tr key={exclusion.database}>
                  <th scope="row" className="mono">
                    {exclusion.database}
                  </th>
                  <td>{exclusionText(t, exclusion)}</td>
                </tr>
              ))}
              {plan.unknown.map((name) => (
                <tr key={`unknown-${name}`}>
                  <th scope="row" className="mono">
                    {name}
                  </th>
                  <td>
                    <StatusBadge tone="warn">{t('preview.unknown')}</StatusBadge>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <div className="dump-command">
        <h3 className="subtitle">{t('preview.dumpCommand')}</h3>
        {'error' in plan.dump ? (
          <ErrorNotice error={plan.dump.error} />
        ) : (
          <>
            <p className="muted small">{plan.dump.version}</p>
            <pre className="code-block">{[plan.dump.binary, ...plan.dump.args].join(' \\\n  ')}</pre>
            {plan.dump.dumps < plan.files.length && (
              <p className="muted small">
                {t('preview.sharedDumps', { dumps: plan.dump.dumps, files: plan.files.length })}
              </p>
            )}
          </>
        )}
      </div>
      <TableRulesPreview plan={plan} />
    </section>
  )
}
