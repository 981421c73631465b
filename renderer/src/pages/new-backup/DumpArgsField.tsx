import { useId } from 'react'
import type { ReactElement } from 'react'
import type { BackupRequestInput } from '../../../../shared/ipc.ts'
import { useT } from '../../i18n/use-t.ts'
import { refusedDumpArgs } from './table-rules.ts'

export interface DumpArgsFieldProps {
  draft: BackupRequestInput
  onChange(change: Partial<BackupRequestInput>): void
}

/**
 * The Options step's "Advanced" disclosure: this backup's own extra dump arguments, one per line, checked as
 * they are typed with the engine's own rules (shared/dump-arg-policy.ts); a refused one is named next to
 * the field, in the UI's language.
 */
export function DumpArgsField({ draft, onChange }: DumpArgsFieldProps): ReactElement {
  const t = useT()
  const id = useId()
  const lines = draft.dumpArgs ?? []
  const refused = refusedDumpArgs(lines)
  const given = lines.some((line) => line.trim() !== '')
  return (
    <details className="field-group advanced" open={given || undefined}>
      <summary>{t('options.advanced')}</summary>
      <div className="field">
        <label htmlFor={`${id}-args`}>{t('options.dumpArgs')}</label>
        <textarea
          id={`${id}-args`}
          className="input mono"
          rows={3}
          spellCheck={false}
          value={lines.join('\n')}
          onChange={(event) => onChange({ dumpArgs: event.target.value.split('\n') })}
          aria-invalid={refused.length > 0 || undefined}
          aria-describedby={`${id}-hint${refused.length > 0 ? ` ${id}-error` : ''}`}
        />
        <p id={`${id}-hint`} className="field-hint">
          {t('options.dumpArgsHint')}
        </p>
        {refused.length > 0 && (
          <div id={`${id}-error`} className="field-error" role="alert">
            {refused.map((r) => (
              <p key={r.arg}>{t(`options.dumpArg.${r.reason}`, { arg: r.arg, option: r.option })}</p>
            ))}
          </div>
        )}
      </div>
    </details>
  )
}
