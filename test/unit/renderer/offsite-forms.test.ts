/**
 * The models behind Settings → Destinations and Notifications and the job card's copy phase: a draft's
 * problems at the field, the destination or channel it saves (the secret apart), and the copy rows' rate
 * and time left.
 */
import { describe, expect, it } from 'vitest'
import type { DestinationView } from '../../../shared/ipc.ts'
import { copyRows, trackCopy, type CopyTracks } from '../../../renderer/src/lib/copy-progress.ts'
import {
  channelDraftOf,
  channelOf,
  channelProblems,
  describeChannel,
} from '../../../renderer/src/pages/settings/channel-form.ts'
import {
  describeDestination,
  destinationOf,
  draftOf,
  draftProblems,
} from '../../../renderer/src/pages/settings/destination-form.ts'

describe('destination form', () => {
  it('a new folder destination: name and absolute path checked, saved without a secret', () => {
    const draft = { ...draftOf(), name: '.hidden', path: 'relative' }
    expect(draftProblems(draft, false)).toEqual({
      name: 'destinations.problem.name',
      path: 'destinations.problem.absolute',
    })
    const ok = { ...draft, name: 'nas', path: '/mnt/nas' }
    expect(draftProblems(ok, false)).toEqual({})
    expect(destinationOf(ok)).toEqual({
      destination: { kind: 'folder', name: 'nas', path: '/mnt/nas' },
      secret: undefined,
    })
  })

  it('SFTP with a password: needed unless stored; an edit with an empty one keeps the stored one', () => {
    const draft = {
      ...draftOf(),
      kind: 'sftp' as const,
      name: 'off1',
      host: 'backup.example',
      user: 'bk',
      path: '/srv/backups',
      auth: 'password' as const,
    }
    expect(draftProblems(draft, false)).toEqual({ secret: 'destinations.problem.secret' })
    expect(draftProblems(draft, true)).toEqual({})
    expect(destinationOf(draft).secret).toBeUndefined()
    expect(destinationOf({ ...draft, secret: 'pw' })).toEqual({
      destination: {
        kind: 'sftp',
        name: 'off1',
        host: 'backup.example',
        port: 22,
        user: 'bk',
        path: '/srv/backups',
        auth: 'password',
      },
      secret: 'pw',
    })
    // A key login never sends a secret, and needs an absolute identity file.
    const key = { ...draft, auth: 'key' as const, secret: 'typed then switched' }
    expect(draftProblems(key, false)).toEqual({ identityFile: 'destinations.problem.identityFile' })
    expect(destinationOf({ ...key, identityFile: '/home/bk/.ssh/id' }).secret).toBeUndefined()
  })

  it('S3: optional fields left out, the secret key apart, retention kept; a stored one round-trips', () => {
    const draft = {
      ...draftOf(),
      kind: 's3' as const,
      name: 'minio',
      bucket: 'backups',
      prefix: 'db/',
      endpoint: 'http://127.0.0.1:9000',
      pathStyle: true,
      accessKeyId: 'AKID',
      secret: 'SECRET',
      retentionOn: true,
      retentionDays: 30,
      minBackups: 5,
    }
    expect(draftProblems(draft, false)).toEqual({})
    const { destination, secret } = destinationOf(draft)
    expect(secret).toBe('SECRET')
    expect(destination).toEqual({
      kind: 's3',
      name: 'minio',
      bucket: 'backups',
      prefix: 'db',
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:9000',
      pathStyle: true,
      credentials: 'keychain',
      accessKeyId: 'AKID',
      retention: { retentionDays: 30, minBackups: 5 },
    })
    const view = { ...destination, secretStored: true } as DestinationView
    expect(destinationOf(draftOf(view))).toEqual({ destination, secret: undefined })
    expect(describeDestination(destination)).toBe('s3://backups/db (http://127.0.0.1:9000)')
    expect(draftProblems({ ...draft, sse: 'aws:kms' }, true)).toEqual({
      kmsKeyId: 'destinations.problem.kmsKeyId',
    })
  })
})

