/**
 * The Content-Security-Policy of the renderer: our own bundle only — no inline or eval'd script, no remote
 * content of any kind. renderer/index.html carries the same policy in its meta tag (the packaged app loads
 * file://, where no response header exists); a unit test keeps the two in step.
 */

/** Directives valid in a <meta> tag as well as in a header. */
export const CSP_DIRECTIVES = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
] as const

/** The header form adds what a meta tag cannot express (Chromium ignores frame-ancestors there, loudly). */
export const CONTENT_SECURITY_POLICY = [...CSP_DIRECTIVES, "frame-ancestors 'none'"].join('; ')
