import { useId, useState } from 'react'
import type { ReactElement } from 'react'
import type { DatabaseRow } from '../../../../shared/ipc.ts'
import { parsePastedNames } from '../../../../shared/name-list.ts'
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx'
import { useT } from '../../i18n/use-t.ts'

/** What a pasted list selected: the server's spelling of each name found, and the names it does not have. */
export interface PastedSelection {
  found: string[]
  unknown: string[]
}

/** Matches pasted names to the server's databases, case-insensitively (as sfDBTools compares names). */
export function matchPasted(text: string, rows: DatabaseRow[]): PastedSelection {
  const byName = new Map(rows.map((row) => [row.name.toLowerCase(), row.name]))
  const found: string[] = []
  const unknown: string[] = []
  for (const name of parsePastedNames(text)) {
    const real = byName.get(name.toLowerCase())
    if (real === undefined) unknown.push(name)
    else found.push(real)
  }
  return { found, unknown }
}

/**
 * Paste a list of databases (one per line as in a database list file, `#` comments allowed; or separated
 * by commas or spaces): the names the server has are selected, the others are named.
 */
export function PasteListDialog({
  rows,
  onApply,
  onCancel,
}: {
  rows: DatabaseRow[]
  onApply(selection: PastedSelection): void
  onCancel(): void
}): ReactElement {
  const t = useT()
  const id = useId()
  const [text, setText] = useState('')
  const preview = matchPasted(text, rows)
  return (
    <ConfirmDialog
      title={t('databases.paste.title')}
      confirmLabel={t('databases.paste.apply', { n: preview.found.length })}
      cancelLabel={t('common.cancel')}
      confirmDisabled={preview.found.length === 0}
      onConfirm={() => onApply(preview)}
      onCancel={onCancel}
    >
      <div className="field">
        <label htmlFor={id}>{t('databases.paste.label')}</label>
        <textarea
          id={id}
          className="input mono"
          rows={8}
          autoFocus
          value={text}
          spellCheck={false}
          onChange={(event) => setText(event.target.value)}
        />
        <p className="field-hint">{t('databases.paste.hint')}</p>
      </div>
      {text.trim() !== '' && (
        <p className="small" aria-live="polite">
          {t('databases.paste.summary', { found: preview.found.length, unknown: preview.unknown.length })}
        </p>
      )}
    </ConfirmDialog>
  )
}
