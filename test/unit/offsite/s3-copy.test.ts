/**
 * The S3 session's pure parts: the checksum S3 reports for an upload with SHA-256 checksums (composite for
 * multipart, plain for a single PutObject), and how the SDK's failures become named engine errors (a
 * refused login never retried, an unreachable endpoint retried). The uploads themselves run against the S3
 * emulator in test/integration/offsite-s3.test.ts.
 */
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { S3Destination } from '../../../shared/destination.ts'
import { EngineError } from '../../../electron/engine/errors.ts'
import { isRetryable } from '../../../electron/engine/offsite/retry.ts'
import { s3Checksum, s3Error, s3Url, sameS3Checksum } from '../../../electron/engine/offsite/s3-copy.ts'

const digest = (s: string): Buffer => createHash('sha256').update(s).digest()

const destination: S3Destination = {
  kind: 's3',
  name: 'bucket1',
  bucket: 'backups',
  prefix: 'db/nightly',
  region: 'eu-west-1',
  endpoint: 'https://minio.example:9000',
  pathStyle: true,
  credentials: 'keychain',
  accessKeyId: 'AKIAEXAMPLE',
}

describe('the checksum S3 reports for an upload', () => {
  // Reference values computed outside this code: `openssl dgst -sha256 -binary` of each part, the digests
  // concatenated and hashed again, base64.
  it('multipart: base64(sha256(the parts’ raw digests)) and the number of parts', () => {
    expect(s3Checksum([digest('hello '), digest('world')], true)).toBe(
      'Zhie15keHg/OBlOZxcoF/BXCgYZaeimRvdZnwUZqkaQ=-2',
    )
  })

  it('one part of a multipart upload is still composite: not the object’s own sha256', () => {
    const one = s3Checksum([digest('hello world')], true)
    expect(one).toMatch(/-1$/)
    expect(one).not.toContain(digest('hello world').toString('base64'))
  })

  it('a single PutObject: the plain base64 sha256 of the object', () => {
    expect(s3Checksum([digest('hello world')], false)).toBe('uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=')
    expect(() => s3Checksum([digest('a'), digest('b')], false)).toThrow(EngineError)
  })

  it('compares what a store returns, with or without the part count', () => {
    const expected = 'Zhie15keHg/OBlOZxcoF/BXCgYZaeimRvdZnwUZqkaQ=-2'
    expect(sameS3Checksum(expected, expected)).toBe(true)
    expect(sameS3Checksum('Zhie15keHg/OBlOZxcoF/BXCgYZaeimRvdZnwUZqkaQ=', expected)).toBe(true)
    expect(sameS3Checksum('uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=-2', expected)).toBe(false)
  })
})

describe('S3 failures as engine errors', () => {
  const sdkError = (name: string, status?: number, message = 'boom'): Error =>
    Object.assign(new Error(message), { name, ...(status ? { $metadata: { httpStatusCode: status } } : {}) })

  it.each([
    ['InvalidAccessKeyId', 403],
    ['SignatureDoesNotMatch', 403],
    ['AccessDenied', 403],
    ['Unknown', 403], // a HEAD's refusal has no body: only its status
  ])('%s (%s) is a refused login, named, never retried', (name, status) => {
    const e = s3Error(destination, sdkError(name, status))
    expect(e).toMatchObject({
      code: 'CopyFailed',
      advice: {
        code: 'copyLoginRefused',
        params: { destination: 'bucket1', user: 'AKIAEXAMPLE', host: 'minio.example:9000', kind: 's3' },
      },
    })
    expect(e.message).toContain('bucket1')
    expect(e.message).toContain('refused the credentials')
    expect(isRetryable(e)).toBe(false)
  })

  it('no credentials in the AWS chain: named, never retried', () => {
    const chain: S3Destination = { ...destination, credentials: 'aws-chain' }
    const e = s3Error(chain, sdkError('CredentialsProviderError', undefined, 'Could not load credentials'))
    expect(e).toMatchObject({ code: 'CopyFailed', advice: { code: 'copyLoginRefused' } })
    expect(e.message).toContain('no credentials found in the AWS credential chain')
    expect(isRetryable(e)).toBe(false)
  })

  it('an endpoint that cannot be reached is retried, with the destination named', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })
    const e = s3Error(destination, refused)
    expect(e).toMatchObject({ code: 'CopyFailed', advice: { code: 'copyUnreachable' } })
    expect(e.message).toContain('bucket1')
    expect(e.message).toContain('ECONNREFUSED')
    expect(isRetryable(e)).toBe(true)
  })

  it('a bucket that does not exist is not retried', () => {
    const e = s3Error(destination, sdkError('NoSuchBucket', 404, 'The specified bucket does not exist'))
    expect(e).toMatchObject({ code: 'CopyFailed', advice: { code: 'copyUnreachable' } })
    expect(isRetryable(e)).toBe(false)
  })

  it('a cancel wins over whatever the SDK threw', () => {
    const controller = new AbortController()
    controller.abort()
    expect(s3Error(destination, sdkError('AbortError'), controller.signal).code).toBe('Cancelled')
  })

  it('the credential chain is named as such; URLs hold bucket and key only', () => {
    const chain: S3Destination = { ...destination, credentials: 'aws-chain', endpoint: undefined }
    const e = s3Error(chain, sdkError('InvalidAccessKeyId', 403))
    expect(e.advice?.params).toMatchObject({
      user: 'the AWS credential chain',
      host: 's3.eu-west-1.amazonaws.com',
    })
    expect(s3Url(destination, 'db/nightly/x.sql.zst')).toBe('s3://backups/db/nightly/x.sql.zst')
  })
})
