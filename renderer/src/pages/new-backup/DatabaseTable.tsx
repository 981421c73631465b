import { useEffect, useId, useMemo, useRef, useState } from 'react'
import type { ReactElement, ReactNode } from 'react'
import type { DatabaseRow } from '../../../../shared/ipc.ts'
import { NAME_MATCH_KINDS, nameMatcher, type NameMatchKind } from '../../../../shared/name-list.ts'
import { useLanguage, useT } from '../../i18n/use-t.ts'
import { formatBytes, formatCount } from '../../lib/format.ts'

type SortKey = 'name' | 'sizeBytes' | 'tables' | 'rows'
type SortDirection = 'ascending' | 'descending'

export interface DatabaseTableProps {
  rows: DatabaseRow[]
  /** single: one database (radio buttons); multi: any number (check boxes, Select all). */
  selection: 'single' | 'multi'
  checked: ReadonlySet<string>
  /** Rows the user cannot toggle, with the reason (e.g. excluded by the mode's rules). */
  locked?: ReadonlyMap<string, string>
  /** A short note per row (e.g. "excluded by you"). */
  notes?: ReadonlyMap<string, string>
  onToggle(name: string, checked: boolean): void
  onToggleAll(names: string[], checked: boolean): void
  /** Extra controls in the toolbar (e.g. Paste a list). */
  tools?: ReactNode
}

const compare = (key: SortKey, direction: SortDirection) => (a: DatabaseRow, b: DatabaseRow) => {
  const order = key === 'name' ? a.name.localeCompare(b.name) : a[key] - b[key]
  return direction === 'ascending' ? order : -order
}

