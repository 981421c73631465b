import { useState } from 'react'
import type { FormEvent, ReactElement } from 'react'
import type { AppError } from '../../../../shared/result.ts'
import { ErrorNotice } from '../../components/ErrorNotice.tsx'
import { CheckboxField, TextField } from '../../components/form-fields.tsx'
import { useT } from '../../i18n/use-t.ts'
import { keyStrength } from './key-strength.ts'

export interface KeyAction {
  label: string
  run(secret: string): Promise<AppError | null>
  /** Said in the live region after it worked. */
  done: string
  disabled?: boolean
  /** It keeps the key (store): the key must be typed twice. Unlocking for the session only checks it. */
  keeps?: boolean
}

export interface KeyInputProps {
  label: string
  hint?: string
  actions: KeyAction[]
  /** Changes when the key's status changed elsewhere (it was removed): an old "stored" message goes. */
  statusVersion?: number
}

/**
 * A masked key input with its actions (store, unlock). A key that is kept is typed twice — a mistyped backup
 * key would make every later backup unrestorable — with a reveal toggle and a strength hint. The key goes to
 * main and the fields are cleared: it is never kept in a store or shown back.
 */
export function KeyInput({ label, hint, actions, statusVersion = 0 }: KeyInputProps): ReactElement {
  const t = useT()
  const [secret, setSecret] = useState('')
  const [again, setAgain] = useState('')
  const [reveal, setReveal] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<AppError | null>(null)
  // What the last action did, for the key's status as it was then: a removal since makes it stale.
  const [doneAt, setDone] = useState({ text: '', version: statusVersion })
  const done = doneAt.version === statusVersion ? doneAt.text : ''
  const confirms = actions.some((a) => a.keeps !== false)

  const run = async (action: KeyAction): Promise<void> => {
    if (action.disabled) return
    if (secret === '') return setError({ code: 'InvalidInput', message: t('keys.enterKey') })
    if (action.keeps !== false && again !== secret)
      return setError({ code: 'InvalidInput', message: t('keys.mismatch') })
    setBusy(true)
    setDone({ text: '', version: statusVersion })
    const failure = await action.run(secret)
    setBusy(false)
    setError(failure)
    if (failure === null) {
      setSecret('')
      setAgain('')
      setDone({ text: action.done, version: statusVersion })
    }
  }

  const submit = (event: FormEvent): void => {
    event.preventDefault()
    const first = actions[0]
    if (first !== undefined) void run(first)
  }

  const strength = keyStrength(secret)
  const type = reveal ? 'text' : 'password'
  return (
    <form className="key-input" onSubmit={submit}>
      <div className="key-input-row">
        <div className="key-input-fields">
          <TextField
            label={label}
            type={type}
            value={secret}
            onChange={setSecret}
            autoComplete="off"
            hint={hint}
            hideLabel
          />
          {confirms && (
            <TextField
              label={t('keys.again', { label })}
              type={type}
              value={again}
              onChange={setAgain}
              autoComplete="off"
              hideLabel
              placeholder={t('keys.againPlaceholder')}
            />
          )}
          <div className="key-input-meta">
            <CheckboxField label={t('keys.reveal')} checked={reveal} onChange={setReveal} />
            {strength !== null && (
              <span className={`key-strength key-strength-${strength}`}>
                {t(`keys.strength.${strength}`)}
              </span>
            )}
          </div>
        </div>
        <div className="key-input-actions">
          {actions.map((action, index) => (
            <button
              key={action.label}
              type={index === 0 ? 'submit' : 'button'}
              className={index === 0 ? 'button button-primary' : 'button'}
              disabled={busy || action.disabled === true}
              onClick={index === 0 ? undefined : () => void run(action)}
            >
              {action.label}
            </button>
          ))}
        </div>
      </div>
      <p role="status" className="live-status">
        {done}
      </p>
      {error !== null && <ErrorNotice error={error} />}
    </form>
  )
}
