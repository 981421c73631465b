/**
 * Serves the built renderer over http://127.0.0.1 for Chromium. The packaged app loads file://, but
 * Chromium refuses ES module scripts from file:// pages (their origin is opaque), so the tests use a
 * same-origin http server instead. It sends no CSP header on purpose: like file://, the page's policy then
 * comes from the meta tag alone, which is what the tests prove.
 */
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, relative, sep } from 'node:path'

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
}

/** A running server; close() stops it and drops open connections. */
export interface StaticServer {
  /** Origin with no trailing slash, e.g. http://127.0.0.1:41234 */
  origin: string
  close(): Promise<void>
}

/** Serves the files under root (GET and HEAD only, no directory listings, nothing outside root). */
export async function serveDirectory(root: string): Promise<StaticServer> {
  const server = createServer((request, response) => {
    void (async () => {
      const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)
      if (pathname === '/favicon.ico') {
        // Chromium asks every http origin for one (an Electron window does not); a 404 would be a console error.
        response.writeHead(204).end()
        return
      }
      const file = join(root, pathname === '/' ? 'index.html' : pathname)
      const inside = relative(root, file)
      const info =
        inside.startsWith('..') || inside.startsWith(sep) ? null : await stat(file).catch(() => null)
      if (info === null || !info.isFile() || (request.method !== 'GET' && request.method !== 'HEAD')) {
        response.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found')
        return
      }
      response.writeHead(200, {
        'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
        'Content-Length': info.size,
        'Cache-Control': 'no-store',
      })
      if (request.method === 'HEAD') response.end()
      else createReadStream(file).pipe(response)
    })()
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
