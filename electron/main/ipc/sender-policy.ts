/**
 * Which frames may call IPC: only the page the main window loads. Electron's own advice is to validate
 * event.senderFrame on every message, since any frame (an iframe, a page reached by a navigation bug)
 * could otherwise reach the handlers.
 */

/**
 * Builds the sender check for the renderer entry URL: the packaged file:// index.html (any query or hash)
 * or, in development, the origin of the dev server.
 */
export function createSenderPolicy(rendererUrl: string): (senderUrl: string) => boolean {
  const entry = new URL(rendererUrl)
  return (senderUrl) => {
    const sender = URL.parse(senderUrl)
    if (sender === null) return false
    if (entry.protocol === 'file:') return sender.protocol === 'file:' && sender.pathname === entry.pathname
    // http(s) and custom schemes: an opaque origin ('null') never matches a real one.
    return sender.origin !== 'null' && sender.origin === entry.origin
  }
}
