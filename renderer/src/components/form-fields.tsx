/**
 * Labelled form controls: a real <label for>, the hint and the inline error tied to the control with
 * aria-describedby, aria-invalid when the value needs fixing.
 */
import { useId } from 'react'
import type { HTMLInputTypeAttribute, ReactElement, ReactNode } from 'react'
import { useT } from '../i18n/use-t.ts'
import { pickPath } from '../lib/api.ts'

interface FieldProps {
  label: string
  hint?: ReactNode
  /** Why the value cannot be used, with the fix; shown under the control. */
  error?: string | null
  className?: string
}

/** The ids and attributes a control needs to point at its hint and error. */
function useFieldIds(hint: unknown, error: string | null | undefined) {
  const id = useId()
  const hintId = hint !== undefined && hint !== null ? `${id}-hint` : undefined
  const errorId = error ? `${id}-error` : undefined
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined
  return { id, hintId, errorId, describedBy, invalid: error ? true : undefined }
}

function FieldNotes({
  hint,
  hintId,
  error,
  errorId,
}: {
  hint?: ReactNode
  hintId?: string
  error?: string | null
  errorId?: string
}) {
  return (
    <>
      {error && (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      )}
      {hint !== undefined && hint !== null && (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      )}
    </>
  )
}

export interface TextFieldProps extends FieldProps {
  value: string
  onChange(value: string): void
  type?: HTMLInputTypeAttribute
  placeholder?: string
  required?: boolean
  disabled?: boolean
  autoComplete?: string
  spellCheck?: boolean
  mono?: boolean
  /** The label names the control for assistive tech only (a heading nearby says the same). */
  hideLabel?: boolean
  /** A control beside the input (e.g. a Browse button). */
  action?: ReactNode
}

export function TextField(props: TextFieldProps): ReactElement {
  const {
    label,
    hint,
    error,
    className,
    value,
    onChange,
    type = 'text',
    mono = false,
    hideLabel = false,
    action,
    ...input
  } = props
  const ids = useFieldIds(hint, error)
  const control = (
    <input
      id={ids.id}
      className={mono ? 'input mono' : 'input'}
      type={type}
      value={value}
      onChange={(event) => onChange(event.target.value)}
      aria-invalid={ids.invalid}
      aria-describedby={ids.describedBy}
      spellCheck={input.spellCheck ?? false}
      {...input}
    />
  )
  return (
    <div className={`field ${className ?? ''}`}>
      {/* The marker stays outside the label, so the control's name is the label text alone. */}
      <div className={hideLabel ? 'visually-hidden' : 'field-label'}>
        <label htmlFor={ids.id}>{label}</label>
        {input.required && (
          <span className="field-required" aria-hidden="true">
            *
          </span>
        )}
      </div>
      {action === undefined ? (
        control
      ) : (
        <div className="input-with-action">
          {control}
          {action}
        </div>
      )}
      <FieldNotes hint={hint} hintId={ids.hintId} error={error} errorId={ids.errorId} />
    </div>
  )
}

export interface NumberFieldProps extends FieldProps {
  /** NaN shows an empty input (the user cleared it). */
  value: number
  onChange(value: number): void
  min?: number
  max?: number
  required?: boolean
  disabled?: boolean
}

export function NumberField(props: NumberFieldProps): ReactElement {
  const { label, hint, error, className, value, onChange, ...input } = props
  const ids = useFieldIds(hint, error)
  return (
    <div className={`field field-number ${className ?? ''}`}>
      <label htmlFor={ids.id}>{label}</label>
      <input
        id={ids.id}
        className="input"
        type="number"
        inputMode="numeric"
        value={Number.isNaN(value) ? '' : value}
        onChange={(event) => onChange(event.target.value === '' ? Number.NaN : Number(event.target.value))}
        aria-invalid={ids.invalid}
        aria-describedby={ids.describedBy}
        {...input}
      />
      <FieldNotes hint={hint} hintId={ids.hintId} error={error} errorId={ids.errorId} />
    </div>
  )
}

export interface SelectFieldProps<V extends string> extends FieldProps {
  value: V
  options: readonly { value: V; label: string }[]
  onChange(value: V): void
  disabled?: boolean
}

