import { useEffect, useState } from 'react'
import type { ReactElement } from 'react'
import type { BackupRequestInput, DatabaseRow } from '../../../../shared/ipc.ts'
import { ErrorNotice } from '../../components/ErrorNotice.tsx'
import { CheckboxField, FieldGroup } from '../../components/form-fields.tsx'
import { exclusionText } from '../../i18n/phrase.ts'
import { useT } from '../../i18n/use-t.ts'
import type { PlanState } from '../../stores/backup-wizard-store.ts'
import { useServersStore } from '../../stores/servers-store.ts'
import { DatabaseTable } from './DatabaseTable.tsx'
import { PasteListDialog, type PastedSelection } from './PasteListDialog.tsx'
import { TableRulesSection } from './TablePicker.tsx'
import { COMPANIONS, modePicksDatabases } from './wizard-model.ts'
import type { Companion } from './wizard-model.ts'

export interface DatabasesStepProps {
  draft: BackupRequestInput
  selection: PlanState
  onChange(change: Partial<BackupRequestInput>): void
}

const withToggled = (list: string[], name: string, on: boolean): string[] =>
  on ? (list.includes(name) ? list : [...list, name]) : list.filter((item) => item !== name)

/**
 * Step 3: the databases. single/filter: the user picks from the server's list. all/primary/secondary: the
 * mode's own pick (a dry-run) is shown checked; unchecking one excludes it, re-checking brings it back.
 */
export function DatabasesStep({ draft, selection, onChange }: DatabasesStepProps): ReactElement {
  const t = useT()
  const server = useServersStore((state) => state.byProfile[draft.profile])
  const load = useServersStore((state) => state.load)
  const [pasting, setPasting] = useState(false)
  const [pasted, setPasted] = useState<PastedSelection | null>(null)

  // Read again each time the step opens: a database created since appears without Reload (the list
  // already known stays on screen meanwhile).
  useEffect(() => {
    if (draft.profile) void load(draft.profile, true)
  }, [draft.profile, load])

  const rows = server?.data?.databases ?? []
  return (
    <div className="stack">
      <div className="toolbar">
        {server?.data && (
          <span className="muted">
            {t('databases.server', {
              host: server.data.server.hostname,
              flavor: server.data.server.flavor,
              version: server.data.server.version,
            })}
          </span>
        )}
        <span className="spacer" />
        <button
          type="button"
          className="button button-small"
          onClick={() => void load(draft.profile, true)}
          disabled={server?.loading}
        >
          {t('databases.reload')}
        </button>
      </div>
      {server?.loading && (
        <p className="muted" role="status">
          {t('databases.loading')}
        </p>
      )}
      {server?.error && <ErrorNotice error={server.error} title={t('databases.loadFailed')} />}
      {modePicksDatabases(draft.mode) ? (
        <ModeSelection draft={draft} rows={rows} selection={selection} onChange={onChange} />
      ) : (
        <DatabaseTable
          rows={rows}
          selection={draft.mode === 'single' ? 'single' : 'multi'}
          tools={
            draft.mode !== 'single' && (
              <button type="button" className="button button-small" onClick={() => setPasting(true)}>
                {t('databases.paste.open')}
              </button>
            )
          }
          checked={new Set(draft.databases)}
          onToggle={(name, on) =>
            onChange({ databases: draft.mode === 'single' ? [name] : withToggled(draft.databases, name, on) })
          }
          onToggleAll={(names, on) =>
            onChange({
              databases: on
                ? [...new Set([...draft.databases, ...names])]
                : draft.databases.filter((n) => !names.includes(n)),
            })
          }
        />
      )}
      {pasted !== null && draft.mode !== 'single' && (
        <div className="notice" role="status">
          <p>{t('databases.paste.done', { n: pasted.found.length })}</p>
          {pasted.unknown.length > 0 && (
            <p>
              {t('databases.paste.unknown', { n: pasted.unknown.length })}{' '}
              <span className="mono">{pasted.unknown.join(', ')}</span>
            </p>
          )}
        </div>
      )}
      {pasting && (
        <PasteListDialog
          rows={rows}
          onCancel={() => setPasting(false)}
          onApply={(selection) => {
            setPasting(false)
            setPasted(selection)
            onChange({ databases: [...new Set([...draft.databases, ...selection.found])] })
          }}
        />
      )}
      {!modePicksDatabases(draft.mode) && <TableRulesSection draft={draft} onChange={onChange} />}
      {(draft.mode === 'single' || draft.mode === 'primary' || draft.mode === 'secondary') && (
        <Companions draft={draft} rows={rows} onChange={onChange} />
      )}
    </div>
  )
}

