/**
 * The Schedule section of a quick backup's form: off, daily, weekly, every N hours or a cron expression,
 * the catch-up window, and — as it is edited — the next five runs from the engine (`schedules:preview`),
 * whose refusal of a cron expression is shown at the field, naming the field of the expression.
 *
 * Use: `const edit = useScheduleEdit(preset.schedule)`, `<ScheduleEditor edit={edit} />`; store
 * `edit.reading.schedule` when `edit.ready`.
 */
import { useEffect, useId, useState } from 'react'
import type { ReactElement } from 'react'
import type { SchedulePreview } from '../../../../shared/ipc.ts'
import type { AppError, Result } from '../../../../shared/result.ts'
import type { Schedule } from '../../../../shared/schedule.ts'
import { ErrorNotice } from '../../components/ErrorNotice.tsx'
import { FieldGroup, RadioGroup, TextField } from '../../components/form-fields.tsx'
import { errorText } from '../../i18n/phrase.ts'
import { useLanguage, useT } from '../../i18n/use-t.ts'
import { previewSchedule } from '../../lib/api.ts'
import {
  engineProblemField,
  formatRunTime,
  problemOf,
  readScheduleForm,
  SCHEDULE_CHOICES,
  scheduleForm,
  scheduleText,
  toggleDay,
  WEEK_ORDER,
  weekdayName,
} from './schedule-model.ts'
import type { ScheduleField, ScheduleForm, ScheduleReading } from './schedule-model.ts'

/** Waits this long after the last keystroke before the engine is asked for the runs. */
const SETTLE_MS = 300

/** The engine's answer for the schedule as it is now: none asked (off, or a field to fix), waiting, or it. */
export type PreviewState =
  { state: 'none' } | { state: 'waiting' } | { state: 'answered'; result: Result<SchedulePreview> }

export interface ScheduleEdit {
  form: ScheduleForm
  setForm(form: ScheduleForm): void
  reading: ScheduleReading
  preview: PreviewState
  /** The stored schedule the form started from. */
  stored: Schedule | undefined
  /** What the form stands for may be saved: its fields are fine and the engine accepted it. */
  ready: boolean
}

/** Asks the engine for the runs of `schedule` a moment after it last changed (only the last answer counts). */
function useSchedulePreview(schedule: Schedule | undefined): PreviewState {
  // A paused schedule shows when it would run once turned on: off asks for nothing.
  const key = schedule === undefined || !schedule.enabled ? '' : JSON.stringify(schedule)
  const [answer, setAnswer] = useState<{ key: string; result: Result<SchedulePreview> } | null>(null)
  useEffect(() => {
    if (key === '') return undefined
    let live = true
    const timer = setTimeout(() => {
      void previewSchedule(JSON.parse(key) as Schedule).then((result) => {
        if (live) setAnswer({ key, result })
      })
    }, SETTLE_MS)
    return () => {
      live = false
      clearTimeout(timer)
    }
  }, [key])
  if (key === '') return { state: 'none' }
  return answer?.key === key ? { state: 'answered', result: answer.result } : { state: 'waiting' }
}

/** The editor's state, from a stored schedule (or none). */
export function useScheduleEdit(stored: Schedule | undefined): ScheduleEdit {
  const [form, setForm] = useState(() => scheduleForm(stored))
  const reading = readScheduleForm(form, stored)
  const preview = useSchedulePreview(reading.schedule)
  const accepted = preview.state === 'none' || (preview.state === 'answered' && preview.result.ok)
  return { form, setForm, reading, preview, stored, ready: reading.problems.length === 0 && accepted }
}

/** The engine's refusal of the schedule when it is about one of the fields. */
const engineError = (preview: PreviewState, field: ScheduleField): AppError | null =>
  preview.state === 'answered' && !preview.result.ok && engineProblemField(preview.result.error) === field
    ? preview.result.error
    : null

