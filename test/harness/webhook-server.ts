/**
 * A local HTTP server taking webhooks (http to 127.0.0.1 is what a webhook channel may use without TLS):
 * every POST is kept with its path and JSON body; `waitFor` settles on the first one that matches.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface WebhookPost {
  path: string
  body: Record<string, unknown>
}

export interface WebhookServer {
  /** `http://127.0.0.1:<port>` */
  origin: string
  posts: WebhookPost[]
  /** Resolves with the first POST (so far or to come) that `match` accepts. */
  waitFor(match: (post: WebhookPost) => boolean): Promise<WebhookPost>
  close(): Promise<void>
}

export async function startWebhookServer(): Promise<WebhookServer> {
  const posts: WebhookPost[] = []
  const waiting: { match: (p: WebhookPost) => boolean; resolve: (p: WebhookPost) => void }[] = []
  const server: Server = createServer((req, res) => {
    let text = ''
    req.on('data', (c: Buffer) => (text += c.toString()))
    req.on('end', () => {
      let body: Record<string, unknown>
      try {
        body = JSON.parse(text) as Record<string, unknown>
      } catch {
        body = { unparsed: text }
      }
      const post = { path: req.url ?? '', body }
      posts.push(post)
      for (const w of [...waiting])
        if (w.match(post)) {
          waiting.splice(waiting.indexOf(w), 1)
          w.resolve(post)
        }
      res.writeHead(200).end('ok')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    posts,
    waitFor: (match) =>
      new Promise((resolve) => {
        const seen = posts.find(match)
        if (seen) resolve(seen)
        else waiting.push({ match, resolve })
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
