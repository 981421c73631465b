/**
 * An S3 destination through the app's handlers against the S3 emulator (s3rver, test/harness/s3.ts): saved
 * without its secret (which goes to the real keychain), tested with a probe that leaves nothing behind, and
 * a refused access key id phrased as a login refusal.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { osKeychain } from '../../../electron/engine/secrets/keychain.ts'
import { S3RVER_KEY, startPrivateS3, type PrivateS3 } from '../../harness/s3.ts'
import { useHandlerSession, useKeyring } from './handler-session.ts'

describe('an S3 destination in the app', () => {
  useKeyring()
  const s = useHandlerSession()
  let s3: PrivateS3
  beforeAll(async () => {
    s3 = await startPrivateS3()
  })
  afterAll(async () => {
    await s3?.stop()
  })

  const destination = (accessKeyId: string) => ({
    kind: 's3' as const,
    name: 'bucket1',
    bucket: s3.bucket,
    prefix: 'backups',
    region: 'us-east-1',
    endpoint: s3.endpoint,
    pathStyle: true,
    credentials: 'keychain' as const,
    accessKeyId,
  })

  it('saves it with the secret in the keychain only, and its test writes, verifies and removes a probe', async () => {
    const saved = await s.value('destinations:save', {
      destination: destination(S3RVER_KEY.accessKeyId),
      secret: S3RVER_KEY.secretAccessKey,
      replace: false,
    })
    expect(saved).toMatchObject({ kind: 's3', name: 'bucket1', secretStored: true })
    expect(saved).not.toHaveProperty('secret')
    expect(await osKeychain().get('s3-secret-key', 'bucket1')).toBe(S3RVER_KEY.secretAccessKey)
    const file = JSON.parse(await readFile(join(s.configDir, 'destinations.json'), 'utf8')) as {
      destinations: Record<string, unknown>[]
    }
    expect(Object.keys(file.destinations[0] ?? {})).not.toContain('secret')
    expect(Object.keys(file.destinations[0] ?? {})).not.toContain('secretAccessKey')

    const tested = await s.value('destinations:test', { name: 'bucket1' })
    expect(tested.url).toMatch(new RegExp(`^s3://${s3.bucket}/backups/\\.sfdbtools-probe-`))
    expect(await s3.objectKeys()).toEqual([])
    expect(await s3.unfinishedUploads()).toEqual([])
    // The probe went up with the key id from the destination and the secret from the keychain.
    expect(s3.requests.some((r) => r.method === 'PUT' && r.accessKeyId === S3RVER_KEY.accessKeyId)).toBe(true)
  })

  it('an access key id the store does not know is a login refusal, phrased', async () => {
    await s.value('destinations:save', { destination: destination('NOT-A-KEY'), replace: true })
    expect(await s.failure('destinations:test', { name: 'bucket1' })).toMatchObject({
      code: 'CopyFailed',
      advice: { code: 'copyLoginRefused' },
    })
  })
})