/** The Schedule section (a fieldset) of a quick backup's form. */
export function ScheduleEditor({ edit }: { edit: ScheduleEdit }): ReactElement {
  const t = useT()
  const language = useLanguage()
  const { form, setForm, reading, preview, stored } = edit
  const set = (change: Partial<ScheduleForm>): void => setForm({ ...form, ...change })
  const problem = (field: ScheduleField): string | null => {
    const own = problemOf(reading, field)
    if (own !== undefined) return t(own.message, own.values)
    const refused = engineError(preview, field)
    return refused === null ? null : errorText(t, language, refused)
  }
  const timeField = (
    <TextField
      label={t('schedule.time')}
      type="time"
      value={form.time}
      onChange={(time) => set({ time })}
      error={problem('time')}
      className="schedule-time"
    />
  )

  return (
    <FieldGroup legend={t('schedule.section')} className="schedule-editor">
      <RadioGroup
        legend={t('schedule.choice')}
        value={form.choice}
        options={SCHEDULE_CHOICES.map((choice) => ({ value: choice, label: t(`schedule.choice.${choice}`) }))}
        onChange={(choice) => set({ choice })}
      />
      {form.choice === 'off' && stored !== undefined && (
        <p className="muted small">
          {t('schedule.offKept', { schedule: scheduleText(t, language, { ...stored, enabled: true }) })}
        </p>
      )}
      {form.choice === 'daily' && timeField}
      {form.choice === 'weekly' && (
        <>
          <WeekdayPicker days={form.days} onChange={(days) => set({ days })} error={problem('days')} />
          {timeField}
        </>
      )}
      {form.choice === 'hourly' && (
        <TextField
          label={t('schedule.every')}
          type="number"
          value={form.every}
          onChange={(every) => set({ every })}
          error={problem('every')}
          hint={t('schedule.everyHint')}
        />
      )}
      {form.choice === 'cron' && (
        <TextField
          label={t('schedule.expression')}
          value={form.expression}
          onChange={(expression) => set({ expression })}
          error={problem('expression')}
          hint={t('schedule.expressionHint')}
          mono
        />
      )}
      {form.choice !== 'off' && (
        <TextField
          label={t('schedule.catchUp')}
          type="number"
          value={form.catchUpHours}
          onChange={(catchUpHours) => set({ catchUpHours })}
          error={problem('catchUpHours')}
          hint={t('schedule.catchUpHint')}
        />
      )}
      <NextRuns preview={preview} />
    </FieldGroup>
  )
}

/** The days of a weekly schedule: a box per weekday, Monday first. */
function WeekdayPicker(props: {
  days: number[]
  onChange(days: number[]): void
  error: string | null
}): ReactElement {
  const { days, onChange, error } = props
  const t = useT()
  const language = useLanguage()
  const errorId = useId()
  return (
    <fieldset
      className="weekday-picker"
      aria-invalid={error === null ? undefined : true}
      aria-describedby={error === null ? undefined : errorId}
    >
      <legend>{t('schedule.days')}</legend>
      {WEEK_ORDER.map((day) => (
        <label key={day} className="weekday">
          <input
            type="checkbox"
            checked={days.includes(day)}
            onChange={(event) => onChange(toggleDay(days, day, event.target.checked))}
          />
          {weekdayName(day, language)}
        </label>
      ))}
      {error !== null && (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      )}
    </fieldset>
  )
}

/** The next five runs (local time, with the time zone), or why there are none. */
function NextRuns({ preview }: { preview: PreviewState }): ReactElement | null {
  const t = useT()
  const language = useLanguage()
  if (preview.state === 'none') return null
  if (preview.state === 'waiting')
    return (
      <p className="muted" role="status">
        {t('schedule.previewLoading')}
      </p>
    )
  const { result } = preview
  // A refusal about a field is shown at that field.
  if (!result.ok)
    return engineProblemField(result.error) === null ? (
      <ErrorNotice error={result.error} title={t('schedule.previewFailed')} />
    ) : null
  const { runs, timeZone } = result.value
  return (
    <section className="schedule-runs" aria-label={t('schedule.nextRuns')}>
      <h4 className="field-label">{t('schedule.nextRuns')}</h4>
      {runs.length === 0 ? (
        <p role="status">{t('schedule.noRuns')}</p>
      ) : (
        <ol className="schedule-run-list">
          {runs.map((run) => (
            <li key={run}>
              <time dateTime={run}>{formatRunTime(run, language, timeZone)}</time>
            </li>
          ))}
        </ol>
      )}
      <p className="muted small">{t('schedule.timeZone', { zone: timeZone })}</p>
    </section>
  )
}
