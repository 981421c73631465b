import type { ReactElement } from 'react'
import type { LogLevel } from '../../../../shared/job-protocol.ts'
import type { Translate } from '../../i18n/messages.ts'

/** A job's log lines (engine messages, the client's or the dump's stderr), folded away until opened. */
export function JobLog({
  logs,
  t,
}: {
  logs: { level: LogLevel; message: string }[]
  t: Translate
}): ReactElement | null {
  if (logs.length === 0) return null
  return (
    <details className="job-log">
      <summary>{t('jobs.log', { count: logs.length })}</summary>
      <ol>
        {logs.map((line, index) => (
          <li key={index} className={`log-${line.level}`}>
            <span className="log-level">{line.level}</span> {line.message}
          </li>
        ))}
      </ol>
    </details>
  )
}
