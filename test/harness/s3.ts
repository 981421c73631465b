/**
 * A private S3 endpoint for the offsite tests: s3rver (an S3 emulator, devDependency) on a free loopback
 * port, its objects in a temp folder, one bucket made up front.
 *
 * What s3rver 3.7.1 does and does not do, and what this harness adds:
 * - it keeps no ChecksumSHA256 and returns none: copies to it are verified by reading them back;
 * - it does not check SigV4 signatures, only that the access key id exists (its one account is
 *   S3RVER/S3RVER): a wrong access key id is refused (InvalidAccessKeyId, 403), a wrong secret is not;
 * - it does not implement AbortMultipartUpload (MethodNotAllowed) nor ListMultipartUploads. The TEST SHIM
 *   below (`abortMultipartUploadShim`) implements the abort by removing s3rver's upload folder
 *   `<directory>/<bucket>/._S3rver_uploads/<uploadId>`, and `unfinishedUploads` lists that folder, so a
 *   cancel test can prove that nothing partial is left. The shim lives here only, never in the product.
 * Every request is recorded (method, path, query, access key id, x-amz-* headers) so a test can count
 * attempts and see what was sent.
 */
import { randomBytes } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** The one account s3rver knows. */
export const S3RVER_KEY = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }

export interface S3Request {
  method: string
  path: string
  query: Record<string, unknown>
  accessKeyId: string | null
  /** The request's `x-amz-*` headers (storage class, encryption, checksums, metadata) and content-encoding. */
  headers: Record<string, string>
}

export interface PrivateS3 {
  endpoint: string
  port: number
  bucket: string
  /** Where s3rver keeps the bucket's objects (`<key>._S3rver_object`). */
  directory: string
  requests: S3Request[]
  /** The multipart uploads begun and neither completed nor aborted: `{ uploadId, key }`. */
  unfinishedUploads(): Promise<{ uploadId: string; key: string }[]>
  /** The keys of the bucket's objects (from s3rver's folder, not through the API). */
  objectKeys(): Promise<string[]>
  /** Stops the server and removes its folder; safe to call twice. */
  stop(): Promise<void>
}

interface KoaContext {
  method: string
  path: string
  query: Record<string, unknown>
  headers: Record<string, string | string[] | undefined>
  status: number
  type: string
  body: unknown
}
type Middleware = (ctx: KoaContext, next: () => Promise<void>) => Promise<void>
interface S3rverInstance {
  middleware: Middleware[]
  run(): Promise<{ port: number }>
  close(): Promise<void>
}
type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance

const UPLOADS = '._S3rver_uploads'
const OBJECT_SUFFIX = '._S3rver_object'

const accessKeyOf = (ctx: KoaContext): string | null => {
  const auth = ctx.headers.authorization
  const m = typeof auth === 'string' ? /Credential=([^/,\s]+)\//.exec(auth) : null
  return m?.[1] ?? null
}

const xmlError = (ctx: KoaContext, status: number, code: string, message: string): void => {
  ctx.status = status
  ctx.type = 'application/xml'
  ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`
}

/**
 * TEST SHIM, not S3 itself: `DELETE /<bucket>/<key>?uploadId=…` (AbortMultipartUpload, which s3rver lacks)
 * removes s3rver's folder of that upload; an unknown upload is NoSuchUpload (404) as on S3.
 */
function abortMultipartUploadShim(directory: string): Middleware {
  return async (ctx, next) => {
    if (ctx.method !== 'DELETE' || typeof ctx.query.uploadId !== 'string') return next()
    const [, bucket] = ctx.path.split('/')
    const uploadId = ctx.query.uploadId
    if (accessKeyOf(ctx) !== S3RVER_KEY.accessKeyId)
      return xmlError(ctx, 403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist.')
    const folder = join(directory, bucket ?? '', UPLOADS, uploadId)
    if (!/^[0-9a-f]+$/.test(uploadId) || !(await stat(folder).catch(() => null)))
      return xmlError(ctx, 404, 'NoSuchUpload', 'The specified upload does not exist.')
    await rm(folder, { recursive: true, force: true })
    ctx.status = 204
    ctx.body = ''
  }
}

/** Starts s3rver on a free loopback port with one bucket. */
export async function startPrivateS3(bucket = `sfdb-${randomBytes(4).toString('hex')}`): Promise<PrivateS3> {
  const S3rver = createRequire(import.meta.url)('s3rver') as S3rverClass
  const directory = await mkdtemp(join(tmpdir(), 'sfdb-s3rver-'))
  const server = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  })
  const requests: S3Request[] = []
  const record: Middleware = (ctx, next) => {
    const headers: Record<string, string> = {}
    for (const [k, v] of Object.entries(ctx.headers))
      if ((k.startsWith('x-amz-') || k === 'content-encoding') && typeof v === 'string') headers[k] = v
    requests.push({
      method: ctx.method,
      path: ctx.path,
      query: { ...ctx.query },
      accessKeyId: accessKeyOf(ctx),
      headers,
    })
    return next()
  }
  // Koa composes `middleware` when the server starts listening: these run before s3rver's own routes.
  server.middleware.unshift(record, abortMultipartUploadShim(directory))
  const { port } = await server.run()
  let stopped = false
  const bucketDir = join(directory, bucket)
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    bucket,
    directory,
    requests,
    async unfinishedUploads() {
      const ids = await readdir(join(bucketDir, UPLOADS)).catch(() => [])
      return Promise.all(
        ids.map(async (uploadId) => ({
          uploadId,
          key: await readFile(join(bucketDir, UPLOADS, uploadId, 'key'), 'utf8').catch(() => ''),
        })),
      )
    },
    async objectKeys() {
      const all = await readdir(bucketDir, { recursive: true }).catch(() => [])
      return all
        .filter((p) => p.endsWith(OBJECT_SUFFIX) && !p.startsWith(UPLOADS))
        .map((p) => p.slice(0, -OBJECT_SUFFIX.length))
        .sort()
    },
    async stop() {
      if (stopped) return
      stopped = true
      await server.close().catch(() => {})
      await rm(directory, { recursive: true, force: true })
    },
  }
}
