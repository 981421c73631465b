import { useState } from 'react'
import type { FormEvent, ReactElement } from 'react'
import type { AppError } from '../../../../shared/result.ts'
import { ErrorNotice } from '../../components/ErrorNotice.tsx'
import { TextField } from '../../components/form-fields.tsx'
import { useT } from '../../i18n/use-t.ts'

export interface KeyAction {
  label: string
  run(secret: string): Promise<AppError | null>
  /** Said in the live region after it worked. */
  done: string
  disabled?: boolean
}

export interface KeyInputProps {
  label: string
  hint?: string
  actions: KeyAction[]
}

/**
 * A masked key input with its actions (store, unlock). The key goes to main and the field is cleared: it
 * is never kept in a store or shown back.
 */
export function KeyInput({ label, hint, actions }: KeyInputProps): ReactElement {
  const t = useT()
  const [secret, setSecret] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<AppError | null>(null)
  const [done, setDone] = useState('')

  const run = async (action: KeyAction): Promise<void> => {
    if (action.disabled) return
    if (secret === '') {
      setError({ code: 'InvalidInput', message: t('keys.enterKey') })
      return
    }
    setBusy(true)
    setDone('')
    const failure = await action.run(secret)
    setBusy(false)
    setError(failure)
    if (failure === null) {
      setSecret('')
      setDone(action.done)
    }
  }

  const submit = (event: FormEvent): void => {
    event.preventDefault()
    const first = actions[0]
    if (first !== undefined) void run(first)
  }

  return (
    <form className="key-input" onSubmit={submit}>
      <div className="key-input-row">
        <TextField
          label={label}
          type="password"
          value={secret}
          onChange={setSecret}
          autoComplete="off"
          hint={hint}
          hideLabel
          className="grow"
        />
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
