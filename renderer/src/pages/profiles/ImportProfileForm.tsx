import { useState } from 'react'
import type { FormEvent, ReactElement } from 'react'
import type { AppError } from '../../../../shared/result.ts'
import { ErrorNotice } from '../../components/ErrorNotice.tsx'
import { CheckboxField, PathField, TextField } from '../../components/form-fields.tsx'
import { useT } from '../../i18n/use-t.ts'
import { useProfilesStore } from '../../stores/profiles-store.ts'

/** Imports an sfDBTools .cnf.enc profile: its path and the key it was written with. */
export function ImportProfileForm({ onDone }: { onDone(): void }): ReactElement {
  const t = useT()
  const importFile = useProfilesStore((state) => state.importFile)
  const [path, setPath] = useState('')
  const [key, setKey] = useState('')
  const [name, setName] = useState('')
  const [force, setForce] = useState(false)
  const [submitted, setSubmitted] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<AppError | null>(null)

  const pathError = submitted && path.trim() === '' ? t('importForm.error.path') : null
  const keyError = submitted && key === '' ? t('importForm.error.key') : null

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    setSubmitted(true)
    if (path.trim() === '' || key === '') return
    setBusy(true)
    const trimmedName = name.trim()
    const result = await importFile({
      path: path.trim(),
      key,
      force,
      ...(trimmedName === '' ? {} : { name: trimmedName }),
    })
    setBusy(false)
    if (result.ok) {
      setKey('')
      onDone()
    } else {
      setError(result.error)
    }
  }

  return (
    <form
      className="card form-card"
      aria-label={t('importForm.title')}
      onSubmit={(event) => void submit(event)}
      noValidate
    >
      <h2 className="card-title">{t('importForm.title')}</h2>
      <p className="muted">{t('importForm.lead')}</p>
      <div className="form-grid">
        <PathField
          kind="file"
          label={t('importForm.path')}
          value={path}
          onChange={setPath}
          error={pathError}
          hint={t('importForm.pathHint')}
          className="span-2"
          required
        />
        <TextField
          label={t('importForm.key')}
          type="password"
          value={key}
          onChange={setKey}
          error={keyError}
          autoComplete="off"
          required
        />
        <TextField
          label={t('importForm.name')}
          value={name}
          onChange={setName}
          hint={t('importForm.nameHint')}
        />
      </div>
      <CheckboxField label={t('importForm.force')} checked={force} onChange={setForce} />
      {error !== null && <ErrorNotice error={error} title={t('importForm.failed')} />}
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={busy}>
          {t('importForm.submit')}
        </button>
        <button type="button" className="button" onClick={onDone} disabled={busy}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  )
}
