import type { ReactElement } from 'react'
import { ErrorNotice } from '../../components/ErrorNotice.tsx'
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
