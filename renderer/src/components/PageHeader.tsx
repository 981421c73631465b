import type { ReactElement, ReactNode } from 'react'

/** A page's title (focusable, so navigation can move focus to it), a one-line lead and its actions. */
export function PageHeader({
  title,
  lead,
  actions,
}: {
  title: string
  lead?: string
  actions?: ReactNode
}): ReactElement {
  return (
    <div className="page-header">
      <div>
        <h1 className="page-title" tabIndex={-1}>
          {title}
        </h1>
        {lead !== undefined && <p className="page-lead">{lead}</p>}
      </div>
      {actions !== undefined && <div className="page-actions">{actions}</div>}
    </div>
  )
}
