import type { ReactElement, ReactNode } from 'react'

export type BadgeTone = 'ok' | 'warn' | 'error' | 'info' | 'muted'

/** A small coloured label for a state (ok, locked, failed, …); the text carries the meaning, not the colour. */
export function StatusBadge({ tone, children }: { tone: BadgeTone; children: ReactNode }): ReactElement {
  return <span className={`badge badge-${tone}`}>{children}</span>
}
