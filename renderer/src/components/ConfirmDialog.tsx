import { useEffect, useId, useRef } from 'react'
import type { ReactElement, ReactNode } from 'react'

export interface ConfirmDialogProps {
  title: string
  children: ReactNode
  confirmLabel: string
  cancelLabel: string
  /** 'danger' for what cannot be undone (delete). */
  tone?: 'danger' | 'normal'
  busy?: boolean
  /** The confirm button is off (e.g. a required field of the question is empty). */
  confirmDisabled?: boolean
  onConfirm(): void
  onCancel(): void
}

/**
 * A modal question (native <dialog>: focus stays inside, Escape cancels, the page behind is inert).
 * Mount it to open it; unmount it to close it.
 */
export function ConfirmDialog(props: ConfirmDialogProps): ReactElement {
  const {
    title,
    children,
    confirmLabel,
    cancelLabel,
    tone = 'normal',
    busy = false,
    confirmDisabled = false,
    onConfirm,
    onCancel,
  } = props
  const ref = useRef<HTMLDialogElement>(null)
  const titleId = useId()

  useEffect(() => {
    const dialog = ref.current
    if (dialog !== null && !dialog.open) dialog.showModal()
    return () => dialog?.close()
  }, [])

  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault()
        if (!busy) onCancel()
      }}
    >
      <h2 id={titleId} className="dialog-title">
        {title}
      </h2>
      <div className="dialog-body">{children}</div>
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onCancel} disabled={busy}>
          {cancelLabel}
        </button>
        <button
          type="button"
          className={tone === 'danger' ? 'button button-danger' : 'button button-primary'}
          onClick={onConfirm}
          disabled={busy || confirmDisabled}
        >
          {confirmLabel}
        </button>
      </div>
    </dialog>
  )
}