function ModeSelection({
  draft,
  rows,
  selection,
  onChange,
}: {
  draft: BackupRequestInput
  rows: DatabaseRow[]
  selection: PlanState
  onChange(change: Partial<BackupRequestInput>): void
}): ReactElement {
  const t = useT()
  const plan = selection.plan
  const picked = new Set(plan?.files.flatMap((file) => file.databases.map((db) => db.name)) ?? [])
  const userExcluded = new Set(draft.excludeDatabases)
  const locked = new Map<string, string>()
  const notes = new Map<string, string>()
  for (const exclusion of plan?.excluded ?? []) {
    if (userExcluded.has(exclusion.database)) notes.set(exclusion.database, t('databases.excludedByYou'))
    else locked.set(exclusion.database, exclusionText(t, exclusion))
  }
  // A database neither picked nor excluded (e.g. created after the dry-run) cannot be chosen here.
  if (plan !== null) {
    for (const row of rows)
      if (!picked.has(row.name) && !locked.has(row.name) && !userExcluded.has(row.name))
        locked.set(row.name, t('databases.notPicked'))
  }
  return (
    <>
      <p className="muted" aria-live="polite">
        {selection.loading
          ? t('databases.planning')
          : plan !== null
            ? t('databases.modePicks', { count: picked.size, files: plan.files.length })
            : ''}
      </p>
      {selection.error !== null && <ErrorNotice error={selection.error} title={t('databases.planFailed')} />}
      {draft.mode === 'all' && (
        <CheckboxField
          label={t('databases.includeSystem')}
          checked={!draft.excludeSystem}
          onChange={(on) => onChange({ excludeSystem: !on })}
        />
      )}
      <DatabaseTable
        rows={rows}
        selection="multi"
        checked={picked}
        locked={locked}
        notes={notes}
        onToggle={(name, on) =>
          onChange({ excludeDatabases: withToggled(draft.excludeDatabases, name, !on) })
        }
        onToggleAll={(names, on) =>
          onChange({
            excludeDatabases: on
              ? draft.excludeDatabases.filter((n) => !names.includes(n))
              : [...new Set([...draft.excludeDatabases, ...names])],
          })
        }
      />
    </>
  )
}

/** The _dmart/_temp/_archive companions of the chosen databases; says which exist on the server. */
function Companions({
  draft,
  rows,
  onChange,
}: {
  draft: BackupRequestInput
  rows: DatabaseRow[]
  onChange(change: Partial<BackupRequestInput>): void
}): ReactElement {
  const t = useT()
  const names = new Set(rows.map((row) => row.name.toLowerCase()))
  const base = draft.mode === 'single' ? draft.databases[0] : undefined
  const toggle = (companion: Companion, on: boolean): void => {
    const companions = on ? [...draft.companions, companion] : draft.companions.filter((c) => c !== companion)
    onChange({ companions: COMPANIONS.filter((c) => companions.includes(c)) })
  }
  return (
    <FieldGroup legend={t('databases.companions')}>
      <p className="muted small">{t('databases.companionsLead')}</p>
      <div className="check-row">
        {COMPANIONS.map((companion) => {
          const exists = base === undefined ? null : names.has(`${base}${companion}`.toLowerCase())
          return (
            <CheckboxField
              key={companion}
              label={t('databases.includeCompanion', { suffix: companion })}
              checked={draft.companions.includes(companion)}
              onChange={(on) => toggle(companion, on)}
              hint={
                exists === null
                  ? undefined
                  : exists
                    ? t('databases.companionExists', { name: `${base}${companion}` })
                    : t('databases.companionMissing', { name: `${base}${companion}` })
              }
            />
          )
        })}
      </div>
    </FieldGroup>
  )
}
