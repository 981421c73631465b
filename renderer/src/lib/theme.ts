/**
 * Applies the theme to the document: `data-theme` on <html> is always the resolved 'light' or 'dark', so the
 * stylesheet has one dark palette; 'system' follows prefers-color-scheme, also when the OS switches later.
 */
import type { Settings } from '../../../shared/ipc.ts'

const DARK_QUERY = '(prefers-color-scheme: dark)'

/** Sets the theme now and keeps 'system' in step with the OS; returns the function that stops following. */
export function applyTheme(theme: Settings['theme']): () => void {
  const root = document.documentElement
  if (theme !== 'system') {
    root.dataset['theme'] = theme
    return () => {}
  }
  const media = window.matchMedia(DARK_QUERY)
  const update = (): void => {
    root.dataset['theme'] = media.matches ? 'dark' : 'light'
  }
  update()
  media.addEventListener('change', update)
  return () => media.removeEventListener('change', update)
}
