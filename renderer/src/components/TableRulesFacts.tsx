import type { ReactElement } from 'react'
import { recordedCounts, type RecordedTableRules } from '../../../shared/table-rules.ts'
import type { Translate } from '../i18n/messages.ts'
import { useT } from '../i18n/use-t.ts'

type Rules = Record<string, RecordedTableRules> | null | undefined

/** Whether a backup's metadata records any table rule. */
export const hasTableRules = (rules: Rules): rules is Record<string, RecordedTableRules> =>
  rules !== null && rules !== undefined && Object.keys(rules).length > 0

/** "3 tables excluded · 1 structure only · 2 data only" over every database of a backup. */
export function tableRulesSummary(t: Translate, rules: Rules): string {
  const c = recordedCounts(rules)
  return [
    c.excluded > 0 ? t('tables.summary.excluded', { n: c.excluded }) : null,
    c.structureOnly > 0 ? t('tables.summary.structure', { n: c.structureOnly }) : null,
    c.dataOnly > 0 ? t('tables.summary.data', { n: c.dataOnly }) : null,
  ]
    .filter((part): part is string => part !== null)
    .join(' · ')
}

/** A history row's note: the summary, or nothing when every table was backed up whole. */
export function TableRulesNote({ rules }: { rules: Rules }): ReactElement | null {
  const t = useT()
  if (!hasTableRules(rules)) return null
  const summary = tableRulesSummary(t, rules) || t('tableRules.onlySome')
  return (
    <span className="muted small block" data-testid="table-rules-note">
      {summary}
    </span>
  )
}

/** The table rules per database, each list named; data-only tables with what a restore needs. */
export function TableRulesList({ rules }: { rules: Rules }): ReactElement {
  const t = useT()
  if (!hasTableRules(rules)) return <>{t('tableRules.none')}</>
  return (
    <ul className="plain-list" data-testid="table-rules-list">
      {Object.entries(rules).map(([database, r]) => (
        <li key={database}>
          <span className="mono">{database}</span>
          {r.included !== null && <Line label={t('tableRules.included')} tables={r.included} />}
          <Line label={t('tables.choice.exclude')} tables={r.excluded} />
          <Line label={t('tables.choice.structure')} tables={r.structureOnly} />
          <Line label={t('tables.choice.data')} tables={r.dataOnly} />
          {r.dataOnly.length > 0 && (
            <span className="muted small block">
              {t('tableRules.dataOnlyNote', { tables: r.dataOnly.join(', ') })}
            </span>
          )}
        </li>
      ))}
    </ul>
  )
}

function Line({ label, tables }: { label: string; tables: string[] }): ReactElement | null {
  if (tables.length === 0) return null
  return (
    <span className="block small">
      {label}: <span className="mono break">{tables.join(', ')}</span>
    </span>
  )
}
