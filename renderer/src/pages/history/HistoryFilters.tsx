import { useEffect, useState } from 'react'
import type { ReactElement } from 'react'
import { JOB_TRIGGERS } from '../../lib/domain-values.ts'
import { SelectField, TextField } from '../../components/form-fields.tsx'
import { useT } from '../../i18n/use-t.ts'
import { EMPTY_FILTERS } from '../../stores/history-store.ts'
import type { HistoryFilters as Filters } from '../../stores/history-store.ts'
import { HISTORY_STATUSES } from './history-status.ts'

export interface HistoryFiltersProps {
  value: Filters
  profiles: string[]
  onChange(filters: Filters): void
}

const TYPING_DELAY_MS = 300

/** Profile, database, status, how it started and date range; applied as they change (the database name after a pause). */
export function HistoryFilters({ value, profiles, onChange }: HistoryFiltersProps): ReactElement {
  const t = useT()
  const [database, setDatabase] = useState(value.database)
  const [ticket, setTicket] = useState(value.ticket)

  // The typed fields apply after a pause.
  useEffect(() => {
    if (database === value.database && ticket === value.ticket) return
    const timer = window.setTimeout(() => onChange({ ...value, database, ticket }), TYPING_DELAY_MS)
    return () => window.clearTimeout(timer)
  }, [database, ticket, value, onChange])

  const set = (change: Partial<Filters>): void => onChange({ ...value, database, ticket, ...change })
  const active = Object.values({ ...value, database, ticket }).some((v) => v !== '')
  return (
    <form
      role="search"
      aria-label={t('history.filters')}
      className="filters"
      onSubmit={(event) => event.preventDefault()}
    >
      <SelectField
        label={t('history.col.profile')}
        value={value.profile}
        options={[
          { value: '', label: t('history.all') },
          ...profiles.map((name) => ({ value: name, label: name })),
        ]}
        onChange={(profile) => set({ profile })}
      />
      <TextField label={t('history.col.database')} value={database} onChange={setDatabase} type="search" />
      <TextField label={t('history.col.ticket')} value={ticket} onChange={setTicket} type="search" />
      <SelectField
        label={t('history.col.status')}
        value={value.status}
        options={[
          { value: '', label: t('history.all') },
          ...HISTORY_STATUSES.map((status) => ({ value: status, label: t(`status.${status}`) })),
        ]}
        onChange={(status) => set({ status })}
      />
      <SelectField
        label={t('schedule.trigger')}
        value={value.trigger}
        options={[
          { value: '', label: t('history.all') },
          ...JOB_TRIGGERS.map((trigger) => ({ value: trigger, label: t(`schedule.trigger.${trigger}`) })),
        ]}
        onChange={(trigger) => set({ trigger })}
      />
      <TextField
        label={t('history.from')}
        type="date"
        value={value.from}
        onChange={(from) => set({ from })}
      />
      <TextField label={t('history.to')} type="date" value={value.to} onChange={(to) => set({ to })} />
      <button
        type="button"
        className="button button-quiet"
        disabled={!active}
        onClick={() => {
          setDatabase('')
          setTicket('')
          onChange(EMPTY_FILTERS)
        }}
      >
        {t('history.clearFilters')}
      </button>
    </form>
  )
}
