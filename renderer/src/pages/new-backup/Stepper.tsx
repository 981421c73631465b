import type { ReactElement } from 'react'
import { useT } from '../../i18n/use-t.ts'
import { WIZARD_STEPS } from './wizard-model.ts'
import type { WizardStep } from './wizard-model.ts'

export interface StepperProps {
  current: WizardStep
  /** Steps the user may jump to (every earlier step is complete). */
  reachable(step: WizardStep): boolean
  onSelect(step: WizardStep): void
}

/** The wizard's steps in order; the current one is marked aria-current="step". */
export function Stepper({ current, reachable, onSelect }: StepperProps): ReactElement {
  const t = useT()
  const currentIndex = WIZARD_STEPS.indexOf(current)
  return (
    <nav className="stepper" aria-label={t('wizard.steps')}>
      <ol>
        {WIZARD_STEPS.map((step, index) => (
          <li key={step} className={index < currentIndex ? 'is-done' : undefined}>
            <button
              type="button"
              className="stepper-item"
              aria-current={step === current ? 'step' : undefined}
              disabled={!reachable(step)}
              onClick={() => onSelect(step)}
            >
              <span className="stepper-number" aria-hidden="true">
                {index + 1}
              </span>
              <span>{t(`wizard.step.${step}`)}</span>
            </button>
          </li>
        ))}
      </ol>
    </nav>
  )
}
