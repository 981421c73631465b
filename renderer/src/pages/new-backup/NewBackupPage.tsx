import { useEffect, useRef, useState } from 'react'
import type { FormEvent, ReactElement } from 'react'
import type { AppError } from '../../../../shared/result.ts'
import type { Schedule } from '../../../../shared/schedule.ts'
import { ErrorNotice } from '../../components/ErrorNotice.tsx'
import { PageHeader } from '../../components/PageHeader.tsx'
import { TextField } from '../../components/form-fields.tsx'
import { useT } from '../../i18n/use-t.ts'
import { useAppStore } from '../../stores/app-store.ts'
import { stepIndex, useBackupWizardStore } from '../../stores/backup-wizard-store.ts'
import { useNavigationStore } from '../../stores/navigation-store.ts'
import { openedProfiles, useProfilesStore } from '../../stores/profiles-store.ts'
import { useSettingsStore } from '../../stores/settings-store.ts'
import { ScheduleEditor, useScheduleEdit } from '../dashboard/ScheduleEditor.tsx'
import { scheduleForm } from '../dashboard/schedule-model.ts'
import { DatabasesStep } from './DatabasesStep.tsx'
import { ModeStep } from './ModeStep.tsx'
import { OptionsStep } from './OptionsStep.tsx'
import { PreviewStep } from './PreviewStep.tsx'
import { ProfileStep } from './ProfileStep.tsx'
import { Stepper } from '../../components/Stepper.tsx'
import { TicketStep } from './TicketStep.tsx'
import { stepProblems, WIZARD_STEPS } from './wizard-model.ts'
import type { WizardStep } from './wizard-model.ts'

/** A step may be opened when every step before it is complete. */
const reachable =
  (draft: Parameters<typeof stepProblems>[1]) =>
  (step: WizardStep): boolean =>
    WIZARD_STEPS.slice(0, stepIndex(step)).every((earlier) => stepProblems(earlier, draft).length === 0)

/** New backup: profile → mode → databases → options → ticket → the real dry-run → Run. */
export function NewBackupPage(): ReactElement {
  const t = useT()
  const wizard = useBackupWizardStore()
  const settings = useSettingsStore((state) => state.settings)
  const settingsLoaded = useSettingsStore((state) => state.loaded)
  const defaultOutputDir = useAppStore((state) => state.paths?.defaultOutputDir ?? null)
  const go = useNavigationStore((state) => state.go)
  const [attempted, setAttempted] = useState<WizardStep | null>(null)
  const stepHeading = useRef<HTMLHeadingElement>(null)
  const stepCard = useRef<HTMLDivElement>(null)
  const { init } = wizard

  // Start from the stored defaults once they are known (a draft made from the fallback would miss them).
  useEffect(() => {
    if (settingsLoaded || defaultOutputDir !== null) init(settings, defaultOutputDir)
  }, [init, settings, settingsLoaded, defaultOutputDir])

  const { step, draft } = wizard
  // With one profile that opens, it is the choice: preselected (the step still shows it).
  const usable = openedProfiles(useProfilesStore((state) => state.entries))
  const only = usable.length === 1 ? (usable[0]?.name ?? '') : ''
  const { update } = wizard
  useEffect(() => {
    if (only !== '' && draft.profile === '') update({ profile: only })
  }, [only, draft.profile, update])
  const problems = stepProblems(step, draft)
  const shownProblems = attempted === step ? problems : []
  const index = stepIndex(step)

  const goTo = (next: WizardStep): void => {
    setAttempted(null)
    wizard.goTo(next)
    requestAnimationFrame(() => stepHeading.current?.focus())
  }
  const next = (): void => {
    const following = WIZARD_STEPS[index + 1]
    if (problems.length > 0) {
      setAttempted(step)
      // Once the problems show: the keyboard goes to what needs fixing.
      requestAnimationFrame(() => firstToFix(stepCard.current)?.focus())
    } else if (following !== undefined) goTo(following)
  }
  const run = async (): Promise<void> => {
    const result = await wizard.run()
    if (result.ok) {
      wizard.reset(useSettingsStore.getState().settings, defaultOutputDir)
      go('jobs')
    }
  }

  const plan = wizard.preview.plan
  const canRun = plan !== null && !('error' in plan.dump) && plan.files.length > 0 && !wizard.running
  return (
    <div className="page page-wide">
      <PageHeader
        title={t('wizard.title')}
        lead={t('wizard.lead')}
        actions={
          <button
            type="button"
            className="button button-quiet"
            onClick={() => wizard.reset(settings, defaultOutputDir)}
          >
            {t('wizard.startOver')}
          </button>
        }
      />
      <Stepper
        steps={WIZARD_STEPS}
        current={step}
        label={t('wizard.steps')}
        stepLabel={(s) => t(`wizard.step.${s}`)}
        reachable={reachable(draft)}
        onSelect={goTo}
      />
      <div className="card wizard-card" ref={stepCard}>
        <h2 id="wizard-step-title" className="card-title" tabIndex={-1} ref={stepHeading}>
          {t('wizard.stepTitle', { n: index + 1, name: t(`wizard.step.${step}`) })}
        </h2>
        {step === 'profile' && (
          <ProfileStep value={draft.profile} onChange={(profile) => wizard.update({ profile })} />
        )}
        {step === 'mode' && <ModeStep draft={draft} onMode={wizard.setMode} onChange={wizard.update} />}
        {step === 'databases' && (
          <DatabasesStep draft={draft} selection={wizard.selection} onChange={wizard.update} />
        )}
        {step === 'options' && (
          <OptionsStep draft={draft} problems={shownProblems} onChange={wizard.update} />
        )}
        {step === 'ticket' && (
          <TicketStep
            ticket={draft.ticket}
            error={shownProblems[0] ? t(shownProblems[0].message, shownProblems[0].values) : null}
            onChange={(ticket) => wizard.update({ ticket })}
            onSubmit={next}
          />
        )}
        {step === 'preview' && (
          <PreviewStep preview={wizard.preview} draft={draft} onRefresh={() => void wizard.loadPreview()} />
        )}

        {shownProblems.length > 0 && step !== 'ticket' && (
          <div className="notice notice-error wizard-problems" role="alert" tabIndex={-1}>
            {shownProblems.map((problem) => (
              <p key={problem.field} className="notice-text">
                {t(problem.message, problem.values)}
              </p>
            ))}
          </div>
        )}
        {wizard.runError !== null && <ErrorNotice error={wizard.runError} title={t('wizard.runFailed')} />}

        <div className="wizard-actions">
          {index > 0 && (
            <button
              type="button"
              className="button"
              onClick={() => goTo(WIZARD_STEPS[index - 1] ?? 'profile')}
            >
              {t('common.back')}
            </button>
          )}
          <span className="spacer" />
          {step === 'preview' ? (
            <>
              <SavePresetForm disabled={plan === null} onSave={wizard.saveAsPreset} />
              <button
                type="button"
                className="button button-primary button-large"
                disabled={!canRun}
                onClick={() => void run()}
              >
                {wizard.running ? t('wizard.starting') : t('wizard.run')}
              </button>
            </>
          ) : (
            <button type="button" className="button button-primary" onClick={next}>
              {t('common.next')}
            </button>
          )}
        </div>
      </div>
    </div>
  )
}

