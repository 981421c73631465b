import { useRef, useState } from 'react'
import type { FormEvent, ReactElement } from 'react'
import { ErrorNotice } from '../../components/ErrorNotice.tsx'
import { PageHeader } from '../../components/PageHeader.tsx'
import { useT } from '../../i18n/use-t.ts'
import { useNavigationStore } from '../../stores/navigation-store.ts'
import { useRestoreWizardStore } from '../../stores/restore-wizard-store.ts'
import { RestoreOptionsStep } from './RestoreOptionsStep.tsx'
import { RestorePlanStep } from './RestorePlanStep.tsx'
import { RestoreTargetStep } from './RestoreTargetStep.tsx'
import { RESTORE_STEPS, stepProblems, type RestoreStep } from './restore-model.ts'
import { Stepper } from '../../components/Stepper.tsx'

/** Restore: the backup and the target → options → the real dry-run → Run (a job on the Jobs page). */
export function RestorePage(): ReactElement {
  const t = useT()
  const wizard = useRestoreWizardStore()
  const go = useNavigationStore((state) => state.go)
  const [attempted, setAttempted] = useState<RestoreStep | null>(null)
  const stepHeading = useRef<HTMLHeadingElement>(null)

  const { step, draft } = wizard
  const source = wizard.source?.view ?? null
  const problems = stepProblems(step, draft, source)
  const index = RESTORE_STEPS.indexOf(step)
  const reachable = (target: RestoreStep): boolean =>
    RESTORE_STEPS.slice(0, RESTORE_STEPS.indexOf(target)).every(
      (earlier) => stepProblems(earlier, draft, source).length === 0,
    )

  const goTo = (next: RestoreStep): void => {
    setAttempted(null)
    wizard.goTo(next)
    requestAnimationFrame(() => stepHeading.current?.focus())
  }
  const next = (event: FormEvent): void => {
    event.preventDefault()
    const following = RESTORE_STEPS[index + 1]
    if (problems.length > 0) setAttempted(step)
    else if (following !== undefined) goTo(following)
  }
  const run = async (): Promise<void> => {
    const result = await wizard.run()
    if (result.ok) {
      wizard.reset()
      go('jobs')
    }
  }

  const plan = wizard.plan.view
  const canRun = plan !== null && plan.problems.length === 0 && !wizard.plan.loading && !wizard.running
  return (
    <div className="page page-wide">
      <PageHeader
        title={t('restore.title')}
        lead={t('restore.lead')}
        actions={
          <button type="button" className="button button-quiet" onClick={() => wizard.reset()}>
            {t('restore.startOver')}
          </button>
        }
      />
      <Stepper
        steps={RESTORE_STEPS}
        current={step}
        label={t('restore.steps')}
        stepLabel={(s) => t(`restore.step.${s}`)}
        reachable={reachable}
        onSelect={goTo}
      />
      <form className="card wizard-card" aria-label={t('restore.formLabel')} onSubmit={next} noValidate>
        <h2 className="card-title" ref={stepHeading} tabIndex={-1}>
          {t(`restore.step.${step}`)}
        </h2>
        {step === 'target' && <RestoreTargetStep />}
        {step === 'options' && <RestoreOptionsStep />}
        {step === 'review' && <RestorePlanStep />}
        {attempted === step && problems.length > 0 && (
          <ul className="notice notice-error" role="alert" aria-label={t('restore.problems')}>
            {problems.map((key) => (
              <li key={key}>{t(key)}</li>
            ))}
          </ul>
        )}
        {wizard.runError !== null && <ErrorNotice error={wizard.runError} title={t('restore.runFailed')} />}
        <div className="form-actions">
          {index > 0 && (
            <button
              type="button"
              className="button"
              onClick={() => goTo(RESTORE_STEPS[index - 1] ?? 'target')}
            >
              {t('common.back')}
            </button>
          )}
          <span className="spacer" />
          {step !== 'review' ? (
            <button type="submit" className="button button-primary">
              {t('common.next')}
            </button>
          ) : (
            <button
              type="button"
              className="button button-primary"
              disabled={!canRun}
              onClick={() => void run()}
            >
              {wizard.running ? t('restore.starting') : t('restore.run')}
            </button>
          )}
        </div>
      </form>
    </div>
  )
}
