import type { ReactElement } from 'react'
import { ErrorNotice } from '../../components/ErrorNotice.tsx'
import { useT } from '../../i18n/use-t.ts'
import type { TestState } from '../../stores/offsite-store.ts'

/** A Test button's outcome under its row: what passed, or the phrased error (advice in the UI's language). */
export function TestOutcome(props: {
  test: TestState | undefined
  passed(url: string | null): string
  failedTitle: string
}): ReactElement | null {
  const { test, passed, failedTitle } = props
  if (test === undefined || test.state === 'running') return null
  if (test.state === 'failed') return <ErrorNotice error={test.error} title={failedTitle} />
  return (
    <p className="text-ok small" role="status">
      {passed(test.url)}
    </p>
  )
}

/** A destination's or channel's buttons: Test (busy while it runs), Edit and Remove, each named for its row. */
export function RowActions(props: {
  test: TestState | undefined
  labels: { test: string; edit: string; remove: string }
  onTest(): void
  onEdit(): void
  onRemove(): void
}): ReactElement {
  const t = useT()
  const { test, labels } = props
  return (
    <>
      <button
        type="button"
        className="button button-small"
        aria-label={labels.test}
        disabled={test?.state === 'running'}
        onClick={props.onTest}
      >
        {test?.state === 'running' ? t('offsite.testing') : t('offsite.test')}
      </button>
      <button
        type="button"
        className="button button-quiet button-small"
        aria-label={labels.edit}
        onClick={props.onEdit}
      >
        {t('offsite.edit')}
      </button>
      <button
        type="button"
        className="button button-quiet button-small"
        aria-label={labels.remove}
        onClick={props.onRemove}
      >
        {t('offsite.remove')}
      </button>
    </>
  )
}
