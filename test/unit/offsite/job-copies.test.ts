/** The job's copy phase (electron/jobs/offsite-run.ts): the progress throttle and the destinations' secrets. */
import { describe, expect, it } from 'vitest'
import type { BackupPlan } from '../../../shared/job-protocol.ts'
import { runDestinationsOf, throttleProgress } from '../../../electron/jobs/offsite-run.ts'

describe('copy progress throttle', () => {
  it('passes a file’s first and last report always, and at most one per interval between them', () => {
    const seen: number[] = []
    let now = 0
    const report = throttleProgress(
      (p) => seen.push(p.bytes),
      250,
      () => now,
    )
    const at = (t: number, bytes: number, file = 'a'): void => {
      now = t
      report({ destination: 'nas', file, bytes, total: 100 })
    }
    at(0, 0)
    at(10, 10)
    at(100, 20)
    at(260, 30)
    at(300, 40)
    at(520, 50)
    at(530, 100)
    // Another file (or destination) has its own clock.
    at(531, 0, 'b')
    at(540, 5, 'b')
    expect(seen).toEqual([0, 30, 50, 100, 0])
  })
})

describe('the destinations of a job', () => {
  it('takes each secret from the start request by name, never from the plan', () => {
    const plan = {
      offsite: {
        destinations: [
          { kind: 'folder', name: 'nas', path: '/mnt/nas' },
          { kind: 'sftp', name: 'off1', host: 'h', port: 22, user: 'u', path: '/p', auth: 'password' },
        ],
        hostKeys: { knownHostsFile: '/c/known_hosts', insecure: false },
      },
    } as unknown as BackupPlan
    expect(runDestinationsOf(plan, { off1: { password: 'pw' } })).toEqual([
      { destination: plan.offsite?.destinations[0] },
      { destination: plan.offsite?.destinations[1], secret: { password: 'pw' } },
    ])
    expect(runDestinationsOf({ ...plan, offsite: null })).toEqual([])
  })
})