/**
 * Where focus goes after a refused Next: the first field marked invalid; else (a choice is missing) the
 * first choice that can be made; else the list of problems.
 */
/** A choice to make: a row of a table first (a table's "Select all" is not the choice asked for). */
const CHOICES = [
  'tbody input[type="radio"]:not(:disabled), tbody input[type="checkbox"]:not(:disabled)',
  'input[type="radio"]:not(:disabled), input[type="checkbox"]:not(:disabled)',
]

function firstToFix(card: HTMLElement | null): HTMLElement | null {
  if (card === null) return null
  return (
    card.querySelector<HTMLElement>('[aria-invalid="true"]') ??
    CHOICES.map((selector) => card.querySelector<HTMLElement>(selector)).find((e) => e !== null) ??
    card.querySelector<HTMLElement>('.wizard-problems')
  )
}

/** "Save as quick backup": the whole request under a name, one click away on the dashboard. */
function SavePresetForm({
  disabled,
  onSave,
}: {
  disabled: boolean
  onSave(label: string, extra: { schedule?: Schedule }): Promise<AppError | null>
}): ReactElement {
  const t = useT()
  const [open, setOpen] = useState(false)
  const [label, setLabel] = useState('')
  const scheduleEdit = useScheduleEdit(undefined)
  const [error, setError] = useState<AppError | null>(null)
  const [saved, setSaved] = useState('')

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    if (label.trim() === '' || !scheduleEdit.ready) return
    const { schedule } = scheduleEdit.reading
    const failure = await onSave(label, schedule === undefined ? {} : { schedule })
    setError(failure)
    if (failure === null) {
      setSaved(t('preset.saved', { label: label.trim() }))
      setOpen(false)
      setLabel('')
      scheduleEdit.setForm(scheduleForm())
    }
  }

  return (
    <div className="preset-form">
      <p role="status" className="live-status">
        {saved}
      </p>
      {open ? (
        <form
          className="inline-form"
          onSubmit={(event) => void submit(event)}
          aria-label={t('preset.formLabel')}
        >
          <TextField label={t('preset.name')} value={label} onChange={setLabel} />
          <ScheduleEditor edit={scheduleEdit} />
          <button type="submit" className="button" disabled={label.trim() === '' || !scheduleEdit.ready}>
            {t('preset.save')}
          </button>
          <button type="button" className="button button-quiet" onClick={() => setOpen(false)}>
            {t('common.cancel')}
          </button>
        </form>
      ) : (
        <button type="button" className="button" disabled={disabled} onClick={() => setOpen(true)}>
          {t('preset.open')}
        </button>
      )}
      {error !== null && <ErrorNotice error={error} />}
    </div>
  )
}