/** The server's databases: searchable, sortable by any column, with size, tables and rows. */
export function DatabaseTable(props: DatabaseTableProps): ReactElement {
  const { rows, selection, checked, locked, notes, onToggle, onToggleAll, tools } = props
  const t = useT()
  const language = useLanguage()
  const [query, setQuery] = useState('')
  const [matchKind, setMatchKind] = useState<NameMatchKind>('contains')
  const [sort, setSort] = useState<{ key: SortKey; direction: SortDirection }>({
    key: 'name',
    direction: 'ascending',
  })
  const selectAll = useRef<HTMLInputElement>(null)
  const baseId = useId()

  const matcher = useMemo(() => nameMatcher(matchKind, query), [matchKind, query])
  const visible = useMemo(
    () =>
      matcher.ok ? rows.filter((row) => matcher.test(row.name)).sort(compare(sort.key, sort.direction)) : [],
    [rows, matcher, sort],
  )
  const filtered = query.trim() !== '' && matcher.ok
  const toggleable = visible.filter((row) => !locked?.has(row.name)).map((row) => row.name)
  const checkedVisible = toggleable.filter((name) => checked.has(name)).length
  const allChecked = toggleable.length > 0 && checkedVisible === toggleable.length

  useEffect(() => {
    if (selectAll.current) selectAll.current.indeterminate = checkedVisible > 0 && !allChecked
  }, [checkedVisible, allChecked])

  const sortBy = (key: SortKey): void =>
    setSort((current) => ({
      key,
      direction:
        current.key === key && current.direction === 'ascending'
          ? 'descending'
          : current.key === key
            ? 'ascending'
            : key === 'name'
              ? 'ascending'
              : 'descending',
    }))

  const header = (key: SortKey, label: string, numeric = false): ReactElement => (
    <th
      scope="col"
      className={numeric ? 'num' : undefined}
      aria-sort={sort.key === key ? sort.direction : undefined}
    >
      <button type="button" className="sort-button" onClick={() => sortBy(key)}>
        {label}
        <span className="sort-mark" aria-hidden="true">
          {sort.key === key ? (sort.direction === 'ascending' ? '▲' : '▼') : ''}
        </span>
      </button>
    </th>
  )

  return (
    <div className="database-table">
      <div className="table-toolbar">
        <div className="field field-search">
          <label htmlFor={`${baseId}-search`} className="visually-hidden">
            {t('databases.search')}
          </label>
          <input
            id={`${baseId}-search`}
            className="input"
            type="search"
            placeholder={t(`databases.searchPlaceholder.${matchKind}`)}
            value={query}
            aria-invalid={!matcher.ok}
            aria-describedby={matcher.ok ? undefined : `${baseId}-search-error`}
            onChange={(event) => setQuery(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${baseId}-match`} className="visually-hidden">
            {t('databases.matchKind')}
          </label>
          <select
            id={`${baseId}-match`}
            className="input"
            value={matchKind}
            onChange={(event) => setMatchKind(event.target.value as NameMatchKind)}
          >
            {NAME_MATCH_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {t(`databases.match.${kind}`)}
              </option>
            ))}
          </select>
        </div>
        {selection === 'multi' && filtered && toggleable.length > 0 && (
          <button
            type="button"
            className="button button-small"
            onClick={() => onToggleAll(toggleable, !allChecked)}
          >
            {allChecked
              ? t('databases.clearResults', { n: toggleable.length })
              : t('databases.selectResults', { n: toggleable.length })}
          </button>
        )}
        {tools}
        <span className="muted" aria-live="polite">
          {t('databases.count', { shown: visible.length, total: rows.length, selected: checked.size })}
        </span>
      </div>
      {!matcher.ok && (
        <p id={`${baseId}-search-error`} className="field-error" role="alert">
          {t('databases.badRegex', { reason: matcher.error })}
        </p>
      )}
      <div className="table-wrap table-scroll">
        <table className="table table-dense">
          <caption className="visually-hidden">{t('databases.caption')}</caption>
          <thead>
            <tr>
              <th scope="col" className="cell-check">
                {selection === 'multi' ? (
                  <input
                    ref={selectAll}
                    type="checkbox"
                    aria-label={t('databases.selectAll')}
                    checked={allChecked}
                    disabled={toggleable.length === 0}
                    onChange={(event) => onToggleAll(toggleable, event.target.checked)}
                  />
                ) : (
                  <span className="visually-hidden">{t('databases.choose')}</span>
                )}
              </th>
              {header('name', t('databases.col.name'))}
              {header('sizeBytes', t('databases.col.size'), true)}
              {header('tables', t('databases.col.tables'), true)}
              {header('rows', t('databases.col.rows'), true)}
              <th scope="col">{t('databases.col.note')}</th>
            </tr>
          </thead>
          <tbody>
            {visible.map((row) => {
              const id = `${baseId}-${encodeURIComponent(row.name)}`
              const reason = locked?.get(row.name)
              const isChecked = checked.has(row.name)
              return (
                <tr
                  key={row.name}
                  className={isChecked ? 'is-selected' : reason !== undefined ? 'is-muted' : undefined}
                >
                  <td className="cell-check">
                    <input
                      id={id}
                      type={selection === 'single' ? 'radio' : 'checkbox'}
                      name={selection === 'single' ? 'database' : undefined}
                      checked={isChecked}
                      disabled={reason !== undefined}
                      onChange={(event) => onToggle(row.name, event.target.checked)}
                    />
                  </td>
                  <th scope="row">
                    <label htmlFor={id} className="mono">
                      {row.name}
                    </label>
                    {row.system && <span className="tag">{t('databases.system')}</span>}
                  </th>
                  <td className="num">{formatBytes(row.sizeBytes, language)}</td>
                  <td className="num">{formatCount(row.tables, language)}</td>
                  {/* InnoDB's row count is its statistics' estimate: say so. */}
                  <td className="num">≈ {formatCount(row.rows, language)}</td>
                  <td className="small muted">{reason ?? notes?.get(row.name) ?? ''}</td>
                </tr>
              )
            })}
            {visible.length === 0 && (
              <tr>
                <td colSpan={6} className="empty">
                  {t('databases.noMatch')}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </div>
  )
}
