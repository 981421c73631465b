/**
 * The pieces of a restore from a destination that need no server: `--from-destination` / `--file` on the
 * command line, and the download tap that counts and hashes the stream and fails it with ChecksumMismatch
 * when it ends with another sha256 than recorded.
 */
import { createHash } from 'node:crypto'
import { Readable, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { describe, expect, it } from 'vitest'
import { UsageError } from '../../../electron/cli/args.ts'
import { parseRestoreArgs } from '../../../electron/cli/restore/restore-args.ts'
import { DownloadTap, remoteLabel } from '../../../electron/engine/restore/remote-source.ts'

const parse = (mode: string, ...rest: string[]) => parseRestoreArgs(mode, rest, '/work/here')
const usage = (mode: string, ...rest: string[]): string => {
  try {
    parse(mode, ...rest)
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError)
    return (e as Error).message
  }
  throw new Error('no usage error')
}

describe('restore --from-destination NAME --file F', () => {
  it('names the file on the destination, not a local path', () => {
    const a = parse('single', '--from-destination', 'nas', '--file', 'shop.sql.zst', '--ticket', 'T')
    expect(a).toMatchObject({ fromDestination: 'nas', file: 'shop.sql.zst', mode: 'single' })
    expect(parse('single', 'b/shop.sql', '--ticket', 'T').fromDestination).toBeUndefined()
  })

  it('refuses half of the pair, a path, a FILE argument beside it, and the modes it has no meaning in', () => {
    expect(usage('single', '--file', 'shop.sql', '--ticket', 'T')).toContain('--from-destination')
    expect(usage('single', '--from-destination', 'nas', '--ticket', 'T')).toContain('needs --file')
    expect(usage('single', '--from-destination', 'nas', '--file', 'a/b.sql', '-t', 'T')).toContain(
      'not a path',
    )
    expect(usage('single', 'x.sql', '--from-destination', 'nas', '--file', 'b.sql', '-t', 'T')).toContain(
      'not as an argument',
    )
    expect(usage('test', '--from-destination', 'nas', '--file', 'b.sql', '-t', 'T')).toContain(
      'belongs to restore single, all, primary, secondary',
    )
    expect(usage('selection', '--from-destination', 'nas', '--file', 'b.sql', '-t', 'T')).toContain(
      'not selection',
    )
  })
})

describe('DownloadTap', () => {
  const data = Buffer.from('CREATE TABLE t (id INT);\nINSERT INTO t VALUES (1);\n'.repeat(1000))
  const sha = createHash('sha256').update(data).digest('hex')
  const sink = (): Writable => new Writable({ write: (_c, _e, cb) => cb() })

  it('passes the bytes on, counting them, when the sha256 is the recorded one (or none is)', async () => {
    for (const expected of [sha, null]) {
      const tap = new DownloadTap(remoteLabel('nas', 'x.sql'), expected)
      await pipeline(Readable.from([data.subarray(0, 100), data.subarray(100)]), tap, sink())
      expect(tap.bytesRead).toBe(data.length)
    }
  })

  it('fails the stream at its end with ChecksumMismatch naming the file when one byte differs', async () => {
    const damaged = Buffer.from(data)
    damaged[500] = (damaged[500] ?? 0) ^ 1
    const tap = new DownloadTap('nas:x.sql', sha)
    const e = await pipeline(Readable.from([damaged]), tap, sink()).catch((x: unknown) => x)
    expect(e).toMatchObject({ code: 'ChecksumMismatch' })
    expect((e as Error).message).toContain('nas:x.sql: sha256')
    expect((e as Error).message).toContain(`differs from the ${sha} recorded in its metadata`)
  })
})
