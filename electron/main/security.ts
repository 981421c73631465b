/**
 * Hardening that applies to every web contents and to the session, whatever window a later feature opens:
 * no navigation away from the app, no new windows, no <webview>, no permissions (camera, notifications
 * from the page, …) and the CSP header on every response.
 */
import type { Session, WebContents } from 'electron'

/** The events and hooks hardenWebContents uses (a fake in unit tests). */
export type WebContentsLike = Pick<WebContents, 'on' | 'setWindowOpenHandler'>

/** Denies navigation, new windows and webviews for one web contents. */
export function hardenWebContents(contents: WebContentsLike): void {
  // The UI is a single page: any navigation is a bug or an injected link, never a feature.
  contents.on('will-navigate', (event) => event.preventDefault())
  contents.on('will-redirect', (event) => event.preventDefault())
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
}

/** The session hooks hardenSession uses (a fake in unit tests). */
export type SessionLike = {
  webRequest: Pick<Session['webRequest'], 'onHeadersReceived'>
} & Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>

/**
 * Denies every permission request and adds the CSP header to every response. Pass null in development:
 * the dev server's HMR client needs a looser policy than the shipped one.
 */
export function hardenSession(session: SessionLike, contentSecurityPolicy: string | null): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
  if (contentSecurityPolicy === null) return
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [contentSecurityPolicy] },
    })
  })
}
