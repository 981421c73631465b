import { describe, expect, it, vi } from 'vitest'
import { hardenSession, hardenWebContents } from '../../../electron/main/security.ts'
import type { SessionLike, WebContentsLike } from '../../../electron/main/security.ts'

describe('hardenWebContents', () => {
  it('prevents navigation, redirects and webviews, and denies new windows', () => {
    const listeners = new Map<string, (event: { preventDefault(): void }) => void>()
    let openHandler: (() => { action: string }) | undefined
    const contents = {
      on: (name: string, listener: (event: { preventDefault(): void }) => void) =>
        listeners.set(name, listener),
      setWindowOpenHandler: (handler: () => { action: string }) => {
        openHandler = handler
      },
    } as unknown as WebContentsLike
    hardenWebContents(contents)
    for (const name of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const event = { preventDefault: vi.fn() }
      listeners.get(name)?.(event)
      expect(event.preventDefault, name).toHaveBeenCalledOnce()
    }
    expect(openHandler?.()).toEqual({ action: 'deny' })
  })
})

describe('hardenSession', () => {
  function fakeSession() {
    const hooks: Record<string, (...args: never[]) => unknown> = {}
    const session = {
      setPermissionRequestHandler: (handler: never) => void (hooks['request'] = handler),
      setPermissionCheckHandler: (handler: never) => void (hooks['check'] = handler),
      webRequest: { onHeadersReceived: (handler: never) => void (hooks['headers'] = handler) },
    } as unknown as SessionLike
    return { session, hooks }
  }

  it('denies every permission and adds the CSP header to responses', () => {
    const { session, hooks } = fakeSession()
    hardenSession(session, "default-src 'self'")
    const callback = vi.fn()
    ;(hooks['request'] as (c: unknown, p: string, cb: (granted: boolean) => void) => void)(
      {},
      'media',
      callback,
    )
    expect(callback).toHaveBeenCalledWith(false)
    expect((hooks['check'] as () => boolean)()).toBe(false)
    const headersCallback = vi.fn()
    ;(hooks['headers'] as (d: unknown, cb: unknown) => void)(
      { responseHeaders: { 'Content-Type': ['text/html'] } },
      headersCallback,
    )
    expect(headersCallback).toHaveBeenCalledWith({
      responseHeaders: { 'Content-Type': ['text/html'], 'Content-Security-Policy': ["default-src 'self'"] },
    })
  })

  it('adds no CSP header in development (the dev server needs its own policy)', () => {
    const { session, hooks } = fakeSession()
    hardenSession(session, null)
    expect(hooks['headers']).toBeUndefined()
    expect(hooks['check']).toBeDefined()
  })
})