describe('channel form', () => {
  it('e-mail: addresses checked, a login needs its password unless stored, plaintext only to localhost', () => {
    const draft = {
      ...channelDraftOf(),
      name: 'ops',
      host: 'smtp.example',
      user: 'bk',
      from: 'x',
      to: 'a@b, nope',
    }
    expect(channelProblems(draft, { editing: false, passwordStored: false })).toEqual({
      password: 'channels.problem.password',
      from: 'channels.problem.from',
      to: 'channels.problem.to',
    })
    const ok = { ...draft, from: 'backup@example.com', to: 'a@example.com, b@example.com', password: 'pw' }
    expect(channelProblems(ok, { editing: false, passwordStored: false })).toEqual({})
    expect(channelProblems({ ...ok, security: 'none' }, { editing: false, passwordStored: false })).toEqual({
      security: 'channels.problem.plaintext',
    })
    expect(channelOf(ok)).toEqual({
      channel: {
        kind: 'email',
        name: 'ops',
        host: 'smtp.example',
        port: 587,
        security: 'starttls',
        user: 'bk',
        from: 'backup@example.com',
        to: ['a@example.com', 'b@example.com'],
      },
      password: 'pw',
    })
  })

  it('webhook: an address is needed when new, https or http to localhost; an edit without one keeps it', () => {
    const draft = { ...channelDraftOf(), kind: 'webhook' as const, name: 'chat' }
    expect(channelProblems(draft, { editing: false, passwordStored: false })).toEqual({
      url: 'channels.problem.url',
    })
    expect(channelProblems(draft, { editing: true, passwordStored: false })).toEqual({})
    expect(
      channelProblems({ ...draft, url: 'http://hooks.example/x' }, { editing: false, passwordStored: false }),
    ).toEqual({
      url: 'channels.problem.url',
    })
    expect(channelOf({ ...draft, url: 'http://127.0.0.1:8080/h' }).channel).toEqual({
      kind: 'webhook',
      name: 'chat',
      format: 'json',
      url: 'http://127.0.0.1:8080/h',
    })
    expect(channelOf(draft).channel).toEqual({ kind: 'webhook', name: 'chat', format: 'json' })
    expect(
      describeChannel({ kind: 'webhook', name: 'chat', format: 'slack', origin: 'https://hooks.slack.com' }),
    ).toBe('https://hooks.slack.com/… (slack)')
  })
})

describe('copy progress rows', () => {
  const event = (destination: string, file: string, bytes: number, total = 1000) => ({
    type: 'copy-progress' as const,
    jobId: 'j',
    destination,
    file,
    bytes,
    total,
  })

  it('per destination its latest file, the rate since the upload was first seen, and the time left', () => {
    let tracks: CopyTracks = {}
    tracks = trackCopy(tracks, event('nas', 'a.sql.zst', 0), 1000)
    tracks = trackCopy(tracks, event('s3', 'a.sql.zst', 0), 1000)
    tracks = trackCopy(tracks, event('nas', 'a.sql.zst', 400), 3000)
    expect(copyRows(tracks)).toEqual([
      {
        destination: 'nas',
        file: 'a.sql.zst',
        bytes: 400,
        total: 1000,
        fraction: 0.4,
        bytesPerSecond: 200,
        etaSeconds: 3,
        done: false,
      },
      expect.objectContaining({ destination: 's3', bytesPerSecond: 0, etaSeconds: null }),
    ])
    // The next file of the same destination replaces the row; a sent file has no time left.
    tracks = trackCopy(tracks, event('nas', 'a.sql.zst', 1000), 4000)
    expect(copyRows(tracks)[0]).toMatchObject({ done: true, etaSeconds: null })
    tracks = trackCopy(tracks, event('nas', 'a.sql.zst.meta.json', 0, 50), 4100)
    expect(copyRows(tracks)[0]).toMatchObject({ file: 'a.sql.zst.meta.json', bytes: 0 })
  })

  it('a retry of a file (its bytes start again) is a new upload for the rate', () => {
    let tracks: CopyTracks = {}
    tracks = trackCopy(tracks, event('nas', 'a', 0), 0)
    tracks = trackCopy(tracks, event('nas', 'a', 800), 1000)
    tracks = trackCopy(tracks, event('nas', 'a', 0), 9000)
    tracks = trackCopy(tracks, event('nas', 'a', 100), 10_000)
    expect(copyRows(tracks)[0]?.bytesPerSecond).toBe(100)
  })
})
