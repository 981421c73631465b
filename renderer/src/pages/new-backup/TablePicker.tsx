import { useEffect, useId, useMemo, useState } from 'react'
import type { ReactElement } from 'react'
import type { BackupRequestInput, TableRow } from '../../../../shared/ipc.ts'
import { TABLE_CHOICES, type TableChoice } from '../../../../shared/table-rules.ts'
import { ErrorNotice } from '../../components/ErrorNotice.tsx'
import { FieldGroup } from '../../components/form-fields.tsx'
import type { Translate } from '../../i18n/messages.ts'
import { useLanguage, useT } from '../../i18n/use-t.ts'
import { formatBytes, formatCount } from '../../lib/format.ts'
import { tablesKey, useTablesStore } from '../../stores/tables-store.ts'
import { choiceOf, ruleCounts, withChoice } from './table-rules.ts'

export interface TableRulesSectionProps {
  draft: BackupRequestInput
  onChange(change: Partial<BackupRequestInput>): void
}

/** "3 tables excluded · 1 structure only", or "all tables whole". */
export function rulesSummary(t: Translate, counts: ReturnType<typeof ruleCounts>): string {
  const parts = [
    counts.exclude > 0 ? t('tables.summary.excluded', { n: counts.exclude }) : null,
    counts.structure > 0 ? t('tables.summary.structure', { n: counts.structure }) : null,
    counts.data > 0 ? t('tables.summary.data', { n: counts.data }) : null,
  ].filter((part): part is string => part !== null)
  return parts.length > 0 ? parts.join(' · ') : t('tables.allWhole')
}

/**
 * The databases step's table choices (single and filter): per chosen database a summary and, opened, its
 * table picker. Every table is backed up whole unless chosen otherwise.
 */
export function TableRulesSection({ draft, onChange }: TableRulesSectionProps): ReactElement | null {
  const t = useT()
  const [open, setOpen] = useState<string | null>(null)
  if (draft.databases.length === 0) return null
  const shown = open !== null && draft.databases.includes(open) ? open : null
  return (
    <FieldGroup legend={t('tables.group')}>
      <p className="muted small">{t('tables.lead')}</p>
      <ul className="table-rules-list">
        {draft.databases.map((database) => (
          <li key={database} className="toolbar">
            <span className="mono">{database}</span>
            <span className="muted small" data-testid={`table-summary-${database}`}>
              {rulesSummary(t, ruleCounts(draft.tables?.[database]))}
            </span>
            <span className="spacer" />
            <button
              type="button"
              className="button button-small"
              aria-expanded={shown === database}
              onClick={() => setOpen(shown === database ? null : database)}
            >
              {shown === database ? t('tables.hide') : t('tables.choose', { database })}
            </button>
          </li>
        ))}
      </ul>
      {shown !== null && (
        <TablePicker key={shown} profile={draft.profile} database={shown} draft={draft} onChange={onChange} />
      )}
    </FieldGroup>
  )
}

interface TablePickerProps {
  profile: string
  database: string
  draft: BackupRequestInput
  onChange(change: Partial<BackupRequestInput>): void
}

