/**
 * A quick backup's schedule on the dashboard: the schedule in words, its next run and how its last
 * scheduled run went (ran, late, skipped, missed — with its job's status and a link to its result), and
 * the Schedule… dialog that edits it.
 */
import { useEffect, useState } from 'react'
import type { ReactElement } from 'react'
import type { QuickBackupPreset } from '../../../../shared/ipc.ts'
import type { AppError } from '../../../../shared/result.ts'
import type { Schedule } from '../../../../shared/schedule.ts'
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx'
import { ErrorNotice } from '../../components/ErrorNotice.tsx'
import { StatusBadge } from '../../components/StatusBadge.tsx'
import { useLanguage, useT } from '../../i18n/use-t.ts'
import { useNavigationStore } from '../../stores/navigation-store.ts'
import { STATUS_REFRESH_MS, useScheduleStore } from '../../stores/schedule-store.ts'
import type { PresetScheduleStatus } from '../../stores/schedule-store.ts'
import { useSettingsStore } from '../../stores/settings-store.ts'
import { JOB_STATUS_TONES } from '../history/history-status.ts'
import { ScheduleEditor, useScheduleEdit } from './ScheduleEditor.tsx'
import { formatRunTime, OUTCOME_TONES, outcomeKey, scheduleText } from './schedule-model.ts'

/** Reads the schedules' state now and every minute while the calling component is shown. */
export function useScheduleStatusRefresh(): void {
  const load = useScheduleStore((state) => state.load)
  useEffect(() => {
    void load()
    const timer = window.setInterval(() => void load(), STATUS_REFRESH_MS)
    return () => window.clearInterval(timer)
  }, [load])
}

/** The schedules' state could not be read (shown once, above the quick backups). */
export function ScheduleStatusError(): ReactElement | null {
  const t = useT()
  const error = useScheduleStore((state) => state.error)
  return error === null ? null : <ErrorNotice error={error} title={t('schedule.statusFailed')} />
}

/** The schedule line of one quick backup, with its Schedule… button and dialog. */
export function PresetSchedule({ preset }: { preset: QuickBackupPreset }): ReactElement {
  const t = useT()
  const language = useLanguage()
  const status = useScheduleStore((state) => state.presets[preset.id])
  const [editing, setEditing] = useState(false)
  const [saved, setSaved] = useState('')
  const nextRun = preset.schedule?.enabled === true ? (status?.nextRun ?? null) : null

  return (
    <div className="preset-schedule">
      <p className="small">
        <span className="strong">{scheduleText(t, language, preset.schedule)}</span>
        {nextRun !== null && (
          <span className="muted"> · {t('schedule.next', { time: formatRunTime(nextRun, language) })}</span>
        )}
      </p>
      {status?.last != null && <LastScheduledRun label={preset.label} last={status.last} />}
      <button
        type="button"
        className="button button-quiet button-small"
        aria-label={t('schedule.editPreset', { label: preset.label })}
        onClick={() => {
          setSaved('')
          setEditing(true)
        }}
      >
        {t('schedule.edit')}
      </button>
      <p role="status" className="live-status">
        {saved}
      </p>
      {editing && (
        <ScheduleDialog
          preset={preset}
          onClose={(text) => {
            setEditing(false)
            if (text !== null) setSaved(text)
          }}
        />
      )}
    </div>
  )
}

/** How the last scheduled run went: when, its outcome, its job's status and a link to its result. */
function LastScheduledRun(props: {
  label: string
  last: NonNullable<PresetScheduleStatus['last']>
}): ReactElement {
  const { label, last } = props
  const t = useT()
  const language = useLanguage()
  const openResult = useNavigationStore((state) => state.openResult)
  return (
    <p className="small preset-last-run">
      <span className="muted">{t('schedule.last', { time: formatRunTime(last.at, language) })} </span>
      <StatusBadge tone={OUTCOME_TONES[last.outcome]}>{t(outcomeKey(last.outcome))}</StatusBadge>{' '}
      {last.status !== null && (
        <StatusBadge tone={JOB_STATUS_TONES[last.status]}>{t(`status.${last.status}`)}</StatusBadge>
      )}
      {last.status === null && last.jobId !== null && (
        <StatusBadge tone="info">{t('schedule.jobRunning')}</StatusBadge>
      )}
      {last.jobId !== null && (
        <>
          {' '}
          <button
            type="button"
            className="link-button"
            aria-label={t('schedule.showResultOf', { label })}
            onClick={() => openResult(last.jobId as string)}
          >
            {t('schedule.showResult')}
          </button>
        </>
      )}
    </p>
  )
}

/** The preset as stored now, with this schedule (none: the key is left out). */
function withSchedule(preset: QuickBackupPreset, schedule: Schedule | undefined): QuickBackupPreset {
  const { schedule: _old, ...rest } = preset
  return schedule === undefined ? rest : { ...rest, schedule }
}

/** Edits a quick backup's schedule; closes with the saved message, or null when cancelled. */
function ScheduleDialog(props: {
  preset: QuickBackupPreset
  onClose(saved: string | null): void
}): ReactElement {
  const { preset, onClose } = props
  const t = useT()
  const language = useLanguage()
  const edit = useScheduleEdit(preset.schedule)
  const updatePreset = useSettingsStore((state) => state.updatePreset)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<AppError | null>(null)

  const save = async (): Promise<void> => {
    setBusy(true)
    // The preset as it is stored now (its ticket may have changed since the dialog opened).
    const current = useSettingsStore.getState().settings.presets.find((p) => p.id === preset.id) ?? preset
    const { schedule } = edit.reading
    const failure = await updatePreset(withSchedule(current, schedule))
    setBusy(false)
    if (failure !== null) return setError(failure)
    void useScheduleStore.getState().load()
    onClose(t('schedule.saved', { label: preset.label, schedule: scheduleText(t, language, schedule) }))
  }

  return (
    <ConfirmDialog
      title={t('schedule.dialogTitle', { label: preset.label })}
      confirmLabel={busy ? t('common.saving') : t('schedule.save')}
      cancelLabel={t('common.cancel')}
      busy={busy}
      confirmDisabled={!edit.ready}
      onConfirm={() => void save()}
      onCancel={() => onClose(null)}
    >
      <ScheduleEditor edit={edit} />
      {error !== null && <ErrorNotice error={error} title={t('schedule.saveFailed')} />}
    </ConfirmDialog>
  )
}
