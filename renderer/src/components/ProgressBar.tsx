import type { ReactElement } from 'react'

export interface ProgressBarProps {
  /** 0..1, or null while the total is unknown (an indeterminate bar). */
  value: number | null
  /** The accessible name, e.g. "Overall progress". */
  label: string
  /** Spoken instead of the bare percentage, e.g. "42% — shop.orders". */
  valueText?: string
  size?: 'small' | 'normal'
}

/**
 * A progress bar with role=progressbar and aria-valuenow. The fill is an SVG rect sized by its width
 * attribute: no inline style, so nothing for the strict CSP to refuse.
 */
export function ProgressBar({ value, label, valueText, size = 'normal' }: ProgressBarProps): ReactElement {
  const percent = value === null ? null : Math.round(Math.min(1, Math.max(0, value)) * 1000) / 10
  return (
    <div
      className={`progress progress-${size}${percent === null ? ' progress-indeterminate' : ''}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent ?? undefined}
      aria-valuetext={valueText}
    >
      <svg className="progress-svg" aria-hidden="true" focusable="false" preserveAspectRatio="none">
        <rect
          className="progress-fill"
          x="0"
          y="0"
          height="100%"
          width={percent === null ? '30%' : `${percent}%`}
        />
      </svg>
    </div>
  )
}