/** One database's tables: searchable, with sizes and row estimates, a choice per table and for a selection. */
function TablePicker({ profile, database, draft, onChange }: TablePickerProps): ReactElement {
  const t = useT()
  const language = useLanguage()
  const baseId = useId()
  const state = useTablesStore((s) => s.byDatabase[tablesKey(profile, database)])
  const load = useTablesStore((s) => s.load)
  const [search, setSearch] = useState('')
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set())

  // Read again each time the picker opens: a table created meanwhile appears.
  useEffect(() => {
    void load(profile, database, true)
  }, [profile, database, load])

  const rows = useMemo(() => state?.data?.tables ?? [], [state?.data])
  const needle = search.trim().toLowerCase()
  const visible = needle === '' ? rows : rows.filter((row) => row.name.toLowerCase().includes(needle))
  const rules = draft.tables?.[database]
  const visibleNames = visible.map((row) => row.name)
  const allSelected = visibleNames.length > 0 && visibleNames.every((name) => selected.has(name))
  const chosen = rows.filter((row) => selected.has(row.name))

  const apply = (tables: TableRow[], choice: TableChoice): void => {
    // A view has no data: it is backed up whole or left out.
    const fitting = tables.filter((row) => row.kind === 'table' || choice === 'full' || choice === 'exclude')
    onChange({
      tables: withChoice(
        draft.tables,
        database,
        fitting.map((row) => row.name),
        choice,
      ),
    })
  }
  const toggleShown = (on: boolean): void => {
    const next = new Set(selected)
    for (const name of visibleNames) {
      if (on) next.add(name)
      else next.delete(name)
    }
    setSelected(next)
  }
  const toggleOne = (name: string, on: boolean): void => {
    const next = new Set(selected)
    if (on) next.add(name)
    else next.delete(name)
    setSelected(next)
  }

  return (
    <div className="database-table table-picker" aria-label={t('tables.caption', { database })} role="region">
      {state?.loading && (
        <p className="muted" role="status">
          {t('tables.loading')}
        </p>
      )}
      {state?.error && <ErrorNotice error={state.error} title={t('tables.loadFailed')} />}
      <div className="table-toolbar">
        <div className="field field-search">
          <label htmlFor={`${baseId}-search`} className="visually-hidden">
            {t('tables.search')}
          </label>
          <input
            id={`${baseId}-search`}
            className="input"
            type="search"
            placeholder={t('tables.searchPlaceholder')}
            value={search}
            onChange={(event) => setSearch(event.target.value)}
          />
        </div>
        <span className="muted" aria-live="polite">
          {t('tables.count', { shown: visible.length, total: rows.length, selected: chosen.length })}
        </span>
        <span className="spacer" />
        <button
          type="button"
          className="button button-small"
          disabled={rules === undefined}
          onClick={() =>
            onChange({
              tables: withChoice(
                draft.tables,
                database,
                rows.map((r) => r.name),
                'full',
              ),
            })
          }
        >
          {t('tables.reset')}
        </button>
      </div>
      {chosen.length > 0 && (
        <div className="toolbar" role="group" aria-label={t('tables.setSelected', { n: chosen.length })}>
          <span>{t('tables.setSelected', { n: chosen.length })}</span>
          {TABLE_CHOICES.map((choice) => (
            <button
              key={choice}
              type="button"
              className="button button-small"
              onClick={() => apply(chosen, choice)}
            >
              {t(`tables.choice.${choice}`)}
            </button>
          ))}
        </div>
      )}
      <div className="table-wrap table-scroll">
        <table className="table table-dense">
          <caption className="visually-hidden">{t('tables.caption', { database })}</caption>
          <thead>
            <tr>
              <th scope="col" className="cell-check">
                <input
                  type="checkbox"
                  aria-label={t('tables.selectShown', { n: visibleNames.length })}
                  checked={allSelected}
                  disabled={visibleNames.length === 0}
                  onChange={(event) => toggleShown(event.target.checked)}
                />
              </th>
              <th scope="col">{t('tables.col.name')}</th>
              <th scope="col" className="num">
                {t('tables.col.size')}
              </th>
              <th scope="col" className="num">
                {t('tables.col.rows')}
              </th>
              <th scope="col">{t('tables.col.choice')}</th>
            </tr>
          </thead>
          <tbody>
            {visible.map((row) => {
              const choice = choiceOf(rules, row.name)
              const options = row.kind === 'view' ? (['full', 'exclude'] as const) : TABLE_CHOICES
              return (
                <tr key={row.name} className={choice === 'exclude' ? 'row-muted' : undefined}>
                  <td className="cell-check">
                    <input
                      type="checkbox"
                      aria-label={t('tables.selectRow', { table: row.name })}
                      checked={selected.has(row.name)}
                      onChange={(event) => toggleOne(row.name, event.target.checked)}
                    />
                  </td>
                  <th scope="row" className="mono">
                    {row.name}{' '}
                    {row.kind === 'view' && <span className="muted small">{t('tables.view')}</span>}
                  </th>
                  <td className="num">
                    {row.kind === 'view' ? '–' : formatBytes(row.dataBytes + row.indexBytes, language)}
                  </td>
                  <td className="num">
                    {row.kind === 'view' ? '–' : `≈ ${formatCount(row.rows, language)}`}
                  </td>
                  <td>
                    <select
                      className="input input-small"
                      aria-label={t('tables.choiceOf', { table: row.name })}
                      value={choice}
                      onChange={(event) => apply([row], event.target.value as TableChoice)}
                    >
                      {options.map((option) => (
                        <option key={option} value={option}>
                          {t(`tables.choice.${option}`)}
                        </option>
                      ))}
                    </select>
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </div>
      {visible.length === 0 && rows.length > 0 && <p className="muted">{t('tables.noMatch')}</p>}
      {ruleCounts(rules).data > 0 && <p className="muted small">{t('tables.dataOnlyNote')}</p>}
    </div>
  )
}
