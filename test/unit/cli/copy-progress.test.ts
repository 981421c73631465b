/** The command line's upload progress line: bytes of the size, the rate and the time left. */
import { describe, expect, it } from 'vitest'
import { copyProgressLine } from '../../../electron/cli/offsite.ts'

const MiB = 1024 * 1024

describe('copyProgressLine', () => {
  it('gives the rate since the upload began and the time left', () => {
    const line = copyProgressLine(
      { destination: 'nas', file: 'f.sql.zst', bytes: 12 * MiB, total: 48 * MiB },
      { at: 1_000, bytes: 0 },
      4_000,
    )
    expect(line).toBe('copy to nas: f.sql.zst 12.0 MiB / 48.0 MiB, 4.0 MiB/s, 0:09 left')
  })

  it('counts from the bytes the upload was first seen at', () => {
    const line = copyProgressLine(
      { destination: 's3', file: 'f', bytes: 30 * MiB, total: 50 * MiB },
      { at: 0, bytes: 10 * MiB },
      10_000,
    )
    expect(line).toBe('copy to s3: f 30.0 MiB / 50.0 MiB, 2.0 MiB/s, 0:10 left')
  })

  it('shows no rate before a second has passed, and "sent" at the end', () => {
    const p = { destination: 'nas', file: 'f', bytes: MiB, total: 2 * MiB }
    expect(copyProgressLine(p, { at: 0, bytes: 0 }, 500)).toBe('copy to nas: f 1.0 MiB / 2.0 MiB')
    expect(copyProgressLine({ ...p, bytes: 2 * MiB }, { at: 0, bytes: 0 }, 5_000)).toBe(
      'copy to nas: f 2.0 MiB / 2.0 MiB, sent',
    )
  })
})
