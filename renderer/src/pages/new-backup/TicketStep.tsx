import type { ReactElement } from 'react'
import { TextField } from '../../components/form-fields.tsx'
import { useT } from '../../i18n/use-t.ts'

export interface TicketStepProps {
  ticket: string
  /** Shown once the user tried to go on without a ticket. */
  error: string | null
  onChange(ticket: string): void
  /** Enter in the field: go on, as Next does. */
  onSubmit(): void
}

/** Step 5: the change ticket this backup belongs to (required, recorded in the metadata). */
export function TicketStep({ ticket, error, onChange, onSubmit }: TicketStepProps): ReactElement {
  const t = useT()
  return (
    <form
      className="form-grid"
      onSubmit={(event) => {
        event.preventDefault()
        onSubmit()
      }}
    >
      <TextField
        label={t('ticket.label')}
        value={ticket}
        onChange={onChange}
        error={error}
        hint={t('ticket.hint')}
        placeholder="CHG-1234"
        className="span-2"
        required
      />
    </form>
  )
}
