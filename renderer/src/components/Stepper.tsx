import type { ReactElement } from 'react'

export interface StepperProps<S extends string> {
  steps: readonly S[]
  current: S
  /** The navigation's accessible name. */
  label: string
  /** A step's name on screen. */
  stepLabel(step: S): string
  /** Steps the user may jump to (every earlier step is complete). */
  reachable(step: S): boolean
  onSelect(step: S): void
}

/** A wizard's steps in order; the current one is marked aria-current="step". */
export function Stepper<S extends string>(props: StepperProps<S>): ReactElement {
  const { steps, current, reachable, onSelect } = props
  const currentIndex = steps.indexOf(current)
  return (
    <nav className="stepper" aria-label={props.label}>
      <ol>
        {steps.map((step, index) => (
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
              <span>{props.stepLabel(step)}</span>
            </button>
          </li>
        ))}
      </ol>
    </nav>
  )
}