export function SelectField<V extends string>(props: SelectFieldProps<V>): ReactElement {
  const { label, hint, error, className, value, options, onChange, disabled } = props
  const ids = useFieldIds(hint, error)
  return (
    <div className={`field ${className ?? ''}`}>
      <label htmlFor={ids.id}>{label}</label>
      <select
        id={ids.id}
        className="input"
        value={value}
        disabled={disabled}
        onChange={(event) => {
          const chosen = options.find((option) => option.value === event.target.value)
          if (chosen) onChange(chosen.value)
        }}
        aria-invalid={ids.invalid}
        aria-describedby={ids.describedBy}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      <FieldNotes hint={hint} hintId={ids.hintId} error={error} errorId={ids.errorId} />
    </div>
  )
}

export interface CheckboxFieldProps {
  label: string
  checked: boolean
  onChange(checked: boolean): void
  hint?: ReactNode
  disabled?: boolean
}

export function CheckboxField({
  label,
  checked,
  onChange,
  hint,
  disabled,
}: CheckboxFieldProps): ReactElement {
  const ids = useFieldIds(hint, null)
  return (
    <div className="field field-check">
      <input
        id={ids.id}
        type="checkbox"
        checked={checked}
        disabled={disabled}
        onChange={(event) => onChange(event.target.checked)}
        aria-describedby={ids.describedBy}
      />
      <label htmlFor={ids.id}>{label}</label>
      {hint !== undefined && (
        <p className="field-hint" id={ids.hintId}>
          {hint}
        </p>
      )}
    </div>
  )
}

export interface RadioOption<V extends string> {
  value: V
  label: string
  description?: string
}

export interface RadioGroupProps<V extends string> {
  legend: string
  value: V
  options: readonly RadioOption<V>[]
  onChange(value: V): void
  /** Cards: one bordered option per line with its description (the mode picker). */
  variant?: 'inline' | 'cards'
}

export function RadioGroup<V extends string>(props: RadioGroupProps<V>): ReactElement {
  const { legend, value, options, onChange, variant = 'inline' } = props
  const name = useId()
  return (
    <fieldset className={`radio-group radio-group-${variant}`}>
      <legend>{legend}</legend>
      {options.map((option) => {
        const id = `${name}-${option.value}`
        return (
          <div key={option.value} className={`radio-option${option.value === value ? ' is-checked' : ''}`}>
            <input
              id={id}
              type="radio"
              name={name}
              value={option.value}
              checked={option.value === value}
              onChange={() => onChange(option.value)}
              aria-describedby={option.description !== undefined ? `${id}-description` : undefined}
            />
            <label htmlFor={id}>{option.label}</label>
            {option.description !== undefined && (
              <p className="radio-description" id={`${id}-description`}>
                {option.description}
              </p>
            )}
          </div>
        )
      })}
    </fieldset>
  )
}

/** A titled group of fields (TLS, SSH, retention, …). */
export function FieldGroup({
  legend,
  children,
  className,
}: {
  legend: string
  children: ReactNode
  className?: string
}): ReactElement {
  return (
    <fieldset className={`field-group ${className ?? ''}`}>
      <legend>{legend}</legend>
      {children}
    </fieldset>
  )
}

export interface PathFieldProps extends Omit<TextFieldProps, 'action' | 'mono'> {
  /** What the OS chooser picks. */
  kind: 'file' | 'folder'
}

/** A path typed in or chosen with the OS file/folder chooser ("Browse…"). */
export function PathField(props: PathFieldProps): ReactElement {
  const { kind, ...field } = props
  const t = useT()
  const browse = async (): Promise<void> => {
    const picked = await pickPath(kind, field.label, field.value.trim() || undefined)
    if (picked.ok && picked.value.path !== null) field.onChange(picked.value.path)
  }
  return (
    <TextField
      {...field}
      mono
      action={
        <button
          type="button"
          className="button"
          aria-label={t('field.browseFor', { label: field.label })}
          disabled={field.disabled}
          onClick={() => void browse()}
        >
          {t('field.browse')}
        </button>
      }
    />
  )
}
